"""Interleaved timing: every method of one configuration measured round by round, side by side.

Each sample is ``torch.utils.benchmark.Timer.timeit(number)``: it pins the thread
count, switches the garbage collector off while timing, and synchronizes the
accelerator (``torch.cuda.synchronize`` on a GPU) before it reads the clock at
each end, so queued GPU work is inside the measurement. Methods take turns within
each round, in a rotating order, so a burst of load from other processes hits all
of them alike and their ratios stay fair.
"""

from __future__ import annotations

import math
import time
from typing import Callable, Mapping

import numpy as np
import torch
from torch.utils.benchmark import Timer


def calls_per_sample(run: Callable[[], object], warmup: int, min_sample_s: float) -> int:
    """Returns how many calls one sample needs to last ``min_sample_s``, after ``warmup`` untimed calls."""
    for _ in range(max(warmup, 0)):
        run()
    if torch.cuda.is_available():
        torch.cuda.synchronize()
    start = time.perf_counter()
    run()  # one more call, timed roughly, to size the samples
    if torch.cuda.is_available():
        torch.cuda.synchronize()
    one_call = max(time.perf_counter() - start, 1e-7)
    return max(1, math.ceil(min_sample_s / one_call))


def summarize(times: list[float]) -> dict:
    """Returns the median, quartiles, extremes and raw samples of per-call times, in seconds."""
    q1, median, q3 = np.percentile(times, [25, 50, 75])
    return {
        "median_s": float(median),
        "q1_s": float(q1),
        "q3_s": float(q3),
        "min_s": float(min(times)),
        "max_s": float(max(times)),
        "times_s": [float(f"{t:.4g}") for t in times],
    }


def measure(runners: Mapping[str, Callable[[], object]], *, repeats: int, warmup: int, min_sample_s: float,
            threads: int) -> dict[str, dict]:
    """Returns, for each method, the summary of ``repeats`` samples of its time per call."""
    numbers = {name: calls_per_sample(run, warmup, min_sample_s) for name, run in runners.items()}
    timers = {name: Timer(stmt="run()", globals={"run": run}, num_threads=threads) for name, run in runners.items()}
    names = list(runners)
    times: dict[str, list[float]] = {name: [] for name in names}
    for round_ in range(repeats):
        shift = round_ % len(names)
        for name in names[shift:] + names[:shift]:  # a rotating order: nobody always goes first
            times[name].append(timers[name].timeit(numbers[name]).times[0])  # seconds per call
    return {name: {**summarize(times[name]), "calls_per_sample": numbers[name]} for name in names}
