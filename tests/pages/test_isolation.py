"""Pages do not leak state: each page's run compares torch's global settings before and after it.

The docs phase makes that comparison for every page as it runs it (``docs_tools.collect.run_page``);
these tests show that the comparison sees a leak, and that the runtime takes its thread count
from the environment.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from docs_tools.collect import run_page
from docs_tools.runtime import reset_runtime

DOCS = Path(__file__).resolve().parents[2] / "docs"
PAGES = sorted(DOCS.rglob("*.md"))


def test_the_check_sees_a_leak(tmp_path):
    """A page that changes a global setting without restoring it is caught."""
    page = tmp_path / "leaky.md"
    page.write_text("```python\n>>> import torch\n>>> torch.backends.mkldnn.enabled = False\n```\n")
    reset_runtime()
    enabled = torch.backends.mkldnn.enabled
    try:
        assert run_page(page).leaked == ["oneDNN enabled"]
    finally:
        torch.backends.mkldnn.enabled = enabled
    page.write_text("```python\n>>> import torch\n>>> torch.manual_seed(3).initial_seed()\n3\n```\n")
    assert run_page(page).leaked == [], "what reset_runtime restores (the seed) is not a leak"


@pytest.mark.parametrize("threads", ["1", "2"])
def test_the_thread_count_comes_from_the_environment(monkeypatch, threads):
    monkeypatch.setenv("LSTM_EXPLAINED_THREADS", threads)
    reset_runtime()
    assert torch.get_num_threads() == int(threads)
    monkeypatch.delenv("LSTM_EXPLAINED_THREADS")
    reset_runtime()
    assert torch.get_num_threads() == 1
