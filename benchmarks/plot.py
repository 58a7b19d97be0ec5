"""Draws the Performance page's SVG from a results JSON: ``python -m benchmarks.plot RESULTS.json``."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import matplotlib

matplotlib.use("svg")
import matplotlib.pyplot as plt  # noqa: E402  (after choosing the backend)

from .timing import headline  # noqa: E402

COLORS = {"bulk": "#1f77b4", "loop": "#d62728", "cell": "#ff7f0e", "reference": "#7f7f7f"}
SWEEPS = (("batch", "N"), ("hidden", "H"), ("layers", "layers "))


def _rows(document: dict, method: str, **where) -> list[dict]:
    """Returns the records of ``method`` that match ``where``, sorted by sequence length."""
    rows = [r for r in document["results"] if r["method"] == method and all(r[k] == v for k, v in where.items())]
    return sorted(rows, key=lambda r: r["seq_len"])


def draw(document: dict, path: Path) -> None:
    """Returns nothing; writes a two-panel SVG: time against L, and each method's time over bulk's."""
    plt.rcParams.update({"svg.fonttype": "none", "svg.hashsalt": "lstm-explained", "font.size": 9})
    base = document["baseline"]
    clock = document["settings"]["clock"]
    fixed = {k: base[k] for k in ("batch", "hidden", "layers", "input_size")}
    fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3.6), width_ratios=(1, 1.25), layout="constrained")
    fig.set_facecolor("white")

    for method in document["methods"]:
        rows = [headline(r, clock) | {"seq_len": r["seq_len"]} for r in _rows(document, method, **fixed)]
        lengths = [r["seq_len"] for r in rows]
        medians = [r["median_s"] * 1e3 for r in rows]
        spread = [[(r["median_s"] - r["q1_s"]) * 1e3 for r in rows], [(r["q3_s"] - r["median_s"]) * 1e3 for r in rows]]
        left.errorbar(lengths, medians, yerr=spread, marker="o", markersize=3, capsize=2,
                      color=COLORS.get(method), label=method)
    clock_name = "CPU" if clock == "cpu" else "wall-clock"
    left.set(xscale="log", yscale="log", xlabel="sequence length L", ylabel=f"median {clock_name} time per call (ms)",
             title=f"N={base['batch']}, H={base['hidden']}, layers={base['layers']}")
    left.minorticks_off()  # fewer marks, a smaller file
    left.grid(True, alpha=0.3)
    left.legend(frameon=False)

    slower = [m for m in document["methods"] if m != "bulk"]
    labels, ratios = [], {m: [] for m in slower}
    at = dict(fixed, seq_len=base["seq_len"])
    for key, prefix in SWEEPS:
        values = sorted({r[key] for r in document["results"] if all(r[k] == v for k, v in at.items() if k != key)})
        for value in values:
            where = dict(at, **{key: value})
            bulk = _rows(document, "bulk", **where)
            if not bulk:
                continue
            labels.append(f"{prefix}={value}" if prefix != "layers " else f"{value} layer{'s' * (value > 1)}")
            for method in slower:
                rows = _rows(document, method, **where)
                ratios[method].append(headline(rows[0], clock)["median_s"] / headline(bulk[0], clock)["median_s"]
                                      if rows else float("nan"))
    width = 0.8 / max(len(slower), 1)
    for i, method in enumerate(slower):
        positions = [x + (i - (len(slower) - 1) / 2) * width for x in range(len(labels))]
        right.bar(positions, ratios[method], width, color=COLORS.get(method), label=method)
    right.axhline(1, color=COLORS["bulk"], linewidth=1)
    right.set_xticks(range(len(labels)), labels, rotation=30, ha="right")
    right.set(ylabel="time ÷ bulk's time (bulk = 1, blue line)", title=f"at L={base['seq_len']}, one change from the left panel's setting")
    right.grid(True, axis="y", alpha=0.3)

    device = document["device"]
    fig.suptitle(f"{device['name']} · {document['torch']['num_threads']} thread(s) · torch {document['torch']['version']}"
                 f" · {document['date'][:10]}", fontsize=9)
    fig.savefig(path, format="svg", metadata={"Date": None})
    plt.close(fig)


def main(argv: list[str] | None = None) -> int:
    """Returns the exit code after drawing ``RESULTS.svg`` beside each ``RESULTS.json`` given."""
    paths = [Path(p) for p in (sys.argv[1:] if argv is None else argv)]
    if not paths or any(p in ("-h", "--help") for p in map(str, paths)):
        print(__doc__)
        return 0 if paths else 2
    for path in paths:
        draw(json.loads(path.read_text()), path.with_suffix(".svg"))
        print(f"wrote {path.with_suffix('.svg')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
