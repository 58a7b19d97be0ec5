"""MkDocs hook: mkdocs-jupyter's notebook cache, keyed on our package's code and torch's version too.

mkdocs-jupyter keys each executed notebook on the notebook's own bytes and its
options. A notebook that imports ``lstm_explained`` would then keep showing the
outputs of the old code after the package (or torch) changed. This hook moves the
cache into a subfolder named after a hash of ``lstm_explained/**/*.py`` and the
installed torch version, and deletes the folders (and loose entries) of any other
key. It runs on every build, ``mkdocs serve`` rebuilds included, however mkdocs
was started.

mkdocs-jupyter also deletes, after each build, every entry that build did not use. A
``mkdocs serve --dirty`` rebuild (``make serve``) renders only the page that changed, so
the first rebuild after a Markdown edit deleted every notebook's entry, and the next
``make site`` executed the notebooks again. When a build skipped a notebook page, this
hook marks the key's entries as used; the next full build evicts what is stale.
"""

from __future__ import annotations

import hashlib
import logging
import shutil
import sys
from importlib import metadata
from pathlib import Path

from mkdocs.plugins import event_priority

log = logging.getLogger("mkdocs.hooks.notebook_cache")
PACKAGE = "lstm_explained"
PREFIX = "key-"
_notebooks: set[str] = set()  # this build's notebook pages (src_uri)
_rendered: set[str] = set()   # ... and those it rendered (a --dirty build skips unchanged pages)


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
        elif entry.is_file() and entry.suffix == ".json":  # written before this hook keyed the cache
            entry.unlink()
            removed.append(entry)
    return removed


def on_config(config):
    """Returns the config with mkdocs-jupyter's ``cache_dir`` pointing at the current key's folder."""
    plugin = config.plugins.get("mkdocs-jupyter")
    if plugin is None or not plugin.config["cache"]:
        return config
    configured = Path(plugin.config["cache_dir"])
    base = configured.parent if configured.name.startswith(PREFIX) else configured
    package_dir = Path(config.config_file_path).parent / PACKAGE
    keyed = base / f"{PREFIX}{cache_key(package_dir, torch_version())}"
    for entry in evict_other_keys(base, keyed):
        log.info("notebook cache: dropped %s (package or torch changed)", entry)
    plugin.config["cache_dir"] = str(keyed)
    return config


def on_files(files, config):
    """Notes the notebook pages of this build."""
    _notebooks.clear()
    _rendered.clear()
    _notebooks.update(f.src_uri for f in files.documentation_pages() if f.src_uri.endswith(".ipynb"))
    return files


def on_pre_page(page, config, files):
    """Notes each notebook page this build renders (mkdocs-jupyter takes its entry from the cache, or writes it)."""
    if page.file.src_uri in _notebooks:
        _rendered.add(page.file.src_uri)
    return page


@event_priority(50)  # before mkdocs-jupyter's on_post_build, which deletes the entries this build did not use
def on_post_build(config):
    """After a build that skipped a notebook page, marks the current key's entries as used so that they are kept."""
    plugin = config.plugins.get("mkdocs-jupyter")
    skipped = _notebooks - _rendered
    if plugin is None or not plugin.config["cache"] or not skipped:
        return
    used = getattr(plugin, "_used_cache_paths", None)
    if used is None:  # a strict build fails on this warning: the hook needs updating for the new plugin
        log.warning("notebook cache: mkdocs-jupyter has no _used_cache_paths any more; a --dirty build may empty the cache")
        return
    used.update(Path(plugin.config["cache_dir"]).glob("*.json"))
    log.info("notebook cache: kept the entries of %d notebook(s) this build did not render", len(skipped))
