"""The math and notebook hooks on their own: TeX becomes MathML, notebook pages get a download link and lose CDN scripts.

The same, checked on the built site/, is in tests/browser/test_built_html.py (after `make site`)."""

from __future__ import annotations

from docs_tools.hooks.mathml import render_math, render_notebook_math, tex_to_mathml
from docs_tools.hooks.notebooks import render_notebook_page


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
    rendered = render_notebook_math(render_notebook_page(page, "demo.ipynb"))
    assert rendered.startswith('<p class="notebook-download"><a class="md-button" href="demo.ipynb" download>')
    assert "mathjax" not in rendered.lower() and "cdn.example" not in rendered
    assert rendered.count("<math") == 2
    assert 'content:"$"} .b{content:"$"}' in rendered  # dollars outside markdown cells are left alone
