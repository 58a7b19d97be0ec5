"""The built site/ as files: math is MathML made at build time, notebook math too, nothing loads from a CDN.

Runs in the browser phase, after `make site` has built site/ (the same build the browser tests serve).
"""

from __future__ import annotations

import re

from docs_tools.browser.served import SITE

# A <link rel="canonical"> names the page's public address (site_url); it loads nothing.
EXTERNAL_RESOURCE = re.compile(
    r'<(?:script|link(?![^>]*\brel="canonical")|img|iframe|source)\b[^>]*\b(?:src|href)="(?:https?:)?//[^"]*"', re.I
)
SCRIPT_IMPORTING_A_HOST = re.compile(r"<script\b[^>]*>(?:(?!</script>).)*?(?:import\(|src=)[^<]*?https?://", re.S)


def test_from_scratch_equations_are_mathml():
    html = re.sub(r'alttext="[^"]*"', "", (SITE / "from-scratch" / "index.html").read_text())  # the TeX kept as text alternative
    assert html.count("<math") >= 10
    assert "arithmatex" not in html and "\\sigma" not in html and "\\odot" not in html


def test_notebook_math_is_mathml():
    pages = list((SITE / "notebooks").glob("*/index.html"))
    assert pages, "no notebook page in site/"
    for page in pages:
        html = page.read_text()
        assert "$$" not in html and "<math" in html, page


def test_notebook_pages_hold_their_executed_outputs():
    """The build ran every notebook (a failing cell fails it: allow_errors is false); its outputs are on the page."""
    notebooks = sorted(p.stem for p in (SITE.parent / "docs" / "notebooks").glob("*.ipynb"))
    assert notebooks
    for name in notebooks:
        html = (SITE / "notebooks" / name / "index.html").read_text()
        assert html.count("jp-OutputArea-output") >= 3, f"{name}: no executed output in the built page"
        assert "grad_fn=" not in html, f"{name}: an output names a grad_fn, which depends on the backend"
        assert "Traceback (most recent call last)" not in html, f"{name}: a cell raised"


def test_no_page_loads_anything_from_another_host():
    offenders = {}
    for page in SITE.rglob("*.html"):
        html = page.read_text()
        found = EXTERNAL_RESOURCE.findall(html) + SCRIPT_IMPORTING_A_HOST.findall(html)
        if found:
            offenders[page.relative_to(SITE).as_posix()] = found[:3]
    assert not offenders
