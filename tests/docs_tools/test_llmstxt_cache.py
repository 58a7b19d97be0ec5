"""The llms.txt cache never serves old Markdown: its key covers the page, the options, the code that converts it."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import pytest

from docs_tools.hooks import llmstxt_cache

ROOT = Path(__file__).resolve().parents[2]
OPTIONS = {"should_autoclean": True, "path": "/site/a/index.md", "base_uri": "https://x.test/", "page_uri": "a/index.html"}


def counting(calls: list):
    """Returns a stand-in converter that records each call and whose Markdown shows its input."""
    def convert(html, **options):
        calls.append(options["page_uri"])
        return f"md of {html} at {options['page_uri']}"
    return convert


def test_a_page_is_converted_once_then_read_back(tmp_path):
    calls = []
    convert = llmstxt_cache.cached(counting(calls), tmp_path, b"env")
    first = convert("<p>one</p>", **OPTIONS)
    assert convert("<p>one</p>", **OPTIONS) == first == "md of <p>one</p> at a/index.html"
    assert calls == ["a/index.html"]
    assert [p.name for p in tmp_path.iterdir()] == ["a%2Findex.html.json"]  # one file a page, no leftovers


@pytest.mark.parametrize("change", ["html", "option", "environment", "preprocess"])
def test_any_changed_input_converts_the_page_again(tmp_path, change):
    preprocess = tmp_path / "preprocess.py"
    preprocess.write_text("def preprocess(soup, output): pass\n")
    cache = tmp_path / "cache"
    calls = []
    options = dict(OPTIONS, preprocess=str(preprocess))
    llmstxt_cache.cached(counting(calls), cache, b"env")("<p>one</p>", **options)
    html, env = "<p>one</p>", b"env"
    if change == "html":
        html = "<p>two</p>"
    elif change == "option":
        options["base_uri"] = "https://y.test/"
    elif change == "environment":
        env = b"env with another mdformat"
    else:
        preprocess.write_text("def preprocess(soup, output): soup.decompose()\n")
    markdown = llmstxt_cache.cached(counting(calls), cache, env)(html, **options)
    assert calls == ["a/index.html", "a/index.html"]
    assert markdown == f"md of {html} at a/index.html"
    assert len(list(cache.iterdir())) == 1  # the page's entry was replaced, not added to


def test_the_environment_follows_installed_versions(tmp_path):
    (tmp_path / "mdformat-0.7.21.dist-info").mkdir()
    (tmp_path / "unrelated").mkdir()
    before = llmstxt_cache.installed_distributions([str(tmp_path), str(tmp_path / "missing")])
    (tmp_path / "mdformat-0.7.21.dist-info").rename(tmp_path / "mdformat-0.7.22.dist-info")
    assert before == ["mdformat-0.7.21.dist-info"]
    assert llmstxt_cache.installed_distributions([str(tmp_path)]) == ["mdformat-0.7.22.dist-info"]
    assert sys.version.encode() in llmstxt_cache.environment()


def build(project: Path, module, original, calls: list) -> str:
    """Returns llms-full.txt after one in-process build whose uncached conversions are recorded in ``calls``."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    def recording(html, **options):
        calls.append(options["page_uri"])
        return original(html, **options)

    module._generate_page_markdown = recording  # the hook wraps whatever it finds
    mkdocs_build(load_config(str(project / "mkdocs.yml")))
    return (project / "site" / "llms-full.txt").read_text()


def test_a_build_reads_unchanged_pages_from_the_cache(tmp_path, monkeypatch):
    """Built four times: all pages converted, none, the edited page alone, all after the preprocess module changed."""
    pytest.importorskip("mkdocs_llmstxt", reason="mkdocs-llmstxt is in the docs group")
    from mkdocs_llmstxt._internal import plugin as module

    original = getattr(module._generate_page_markdown, "uncached", module._generate_page_markdown)
    monkeypatch.setattr(module, "_generate_page_markdown", original)  # restored afterwards
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Home\n\nThe first text.\n")
    (tmp_path / "docs" / "other.md").write_text("# Other\n\n<p class='noise'>noise</p>\n\nKept.\n")
    preprocess = tmp_path / "preprocess.py"
    preprocess.write_text("def preprocess(soup, output):\n    pass\n")
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: cache probe\nsite_url: https://x.test/\n"
        "plugins:\n  - llmstxt:\n      full_output: llms-full.txt\n      preprocess: preprocess.py\n"
        "      sections:\n        Pages:\n          - index.md\n          - other.md\n"
        f"hooks:\n  - {ROOT / 'docs_tools' / 'hooks' / 'llmstxt_cache.py'}\n"
    )
    monkeypatch.chdir(tmp_path)
    calls = []
    fresh = build(tmp_path, module, original, calls)
    assert sorted(calls) == ["index.html", "other/index.html"] and "The first text." in fresh and "noise" in fresh

    calls.clear()
    assert build(tmp_path, module, original, calls) == fresh and calls == []

    (tmp_path / "docs" / "index.md").write_text("# Home\n\nThe second text.\n")
    edited = build(tmp_path, module, original, calls)
    assert calls == ["index.html"]
    assert "The second text." in edited and "The first text." not in edited

    calls.clear()
    preprocess.write_text("def preprocess(soup, output):\n    for p in soup.select('.noise'):\n        p.decompose()\n")
    cleaned = build(tmp_path, module, original, calls)
    assert sorted(calls) == ["index.html", "other/index.html"] and "noise" not in cleaned and "Kept." in cleaned
    assert len(list((tmp_path / ".cache" / "llmstxt").iterdir())) == 2


def test_a_plugin_without_the_converter_is_a_warning(monkeypatch, caplog):
    """A newer mkdocs-llmstxt that renamed its converter fails the strict build, instead of running uncached unseen."""
    module = type(sys)("fake_llmstxt_plugin")
    plugin_class = type("Plugin", (), {"__module__": module.__name__})
    monkeypatch.setitem(sys.modules, module.__name__, module)
    config = type("Config", (), {"plugins": {"llmstxt": plugin_class()}, "config_file_path": "mkdocs.yml"})()
    with caplog.at_level(logging.WARNING, logger="mkdocs.hooks.llmstxt_cache"):
        assert llmstxt_cache.on_config(config) is config
    assert "converted uncached" in caplog.text
