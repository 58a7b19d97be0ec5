"""The search hook (docs_tools/hooks/search.py): lower boost for reference pages, no "¶" in notebook titles."""

from __future__ import annotations

from types import SimpleNamespace

from docs_tools.hooks import search as mkdocs_search


def page(src_path: str, meta: dict | None = None):
    return SimpleNamespace(file=SimpleNamespace(src_path=src_path), meta=meta if meta is not None else {})


def test_the_api_page_and_notebooks_rank_lower_and_guides_keep_the_default():
    for src in ("api.md", "notebooks/seed-retold.ipynb"):
        p = page(src, {"title": "kept"})
        mkdocs_search.on_page_content("<p>x</p>", page=p)
        assert p.meta == {"title": "kept", "search": {"boost": mkdocs_search.LOW_BOOST}}
        assert 0 < mkdocs_search.LOW_BOOST < 1
    guide = page("keras.md")
    mkdocs_search.on_page_content("<p>x</p>", page=guide)
    assert guide.meta == {}


def test_notebook_heading_anchors_stay_out_of_the_index_and_markdown_pages_are_untouched():
    heading = '<h2 id="s">Step 1<a class="anchor-link" href="#s">¶</a></h2>'
    out = mkdocs_search.on_page_content(heading, page=page("notebooks/x.ipynb"))
    assert out == '<h2 id="s">Step 1<a data-search-exclude="true" class="anchor-link" href="#s">¶</a></h2>'
    assert mkdocs_search.on_page_content(heading, page=page("errors.md")) == heading
