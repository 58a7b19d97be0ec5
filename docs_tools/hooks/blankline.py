"""MkDocs hook: shows doctest's ``<BLANKLINE>`` markers as the empty lines Python really prints.

The page source keeps ``<BLANKLINE>`` (doctest needs it to match an empty output line);
readers see the output as PyTorch prints it. Registered in ``mkdocs.yml`` under ``hooks:``.
"""

from __future__ import annotations

import re

BLANKLINE = re.compile(r"^[ \t]*<BLANKLINE>[ \t]*$", re.M)


def on_page_markdown(markdown: str, **kwargs) -> str:
    """Returns the page's Markdown with every ``<BLANKLINE>`` line made empty."""
    return BLANKLINE.sub("", markdown)
