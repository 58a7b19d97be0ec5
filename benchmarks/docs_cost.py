"""Measures what checking docs/ costs over the bare start-up of torch, sybil and pytest.

Run from the repository root:  python -m benchmarks.docs_cost  (or ``make docs-cost``).

Four commands run in turns, round by round, so load from other processes hits
them alike: the bare imports, the bare imports plus a first torch.optim optimizer
(which imports torch._dynamo), pytest collecting docs/ without running it, and the
full Sybil run over docs/ (the command ``make test-docs`` runs). Reported: the
median of each, the ratio full / bare (the target is at most 1.3), how much of the
rest is the optimizer's import, and the split of the rest into a fixed part
(plugins, collection) and a cost per example.
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import time

# Keep in step with the Makefile's test-docs target.
DOCS_PYTEST_ARGS = [
    "-m", "pytest", "-q", "--disable-plugin-autoload", "-p", "no:logging", "-p", "no:unraisableexception", "docs", "lstm_explained",
]
BARE = ["-c", "import torch, sybil, pytest"]
# The same, plus what the first torch.optim optimizer loads: its zero_grad() and step() import torch._dynamo,
# PyTorch's compiler stack (about 2 s here). The pages' training loops use torch.optim, as readers' code does.
BARE_OPTIM = ["-c", "import torch, sybil, pytest; torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.1).zero_grad()"]


def timed(command: list[str]) -> tuple[float, str]:
    """Returns the wall time of one run of ``command`` and what it printed; raises if it fails."""
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed ({done.returncode}):\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
    return elapsed, done.stdout


def count_examples() -> int:
    """Returns how many examples Sybil collects from the pages under docs/."""
    from pathlib import Path

    sys.path.insert(0, str(Path.cwd()))
    from docs_tools.collect import markdown_pages

    return sum(len(list(markdown_pages.parse(page).examples())) for page in Path("docs").rglob("*.md"))


def main(argv: list[str] | None = None) -> int:
    """Returns the exit code: 0, or 1 when --max-ratio is given and exceeded."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.docs_cost", description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=3, help="runs of each command; medians are reported (default 3)")
    parser.add_argument("--max-ratio", type=float, default=None, help="exit 1 if full / bare exceeds this")
    args = parser.parse_args(argv)
    if args.repeats < 1:
        parser.error("--repeats must be at least 1")
    python = sys.executable
    commands = {
        "bare": [python, *BARE],
        "optim": [python, *BARE_OPTIM],
        "collect": [python, *DOCS_PYTEST_ARGS, "--collect-only"],
        "full": [python, *DOCS_PYTEST_ARGS],
    }
    times: dict[str, list[float]] = {name: [] for name in commands}
    output = ""
    for round_ in range(args.repeats):
        for name, command in commands.items():
            elapsed, printed = timed(command)
            times[name].append(elapsed)
            if name == "full":
                output = printed
        print(f"round {round_ + 1}/{args.repeats}: " + ", ".join(f"{n} {t[-1]:.2f} s" for n, t in times.items()),
              file=sys.stderr, flush=True)
    median = {name: statistics.median(values) for name, values in times.items()}
    pages = re.search(r"(\d+) passed", output)
    examples = count_examples()
    ratio = median["full"] / median["bare"]
    print(f"bare  `python -c \"import torch, sybil, pytest\"`  {median['bare']:.2f} s (median of {args.repeats})")
    print(f"docs  `python {' '.join(DOCS_PYTEST_ARGS)}`  {median['full']:.2f} s, "
          f"{pages.group(1) if pages else '?'} pages, {examples} examples")
    print(f"ratio docs / bare: {ratio:.2f} (target <= 1.3)")
    print(f"  of which the first optimizer's import of torch._dynamo: {median['optim'] - median['bare']:+.2f} s; "
          f"ratio docs / (bare + that import): {median['full'] / median['optim']:.2f}")
    print(f"  fixed (plugins, collection): {median['collect'] - median['bare']:+.2f} s")
    if examples:
        per_example = (median["full"] - median["collect"]) / examples
        print(f"  running the examples: {median['full'] - median['collect']:.2f} s, {per_example * 1000:.1f} ms per example")
    return 1 if args.max_ratio is not None and ratio > args.max_ratio else 0


if __name__ == "__main__":
    sys.exit(main())
