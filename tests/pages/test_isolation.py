"""Pages do not leak state: after each page, torch's global settings are what every page starts from."""

from __future__ import annotations

import os
import warnings
from pathlib import Path

import pytest
import torch

from docs_tools.runtime import reset_runtime
from docs_tools.collect import run_page

DOCS = Path(__file__).resolve().parents[2] / "docs"
PAGES = sorted(DOCS.rglob("*.md"))


def global_state() -> dict:
    """Returns the process-wide settings a page could change and a later page would see."""
    state = {
        "threads": torch.get_num_threads(),
        "default dtype": torch.get_default_dtype(),
        "grad enabled": torch.is_grad_enabled(),
        "print options": dict(vars(torch._tensor_str.PRINT_OPTS)),
        "deterministic algorithms": torch.are_deterministic_algorithms_enabled(),
        "anomaly detection": torch.is_anomaly_enabled(),
        "oneDNN enabled": torch.backends.mkldnn.enabled,
        "float32 matmul precision": torch.get_float32_matmul_precision(),
        "random state": torch.get_rng_state(),
        "environment": dict(os.environ),
        "working directory": os.getcwd(),
        "warning filters": list(warnings.filters),
    }
    if hasattr(torch, "get_default_device"):  # torch >= 2.3
        state["default device"] = torch.get_default_device()
    return state


def test_no_page_leaks_state_into_the_next():
    # A first pass pays for torch's one-time lazy imports (e.g. torch._dynamo and sympy, which add
    # warning filters and environment variables): side effects of torch's, not of a page's.
    for page in PAGES:
        run_page(page)
    with warnings.catch_warnings():
        reset_runtime()
        before = global_state()
        for page in reversed(PAGES):  # the reverse of the order a reader takes
            assert run_page(page).failures == []
            after = global_state()
            for key in before:
                if key == "random state":
                    assert torch.equal(after[key], before[key]), f"{page.name} leaks {key}"
                else:
                    assert after[key] == before[key], f"{page.name} leaks {key}"


def test_the_check_sees_a_leak(tmp_path):
    """A page that changes a global setting without restoring it is caught."""
    page = tmp_path / "leaky.md"
    page.write_text("```python\n>>> import torch\n>>> torch.backends.mkldnn.enabled = False\n```\n")
    reset_runtime()
    before = global_state()
    try:
        run_page(page)
        assert global_state()["oneDNN enabled"] != before["oneDNN enabled"]
    finally:
        torch.backends.mkldnn.enabled = before["oneDNN enabled"]


@pytest.mark.parametrize("threads", ["1", "2"])
def test_the_thread_count_comes_from_the_environment(monkeypatch, threads):
    monkeypatch.setenv("LSTM_EXPLAINED_THREADS", threads)
    reset_runtime()
    assert torch.get_num_threads() == int(threads)
    monkeypatch.delenv("LSTM_EXPLAINED_THREADS")
    reset_runtime()
    assert torch.get_num_threads() == 1
