"""make gpu-check: the GPU-only statements of the pages, each with a check, and how the pages show whether it ran."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import torch

from docs_tools import gpu_check
from docs_tools.hooks.gpu_claims import BENCH_MARKER, benchmark_rows, show_gpu_claims, status_line

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(torch.cuda.is_available(), reason="a CUDA device is here: the run would execute the claims")
def test_without_cuda_it_says_so_in_one_line_writes_nothing_and_exits_0(tmp_path):
    before = {p: p.stat().st_mtime_ns for p in (ROOT / "docs" / "performance").rglob("*")}
    done = subprocess.run([sys.executable, "-m", "docs_tools.gpu_check"], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0 and done.stderr == ""
    assert done.stdout.count("\n") == 1 and done.stdout.startswith("gpu-check: no CUDA device here (torch ")
    assert {p: p.stat().st_mtime_ns for p in (ROOT / "docs" / "performance").rglob("*")} == before


def test_every_claim_has_its_marker_on_its_page_and_every_marker_a_claim():
    assert gpu_check.markers() == {claim.id: claim.page for claim in gpu_check.CLAIMS}


def test_a_claim_that_quotes_pytorch_reads_the_words_from_its_page():
    quoted = {claim.id: gpu_check.quoted_lines(claim.page, claim.id) for claim in gpu_check.CLAIMS if claim.quotes}
    assert quoted["device-messages"][2] == (
        "RuntimeError: Input and hidden tensors are not at the same device, found input tensor at cuda:0 and hidden tensor at cpu"
    )
    assert quoted["eval-backward"] == ["RuntimeError: cudnn RNN backward can only be called in training mode"]
    assert quoted["flatten-warning"][0].startswith("UserWarning: RNN module weights are not part of single contiguous chunk")
    with pytest.raises(ValueError, match="no ```text block"):
        gpu_check.quoted_lines("encoder-decoder.md", "contiguous-state")  # it quotes nothing in its section


def test_the_page_says_not_yet_executed_until_a_run_then_on_what_and_the_outcome(tmp_path):
    missing = tmp_path / "none.json"
    assert "not yet executed on a GPU" in status_line("eval-backward", missing)
    results = tmp_path / "gpu-check.json"
    results.write_text(json.dumps({
        "date": "2026-12-06T10:00:00+00:00",
        "environment": {"gpu": "NVIDIA H100", "torch": "2.15.0", "cuda": "13.2", "cudnn": 92600},
        "claims": [{"id": "eval-backward", "holds": True, "observed": "..."},
                   {"id": "contiguous-state", "holds": False, "observed": "expanded state: runs"}],
    }))
    assert status_line("eval-backward", results) == (
        "*GPU check: executed on NVIDIA H100, torch 2.15.0, CUDA 13.2, cuDNN 92600, 2026-12-06: confirmed.*"
    )
    assert status_line("contiguous-state", results).endswith("**contradicted**: expanded state: runs.*")
    assert "not yet executed" in status_line("tf32-tolerance", results)


def test_the_hook_replaces_every_marker():
    page = (ROOT / "docs" / "gpu-runtime-errors.md").read_text(encoding="utf-8")
    shown = show_gpu_claims(page, ROOT / "docs")
    assert "<!-- gpu-claim" not in shown and shown.count("*GPU check: ") == page.count("<!-- gpu-claim: ")
    performance = show_gpu_claims((ROOT / "docs" / "performance" / "index.md").read_text(encoding="utf-8"), ROOT / "docs")
    assert BENCH_MARKER not in performance and benchmark_rows(ROOT / "docs" / "performance" / "cuda.json") in performance


def test_the_gpu_rows_come_from_the_benchmarks_results(tmp_path):
    cpu = json.loads((ROOT / "docs" / "performance" / "cpu.json").read_text())  # the same schema, another device
    path = tmp_path / "cuda.json"
    path.write_text(json.dumps(cpu))
    rows = benchmark_rows(path)
    base = cpu["baseline"]
    seq_lens = sorted({r["seq_len"] for r in cpu["results"] if all(r[k] == base[k] for k in ("batch", "hidden", "layers"))})
    assert rows.count("\n| ") == len(seq_lens) + 2  # the header, its rule, then one row a sequence length
    bulk = next(r for r in cpu["results"] if r["method"] == "bulk" and r["seq_len"] == seq_lens[-1] and r["batch"] == base["batch"]
                and r["hidden"] == base["hidden"] and r["layers"] == base["layers"])
    assert f"| {seq_lens[-1]} | {bulk['median_s'] * 1e3:.3f} ms |" in rows
    assert "No GPU measurement" in benchmark_rows(tmp_path / "absent.json")
