"""Sharing and trust, read from the built site/: descriptions, link previews, edit links, the footer line, llms.txt.

Runs in the browser phase, on the site/ that `make site` built; no browser needed.
"""

from __future__ import annotations

import re
import struct
from html import unescape
from importlib.metadata import version

import pytest
from mkdocs.config import load_config

from docs_tools.browser.served import SITE

REPO_URL = "https://github.com/lstm-explained/lstm-explained"
META = re.compile(r'<meta (?:name|property)="(?P<key>[^"]+)" content="(?P<value>[^"]*)"')


def pages() -> dict[str, str]:
    """Returns {path under site/: HTML} for every page but 404.html."""
    return {p.relative_to(SITE).as_posix(): p.read_text() for p in sorted(SITE.rglob("index.html"))}


def meta(page_html: str) -> dict[str, str]:
    return {m["key"]: unescape(m["value"]) for m in META.finditer(page_html)}


@pytest.fixture(scope="module")
def built():
    found = pages()
    assert len(found) >= 20, sorted(found)
    return found


def test_every_page_has_its_own_description(built):
    descriptions = {path: meta(html).get("description", "") for path, html in built.items()}
    assert all(30 <= len(d) <= 200 for d in descriptions.values()), descriptions
    assert len(set(descriptions.values())) == len(descriptions), "two pages share a description"


def test_link_previews(built):
    """Open Graph and Twitter tags on every page, with the page's own title and description and a built picture."""
    for path, html in built.items():
        tags = meta(html)
        canonical = re.search(r'<link rel="canonical" href="([^"]+)"', html).group(1)
        assert tags["og:url"] == canonical, path
        assert tags["og:description"] == tags["twitter:description"] == tags["description"], path
        assert tags["og:title"] and tags["og:title"] == tags["twitter:title"], path
        assert tags["twitter:card"] == "summary_large_image", path
        image = tags["og:image"]
        assert image == tags["twitter:image"] and image.startswith("https://"), path
    card = SITE / image.split("/lstm-explained/", 1)[1]
    head = card.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n", card
    assert struct.unpack(">II", head[16:24]) == (1200, 630)


def test_the_home_page_title_says_what_the_site_is(built):
    title = re.search(r"<title>([^<]+)</title>", built["index.html"]).group(1)
    assert "nn.LSTM" in title and len(title) > 30, title


def test_repository_and_edit_links(built):
    for path, html in built.items():
        assert f'href="{REPO_URL}"' in html, path
        assert 'data-md-component="source"' not in html, "the theme would ask the GitHub API for stars on every page"
        edit = re.search(r'<a href="([^"]+)"[^>]*class="md-content__button', html)
        assert edit and edit.group(1).startswith(f"{REPO_URL}/edit/main/docs/"), path


def test_previous_and_next_links(built):
    without = [path for path, html in built.items() if "md-footer__link" not in html]
    assert without == []


def test_footer_names_the_pytorch_version_and_date_of_the_check(built):
    line = re.compile(rf"checked with PyTorch {re.escape(version('torch'))} on \d{{4}}-\d\d-\d\d")
    assert [path for path, html in built.items() if not line.search(html)] == []


def test_search_dialog_has_a_name(built):
    assert all(re.search(r'role="dialog" aria-label="[^"]+"', html) for html in built.values())


def test_math_keeps_its_tex_as_text_alternative(built):
    maths = [m for html in built.values() for m in re.findall(r"<math\b[^>]*>", html)]
    assert len(maths) > 20 and all('alttext="' in m for m in maths), [m for m in maths if "alttext" not in m][:3]


def test_charts_have_a_dark_twin(built):
    html = built["performance/index.html"]
    assert 'src="cpu.svg#only-light"' in html and 'src="cpu-dark.svg#only-dark"' in html
    dark = (SITE / "performance" / "cpu-dark.svg").read_text()
    assert "#ffffff" not in dark


def test_llms_txt_lists_every_page_of_the_nav_in_its_section():
    nav = load_config(str(SITE.parent / "mkdocs.yml")).nav

    def titled(title: str, value) -> list[tuple[str, str]]:  # (title, page) of every page under a nav entry, in order
        if isinstance(value, list):
            return [pair for item in value for inner, page in item.items() for pair in titled(inner, page)]
        return [(title, value)]

    expected = [(f"## {title}", titled(title, value)) for entry in nav for title, value in entry.items()]
    listing = (SITE / "llms.txt").read_text()
    found = re.findall(r"^(## .+)$|^- \[(.+?)\]\((https://[^)]+\.md)\)", listing, re.M)
    sections = []
    for heading, title, url in found:
        if heading:
            sections.append((heading, []))
        else:
            assert (SITE / url.split("/lstm-explained/", 1)[1]).is_file(), url
            page = url.split("/lstm-explained/", 1)[1].removesuffix("index.md").removesuffix("/") or "index"
            sections[-1][1].append((title, page))
    as_pages = [(h, [(t, p.removesuffix(".md").removesuffix(".ipynb").removesuffix("/index")) for t, p in pairs])
                for h, pairs in expected]
    assert sections == as_pages
    full = (SITE / "llms-full.txt").read_text()
    assert len(full) > 10_000 and "notebooks/seed-retold" in listing
    assert "Copied!" not in full and "¶" not in full and not re.search(r"In \\?\[1\\?\]:", full), "notebook chrome in llms-full.txt"
