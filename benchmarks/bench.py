"""Times bulk mode against loop mode (and two other ways to run an LSTM) and writes the results.

Run from the repository root:  python -m benchmarks.bench  (or ``make bench``).

The sweep varies one thing at a time around a baseline: the sequence length L over
the whole range, then the batch size, the hidden size and the number of layers at
one fixed length. Every method of a configuration is timed in the same run, round
by round, so their ratios are fair. Forward passes only, under ``torch.no_grad()``.
Results go to JSON (with the machine, torch version and thread count) and an SVG
plot is drawn from it.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import torch
from torch import nn

from . import methods
from .machine import describe
from .timing import headline, measure

SCHEMA_VERSION = 1
RESULTS_DIR = Path("docs/performance")


@dataclass(frozen=True)
class Config:
    """One LSTM and input to time: ``nn.LSTM(input_size, hidden, layers)`` on ``(seq_len, batch, input_size)``."""

    seq_len: int
    batch: int
    hidden: int
    layers: int
    input_size: int

    def label(self) -> str:
        """Returns a short human-readable name, e.g. ``L=512 N=8 H=128 layers=1``."""
        return f"L={self.seq_len} N={self.batch} H={self.hidden} layers={self.layers}"


def sweep(args: argparse.Namespace) -> list[Config]:
    """Returns the configurations to time: L over its range, then N, H and layers one at a time at ``--at-seq-len``."""
    base = dict(batch=args.batch, hidden=args.hidden, layers=args.num_layers, input_size=args.input_size)
    configs = [Config(seq_len=length, **base) for length in args.seq_lens]
    at = dict(base, seq_len=args.at_seq_len)
    configs += [Config(**dict(at, batch=n)) for n in args.batch_sizes]
    configs += [Config(**dict(at, hidden=h)) for h in args.hidden_sizes]
    configs += [Config(**dict(at, layers=k)) for k in args.layer_counts]
    return list(dict.fromkeys(configs))  # the baseline appears in every sweep: time it once


def runners_for(config: Config, device: torch.device, names: list[str]) -> dict:
    """Returns a runner per method for one configuration, on one seeded LSTM and input."""
    torch.manual_seed(0)
    lstm = nn.LSTM(config.input_size, config.hidden, config.layers).to(device).eval()
    x = torch.randn(config.seq_len, config.batch, config.input_size, device=device)  # (L, N, H_in)
    return {name: methods.BUILDERS[name](lstm, x) for name in names}


def positive_ints(text: str) -> list[int]:
    """Returns the integers of a comma- or space-separated list, all > 0 (an argparse type)."""
    try:
        values = [int(v) for v in text.replace(",", " ").split()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected whole numbers separated by commas, got {text!r}") from None
    if not values or any(v <= 0 for v in values):
        raise argparse.ArgumentTypeError(f"expected positive whole numbers, got {text!r}")
    return values


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Returns the command-line options, with the defaults of the committed sweep."""
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.bench",
        description=__doc__.split("\n\n")[0],
        epilog="Example, a sweep of a few seconds: python -m benchmarks.bench --quick",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    parser.add_argument("--device", choices=["cpu", "cuda"], default="cpu",
                        help="where to run; cuda uses the cuDNN kernels and names the GPU in the results")
    parser.add_argument("--seq-lens", type=positive_ints, default=[1, 4, 16, 64, 256, 512, 1024],
                        help="sequence lengths L of the first sweep")
    parser.add_argument("--at-seq-len", type=int, default=512, help="L for the batch, hidden and layer sweeps")
    parser.add_argument("--batch-sizes", type=positive_ints, default=[1, 8, 64], help="batch sizes N to sweep")
    parser.add_argument("--hidden-sizes", type=positive_ints, default=[32, 128, 512], help="hidden sizes H to sweep")
    parser.add_argument("--layer-counts", type=positive_ints, default=[1, 2, 4], help="num_layers values to sweep")
    parser.add_argument("--batch", type=int, default=8, help="baseline batch size N")
    parser.add_argument("--hidden", type=int, default=128, help="baseline hidden size H")
    parser.add_argument("--num-layers", type=int, default=1, help="baseline num_layers")
    parser.add_argument("--input-size", type=int, default=64, help="input size H_in (fixed)")
    parser.add_argument("--methods", type=lambda s: s.replace(",", " ").split(), default=list(methods.METHODS),
                        help=f"methods to time, from: {', '.join(methods.METHODS)}")
    parser.add_argument("--repeats", type=int, default=9, help="timed samples per method (median and spread over these)")
    parser.add_argument("--warmup", type=int, default=2, help="untimed calls per method before timing")
    parser.add_argument("--min-sample-ms", type=float, default=10.0,
                        help="fast calls are repeated so one sample lasts at least this long")
    parser.add_argument("--threads", type=int, default=1, help="torch intra-op threads (pinned for the whole run)")
    parser.add_argument("--output", type=Path, default=None,
                        help="JSON to write (default: docs/performance/<device>.json; nothing with --quick)")
    parser.add_argument("--no-plot", action="store_true", help="do not draw the SVG beside the JSON")
    parser.add_argument("--quick", action="store_true",
                        help="a tiny sweep (L in 1,16,128; one size each; 3 repeats) to try the script")
    args = parser.parse_args(argv)
    if args.quick:
        args.seq_lens, args.at_seq_len = [1, 16, 128], 128
        args.batch_sizes, args.hidden_sizes, args.layer_counts = [args.batch], [args.hidden], [args.num_layers]
        args.repeats = min(args.repeats, 3)
    unknown = sorted(set(args.methods) - set(methods.METHODS))
    if unknown:
        parser.error(f"unknown method(s) {', '.join(unknown)}; choose from {', '.join(methods.METHODS)}")
    for name in ("at_seq_len", "batch", "hidden", "num_layers", "input_size", "repeats", "threads"):
        if getattr(args, name) <= 0:
            parser.error(f"--{name.replace('_', '-')} must be a positive whole number")
    if args.device == "cuda" and not torch.cuda.is_available():
        parser.error(f"--device cuda: no CUDA device is available to torch {torch.__version__}")
    if args.output is None and not args.quick:
        args.output = RESULTS_DIR / f"{args.device}.json"
    return args


def format_seconds(seconds: float) -> str:
    """Returns a time with a unit that keeps 3 significant digits, e.g. ``412 µs`` or ``23.1 ms``."""
    for unit, scale in (("s", 1.0), ("ms", 1e-3), ("µs", 1e-6)):
        if seconds >= scale or unit == "µs":
            return f"{seconds / scale:.3g} {unit}"
    raise AssertionError("unreachable")


def run(args: argparse.Namespace) -> dict:
    """Returns the results document: settings, machine description and one record per method and configuration."""
    device = torch.device(args.device)
    torch.set_num_threads(args.threads)  # pinned for the whole run, and recorded
    configs = sweep(args)
    document = {"schema": SCHEMA_VERSION, **describe(device, args.threads)}
    document["settings"] = {
        "grad": False, "dtype": "float32", "layout": "(L, N, H_in), batch_first=False",
        "repeats": args.repeats, "warmup": args.warmup, "min_sample_s": args.min_sample_ms / 1000,
        "timer": "time.perf_counter (wall) and time.process_time (cpu) around each sample, gc off; "
                 "methods interleaved round by round",
        # The clock the page and the plot read: CPU time on a CPU (steady on a shared machine), wall time on a GPU.
        "clock": "cpu" if device.type == "cpu" else "wall",
        "load_average_start": list(os.getloadavg()) if hasattr(os, "getloadavg") else None,
    }
    document["baseline"] = {"seq_len": args.at_seq_len, "batch": args.batch, "hidden": args.hidden,
                            "layers": args.num_layers, "input_size": args.input_size}
    document["methods"] = {name: methods.DESCRIPTIONS[name] for name in args.methods}
    document["results"] = []
    started = time.perf_counter()
    for index, config in enumerate(configs, 1):
        with torch.no_grad():
            stats = measure(runners_for(config, device, args.methods), repeats=args.repeats, warmup=args.warmup,
                            min_sample_s=args.min_sample_ms / 1000, device=device)
        for name, summary in stats.items():
            document["results"].append({"method": name, **asdict(config), **summary})
        clock = document["settings"]["clock"]
        medians = ", ".join(f"{name} {format_seconds(headline(s, clock)['median_s'])}" for name, s in stats.items())
        width = len(str(len(configs)))
        print(f"[{index:>{width}}/{len(configs)}] {config.label():<30} {medians}  ({time.perf_counter() - started:.0f} s)",
              file=sys.stderr, flush=True)
    document["settings"]["load_average_end"] = list(os.getloadavg()) if hasattr(os, "getloadavg") else None
    document["settings"]["wall_s"] = round(time.perf_counter() - started, 1)
    return document


def median_of(document: dict, method: str, **where) -> float:
    """Returns the median time per call (on the document's clock) of ``method`` at the baseline changed by ``where``."""
    baseline = {k: v for k, v in document["baseline"].items()}
    wanted = dict(baseline, **where)
    matches = [r for r in document["results"] if r["method"] == method and all(r[k] == v for k, v in wanted.items())]
    if len(matches) != 1:
        raise KeyError(f"{len(matches)} results for {method} at {wanted}")
    return headline(matches[0], document["settings"]["clock"])["median_s"]


def print_summary(document: dict) -> None:
    """Prints each method's time relative to bulk mode at the baseline configuration."""
    base = document["baseline"]
    print(f"{document['settings']['clock']} time, at L={base['seq_len']} N={base['batch']} H={base['hidden']} layers={base['layers']} "
          f"({document['device']['name']}, {document['torch']['num_threads']} thread(s), torch {document['torch']['version']}):")
    bulk = median_of(document, "bulk") if "bulk" in document["methods"] else math.nan
    for name in document["methods"]:
        median = median_of(document, name)
        clock = document["settings"]["clock"]
        row = next(headline(r, clock) for r in document["results"] if r["method"] == name and headline(r, clock)["median_s"] == median)
        spread = (row["q3_s"] - row["q1_s"]) / median
        print(f"  {name:<10} {format_seconds(median):>9} per call   {median / bulk:5.1f}x bulk   "
              f"IQR {spread:4.0%} of the median{'  (noisy: other load on the machine?)' if spread > 0.2 else ''}")


def to_json(document: dict) -> str:
    """Returns the document as JSON text: indented, with one line per result so that reruns diff line by line."""
    head = json.dumps({k: v for k, v in document.items() if k != "results"}, indent=1, ensure_ascii=False)
    rows = ",\n".join("  " + json.dumps(record, ensure_ascii=False) for record in document["results"])
    return f'{head[:-2]},\n "results": [\n{rows}\n ]\n}}\n'


def main(argv: list[str] | None = None) -> int:
    """Returns the exit code after running the sweep and writing the JSON and the plot."""
    args = parse_args(argv)
    document = run(args)
    try:
        print_summary(document)
    except KeyError:
        pass  # a sweep without the baseline configuration: nothing to summarize
    if args.output is None:
        print("(--quick: results not written; pass --output PATH to keep them)")
        return 0
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(to_json(document))
    print(f"wrote {args.output}")
    if not args.no_plot:
        from .plot import draw

        svg = args.output.with_suffix(".svg")
        draw(document, svg)
        print(f"wrote {svg}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
