"""MkDocs hook for the site's search: reference pages rank below the guides, and titles carry no "¶".

- The API reference and the notebooks repeat every name the guides explain, and outranked the
  page that answers a question. Their search entries get a lower ``boost`` (Material reads
  ``page.meta["search"]["boost"]``; below 1 ranks a page lower).
- nbconvert ends each notebook heading with ``<a class="anchor-link">¶</a>``. Material's search
  drops its own ``headerlink`` anchors from section titles, not nbconvert's, so notebook results
  read "Step 1: the weights¶". ``data-search-exclude`` keeps the anchor out of the index; the
  search plugin removes the attribute from the page afterwards.

Listed under ``hooks:`` in mkdocs.yml; kept out of ``docs/`` so that no ``.py`` file becomes a page.
"""

from __future__ import annotations

import re

# Search boost per page (src path relative to docs/); a page not listed keeps Material's default, 1.
LOW_BOOST = 0.3
ANCHOR_LINK = re.compile(r'<a class="anchor-link"')


def search_boost(src_path: str) -> float | None:
    """Returns the search boost for a page, or None to keep the default: the API page and notebooks rank lower."""
    if src_path == "api.md" or src_path.endswith(".ipynb"):
        return LOW_BOOST
    return None


def exclude_anchor_links(content: str) -> str:
    """Returns the HTML with nbconvert's heading anchors ("¶") marked to stay out of the search index."""
    return ANCHOR_LINK.sub('<a data-search-exclude="true" class="anchor-link"', content)


def on_page_content(content: str, page, **kwargs) -> str:
    """Returns the page content with its search settings applied (the MkDocs ``page_content`` event)."""
    boost = search_boost(page.file.src_path)
    if boost is not None:
        page.meta.setdefault("search", {})["boost"] = boost
    if page.file.src_path.endswith(".ipynb"):
        content = exclude_anchor_links(content)
    return content
