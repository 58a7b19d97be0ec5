"""Interleaved timing: every method of one configuration measured round by round, side by side.

A sample runs one method ``number`` times with the garbage collector off, and reads
two clocks around the calls: the wall clock, and the CPU time this process used.
On a GPU the device is synchronized (``torch.cuda.synchronize``) before each
reading, so queued kernels are inside the sample. On a CPU with one thread, the
CPU time is the wall time minus any time spent waiting for a core that other
processes held: on a shared machine it is the steadier measure. Methods take turns
within each round, in a rotating order, so load from elsewhere hits all of them
alike and their ratios stay fair.
"""

from __future__ import annotations

import gc
import math
import time
from typing import Callable, Mapping

import numpy as np
import torch

Runner = Callable[[], object]


def synchronizer(device: torch.device) -> Callable[[], None]:
    """Returns a function that waits for the device's queued work: ``torch.cuda.synchronize`` on CUDA, nothing on CPU."""
    if device.type == "cuda":
        return lambda: torch.cuda.synchronize(device)
    return lambda: None


def sample(run: Runner, number: int, sync: Callable[[], None]) -> tuple[float, float]:
    """Returns the wall time and the process CPU time of one call, averaged over ``number`` calls, in seconds."""
    gc_was_on = gc.isenabled()
    gc.disable()
    try:
        sync()
        wall, cpu = time.perf_counter(), time.process_time()
        for _ in range(number):
            run()
        sync()
        return (time.perf_counter() - wall) / number, (time.process_time() - cpu) / number
    finally:
        if gc_was_on:
            gc.enable()


def calls_per_sample(run: Runner, warmup: int, min_sample_s: float, sync: Callable[[], None]) -> int:
    """Returns how many calls one sample needs to last ``min_sample_s``, after ``warmup`` untimed calls."""
    for _ in range(max(warmup, 0)):
        run()
    one_call, _ = sample(run, 1, sync)
    return max(1, math.ceil(min_sample_s / max(one_call, 1e-7)))


def summarize(times: list[float]) -> dict:
    """Returns the median, quartiles, extremes and raw samples of per-call times, in seconds, to 4 significant digits."""
    q1, median, q3 = np.percentile(times, [25, 50, 75])
    stats = {"median_s": median, "q1_s": q1, "q3_s": q3, "min_s": min(times), "max_s": max(times)}
    return {**{key: _digits4(value) for key, value in stats.items()}, "times_s": [_digits4(t) for t in times]}


def _digits4(seconds: float) -> float:
    """Returns ``seconds`` rounded to 4 significant digits: the timings are not steadier than that."""
    return float(f"{seconds:.4g}")


def measure(runners: Mapping[str, Runner], *, repeats: int, warmup: int, min_sample_s: float,
            device: torch.device) -> dict[str, dict]:
    """Returns, for each method, the wall-clock summary of ``repeats`` samples, with the CPU-time summary under ``cpu``."""
    sync = synchronizer(device)
    numbers = {name: calls_per_sample(run, warmup, min_sample_s, sync) for name, run in runners.items()}
    names = list(runners)
    wall: dict[str, list[float]] = {name: [] for name in names}
    cpu: dict[str, list[float]] = {name: [] for name in names}
    for round_ in range(repeats):
        shift = round_ % len(names)
        for name in names[shift:] + names[:shift]:  # a rotating order: nobody always goes first
            wall_s, cpu_s = sample(runners[name], numbers[name], sync)
            wall[name].append(wall_s)
            cpu[name].append(cpu_s)
    return {name: {**summarize(wall[name]), "cpu": summarize(cpu[name]), "calls_per_sample": numbers[name]}
            for name in names}


def headline(record: dict, clock: str) -> dict:
    """Returns the summary a record holds for ``clock``: ``wall`` (the record itself) or ``cpu``."""
    return record["cpu"] if clock == "cpu" else record
