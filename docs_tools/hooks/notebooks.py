"""MkDocs hook for the notebook pages that mkdocs-jupyter renders.

- **Its cache, keyed on our code too.** mkdocs-jupyter keeps each executed notebook in its cache,
  keyed on the notebook's own bytes and its options. A notebook that imports ``lstm_explained``
  would then keep showing the outputs of old code after the package (or torch) changed. The
  plugin's public ``cache_dir`` option is pointed at a subfolder named after a hash of
  ``lstm_explained/**/*.py``, torch's version and Python's; the folders of other keys are removed.
  This runs on every build, ``mkdocs serve`` rebuilds included.
- **A download link**: the notebook is copied beside its page (``include_source: true``), but the
  theme shows no link to it.
- **No script from another host**: nbconvert's MathJax loader (empty, with ``custom_mathjax_url:
  ""``; the math becomes MathML in the pages hook) and its mermaid loader are dropped.
- **Keyboard and search**: code cells, which scroll sideways, take keyboard focus; nbconvert's heading
  anchors ("¶") stay out of the search index (the search plugin removes ``data-search-exclude``
  from the page afterwards); the page's description comes from the notebook's
  ``metadata.description``, as Markdown pages take it from front matter.

Registered under ``hooks:`` in mkdocs.yml, before the pages hook.
"""

from __future__ import annotations

import hashlib
import html
import json
import logging
import os
import re
import shutil
import sys
from importlib import metadata
from pathlib import Path

log = logging.getLogger("mkdocs.hooks.notebooks")
PACKAGE = "lstm_explained"
PREFIX = "key-"
MATHJAX_LOADER = re.compile(r"<!-- Load mathjax -->.*?<!-- End of mathjax configuration -->", re.S)
SCRIPT = re.compile(r"<script\b[^>]*>.*?</script>", re.S)
NOTEBOOK_CODE = re.compile(r'<div class="highlight-ipynb( [^"]*)?"')
ANCHOR_LINK = re.compile(r'<a class="anchor-link"')


def torch_version() -> str:
    """Returns the installed torch's version, read from its metadata (no import), or ``absent``."""
    try:
        return metadata.version("torch")
    except metadata.PackageNotFoundError:
        return "absent"


def cache_key(package_dir: Path, torch: str, python: str = f"{sys.version_info[0]}.{sys.version_info[1]}") -> str:
    """Returns a short hex digest of every ``.py`` file under ``package_dir`` (names and bytes), torch's and Python's versions."""
    digest = hashlib.sha256()
    for path in sorted(package_dir.rglob("*.py")):
        digest.update(path.relative_to(package_dir).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    digest.update(f"torch={torch}\0python={python}".encode())
    return digest.hexdigest()[:16]


def evict_other_keys(base: Path, keep: Path) -> list[Path]:
    """Returns the cache entries removed from ``base``: other keys' folders and unkeyed ``*.json`` entries."""
    removed = []
    if not base.is_dir():
        return removed
    for entry in base.iterdir():
        if entry.is_dir() and entry.name.startswith(PREFIX) and entry != keep:
            shutil.rmtree(entry)
            removed.append(entry)
        elif entry.is_file() and entry.suffix == ".json":  # written by mkdocs-jupyter without this hook
            entry.unlink()
            removed.append(entry)
    return removed


def download_link(notebook_name: str) -> str:
    """Returns the HTML of a button that downloads the notebook copied beside the page."""
    name = html.escape(notebook_name)
    return f'<p class="notebook-download"><a class="md-button" href="{name}" download>Download the notebook ({name})</a></p>\n'


def render_notebook_page(content: str, notebook_name: str) -> str:
    """Returns a notebook page's HTML with a download link, no script from another host, focusable code and unindexed anchors."""
    content = MATHJAX_LOADER.sub("", content)
    content = SCRIPT.sub(lambda m: "" if "://" in m.group(0) else m.group(0), content)  # e.g. nbconvert's mermaid loader
    content = NOTEBOOK_CODE.sub(lambda m: m.group(0) + ' tabindex="0" role="group" aria-label="code cell"', content)
    content = ANCHOR_LINK.sub('<a data-search-exclude="true" class="anchor-link"', content)
    return download_link(notebook_name) + content


def on_config(config):
    """Returns the config with mkdocs-jupyter's ``cache_dir`` pointing at the current key's folder."""
    plugin = config.plugins.get("mkdocs-jupyter")
    if plugin is None or not plugin.config["cache"]:
        return config
    configured = Path(plugin.config["cache_dir"])
    base = configured.parent if configured.name.startswith(PREFIX) else configured
    keyed = base / f"{PREFIX}{cache_key(Path(config.config_file_path).parent / PACKAGE, torch_version())}"
    for entry in evict_other_keys(base, keyed):
        log.info("notebook cache: dropped %s (package or torch changed)", entry)
    plugin.config["cache_dir"] = str(keyed)
    return config


def on_page_content(content: str, page, **kwargs) -> str:
    """Returns the page content, reworked when the page is a notebook; its description taken from the notebook."""
    if not page.file.src_uri.endswith(".ipynb"):
        return content
    description = json.loads(page.file.content_string).get("metadata", {}).get("description")
    if description and not page.meta.get("description"):
        page.meta["description"] = description
    return render_notebook_page(content, os.path.basename(page.file.src_uri))
