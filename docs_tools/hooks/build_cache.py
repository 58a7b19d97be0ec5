"""MkDocs hook: the slow, pure steps of a build, kept in ``.cache/`` between builds.

- **llms.txt**: mkdocs-llmstxt turns the HTML of every page into Markdown on every build
  (BeautifulSoup, the ``preprocess`` module, markdownify, mdformat): five of the twelve seconds
  of a warm ``mkdocs build``, more than any other step. Kept in ``.cache/llmstxt/``.
- **search**: Material's search plugin parses every page's HTML into the sections of the search
  index (its own ``HTMLParser``): nearly a second. Kept in ``.cache/search/``.
- **code blocks**: pymdownx.highlight has Pygments colour every code block of every page (and
  mkdocstrings' signatures), 330 of them: about half a second. Kept in ``.cache/pygments/``, one
  file a page, each block keyed on its code, its lexer and formatter (classes and options).
- **templates**: every build (every ``mkdocs serve`` rebuild too) compiles the Jinja templates
  of the theme and of mkdocstrings' handlers anew: nearly a second. Jinja's own bytecode cache
  keeps them in ``.cache/jinja/NAME-KEY/`` (``theme``, ``mkdocstrings-python``).

Each result is a function of its inputs alone, so this hook wraps the step and keeps each page's
results in one file, ``PAGE.json``, with the key they were made under. The key covers everything
the result depends on: for llms.txt the page's HTML, every argument the plugin passes (its options,
the page's paths) and the bytes of the ``preprocess`` module; for search the page's HTML, URL,
title, front matter and table of contents, and the plugin's options (with any jieba dictionary's
bytes); for a code block, as above; for all three, this hook's own code, Python's version and the
name and version of every installed distribution (mkdocs-llmstxt, BeautifulSoup, markdownify,
mdformat, Material, pymdown-extensions, Pygments...). A result whose key differs is made as before
and its page's file rewritten, so a change is never served stale; an empty cache (a fresh clone,
``make clean``) only means every page is processed. One file a page: the cache never grows past
the site. Jinja checks each template's source itself; ``KEY`` adds what it does not check (the
installed Jinja, MkDocs and theme, the environment's compile options), and the folders of other
keys are removed. Registered under ``hooks:`` in mkdocs.yml.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import sys
from pathlib import Path
from urllib.parse import quote

log = logging.getLogger("mkdocs.hooks.build_cache")
LLMSTXT, SEARCH, MKDOCSTRINGS = "llmstxt", "material/search", "mkdocstrings"
HIGHLIGHT = "pymdownx.highlight"      # its global ``highlight`` is pygments.highlight, called once a code block
CONVERTER = "_generate_page_markdown"  # mkdocs-llmstxt's HTML -> Markdown function, looked up on each call
CACHE_DIR = ".cache"                   # beside mkdocs.yml, like mkdocs-jupyter's .cache/mkdocs-jupyter


def installed_distributions(paths: list[str] | None = None) -> list[str]:
    """Returns the ``*.dist-info`` and ``*.egg-info`` names (name and version) on ``paths``, default ``sys.path``.

    Reading the folder names costs a directory listing; an upgrade or downgrade renames the folder.
    """
    names = set()
    for entry in sys.path if paths is None else paths:
        try:
            with os.scandir(entry or ".") as listing:
                names.update(item.name for item in listing if item.name.endswith((".dist-info", ".egg-info")))
        except OSError:  # a zip file, or a folder that does not exist
            continue
    return sorted(names)


def environment() -> bytes:
    """Returns what every key shares: this hook's code, Python's version, the installed distributions."""
    parts = [Path(__file__).read_bytes(), sys.version.encode(), "\n".join(installed_distributions()).encode()]
    return b"\0".join(parts)


def digest(env: bytes, inputs, files: list[str] = (), text: str = "") -> str:
    """Returns the key of one result: ``env``, the JSON of ``inputs``, the bytes of ``files``, then ``text``."""
    sha = hashlib.sha256(env + b"\0")
    sha.update(json.dumps(inputs, sort_keys=True, default=repr).encode() + b"\0")
    for path in files:
        sha.update(Path(path).read_bytes() + b"\0")
    sha.update(text.encode())
    return sha.hexdigest()


class Store:
    """One JSON file a page in ``folder``: the key a result was made under, and the result."""

    def __init__(self, folder: Path):
        self.folder = folder

    def _entry(self, name: str) -> Path:
        return self.folder / f"{quote(name, safe='')}.json"

    def get(self, name: str, key: str):
        """Returns the result kept for ``name`` under ``key``, or None (nothing kept, another key, a broken file)."""
        try:
            stored = json.loads(self._entry(name).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return stored.get("value") if isinstance(stored, dict) and stored.get("key") == key else None

    def put(self, name: str, key: str, value) -> None:
        """Keeps ``value`` for ``name`` under ``key``, replacing what was kept."""
        entry = self._entry(name)
        self.folder.mkdir(parents=True, exist_ok=True)
        partial = entry.with_name(f"{entry.name}.{os.getpid()}.tmp")
        partial.write_text(json.dumps({"key": key, "value": value}, default=str), encoding="utf-8")
        os.replace(partial, entry)  # never a half-written entry, even if the build is stopped


def cached_converter(convert, store: Store, env: bytes):
    """Returns mkdocs-llmstxt's ``convert`` (html, ...) -> Markdown, reading and writing each page's result in ``store``."""

    def convert_cached(html: str, *args, **options) -> str:
        preprocess = [options["preprocess"]] if options.get("preprocess") else []
        key = digest(env, [args, options], preprocess, html)
        name = str(options.get("page_uri", key))
        markdown = store.get(name, key)
        if markdown is None:
            markdown = convert(html, *args, **options)
            store.put(name, key, markdown)
        return markdown

    convert_cached.uncached = convert
    return convert_cached


def toc_tree(toc) -> list:
    """Returns a table of contents as plain lists: id, URL, title and children of each item."""
    return [[item.id, item.url, item.title, toc_tree(item.children)] for item in toc]


def cached_indexer(index, store: Store, env: bytes):
    """Returns Material's ``index.add_entry_from_context`` (page), reading and writing each page's new entries in ``store``."""
    add = index.add_entry_from_context
    options = dict(index.config)
    dictionaries = [path for name, path in options.items() if name.startswith("jieba_dict") and path and os.path.isfile(path)]

    def add_cached(page) -> None:
        inputs = [options, page.url, str(page.title), page.meta, toc_tree(page.toc)]
        key = digest(env, inputs, dictionaries, page.content)
        name = page.file.src_uri
        entries = store.get(name, key)
        if entries is None:
            start = len(index.entries)
            add(page)
            store.put(name, key, index.entries[start:])  # plain JSON: Material writes the index with json.dumps too
        else:
            index.entries.extend(entries)

    add_cached.uncached = add
    return add_cached


def describe(obj) -> list:
    """Returns a Pygments lexer, formatter or filter as its class's full name and its options."""
    return [f"{type(obj).__module__}.{type(obj).__qualname__}", getattr(obj, "options", None)]


class PageHighlights:
    """The HTML Pygments made of each code block of one page, kept in ``store`` under the page's name.

    ``start`` reads a page's blocks when the page starts rendering; ``finish`` writes the blocks the
    page used when it is rendered, if they changed (so a removed block does not stay).
    """

    def __init__(self, store: Store, env: bytes):
        self.store, self.env_key = store, digest(env, "pygments")
        self.page: str | None = None
        self.known: dict[str, str] = {}
        self.used: dict[str, str] = {}

    def start(self, page: str) -> None:
        self.page, self.known, self.used = page, self.store.get(page, self.env_key) or {}, {}

    def finish(self) -> None:
        if self.page is not None and self.used != self.known:
            self.store.put(self.page, self.env_key, self.used)
        self.page = None

    def wrap(self, highlight):
        """Returns ``pygments.highlight`` (code, lexer, formatter) -> HTML, looking each block up in the page's."""

        def highlight_cached(code, lexer, formatter, outfile=None):
            if outfile is not None or self.page is None:  # not a page's block: nothing to keep it under
                return highlight(code, lexer, formatter, outfile)
            block = digest(b"", [describe(lexer), describe(formatter), [describe(f) for f in getattr(lexer, "filters", ())]], text=code)
            html = self.used.get(block) or self.known.get(block)
            if html is None:
                html = highlight(code, lexer, formatter)
            self.used[block] = html
            return html

        highlight_cached.uncached = highlight
        return highlight_cached


def compile_options(env) -> dict:
    """Returns the settings of a Jinja environment that change the code it compiles a template into."""
    names = ["block_start_string", "block_end_string", "variable_start_string", "variable_end_string",
             "comment_start_string", "comment_end_string", "line_statement_prefix", "line_comment_prefix",
             "trim_blocks", "lstrip_blocks", "newline_sequence", "keep_trailing_newline", "optimized", "is_async"]
    options = {name: getattr(env, name, None) for name in names}
    options["extensions"] = sorted(env.extensions)
    escape = env.autoescape
    options["autoescape"] = escape if isinstance(escape, bool) else f"{escape.__module__}.{escape.__qualname__}"
    options["finalize"] = env.finalize is not None
    return options


def use_bytecode_cache(jinja_env, base: Path, name: str, env: bytes) -> Path:
    """Gives a Jinja environment a bytecode cache in ``base/NAME-KEY/``, removes NAME's other keys, returns the folder."""
    import jinja2

    folder = base / f"{name}-{digest(env, compile_options(jinja_env))[:16]}"
    for old in base.glob(f"{name}-*") if base.is_dir() else ():
        if old != folder and old.is_dir():
            shutil.rmtree(old, ignore_errors=True)
    folder.mkdir(parents=True, exist_ok=True)

    class BytecodeCache(jinja2.FileSystemBytecodeCache):
        def dump_bytecode(self, bucket) -> None:
            os.makedirs(self.directory, exist_ok=True)  # a build of another key, at the same time, may have removed it
            super().dump_bytecode(bucket)

    jinja_env.bytecode_cache = BytecodeCache(str(folder))
    return folder


def cache_llmstxt(config, root: Path, env: bytes) -> None:
    """Wraps mkdocs-llmstxt's converter (when the plugin is on: ``make serve`` turns it off, LLMS_TXT=false)."""
    plugin = config.plugins.get(LLMSTXT)
    if plugin is None:
        return
    module = sys.modules[type(plugin).__module__]
    convert = getattr(module, CONVERTER, None)
    if convert is None:  # a strict build fails on this warning: the hook needs updating for the new plugin
        log.warning("build cache: %s has no %s any more; pages are converted uncached", module.__name__, CONVERTER)
        return
    convert = getattr(convert, "uncached", convert)  # mkdocs serve loads the config again on every rebuild
    setattr(module, CONVERTER, cached_converter(convert, Store(root / "llmstxt"), env))


def cache_search(config, root: Path, env: bytes) -> None:
    """Wraps the search index of Material's search plugin, made by the plugin's own on_config (which runs before hooks')."""
    plugin = config.plugins.get(SEARCH)
    if plugin is None or not plugin.config.enabled:
        return
    index = getattr(plugin, "search_index", None)
    if index is None or not hasattr(index, "add_entry_from_context"):
        log.warning("build cache: %s has no search_index.add_entry_from_context any more; pages are indexed uncached", SEARCH)
        return
    index.add_entry_from_context = cached_indexer(index, Store(root / "search"), env)


def cache_highlighting(root: Path, env: bytes) -> PageHighlights | None:
    """Wraps the ``highlight`` of pymdownx.highlight, loaded with markdown_extensions when mkdocs checks the config."""
    module = sys.modules.get(HIGHLIGHT)
    if module is None:  # the site colours no code with it
        return None
    if not callable(getattr(module, "highlight", None)):
        log.warning("build cache: %s has no highlight any more; code blocks are coloured uncached", HIGHLIGHT)
        return None
    highlights = PageHighlights(Store(root / "pygments"), env)
    module.highlight = highlights.wrap(getattr(module.highlight, "uncached", module.highlight))
    return highlights


def cache_mkdocstrings_templates(config, root: Path, env: bytes) -> None:
    """Gives each mkdocstrings handler's Jinja environment a bytecode cache in ``.cache/jinja/mkdocstrings-NAME-KEY/``."""
    plugin = config.plugins.get(MKDOCSTRINGS)
    if plugin is None:
        return
    try:  # each handler is made by the plugin's own on_config (which reads its inventories): this only looks it up
        handlers = {name: plugin.handlers.get_handler(name).env for name in plugin.config.handlers}
    except AttributeError:
        log.warning("build cache: %s has no handlers[...].env any more; its templates are compiled uncached", MKDOCSTRINGS)
        return
    for name, jinja_env in handlers.items():
        use_bytecode_cache(jinja_env, root / "jinja", f"mkdocstrings-{name}", env)


_highlights: PageHighlights | None = None  # this build's, set by on_config


def on_config(config):
    """Puts every step this hook caches through the cache (each whose plugin or extension this build runs)."""
    global _highlights
    root = Path(config.config_file_path).parent / CACHE_DIR
    env = environment()
    cache_llmstxt(config, root, env)
    cache_search(config, root, env)
    _highlights = cache_highlighting(root, env)
    cache_mkdocstrings_templates(config, root, env)
    return config


def on_pre_page(page, config, files):
    """Reads the page's coloured code blocks before it renders."""
    if _highlights is not None:
        _highlights.start(page.file.src_uri)
    return page


def on_page_content(html, page, config, files):
    """Keeps the page's coloured code blocks once it is rendered."""
    if _highlights is not None:
        _highlights.finish()
    return html


def on_env(env, config, files):
    """Gives the theme's Jinja environment a bytecode cache in ``.cache/jinja/theme-KEY/``."""
    use_bytecode_cache(env, Path(config.config_file_path).parent / CACHE_DIR / "jinja", "theme", environment())
    return env
