"""The notebooks in docs/notebooks/ are committed without outputs, and seed before drawing random numbers.

They run once, in the site build: mkdocs-jupyter executes them with ``allow_errors: false``, so a
failing cell or a false ``assert`` fails ``mkdocs build --strict``. tests/browser/test_built_html.py
then checks the built pages hold their outputs, and no grad_fn. A notebook also runs with
``make test-notebooks`` (nbclient, no build).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "docs" / "notebooks").glob("*.ipynb"))
RANDOM_OR_WEIGHTS = re.compile(r"\b(randn|rand|randint|normal_|nn\.(LSTM|LSTMCell|GRU|RNN|Linear))\(")


def test_there_are_notebooks():
    assert [p.name for p in NOTEBOOKS] == ["lstm-from-scratch.ipynb", "seed-retold.ipynb"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_committed_without_outputs(path):
    """The build executes the notebooks: stored outputs would only go stale."""
    cells = json.loads(path.read_text())["cells"]
    stale = [i for i, cell in enumerate(cells) if cell["cell_type"] == "code" and (cell["outputs"] or cell["execution_count"])]
    assert not stale, f"{path.name}: clear the outputs of cells {stale}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_seeds_before_drawing_random_numbers(path):
    code = "\n".join("".join(cell["source"]) for cell in json.loads(path.read_text())["cells"] if cell["cell_type"] == "code")
    first_random = RANDOM_OR_WEIGHTS.search(code)
    assert first_random, "expected a notebook that builds an LSTM"
    assert 0 <= code.find("manual_seed(") < first_random.start(), f"set a seed before {first_random.group(0)}"


def run_notebook(path: Path) -> str:
    """Returns the outputs of every cell, as JSON, after running the notebook top to bottom with nbclient."""
    notebook = nbformat.read(path, as_version=4)
    NotebookClient(notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(ROOT)}}).execute()
    return json.dumps([cell.get("outputs", []) for cell in notebook.cells])


@pytest.mark.notebooks
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_runs_without_error(path):
    """Every cell runs, every assert in it holds, and no output names a grad_fn (make test-notebooks)."""
    outputs = run_notebook(path)
    assert '"output_type": "error"' not in outputs
    assert "grad_fn=" not in outputs
