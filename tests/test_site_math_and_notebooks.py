"""The built site: math is MathML made at build time, notebook pages link their notebook, nothing comes from a CDN."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from lstm_explained.mkdocs_math import render_math, tex_to_mathml
from lstm_explained.mkdocs_notebooks import render_notebook_page

ROOT = Path(__file__).resolve().parent.parent
# A <link rel="canonical"> names the page's public address (site_url); it loads nothing.
EXTERNAL_RESOURCE = re.compile(
    r'<(?:script|link(?![^>]*\brel="canonical")|img|iframe|source)\b[^>]*\b(?:src|href)="(?:https?:)?//[^"]*"', re.I
)
SCRIPT_IMPORTING_A_HOST = re.compile(r"<script\b[^>]*>(?:(?!</script>).)*?(?:import\(|src=)[^<]*?https?://", re.S)


def test_tex_becomes_mathml_with_aligned_columns():
    mathml = tex_to_mathml(r"\begin{array}{rl} c_t &= f_t \odot c_{t-1} \end{array}", display=True)
    assert mathml.startswith("<math") and 'display="block"' in mathml
    assert "<msub><mi>c</mi><mi>t</mi></msub>" in mathml
    assert 'style="text-align: right"' in mathml and 'style="text-align: left"' in mathml


def test_arithmatex_wrappers_are_replaced():
    page = '<p>Step <span class="arithmatex">\\(t\\)</span>:</p><div class="arithmatex">\\[a &lt; b\\]</div>'
    rendered = render_math(page)
    assert "arithmatex" not in rendered and "\\(" not in rendered
    assert rendered.count("<math") == 2 and "<mo>&#x0003C;</mo>" in rendered  # the escaped < was unescaped first


def test_notebook_page_gets_link_mathml_and_loses_cdn_scripts():
    page = (
        '<!-- Load mathjax --><script src=""> </script><!-- End of mathjax configuration -->'
        '<script type="module">await import("https://cdn.example/mermaid.mjs")</script>'
        '<div class="jp-RenderedHTMLCommon jp-RenderedMarkdown"><p>$$h_t$$ and $x_t$</p></div>'
        '<style>.icon:before{content:"$"} .b{content:"$"}</style>'
    )
    rendered = render_notebook_page(page, "demo.ipynb")
    assert rendered.startswith('<p class="notebook-download"><a class="md-button" href="demo.ipynb" download>')
    assert "mathjax" not in rendered.lower() and "cdn.example" not in rendered
    assert rendered.count("<math") == 2
    assert 'content:"$"} .b{content:"$"}' in rendered  # dollars outside markdown cells are left alone


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """Returns the directory of a fresh ``mkdocs build --strict`` of the project."""
    out = tmp_path_factory.mktemp("site")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-d", str(out)],
        cwd=ROOT, env=env, capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return out


def test_from_scratch_equations_are_mathml(site):
    html = (site / "from-scratch" / "index.html").read_text()
    assert html.count("<math") >= 10
    assert "arithmatex" not in html and "\\sigma" not in html and "\\odot" not in html


@pytest.mark.parametrize("name", ["seed-retold", "lstm-from-scratch"])
def test_notebook_pages_link_a_downloadable_notebook(site, name):
    html = (site / "notebooks" / name / "index.html").read_text()
    link = re.search(r'<a class="md-button" href="([^"]+\.ipynb)" download>', html)
    assert link, "no download link on the notebook page"
    assert (site / "notebooks" / name / link.group(1)).is_file()
    assert "$$" not in html and "<math" in html


def test_no_page_loads_anything_from_another_host(site):
    offenders = {}
    for page in site.rglob("*.html"):
        html = page.read_text()
        found = EXTERNAL_RESOURCE.findall(html) + SCRIPT_IMPORTING_A_HOST.findall(html)
        if found:
            offenders[page.relative_to(site).as_posix()] = found[:3]
    assert not offenders
