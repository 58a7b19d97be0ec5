"""docs_tools/hooks/pages.py on its own: empty lines, MathML, scroll boxes, dark charts, search boost.

The same, checked on the built site/, is in tests/browser/test_built_html.py."""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace

from docs_tools.hooks import pages

ROOT = Path(__file__).resolve().parents[2]


def page(src_path: str, meta: dict | None = None, url: str = "x/"):
    return SimpleNamespace(file=SimpleNamespace(src_path=src_path), meta=meta if meta is not None else {}, url=url)


def test_blankline_markers_become_empty_lines():
    source = (ROOT / "docs" / "classic-tutorial.md").read_text()
    assert "<BLANKLINE>" in source, "the page keeps the marker doctest needs"
    shown = pages.on_page_markdown(source)
    assert "BLANKLINE" not in shown
    assert shown.count("\n") == source.count("\n"), "one empty line for each marker, nothing else moves"


def test_blankline_inside_an_admonition_keeps_no_stray_indent():
    shown = pages.show_blank_lines("    >>> print('a\\n\\nb')\n    a\n    <BLANKLINE>\n    b\n")
    assert shown == "    >>> print('a\\n\\nb')\n    a\n\n    b\n"


def test_tex_becomes_mathml_with_aligned_columns_and_keeps_its_tex_as_alttext():
    mathml = pages.tex_to_mathml(r"\begin{array}{rl} c_t &= f_t \odot c_{t-1} \end{array}", display=True)
    assert mathml.startswith("<math") and 'display="block"' in mathml
    assert "<msub><mi>c</mi><mi>t</mi></msub>" in mathml
    assert 'style="text-align: right"' in mathml and 'style="text-align: left"' in mathml
    mathml = pages.tex_to_mathml(r"h_t = o_t \odot \tanh(c_t)", display=True)
    assert re.match(r'<math alttext="h_t = o_t \\odot \\tanh\(c_t\)"', mathml), mathml[:80]


def test_arithmatex_wrappers_are_replaced():
    html = '<p>Step <span class="arithmatex">\\(t\\)</span>:</p><div class="arithmatex">\\[a &lt; b\\]</div>'
    rendered = pages.render_math(html)
    assert "arithmatex" not in rendered and "\\(" not in rendered
    assert rendered.count("<math") == 2 and "<mo>&#x0003C;</mo>" in rendered  # the escaped < was unescaped first


def test_notebook_math_in_markdown_cells_only():
    html = ('<div class="jp-RenderedHTMLCommon jp-RenderedMarkdown"><p>$$h_t$$ and $x_t$</p></div>'
            '<style>.icon:before{content:"$"} .b{content:"$"}</style>')
    rendered = pages.on_page_content(html, page=page("notebooks/x.ipynb"))
    assert rendered.count("<math") == 2 and rendered.count('class="math-scroll"') == 1
    assert 'content:"$"} .b{content:"$"}' in rendered  # dollars outside markdown cells are left alone


def test_block_math_scrolls_in_a_focusable_box_and_inline_math_is_left_alone():
    html = '<p><math display="inline"><mi>x</mi></math></p><math display="block"><mi>y</mi></math>'
    out = pages.wrap_block_math(html)
    assert out.count('class="math-scroll" tabindex="0"') == 1
    assert '<p><math display="inline"><mi>x</mi></math></p>' in out


def test_figures_get_a_scroll_box_and_a_link_to_the_full_svg():
    html = '<p><img alt="A grid" src="../figures/grid.svg" /></p>'
    out = pages.wrap_figures(html, "layers-directions/", dark_twins=set())
    assert out == ('<p><span class="figure-scroll"><a class="figure-scroll__link" href="../figures/grid.svg" '
                   'title="Open the figure at full size"><img alt="A grid" src="../figures/grid.svg" /></a></span></p>')


def test_a_chart_with_a_dark_twin_shows_one_per_scheme():
    out = pages.wrap_figures('<img alt="Times" src="cpu.svg" />', "performance/", dark_twins={"performance/cpu.svg"})
    assert 'class="figure-scroll figure-scroll--light"' in out and 'src="cpu.svg#only-light"' in out
    assert 'class="figure-scroll figure-scroll--dark"' in out and 'src="cpu-dark.svg#only-dark"' in out
    assert out.count('alt="Times"') == 2


def test_the_dark_chart_keeps_data_colours_and_drops_the_white_panel():
    svg = '<svg width="10"><path style="fill: #ffffff"/><path style="stroke: #000000"/><path style="fill: #1f77b4"/></svg>'
    dark = pages.dark_chart(svg)
    assert "#ffffff" not in dark and "#000000" not in dark and "#1f77b4" in dark
    assert dark.startswith(f'<svg fill="{pages.DARK_INK}"')


def test_the_api_page_and_notebooks_rank_lower_and_guides_keep_the_default():
    for src in ("api.md", "notebooks/seed-retold.ipynb"):
        p = page(src, {"title": "kept"})
        pages.on_page_content("<p>x</p>", page=p)
        assert p.meta == {"title": "kept", "search": {"boost": pages.LOW_BOOST}}
        assert 0 < pages.LOW_BOOST < 1
    guide = page("keras.md")
    pages.on_page_content("<p>x</p>", page=guide)
    assert guide.meta == {}
