"""MkDocs hook: whether each GPU-only statement of the pages has been executed on a GPU, and the Performance page's GPU rows.

This site's checks run on a CPU. A statement that only a GPU can show sits beside a marker,
``<!-- gpu-claim: ID -->``; ``make gpu-check`` (docs_tools/gpu_check.py) executes each on a CUDA
device and writes ``docs/performance/gpu-check.json``. Here each marker becomes a line saying on
what the statement was executed and whether it held, or that it has not been yet; and
``<!-- gpu-benchmark -->`` becomes the GPU rows of the benchmark, from ``docs/performance/cuda.json``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

MARKER = re.compile(r"<!-- gpu-claim: (?P<id>[a-z0-9-]+) -->")
BENCH_MARKER = "<!-- gpu-benchmark -->"
CHECK_RESULTS = "performance/gpu-check.json"  # under docs/: written by make gpu-check
BENCH_RESULTS = "performance/cuda.json"  # under docs/: written by the benchmark on a GPU


def status_line(claim_id: str, results_path: Path) -> str:
    """Returns the sentence the page shows beside a claim: executed on which GPU, and the outcome, or not yet."""
    results = json.loads(results_path.read_text(encoding="utf-8")) if results_path.exists() else None
    entry = next((c for c in results["claims"] if c["id"] == claim_id), None) if results else None
    if entry is None:
        return "*GPU check: not yet executed on a GPU. `make gpu-check` runs it on a CUDA machine.*"
    env = results["environment"]
    on = f"{env['gpu']}, torch {env['torch']}, CUDA {env['cuda']}, cuDNN {env['cudnn']}, {results['date'][:10]}"
    outcome = "confirmed" if entry["holds"] else f"**contradicted**: {entry['observed']}"
    return f"*GPU check: executed on {on}: {outcome}.*"


def benchmark_rows(results_path: Path) -> str:
    """Returns the Performance page's GPU rows as a Markdown table, from the GPU run's results, or says there is none yet."""
    if not results_path.exists():
        return ("No GPU measurement is published yet: this page shows GPU results only from a real run, with the GPU "
                "named. `make gpu-check` runs the sweep on a CUDA machine and writes `docs/performance/cuda.json`.")
    results = json.loads(results_path.read_text(encoding="utf-8"))
    base = results["baseline"]
    rows: dict[int, dict[str, float]] = {}
    for r in results["results"]:
        if all(r[k] == base[k] for k in ("batch", "hidden", "layers")):
            rows.setdefault(r["seq_len"], {})[r["method"]] = r["median_s"]  # wall clock: the GPU's work is not the CPU's
    lines = [
        f"Measured on {results['device']['name']} with torch {results['torch']['version']}, {results['date'][:10]}: "
        f"`nn.LSTM(64, {base['hidden']})`, a batch of {base['batch']}, median wall-clock time per call.",
        "",
        "| `L` | bulk | loop | loop / bulk |",
        "| ---: | ---: | ---: | ---: |",
    ]
    for seq_len, times in sorted(rows.items()):
        if "bulk" in times and "loop" in times:
            bulk, loop = times["bulk"], times["loop"]
            lines.append(f"| {seq_len} | {bulk * 1e3:.3f} ms | {loop * 1e3:.3f} ms | {loop / bulk:.1f}× |")
    if results_path.with_suffix(".svg").exists():
        lines += ["", f"![The benchmark on {results['device']['name']}: time per call of each method]({results_path.stem}.svg)"]
    return "\n".join(lines)


def show_gpu_claims(markdown: str, docs_dir: Path) -> str:
    """Returns the page's Markdown with each claim's marker replaced by its status line, and the GPU rows filled in."""
    markdown = markdown.replace(BENCH_MARKER, benchmark_rows(docs_dir / BENCH_RESULTS))
    return MARKER.sub(lambda m: status_line(m["id"], docs_dir / CHECK_RESULTS), markdown)


def on_page_markdown(markdown: str, config, **kwargs) -> str:
    """Returns the page's Markdown with its GPU claims marked and, on the Performance page, the GPU rows."""
    return show_gpu_claims(markdown, Path(config["docs_dir"]))
