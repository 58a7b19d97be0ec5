"""The figure cache never serves old drawings: its key covers the figure list, lstm_explained and torch."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from docs_tools.hooks import figures

ROOT = Path(__file__).resolve().parents[2]


def write_package(root: Path, value: str) -> Path:
    (root / "lstm_explained").mkdir(exist_ok=True)
    (root / "lstm_explained" / "__init__.py").write_text(f"VALUE = {value!r}\n")
    return root / "lstm_explained"


def test_key_follows_the_package_the_figure_list_and_torch(tmp_path, monkeypatch):
    hook = tmp_path / "figures.py"
    hook.write_text("FIGURES = ['a.svg']\n")
    package = write_package(tmp_path, "first")
    first = figures.cache_key(package, hook)
    assert figures.cache_key(package, hook) == first  # stable
    write_package(tmp_path, "second")
    changed_code = figures.cache_key(package, hook)
    (package / "extra.py").write_text("")
    new_module = figures.cache_key(package, hook)
    hook.write_text("FIGURES = ['a.svg', 'b.svg']\n")
    new_figure = figures.cache_key(package, hook)
    monkeypatch.setattr(figures.metadata, "version", lambda name: "0.0.1")
    other_torch = figures.cache_key(package, hook)
    assert len({first, changed_code, new_module, new_figure, other_torch}) == 5


def test_the_key_hashes_the_package_python_would_import():
    assert figures.package_dir() == Path(sys.modules["lstm_explained"].__file__).parent


@pytest.fixture
def not_imported(monkeypatch):
    """Makes the hook see ``lstm_explained`` as not yet imported, as a fresh ``mkdocs build`` does."""
    monkeypatch.delitem(sys.modules, "lstm_explained")


def drawing(calls: list, svg: str = "<svg>one</svg>"):
    def draw():
        calls.append(svg)
        return {"a.svg": svg, "a-dark.svg": svg.replace("one", "dark")}
    return draw


def test_drawn_once_then_read_back_and_a_new_key_draws_again(tmp_path, not_imported):
    calls = []
    first = figures.cached_figures(tmp_path, lambda: "key1", drawing(calls))
    assert figures.cached_figures(tmp_path, lambda: "key1", drawing(calls, "<svg>never</svg>")) == first
    assert calls == ["<svg>one</svg>"] and list(first) == ["a.svg", "a-dark.svg"]  # order kept
    second = figures.cached_figures(tmp_path, lambda: "key2", drawing(calls, "<svg>two</svg>"))
    assert second["a.svg"] == "<svg>two</svg>" and len(calls) == 2
    assert [p.name for p in tmp_path.iterdir()] == ["key2.json"]  # the old key's drawings are gone


def test_a_package_imported_earlier_is_drawn_but_never_cached(tmp_path):
    """``mkdocs serve`` keeps the package it imported: after an edit, the key says new code, the drawing used old."""
    calls = []
    assert figures.cached_figures(tmp_path, lambda: "key", drawing(calls)) == drawing([])()
    assert calls and not any(tmp_path.iterdir())


def test_a_file_changed_while_drawing_is_not_cached(tmp_path, not_imported):
    keys = iter(["before", "after"])
    figures.cached_figures(tmp_path, lambda: next(keys), drawing([]))
    assert not any(tmp_path.iterdir())


def test_the_cache_holds_what_the_hook_draws_and_a_hit_imports_no_torch(tmp_path):
    """An entry written with today's code, read by a fresh process: the same SVGs, and torch never imported."""
    drawn = figures.draw_all()
    key = figures.cache_key(figures.package_dir())
    (tmp_path / f"{key}.json").write_text(json.dumps(drawn))
    probe = (
        "import json, sys\n"
        f"sys.path.insert(0, {str(figures.package_dir().parent)!r})  # the lstm_explained this process drew with\n"
        "from pathlib import Path\n"
        "from docs_tools.hooks import figures\n"
        f"read = figures.cached_figures(Path({str(tmp_path)!r}), lambda: figures.cache_key(figures.package_dir()))\n"
        "print(json.dumps({'torch': 'torch' in sys.modules, 'read': read}))\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True,
                            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    answer = json.loads(result.stdout)
    assert answer == {"torch": False, "read": drawn}
