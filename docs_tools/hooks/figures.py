"""MkDocs hook: draws the site's figures at build time, so no generated file is committed.

Registered in ``mkdocs.yml`` under ``hooks:``. Each figure of
:func:`lstm_explained.figures.site_figures` becomes ``figures/NAME.svg`` in the built site,
and pages link to it as ``![alt text](figures/NAME.svg)``.
"""

from __future__ import annotations

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files

from lstm_explained.figures import site_figures

FIGURES_DIR = "figures"


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Returns the site's files with every figure added as a generated SVG."""
    for figure in site_figures():
        path = f"{FIGURES_DIR}/{figure.name}"
        if files.get_file_from_path(path) is not None:
            raise ValueError(f"docs/{path} exists: figures are generated at build time, delete the file")
        files.append(File.generated(config, path, content=figure.draw()))
    return files
