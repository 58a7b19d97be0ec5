"""What ``watch`` costs: a model's forward time with and without it, side by side in one run.

Run from the repository root:  python -m benchmarks.watch_cost  (``make bench`` runs it too).

Three copies of one model, with the same weights, are timed in turns (``benchmarks.timing``):
``plain`` has never been watched; ``watched`` runs inside a ``watch`` block entered once, so
every call goes through its hooks; ``exited`` was watched in a block that has ended, so its hooks
are gone. The ratios to ``plain`` are read on the CPU clock (steadier on a shared machine) and
written, with the machine, to ``docs/performance/watch/cpu.json``, which the Performance page reads.
"""

from __future__ import annotations

import argparse
import copy
import json
import sys
from pathlib import Path

import torch
from torch import nn

from lstm_explained import watch

from .machine import describe
from .timing import headline, measure

OUT = Path("docs/performance/watch/cpu.json")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Returns the options: the model's and batch's sizes, and how long to measure."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.watch_cost", description=__doc__.split("\n\n")[0])
    parser.add_argument("--hidden-size", type=int, default=256, help="input and hidden size of the LSTM (default: 256)")
    parser.add_argument("--num-layers", type=int, default=2, help="layers of the LSTM (default: 2)")
    parser.add_argument("--batch", type=int, default=32, help="sequences per batch, N (default: 32)")
    parser.add_argument("--seq-len", type=int, default=100, help="time steps, L (default: 100)")
    parser.add_argument("--repeats", type=int, default=21, help="timed samples of each copy (default: 21)")
    parser.add_argument("--min-sample-s", type=float, default=0.2, help="shortest sample, in seconds (default: 0.2)")
    parser.add_argument("--threads", type=int, default=1, help="torch intra-op threads (default: 1)")
    parser.add_argument("--out", type=Path, default=OUT, help=f"the results file (default: {OUT})")
    return parser.parse_args(argv)


def run(args: argparse.Namespace) -> dict:
    """Returns the results document: settings, machine, each copy's timings and the ratios to ``plain``."""
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    plain = nn.LSTM(args.hidden_size, args.hidden_size, num_layers=args.num_layers, batch_first=True).eval()
    watched, exited = copy.deepcopy(plain), copy.deepcopy(plain)
    x = torch.randn(args.batch, args.seq_len, args.hidden_size)  # (N, L, H_in)
    with watch(exited, on="collect"):
        exited(x)
    with torch.no_grad(), watch(watched, batch_size=args.batch, on="collect") as w:
        runners = {"plain": lambda: plain(x), "watched": lambda: watched(x), "exited": lambda: exited(x)}
        results = measure(runners, repeats=args.repeats, warmup=3, min_sample_s=args.min_sample_s, device=torch.device("cpu"))
    assert not w.findings, f"the benchmark's call should be sound: {w.findings}"
    median = {name: headline(record, "cpu")["median_s"] for name, record in results.items()}
    return {
        **describe(torch.device("cpu"), args.threads),
        "settings": {key: getattr(args, key) for key in ("hidden_size", "num_layers", "batch", "seq_len", "repeats", "min_sample_s")}
        | {"clock": "cpu"},
        "results": results,
        "ratios": {name: round(median[name] / median["plain"], 3) for name in ("watched", "exited")},
    }


def main(argv: list[str] | None = None) -> int:
    """Returns the exit status after measuring and writing the results file."""
    args = parse_args(argv)
    print(f"timing nn.LSTM({args.hidden_size}, {args.hidden_size}, num_layers={args.num_layers}) on "
          f"({args.batch}, {args.seq_len}, {args.hidden_size}), with and without watch ...", file=sys.stderr, flush=True)
    document = run(args)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(document, indent=1) + "\n")
    ratios = document["ratios"]
    print(f"watched {ratios['watched']:.3f}x, after the block {ratios['exited']:.3f}x the unwatched time; wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
