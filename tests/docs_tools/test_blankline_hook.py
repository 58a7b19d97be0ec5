"""What the MkDocs hooks do to page Markdown before it is rendered."""

from __future__ import annotations

from pathlib import Path

from docs_tools.hooks.blankline import on_page_markdown

ROOT = Path(__file__).resolve().parents[2]


def test_blankline_markers_become_empty_lines():
    source = (ROOT / "docs" / "classic-tutorial.md").read_text()
    assert "<BLANKLINE>" in source, "the page keeps the marker doctest needs"
    shown = on_page_markdown(source)
    assert "BLANKLINE" not in shown
    assert shown.count("\n") == source.count("\n"), "one empty line for each marker, nothing else moves"


def test_blankline_inside_an_admonition_keeps_no_stray_indent():
    shown = on_page_markdown("    >>> print('a\\n\\nb')\n    a\n    <BLANKLINE>\n    b\n")
    assert shown == "    >>> print('a\\n\\nb')\n    a\n\n    b\n"
