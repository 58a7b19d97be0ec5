"""The build cache never serves old results: each key covers the inputs and the code that processes them.

Four steps are cached (``docs_tools/hooks/build_cache.py``): mkdocs-llmstxt's HTML -> Markdown
and Material's search entries, a page at a time, Pygments' colouring of each code block, and the
compiled Jinja templates. A changed input must process the page (the block, the template) again.
"""
from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from docs_tools.hooks import build_cache

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
    convert = build_cache.cached_converter(counting(calls), build_cache.Store(tmp_path), b"env")
    first = convert("<p>one</p>", **OPTIONS)
    assert convert("<p>one</p>", **OPTIONS) == first == "md of <p>one</p> at a/index.html"
    assert calls == ["a/index.html"]
    assert [p.name for p in tmp_path.iterdir()] == ["a%2Findex.html.json"]  # one file a page, no leftovers


@pytest.mark.parametrize("change", ["html", "option", "environment", "preprocess"])
def test_any_changed_input_converts_the_page_again(tmp_path, change):
    preprocess = tmp_path / "preprocess.py"
    preprocess.write_text("def preprocess(soup, output): pass\n")
    store = build_cache.Store(tmp_path / "cache")
    calls = []
    options = dict(OPTIONS, preprocess=str(preprocess))
    build_cache.cached_converter(counting(calls), store, b"env")("<p>one</p>", **options)
    html, env = "<p>one</p>", b"env"
    if change == "html":
        html = "<p>two</p>"
    elif change == "option":
        options["base_uri"] = "https://y.test/"
    elif change == "environment":
        env = b"env with another mdformat"
    else:
        preprocess.write_text("def preprocess(soup, output): soup.decompose()\n")
    markdown = build_cache.cached_converter(counting(calls), store, env)(html, **options)
    assert calls == ["a/index.html", "a/index.html"]
    assert markdown == f"md of {html} at a/index.html"
    assert len(list(store.folder.iterdir())) == 1  # the page's entry was replaced, not added to


def test_a_broken_or_foreign_entry_is_a_miss(tmp_path):
    store = build_cache.Store(tmp_path)
    store.put("page", "key", ["kept"])
    assert store.get("page", "key") == ["kept"] and store.get("page", "other key") is None
    (tmp_path / "page.json").write_text('{"key": "key", "val')  # cut short
    assert store.get("page", "key") is None
    (tmp_path / "page.json").write_text('["key"]')
    assert store.get("page", "key") is None


def test_the_environment_follows_installed_versions(tmp_path):
    (tmp_path / "mdformat-0.7.21.dist-info").mkdir()
    (tmp_path / "unrelated").mkdir()
    before = build_cache.installed_distributions([str(tmp_path), str(tmp_path / "missing")])
    (tmp_path / "mdformat-0.7.21.dist-info").rename(tmp_path / "mdformat-0.7.22.dist-info")
    assert before == ["mdformat-0.7.21.dist-info"]
    assert build_cache.installed_distributions([str(tmp_path)]) == ["mdformat-0.7.22.dist-info"]
    assert sys.version.encode() in build_cache.environment()
    assert Path(build_cache.__file__).read_bytes() in build_cache.environment()


class FakeIndex:
    """Material's SearchIndex as the hook sees it: ``config``, ``entries``, ``add_entry_from_context``."""

    def __init__(self, calls: list, **config):
        self.config, self.entries, self.calls = config, [], calls

    def add_entry_from_context(self, page):
        self.calls.append(page.file.src_uri)
        for n, item in enumerate(page.toc):
            self.entries.append({"location": f"{page.url}#{item.id}", "title": page.title, "text": f"{page.content} {n}",
                                 **({"boost": page.meta["search"]["boost"]} if "search" in page.meta else {})})


def page(**changes):
    heading = SimpleNamespace(id="intro", url="#intro", title="Intro", children=[])
    fields = dict(file=SimpleNamespace(src_uri="a.md"), url="a/", title="A", meta={}, toc=[heading], content="<p>one</p>")
    return SimpleNamespace(**{**fields, **changes})


def test_a_page_is_indexed_once_then_its_entries_read_back(tmp_path):
    calls = []
    store = build_cache.Store(tmp_path)
    first = FakeIndex(calls, lang=["en"])
    build_cache.cached_indexer(first, store, b"env")(page())
    again = FakeIndex(calls, lang=["en"])
    again.entries.append({"location": "earlier/", "title": "Earlier", "text": ""})
    build_cache.cached_indexer(again, store, b"env")(page())
    assert calls == ["a.md"]
    assert again.entries == [{"location": "earlier/", "title": "Earlier", "text": ""}] + first.entries
    assert [p.name for p in tmp_path.iterdir()] == ["a.md.json"]


@pytest.mark.parametrize("change", ["content", "url", "title", "meta", "toc", "option", "environment"])
def test_any_changed_input_indexes_the_page_again(tmp_path, change):
    calls = []
    store = build_cache.Store(tmp_path)
    build_cache.cached_indexer(FakeIndex(calls, lang=["en"]), store, b"env")(page())
    changed, options, env = page(), {"lang": ["en"]}, b"env"
    if change == "content":
        changed.content = "<p>two</p>"
    elif change == "url":
        changed.url = "b/"
    elif change == "title":
        changed.title = "B"
    elif change == "meta":
        changed.meta = {"search": {"boost": 0.3}}
    elif change == "toc":
        changed.toc[0].id = "start"
    elif change == "option":
        options["lang"] = ["de"]
    else:
        env = b"env with another Material"
    index = FakeIndex(calls, **options)
    build_cache.cached_indexer(index, store, env)(changed)
    expected = FakeIndex([], **options)
    expected.add_entry_from_context(changed)
    assert calls == ["a.md", "a.md"] and index.entries == expected.entries


def test_mkdocs_yml_wraps_every_step(monkeypatch, tmp_path):
    """The site's own config: the hook is registered, and every step goes through the cache in a build."""
    pytest.importorskip("mkdocs_llmstxt", reason="mkdocs-llmstxt is in the docs group")
    import pymdownx.highlight
    from mkdocs.config import load_config
    from mkdocs_llmstxt._internal import plugin as module

    monkeypatch.setattr(module, "_generate_page_markdown", module._generate_page_markdown)  # restored afterwards
    monkeypatch.setattr(pymdownx.highlight, "highlight", pymdownx.highlight.highlight)
    monkeypatch.delenv("LLMS_TXT", raising=False)
    config = load_config(str(ROOT / "mkdocs.yml"))
    config.config_file_path = str(tmp_path / "mkdocs.yml")  # the hook's .cache/ goes there, not into the checkout's
    for name in ("material/search", "llmstxt", "mkdocstrings", "docs_tools/hooks/build_cache.py"):  # in a build's order
        config = config.plugins[name].on_config(config) or config
    assert module._generate_page_markdown.uncached
    assert config.plugins["material/search"].search_index.add_entry_from_context.uncached
    assert pymdownx.highlight.highlight.uncached
    jinja = config.plugins["mkdocstrings"].handlers.get_handler("python").env
    assert Path(jinja.bytecode_cache.directory).parent == tmp_path / ".cache" / "jinja"
    assert Path(jinja.bytecode_cache.directory).name.startswith("mkdocstrings-python-")


def test_a_code_block_is_coloured_once_then_read_back(tmp_path):
    from pygments import highlight
    from pygments.formatters import HtmlFormatter
    from pygments.lexers import PythonLexer

    calls = []
    highlights = build_cache.PageHighlights(build_cache.Store(tmp_path), b"env")
    coloured = highlights.wrap(lambda *args: calls.append(args[0]) or highlight(*args))
    code = "x = torch.zeros(2, 3)\n"

    def page(*blocks):
        highlights.start("page.md")
        html = [coloured(block, PythonLexer(), HtmlFormatter(**options)) for block, options in blocks]
        highlights.finish()
        return html

    first = page((code, {}), (code, {}))  # the same block twice in a page is coloured once
    assert first == [highlight(code, PythonLexer(), HtmlFormatter())] * 2 and calls == [code]
    assert page((code, {})) == first[:1] and calls == [code]
    marked = page((code, {"hl_lines": [1]}))  # another formatter option
    assert marked != first[:1] and "hll" in marked[0] and len(calls) == 2
    assert page((code + "y = 1\n", {})) == [highlight(code + "y = 1\n", PythonLexer(), HtmlFormatter())] and len(calls) == 3
    assert len(json.loads((tmp_path / "page.md.json").read_text())["value"]) == 1  # blocks the page dropped are gone
    page((code, {}), (code + "y = 1\n", {}))
    assert len(json.loads((tmp_path / "page.md.json").read_text())["value"]) == 2
    page((code, {}))
    assert len(json.loads((tmp_path / "page.md.json").read_text())["value"]) == 1


def test_another_lexer_or_its_options_colour_again(tmp_path):
    from pygments import highlight
    from pygments.formatters import HtmlFormatter
    from pygments.lexers import PythonConsoleLexer, PythonLexer

    calls = []
    highlights = build_cache.PageHighlights(build_cache.Store(tmp_path), b"env")
    coloured = highlights.wrap(lambda *args: calls.append(args[1]) or highlight(*args))
    code = ">>> x = 1\n  \n"
    for lexer in (PythonLexer(), PythonLexer(), PythonConsoleLexer(), PythonLexer(stripnl=False)):
        highlights.start("page.md")
        assert coloured(code, lexer, HtmlFormatter()) == highlight(code, lexer, HtmlFormatter())
        highlights.finish()
    assert len(calls) == 3


def test_a_block_outside_a_page_is_coloured_uncached(tmp_path):
    from pygments.formatters import HtmlFormatter
    from pygments.lexers import PythonLexer

    calls = []
    highlights = build_cache.PageHighlights(build_cache.Store(tmp_path), b"env")
    coloured = highlights.wrap(lambda *args: calls.append(args) or "html")
    assert coloured("x", PythonLexer(), HtmlFormatter()) == coloured("x", PythonLexer(), HtmlFormatter()) == "html"
    assert len(calls) == 2 and not any(tmp_path.iterdir())


def test_a_build_processes_only_what_changed(tmp_path, monkeypatch):
    """Built four times: everything processed; nothing; the edited page and code block alone; every page after the
    preprocess module changed. Each uncached conversion, indexing and colouring is recorded in ``calls``."""
    pytest.importorskip("mkdocs_llmstxt", reason="mkdocs-llmstxt is in the docs group")
    import pymdownx.highlight
    from material.plugins.search.plugin import SearchIndex
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs_llmstxt._internal import plugin as llmstxt

    calls = []
    convert = getattr(llmstxt._generate_page_markdown, "uncached", llmstxt._generate_page_markdown)
    highlight = getattr(pymdownx.highlight.highlight, "uncached", pymdownx.highlight.highlight)
    monkeypatch.setattr(llmstxt, "_generate_page_markdown", convert)  # both restored afterwards
    monkeypatch.setattr(pymdownx.highlight, "highlight", highlight)
    index_page = SearchIndex.add_entry_from_context
    indexing = lambda self, page: calls.append(f"search {page.url}") or index_page(self, page)
    monkeypatch.setattr(SearchIndex, "add_entry_from_context", indexing)

    def build() -> tuple[str, list, str]:
        """Returns llms-full.txt, the search entries and the home page's HTML after one in-process build."""
        # The hook wraps whatever it finds: these record each call that reaches the real step.
        llmstxt._generate_page_markdown = lambda html, **options: calls.append(options["page_uri"]) or convert(html, **options)
        pymdownx.highlight.highlight = lambda code, *args: calls.append(f"colour {code}") or highlight(code, *args)
        mkdocs_build(load_config(str(tmp_path / "mkdocs.yml")))
        site = tmp_path / "site"
        index = json.loads((site / "search" / "search_index.json").read_text())["docs"]
        return (site / "llms-full.txt").read_text(), index, (site / "index.html").read_text()

    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Home\n\nThe first text.\n\n```python\nfirst = 1\n```\n")
    (tmp_path / "docs" / "other.md").write_text("# Other\n\n<p class='noise'>noise</p>\n\nKept.\n\n```python\nsecond = 2\n```\n")
    preprocess = tmp_path / "preprocess.py"
    preprocess.write_text("def preprocess(soup, output):\n    pass\n")
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: cache probe\nsite_url: https://x.test/\ntheme:\n  name: material\n"
        "markdown_extensions:\n  - pymdownx.highlight\n  - pymdownx.superfences\n"
        "plugins:\n  - search\n  - llmstxt:\n      full_output: llms-full.txt\n      preprocess: preprocess.py\n"
        "      sections:\n        Pages:\n          - index.md\n          - other.md\n"
        f"hooks:\n  - {ROOT / 'docs_tools' / 'hooks' / 'build_cache.py'}\n"
    )
    monkeypatch.chdir(tmp_path)
    fresh = build()
    assert sorted(calls) == ["colour first = 1", "colour second = 2", "index.html", "other/index.html", "search ", "search other/"]
    assert "The first text." in fresh[0] and "noise" in fresh[0] and any("The first text." in e["text"] for e in fresh[1])

    calls.clear()
    assert build() == fresh and calls == []

    (tmp_path / "docs" / "index.md").write_text(
        "---\nsearch:\n  boost: 2\n---\n# Home\n\nThe second text.\n\n```python hl_lines=\"1\"\nfirst = 11\n```\n")
    edited, entries, home_html = build()
    assert sorted(calls) == ["colour first = 11", "index.html", "search "]
    assert "The second text." in edited and "The first text." not in edited
    home = [entry for entry in entries if entry["location"] == ""]
    assert home and all(entry.get("boost") == 2 for entry in home) and "The second text." in home[0]["text"]
    assert '<span class="hll"><span class="n">first</span> <span class="o">=</span> <span class="mi">11</span>' in home_html

    calls.clear()
    preprocess.write_text("def preprocess(soup, output):\n    for p in soup.select('.noise'):\n        p.decompose()\n")
    cleaned, _, _ = build()
    assert sorted(calls) == ["index.html", "other/index.html"] and "noise" not in cleaned and "Kept." in cleaned
    assert {p.name for p in (tmp_path / ".cache").iterdir()} == {"jinja", "llmstxt", "pygments", "search"}
    assert [len(list((tmp_path / ".cache" / name).iterdir())) for name in ("llmstxt", "search", "pygments")] == [2, 2, 2]


def test_a_plugin_without_the_converter_is_a_warning(monkeypatch, caplog):
    """A newer mkdocs-llmstxt that renamed its converter fails the strict build, instead of running uncached unseen."""
    module = type(sys)("fake_llmstxt_plugin")
    plugin_class = type("Plugin", (), {"__module__": module.__name__})
    monkeypatch.setitem(sys.modules, module.__name__, module)
    config = SimpleNamespace(plugins={"llmstxt": plugin_class()}, config_file_path="mkdocs.yml")
    with caplog.at_level(logging.WARNING, logger="mkdocs.hooks.build_cache"):
        assert build_cache.on_config(config) is config
    assert "converted uncached" in caplog.text


def test_a_search_plugin_without_the_index_is_a_warning(caplog):
    search = SimpleNamespace(config=SimpleNamespace(enabled=True))
    config = SimpleNamespace(plugins={"material/search": search}, config_file_path="mkdocs.yml")
    with caplog.at_level(logging.WARNING, logger="mkdocs.hooks.build_cache"):
        assert build_cache.on_config(config) is config
    assert "indexed uncached" in caplog.text


def render(tmp_path, source: str, **options) -> tuple[str, int]:
    """Returns a template rendered by an environment that went through the hook's on_env, and how many templates it compiled."""
    import jinja2

    (tmp_path / "templates").mkdir(exist_ok=True)
    (tmp_path / "templates" / "page.html").write_text(source)
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(tmp_path / "templates")), **options)
    compiled = []
    compile_ = env.compile
    env.compile = lambda *args, **kwargs: compiled.append(args) or compile_(*args, **kwargs)
    env = build_cache.on_env(env, SimpleNamespace(config_file_path=str(tmp_path / "mkdocs.yml")), None)
    return env.get_template("page.html").render(), len(compiled)


def test_templates_are_compiled_once_then_read_back(tmp_path):
    assert render(tmp_path, "Hello {{ 1 + 1 }}") == ("Hello 2", 1)
    assert render(tmp_path, "Hello {{ 1 + 1 }}") == ("Hello 2", 0)
    assert render(tmp_path, "Bye {{ 1 + 2 }}") == ("Bye 3", 1)  # Jinja checks each template's source itself
    assert len(list((tmp_path / ".cache" / "jinja").iterdir())) == 1


def test_each_environment_keeps_its_own_folder(tmp_path):
    import jinja2

    base = tmp_path / "jinja"
    theme = build_cache.use_bytecode_cache(jinja2.Environment(), base, "theme", b"env")
    handler = build_cache.use_bytecode_cache(jinja2.Environment(autoescape=True), base, "mkdocstrings-python", b"env")
    assert theme != handler and sorted(p.name for p in base.iterdir()) == sorted([theme.name, handler.name])
    newer = build_cache.use_bytecode_cache(jinja2.Environment(), base, "theme", b"another env")
    assert sorted(p.name for p in base.iterdir()) == sorted([newer.name, handler.name])


def test_a_folder_removed_during_the_build_is_made_again(tmp_path):
    """Another build (another venv, so another key) may remove this key's folder while this one compiles."""
    import shutil

    import jinja2

    env = jinja2.Environment(loader=jinja2.DictLoader({"page.html": "Hi {{ 2 }}"}))
    folder = build_cache.use_bytecode_cache(env, tmp_path, "theme", b"env")
    shutil.rmtree(folder)
    assert env.get_template("page.html").render() == "Hi 2" and len(list(folder.iterdir())) == 1


def test_other_compile_options_compile_again(tmp_path):
    """The same source compiles to other code with trim_blocks: the bytecode must not be shared."""
    source = "{% if true %}\nyes{% endif %}"
    assert render(tmp_path, source) == ("\nyes", 1)
    assert render(tmp_path, source, trim_blocks=True) == ("yes", 1)
    assert render(tmp_path, source, extensions=["jinja2.ext.i18n"]) == ("\nyes", 1)
    assert len(list((tmp_path / ".cache" / "jinja").iterdir())) == 1  # the folders of other keys are gone


def test_the_jinja_key_follows_the_environment(tmp_path, monkeypatch):
    first = render(tmp_path, "Hi")
    monkeypatch.setattr(build_cache, "environment", lambda: b"another Jinja")
    assert render(tmp_path, "Hi") == first == ("Hi", 1)
