"""The benchmark behind the Performance page: fair methods, and results with the schema the page reads.

Nothing here is timed: a slow machine fails no test.
"""

from __future__ import annotations

import json
import math
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import torch
from torch import nn

from benchmarks import bench, methods, watch_cost
from docs_tools.hooks.gpu_claims import show_gpu_claims

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "docs" / "performance"
PAGE = RESULTS / "index.md"

# What docs/performance/index.md reads from cpu.json: the baseline's L sweep and one change at a time.
PAGE_SEQ_LENS = (1, 4, 16, 64, 256, 512, 1024)
PAGE_CHANGES = ({"batch": 1}, {"batch": 64}, {"hidden": 32}, {"hidden": 512}, {"layers": 2}, {"layers": 4})
RECORD_NUMBERS = ("median_s", "q1_s", "q3_s", "min_s", "max_s")
CONFIG_KEYS = ("seq_len", "batch", "hidden", "layers", "input_size")


def check_schema(document: dict) -> None:
    """Returns nothing; raises AssertionError where ``document`` lacks what the page and the plot read."""
    assert document["schema"] == bench.SCHEMA_VERSION
    assert document["date"][:4].isdigit()
    assert document["machine"]["cpu"] and document["machine"]["cores"] >= 1
    assert document["torch"]["version"] and document["torch"]["num_threads"] >= 1
    assert document["device"]["type"] in ("cpu", "cuda") and document["device"]["name"]
    assert document["settings"]["repeats"] >= 1 and document["settings"]["grad"] is False
    assert document["settings"]["clock"] == ("cpu" if document["device"]["type"] == "cpu" else "wall")
    assert set(document["baseline"]) == set(CONFIG_KEYS)
    assert set(document["methods"]) <= set(methods.METHODS) and "bulk" in document["methods"]
    seen = set()
    for record in document["results"]:
        assert record["method"] in document["methods"]
        assert all(isinstance(record[key], int) and record[key] > 0 for key in CONFIG_KEYS)
        for summary in (record, record["cpu"]):  # wall clock, and the process's CPU time
            numbers = [summary[key] for key in RECORD_NUMBERS]
            assert all(isinstance(n, float) and math.isfinite(n) and n >= 0 for n in numbers), record
            assert summary["min_s"] <= summary["q1_s"] <= summary["median_s"] <= summary["q3_s"] <= summary["max_s"]
            assert len(summary["times_s"]) == document["settings"]["repeats"]
        assert record["median_s"] > 0
        key = (record["method"], *(record[k] for k in CONFIG_KEYS))
        assert key not in seen, f"two results for {key}"
        seen.add(key)


@pytest.mark.parametrize("layers", [1, 2])
def test_every_method_computes_the_same_output(layers):
    """The timings compare like with like: all four methods return bulk mode's output."""
    torch.manual_seed(0)
    lstm = nn.LSTM(3, 4, layers).eval()
    x = torch.randn(5, 2, 3)  # (L, N, H_in)
    with torch.no_grad():
        outputs = {name: build(lstm, x)() for name, build in methods.BUILDERS.items()}
    assert outputs["bulk"].shape == (5, 2, 4)
    for name, output in outputs.items():
        assert torch.allclose(output, outputs["bulk"], atol=1e-6), name


def test_a_tiny_sweep_writes_results_with_the_schema(tmp_path, capsys):
    out = tmp_path / "cpu.json"
    argv = ["--seq-lens", "1,3", "--at-seq-len", "3", "--batch-sizes", "1,2", "--hidden-sizes", "4", "--hidden", "4",
            "--layer-counts", "1,2", "--batch", "2", "--input-size", "3", "--repeats", "2", "--warmup", "0", "--min-sample-ms", "0",
            "--output", str(out), "--no-plot"]
    assert bench.main(argv) == 0
    document = json.loads(out.read_text())
    check_schema(document)
    # L=1 and L=3 at the baseline, then N=1 and layers=2 at L=3 (the baseline appears once): 4 configurations.
    assert len(document["results"]) == 4 * len(methods.METHODS)
    assert document["torch"]["num_threads"] == 1
    assert "x bulk" in capsys.readouterr().out


def test_bad_options_give_a_one_line_error(capsys):
    with pytest.raises(SystemExit) as stop:
        bench.main(["--methods", "bulk,warp"])
    assert stop.value.code == 2
    assert "unknown method(s) warp" in capsys.readouterr().err


def test_help_describes_the_sweep(capsys):
    with pytest.raises(SystemExit) as stop:
        bench.main(["--help"])
    assert stop.value.code == 0
    assert "--seq-lens" in capsys.readouterr().out


def test_committed_cpu_results_hold_everything_the_page_reads():
    document = json.loads((RESULTS / "cpu.json").read_text())
    check_schema(document)
    assert document["device"]["type"] == "cpu"
    assert set(document["methods"]) == set(methods.METHODS)
    for method in methods.METHODS:
        for length in PAGE_SEQ_LENS:
            bench.median_of(document, method, seq_len=length)  # raises KeyError when missing or doubled
        for change in PAGE_CHANGES:
            bench.median_of(document, method, **change)


@pytest.mark.parametrize("results", sorted(RESULTS.glob("*.json")), ids=lambda p: p.name)
def test_each_results_file_has_a_small_plot_drawn_from_it(results):
    document = json.loads(results.read_text())
    check_schema(document)
    svg = results.with_suffix(".svg")
    assert svg.is_file(), f"make bench draws {svg.name} beside {results.name}"
    assert svg.stat().st_size < 100_000
    text = " ".join(el.text or "" for el in ET.parse(svg).iter())
    assert document["device"]["name"] in text and document["torch"]["version"] in text and document["date"][:10] in text


def test_the_page_shows_gpu_results_only_when_measured():
    page = show_gpu_claims(PAGE.read_text(), PAGE.parent.parent)  # as the gpu_claims hook renders it
    gpu = RESULTS / "cuda.json"
    if gpu.exists():
        document = json.loads(gpu.read_text())
        assert document["device"]["type"] == "cuda"
        assert "(cuda.svg)" in page and document["device"]["name"] in page
    else:
        assert "(cuda.svg)" not in page
        assert "No GPU measurement is published yet" in page


def test_the_cost_of_watch_is_measured_side_by_side(tmp_path, capsys):
    out = tmp_path / "watch.json"
    argv = ["--hidden-size", "4", "--num-layers", "1", "--batch", "2", "--seq-len", "3", "--repeats", "2",
            "--min-sample-s", "0", "--out", str(out)]
    assert watch_cost.main(argv) == 0
    document = json.loads(out.read_text())
    assert set(document["results"]) == {"plain", "watched", "exited"} and set(document["ratios"]) == {"watched", "exited"}
    medians = {name: document["results"][name]["cpu"]["median_s"] for name in ("plain", "watched", "exited")}
    assert document["ratios"]["watched"] == round(medians["watched"] / medians["plain"], 3)
    assert "after the block" in capsys.readouterr().out


def test_committed_watch_results_measure_what_the_issue_asks():
    document = json.loads((RESULTS / "watch" / "cpu.json").read_text())
    assert document["settings"] | {"repeats": 0, "min_sample_s": 0} == {
        "hidden_size": 256, "num_layers": 2, "batch": 32, "seq_len": 100, "repeats": 0, "min_sample_s": 0, "clock": "cpu"}
    assert document["device"]["type"] == "cpu" and set(document["ratios"]) == {"watched", "exited"}
