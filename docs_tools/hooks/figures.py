"""MkDocs hook: the site's figures, drawn at build time, so no generated file is committed.

Each figure of :func:`lstm_explained.figures.site_figures` becomes ``figures/NAME.svg`` (light palette)
and ``figures/NAME-dark.svg`` (dark palette) in the built site. Pages write one image,
``![alt text](figures/NAME.svg)``; this hook turns it into the pair Material for MkDocs shows by the
site's own light/dark toggle (``#only-light`` and ``#only-dark``). Registered under ``hooks:`` in
mkdocs.yml.
"""

from __future__ import annotations

import re

from mkdocs.structure.files import File

from lstm_explained.figures import draw_all

FIGURES_DIR = "figures"
IMAGE = re.compile(r"!\[(?P<alt>[^\n]*?)\]\((?P<dir>(?:\.\./)*figures/)(?P<stem>[a-z0-9-]+)\.svg\)")  # alt text may hold output[:, 0]


def on_files(files, config):
    """Returns the site's files with every figure added as two generated SVGs, light and dark."""
    for name, svg in draw_all().items():
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
