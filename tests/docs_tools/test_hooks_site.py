"""docs_tools/hooks/site.py on its own: the footer line, llms.txt's sections from the nav, the link-preview picture."""

from __future__ import annotations

from importlib.metadata import version

from docs_tools.hooks import site


def test_footer_line_names_this_torch_and_the_build_date(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01 00:00 UTC
    line = site.checked_with()
    assert line == f"Every output on this site checked with PyTorch {version('torch')} on 2026-01-01."


def test_nav_sections_keep_the_nav_order_and_every_page():
    nav = [{"Home": "index.md"}, "loose.md",
           {"Guide": [{"One": "a.md"}, {"Nested": [{"Two": "b.md"}, "c.md"]}]}, {"Reference": "api.md"}]
    assert site.nav_sections(nav) == {"Home": ["index.md"], "loose.md": ["loose.md"],
                                      "Guide": ["a.md", "b.md", "c.md"], "Reference": ["api.md"]}


def test_social_card_is_a_png_of_the_announced_size():
    png = site.draw_card("Title", "A subtitle long enough to wrap onto a second line of the card, and more.")
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert int.from_bytes(png[16:20], "big") == site.WIDTH and int.from_bytes(png[20:24], "big") == site.HEIGHT
