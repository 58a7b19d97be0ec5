"""MkDocs hook: mkdocs-llmstxt's Markdown of each page, kept in ``.cache/llmstxt/`` between builds.

mkdocs-llmstxt turns the HTML of every page into Markdown on every build (BeautifulSoup, the
``preprocess`` module, markdownify, mdformat): five of the twelve seconds of a warm
``mkdocs build``, more than any other step. That Markdown is a function of its inputs alone, so this hook wraps the plugin's
converter and keeps each page's result in one file, ``.cache/llmstxt/PAGE.json``, with the key it
was made under. The key covers everything the result depends on: the page's HTML, every argument
the plugin passes (its options, the page's paths), the bytes of the ``preprocess`` module, this
hook's own code, Python's version and the name and version of every installed distribution
(mkdocs-llmstxt, BeautifulSoup, markdownify, mdformat...). A page whose key differs is converted
as before and its file rewritten, so a change is never served stale; an empty cache (a fresh
clone, ``make clean``) only means every page is converted. One file a page: the cache never
grows past the site. Registered under ``hooks:`` in mkdocs.yml.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import sys
from pathlib import Path
from urllib.parse import quote

log = logging.getLogger("mkdocs.hooks.llmstxt_cache")
PLUGIN = "llmstxt"
CONVERTER = "_generate_page_markdown"  # mkdocs-llmstxt's HTML -> Markdown function, looked up on each call
CACHE_DIR = ".cache/llmstxt"           # beside mkdocs.yml, like mkdocs-jupyter's .cache/mkdocs-jupyter


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
    """Returns what every page's key shares: this hook's code, Python's version, the installed distributions."""
    parts = [Path(__file__).read_bytes(), sys.version.encode(), "\n".join(installed_distributions()).encode()]
    return b"\0".join(parts)


def page_key(env: bytes, html: str, args: tuple, options: dict) -> str:
    """Returns the key of one conversion: ``env``, the HTML, the arguments, and the preprocess module's bytes."""
    digest = hashlib.sha256(env + b"\0")
    digest.update(json.dumps([args, options], sort_keys=True, default=repr).encode() + b"\0")
    if options.get("preprocess"):
        digest.update(Path(options["preprocess"]).read_bytes() + b"\0")
    digest.update(html.encode())
    return digest.hexdigest()


def cached(convert, cache_dir: Path, env: bytes):
    """Returns ``convert`` (html, ...) -> Markdown, reading and writing each page's result in ``cache_dir``."""

    def convert_cached(html: str, *args, **options) -> str:
        key = page_key(env, html, args, options)
        entry = cache_dir / f"{quote(str(options.get('page_uri', key)), safe='')}.json"
        try:
            stored = json.loads(entry.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            stored = {}
        if stored.get("key") == key:
            return stored["markdown"]
        markdown = convert(html, *args, **options)
        cache_dir.mkdir(parents=True, exist_ok=True)
        partial = entry.with_name(entry.name + f".{os.getpid()}.tmp")
        partial.write_text(json.dumps({"key": key, "markdown": markdown}), encoding="utf-8")
        os.replace(partial, entry)  # never a half-written entry, even if the build is stopped
        return markdown

    convert_cached.uncached = convert
    return convert_cached


def on_config(config):
    """Wraps mkdocs-llmstxt's converter with the cache (when the plugin is on: ``make serve`` turns it off)."""
    plugin = config.plugins.get(PLUGIN)
    if plugin is None:
        return config
    module = sys.modules[type(plugin).__module__]
    convert = getattr(module, CONVERTER, None)
    if convert is None:  # a strict build fails on this warning: the hook needs updating for the new plugin
        log.warning("llmstxt cache: %s has no %s any more; pages are converted uncached", module.__name__, CONVERTER)
        return config
    convert = getattr(convert, "uncached", convert)  # mkdocs serve loads the config again on every rebuild
    cache_dir = Path(config.config_file_path).parent / CACHE_DIR
    setattr(module, CONVERTER, cached(convert, cache_dir, environment()))
    return config
