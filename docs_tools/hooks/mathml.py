"""MkDocs hook: turns the TeX of every page into MathML at build time, so math needs no script and no network.

On Markdown pages, ``pymdownx.arithmatex`` (``generic: true``) wraps each formula as
``<div class="arithmatex">\\[ ... \\]</div>`` or ``<span class="arithmatex">\\( ... \\)</span>``.
On notebook pages, nbconvert leaves the TeX of markdown cells as ``$$...$$`` and ``$...$`` for
MathJax (which would come from a CDN). This hook replaces each with the MathML that ``latex2mathml``
makes of its TeX; browsers render MathML natively.
"""

from __future__ import annotations

import html
import re

from latex2mathml.converter import convert

MARKDOWN_CELL = re.compile(r'(<div class="[^"]*jp-RenderedMarkdown[^"]*"[^>]*>)(.*?)(</div>)', re.S)
DISPLAY_MATH = re.compile(r"\$\$(?P<tex>.+?)\$\$", re.S)
INLINE_MATH = re.compile(r"(?<![\\$])\$(?P<tex>[^$\n]+?)\$")
WRAPPED_TEX = re.compile(r'<(?P<tag>div|span) class="arithmatex">(?P<tex>.*?)</(?P=tag)>', re.S)
COLUMN_ALIGN = re.compile(r'<mtd columnalign="(?P<side>left|right|center)">')
DELIMITERS = re.compile(r"^\s*(\\\[|\\\(|\$\$?)(?P<body>.*?)(\\\]|\\\)|\$\$?)\s*$", re.S)


def tex_to_mathml(tex: str, display: bool) -> str:
    """Returns the MathML ``<math>`` element of one TeX formula (no delimiters), block or inline.

    The ``alttext`` attribute keeps the TeX as a text alternative. Table cells also get their
    alignment as a style: browsers that implement MathML Core
    (Chromium) ignore the ``columnalign`` attribute, which would centre every column.
    """
    mathml = convert(tex.strip(), display="block" if display else "inline")
    mathml = mathml.replace("<math", f'<math alttext="{html.escape(tex.strip())}"', 1)  # the TeX, for readers without MathML
    return COLUMN_ALIGN.sub(lambda m: f'{m.group(0)[:-1]} style="text-align: {m.group("side")}">', mathml)


def _replace(match: re.Match) -> str:
    """Returns the MathML for one arithmatex wrapper found in the page."""
    tex = html.unescape(match.group("tex"))
    stripped = DELIMITERS.match(tex)
    body = stripped.group("body") if stripped else tex
    return tex_to_mathml(body, display=match.group("tag") == "div")


def render_math(page_html: str) -> str:
    """Returns the page's HTML with every arithmatex formula replaced by MathML."""
    return WRAPPED_TEX.sub(_replace, page_html)


def markdown_math_to_mathml(cell_html: str) -> str:
    """Returns a notebook's rendered markdown cell with its ``$$...$$`` and ``$...$`` TeX replaced by MathML."""
    cell_html = DISPLAY_MATH.sub(lambda m: tex_to_mathml(html.unescape(m.group("tex")), display=True), cell_html)
    return INLINE_MATH.sub(lambda m: tex_to_mathml(html.unescape(m.group("tex")), display=False), cell_html)


def render_notebook_math(content: str) -> str:
    """Returns a notebook page's HTML with the TeX of its markdown cells as MathML."""
    return MARKDOWN_CELL.sub(lambda m: m.group(1) + markdown_math_to_mathml(m.group(2)) + m.group(3), content)


def on_page_content(content: str, page, **kwargs) -> str:
    """Returns the rendered page content with its math as MathML (the MkDocs ``page_content`` event)."""
    if page.file.src_path.endswith(".ipynb"):
        return render_notebook_math(content)
    return render_math(content)
