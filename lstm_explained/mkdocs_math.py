"""MkDocs hook: turns the TeX of the pages into MathML at build time, so math needs no script and no network.

``pymdownx.arithmatex`` (``generic: true``) wraps each formula as
``<div class="arithmatex">\\[ ... \\]</div>`` or ``<span class="arithmatex">\\( ... \\)</span>``;
this hook replaces each wrapper with the MathML that ``latex2mathml`` makes of its TeX. Browsers
render MathML natively. Listed under ``hooks:`` in mkdocs.yml; kept out of ``docs/`` so that no
``.py`` file becomes a page.
"""

from __future__ import annotations

import html
import re

from latex2mathml.converter import convert

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


def on_page_content(content: str, **kwargs) -> str:
    """Returns the rendered page content with its math as MathML (the MkDocs ``page_content`` event)."""
    return render_math(content)
