"""docs_tools/hooks/notebooks.py: the notebook cache never serves outputs of old code (its key covers lstm_explained
and torch); notebook pages get a download link and lose scripts from other hosts."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from docs_tools.hooks import notebooks

ROOT = Path(__file__).resolve().parents[2]


def write_package(root: Path, value: str) -> None:
    (root / "lstm_explained").mkdir(exist_ok=True)
    (root / "lstm_explained" / "__init__.py").write_text(f"VALUE = {value!r}\n")


def test_key_follows_the_package_code(tmp_path):
    write_package(tmp_path, "first")
    first = notebooks.cache_key(tmp_path / "lstm_explained", "2.13.0")
    write_package(tmp_path, "second")
    second = notebooks.cache_key(tmp_path / "lstm_explained", "2.13.0")
    (tmp_path / "lstm_explained" / "extra.py").write_text("")
    with_new_module = notebooks.cache_key(tmp_path / "lstm_explained", "2.13.0")
    assert len({first, second, with_new_module}) == 3
    assert notebooks.cache_key(tmp_path / "lstm_explained", "2.13.0") == with_new_module  # stable


def test_key_follows_the_torch_version(tmp_path):
    write_package(tmp_path, "same")
    package = tmp_path / "lstm_explained"
    assert notebooks.cache_key(package, "2.12.0") != notebooks.cache_key(package, "2.13.0")


def test_other_keys_and_unkeyed_entries_are_evicted(tmp_path):
    keep, old = tmp_path / "key-aaaa", tmp_path / "key-bbbb"
    for folder in (keep, old):
        folder.mkdir()
        (folder / "nb.json").write_text("{}")
    (tmp_path / "unkeyed.json").write_text("{}")
    (tmp_path / "notes.txt").write_text("not ours")
    removed = notebooks.evict_other_keys(tmp_path, keep)
    assert sorted(p.name for p in removed) == ["key-bbbb", "unkeyed.json"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["key-aaaa", "notes.txt"]


NOTEBOOK = {
    "cells": [{"cell_type": "code", "id": "probe", "execution_count": None, "metadata": {}, "outputs": [],
               "source": ["import lstm_explained\n", "print('value:', lstm_explained.VALUE)"]}],
    "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}},
    "nbformat": 4, "nbformat_minor": 5,
}


def build(project: Path, caplog) -> tuple[str, str]:
    """Returns the built notebook page's HTML and what mkdocs-jupyter logged, after one in-process build."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    caplog.clear()
    with caplog.at_level(logging.INFO, logger="mkdocs.plugins.mkdocs_jupyter"):
        mkdocs_build(load_config(str(project / "mkdocs.yml")))
    return (project / "site" / "notebooks" / "probe" / "index.html").read_text(), caplog.text


def test_a_package_change_re_executes_the_notebook(tmp_path, monkeypatch, caplog):
    """Built three times: a fresh run, a cache hit with nothing changed, a fresh run after the package changed."""
    pytest.importorskip("mkdocs_jupyter", reason="mkdocs-jupyter is in the docs extra")
    (tmp_path / "docs" / "notebooks").mkdir(parents=True)
    (tmp_path / "docs" / "index.md").write_text("# Home\n")
    (tmp_path / "docs" / "notebooks" / "probe.ipynb").write_text(json.dumps(NOTEBOOK))
    (tmp_path / "theme").mkdir()
    (tmp_path / "theme" / "main.html").write_text("{{ page.content }}")  # a theme of one template: nothing else to render or copy
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: cache probe\n"
        "theme:\n  name: null\n  custom_dir: theme\n"
        "plugins:\n  - mkdocs-jupyter:\n      include: ['notebooks/*.ipynb']\n      execute: true\n      allow_errors: false\n"
        f"hooks:\n  - {ROOT / 'docs_tools' / 'hooks' / 'notebooks.py'}\n"
    )
    write_package(tmp_path, "first")
    monkeypatch.chdir(tmp_path)  # the cache folder is relative to where mkdocs runs
    monkeypatch.setenv("PYTHONPATH", str(tmp_path))  # the kernel imports this lstm_explained, not ours

    html, _ = build(tmp_path, caplog)
    assert "value: first" in html
    html, log = build(tmp_path, caplog)
    assert "Cache hit" in log and "value: first" in html

    write_package(tmp_path, "second")
    html, log = build(tmp_path, caplog)
    assert "Cache hit" not in log
    assert "value: second" in html and "value: first" not in html
    assert len(list((tmp_path / ".cache" / "mkdocs-jupyter").iterdir())) == 1  # the old key's folder is gone


def test_notebook_page_gets_a_download_link_focusable_code_and_loses_cdn_scripts():
    page = (
        '<!-- Load mathjax --><script src=""> </script><!-- End of mathjax configuration -->'
        '<script type="module">await import("https://cdn.example/mermaid.mjs")</script><script>local()</script>'
        '<h2 id="s">Step 1<a class="anchor-link" href="#s">¶</a></h2><div class="highlight-ipynb hl-python"><pre>x</pre></div>'
    )
    rendered = notebooks.render_notebook_page(page, "demo.ipynb")
    assert rendered.startswith('<p class="notebook-download"><a class="md-button" href="demo.ipynb" download>')
    assert "mathjax" not in rendered.lower() and "cdn.example" not in rendered and "<script>local()</script>" in rendered
    assert '<a data-search-exclude="true" class="anchor-link" href="#s">' in rendered
    assert '<div class="highlight-ipynb hl-python" tabindex="0" role="group" aria-label="code cell">' in rendered
