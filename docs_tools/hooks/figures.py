"""MkDocs hook: draws the site's figures at build time, so no generated file is committed.

Registered in ``mkdocs.yml`` under ``hooks:``. Each figure of
:func:`site_figures` (below) becomes ``figures/NAME.svg`` (light palette) and
``figures/NAME-dark.svg`` (dark palette) in the built site. Pages write one image,
``![alt text](figures/NAME.svg)``; this hook turns it into the pair Material for MkDocs shows
by the site's own light/dark toggle (``#only-light`` and ``#only-dark``).

Drawing needs ``lstm_explained``, and so torch: importing it was a sixth of a warm build. The
drawn SVGs are kept in ``.cache/figures/KEY.json``, KEY a hash of this file (which lists the
figures), every ``.py`` file of the ``lstm_explained`` that Python would import, and the torch
and Python versions; a build whose key is there neither draws nor imports torch. Only a build
that imports the package itself writes the cache, after checking the key again: a package
imported earlier in the process (``mkdocs serve`` after an edit, a test) may be older than the
files the key was made of.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import re
import sys
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:  # mkdocs is imported only by the build, not by the docs tests that read the figure list
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files

    from lstm_explained import LSTMConfig

FIGURES_DIR = "figures"
PACKAGE = "lstm_explained"
CACHE_DIR = ".cache/figures"  # beside mkdocs.yml
IMAGE = re.compile(r"!\[(?P<alt>[^\n]*?)\]\((?P<dir>(?:\.\./)*figures/)(?P<stem>[a-z0-9-]+)\.svg\)")  # alt text may hold output[:, 0]


@dataclass(frozen=True)
class Figure:
    """One figure of the site: its file name, what it draws, the module and input it draws, its alt text.

    ``cfg`` and ``input_shape`` are the module and the input of the examples beside the figure:
    the page declares the figure with ``<!-- figure: NAME module=VAR input=VAR -->``, naming
    the variables its examples use, and the docs check fails when they differ
    (:mod:`docs_tools.figure_check`).
    """

    name: str
    kind: str  # "state-grid" (layers x time steps) or "input-layout" (sequences x time steps)
    cfg: LSTMConfig
    input_shape: tuple[int, ...]
    alt: str

    def draw(self, theme: str = "light") -> str:
        """Returns the SVG of this figure in the ``light`` or ``dark`` palette."""
        from lstm_explained import expected_shapes
        from lstm_explained.figures import input_layout_svg, state_grid_svg

        if self.kind == "state-grid":
            shapes = expected_shapes(self.cfg, self.input_shape)
            names = dict(zip(shapes.names["input"], shapes.input))
            return state_grid_svg(self.cfg, seq_len=names["L"], batch=names.get("N", 1), theme=theme)
        if self.kind == "input-layout":
            return input_layout_svg(self.cfg, self.input_shape, theme=theme)
        raise ValueError(f"unknown figure kind {self.kind!r}")


def site_figures() -> list[Figure]:
    """Returns every figure the site uses, each with the module and input of the examples beside it.

    A page shows ``figures/NAME.svg`` (and, for the dark palette, ``figures/NAME-dark.svg``)
    after declaring it with ``<!-- figure: NAME.svg module=VAR input=VAR -->``.
    """
    from lstm_explained import LSTMConfig

    return [
        Figure(
            "quick-start-two-layers.svg", "state-grid", LSTMConfig(3, 5, num_layers=2, batch_first=True), (2, 7, 3),
            "Two layers of seven hidden states each, t = 0 to 6, for one sequence n of the batch. Only layer 1, the "
            "top layer, is filled: its states are output[n, 0] to output[n, 6]. The last state of each layer is "
            "outlined: h_n[0, n] is layer 0 at t = 6, h_n[1, n] is layer 1 at t = 6.",
        ),
        Figure(
            "bulk-vs-loop-one-layer.svg", "state-grid", LSTMConfig(3, 5), (6, 2, 3),
            "One layer of six hidden states, t = 0 to 5, joined by arrows: each time step hands its (h, c) to the next, "
            "starting from h_0[0], c_0[0]. All six are filled: they are output[0] to output[5]. The last one is "
            "outlined and labelled h_n[0].",
        ),
        Figure(
            "layers-three-layers.svg", "state-grid", LSTMConfig(3, 4, num_layers=3), (5, 2, 3),
            "Three layers of five hidden states each, t = 0 to 4, with the input x_0 to x_4 at the bottom and arrows "
            "going up from each layer to the next. Only layer 2, the top layer, is filled: output is layer 2's states, "
            "output[0] to output[4]. The last state of each layer is outlined: h_n[0], h_n[1] and h_n[2], all at t = 4.",
        ),
        Figure(
            "layers-bidirectional.svg", "state-grid", LSTMConfig(3, 4, num_layers=2, bidirectional=True), (5, 2, 3),
            "Two layers, each with a forward and a backward direction, over five time steps. Both directions of "
            "layer 1 are filled: output holds them side by side. Forward directions run left to right and end at "
            "t = 4 (h_n[0], h_n[2]); backward directions run right to left and end at t = 0 (h_n[1], h_n[3]).",
        ),
        Figure(
            "seed-mistake-input.svg", "input-layout", LSTMConfig(3, 5, batch_first=True), (7, 1, 3),
            "The seed's input of shape (7, 1, 3) read with batch_first=True: seven sequences of one time step each. "
            "Each sequence starts from its own h_0[:, n] and ends in its own h_n[:, n]; no arrow connects one "
            "sequence to the next.",
        ),
        Figure(
            "seed-fix-batch-first.svg", "input-layout", LSTMConfig(3, 5, batch_first=True), (1, 7, 3),
            "The sentence as an input of shape (1, 7, 3) with batch_first=True: one sequence of seven time steps, "
            "cells labelled x[0, t]; the state flows along the sequence from h_0[:, 0] to h_n[:, 0].",
        ),
        Figure(
            "seed-fix-time-major.svg", "input-layout", LSTMConfig(3, 5), (7, 1, 3),
            "The same sentence as a time-major input of shape (7, 1, 3) with the default batch_first=False: "
            "the same one sequence of seven time steps, but each cell is picked out as x[t, 0].",
        ),
    ]


def dark_name(name: str) -> str:
    """Returns the file name of a figure's dark version: ``NAME-dark.svg`` for ``NAME.svg``."""
    return name.removesuffix(".svg") + "-dark.svg"


def draw_all() -> dict[str, str]:
    """Returns the SVG of every figure file, light and dark, by file name (imports ``lstm_explained``)."""
    return {name: figure.draw(theme) for figure in site_figures()
            for name, theme in ((figure.name, "light"), (dark_name(figure.name), "dark"))}


def package_dir() -> Path | None:
    """Returns the folder of the ``lstm_explained`` that ``import`` would load (found without running it), or None."""
    spec = importlib.util.find_spec(PACKAGE)
    return Path(spec.submodule_search_locations[0]) if spec and spec.submodule_search_locations else None


def cache_key(package: Path | None, hook: Path = Path(__file__)) -> str:
    """Returns a hex digest of the hook's bytes, every ``.py`` file of ``package`` (names and bytes), torch's and Python's versions."""
    digest = hashlib.sha256(hook.read_bytes() + b"\0")
    for path in sorted(package.rglob("*.py")) if package else ():
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    try:
        torch = metadata.version("torch")
    except metadata.PackageNotFoundError:
        torch = "absent"
    digest.update(f"torch={torch}\0python={sys.version}".encode())
    return digest.hexdigest()[:16]


def cached_figures(cache_dir: Path, key: Callable[[], str], draw: Callable[[], dict[str, str]] = draw_all) -> dict[str, str]:
    """Returns every figure file's SVG by name: read from ``cache_dir/KEY.json``, else drawn (and kept when safe)."""
    before = key()
    entry = cache_dir / f"{before}.json"
    try:
        return json.loads(entry.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        pass
    fresh_import = PACKAGE not in sys.modules  # the draw loads the files the key was made of
    drawn = draw()
    if fresh_import and key() == before:  # and no file changed while it drew
        cache_dir.mkdir(parents=True, exist_ok=True)
        partial = entry.with_name(f"{entry.name}.{os.getpid()}.tmp")
        partial.write_text(json.dumps(drawn), encoding="utf-8")
        os.replace(partial, entry)  # never a half-written entry
        for old in cache_dir.glob("*.json"):  # other keys' drawings: the package, the figures or torch changed
            if old != entry:
                old.unlink()
    return drawn


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Returns the site's files with every figure added as two generated SVGs, light and dark."""
    from mkdocs.structure.files import File

    cache_dir = Path(config.config_file_path).parent / CACHE_DIR
    for name, svg in cached_figures(cache_dir, lambda: cache_key(package_dir())).items():
        path = f"{FIGURES_DIR}/{name}"
        if files.get_file_from_path(path) is not None:
            raise ValueError(f"docs/{path} exists: figures are generated at build time, delete the file")
        files.append(File.generated(config, path, content=svg))
    return files


def themed_images(markdown: str) -> str:
    """Returns the Markdown with each ``![alt](figures/NAME.svg)`` shown in the palette the site's toggle picks."""
    return IMAGE.sub(
        lambda m: f"![{m['alt']}]({m['dir']}{m['stem']}.svg#only-light)![{m['alt']}]({m['dir']}{m['stem']}-dark.svg#only-dark)",
        markdown,
    )


def on_page_markdown(markdown: str, **kwargs) -> str:
    """Returns the page's Markdown with its figures in both palettes."""
    return themed_images(markdown)
