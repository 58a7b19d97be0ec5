"""MkDocs hook: every page as readers and search see it, Markdown pages and notebooks alike.

- **Empty lines**: doctest's ``<BLANKLINE>`` markers (the page source needs them to match an empty
  output line) are shown as the empty lines Python really prints.
- **Math without a script**: TeX becomes MathML at build time, so math needs no network. On Markdown
  pages ``pymdownx.arithmatex`` (``generic: true``) wraps each formula as ``<div class="arithmatex">``
  or ``<span class="arithmatex">``; on notebook pages nbconvert leaves ``$$...$$`` and ``$...$`` in the
  markdown cells, for MathJax. Block math then scrolls inside its own box, which takes keyboard focus.
- **Figures** (every ``<img>`` of an SVG) sit in their own scroll box, inside a link to the full-size
  SVG: on a phone they keep their natural size and scroll sideways instead of shrinking.
- **Charts** drawn by matplotlib (``docs/**/*.svg`` that say so, such as the Performance page's
  ``cpu.svg``) get a dark twin, ``NAME-dark.svg``; the page shows one or the other with the site's
  light/dark toggle.
- **Search**: the API reference and the notebooks repeat every name the guides explain; they rank
  lower (Material reads ``page.meta["search"]["boost"]``).

Registered under ``hooks:`` in mkdocs.yml, after the notebooks hook.
"""

from __future__ import annotations

import html
import posixpath
import re

from latex2mathml.converter import convert
from mkdocs.structure.files import File

BLANKLINE = re.compile(r"^[ \t]*<BLANKLINE>[ \t]*$", re.M)
MARKDOWN_CELL = re.compile(r'(<div class="[^"]*jp-RenderedMarkdown[^"]*"[^>]*>)(.*?)(</div>)', re.S)
DISPLAY_MATH = re.compile(r"\$\$(?P<tex>.+?)\$\$", re.S)
INLINE_MATH = re.compile(r"(?<![\\$])\$(?P<tex>[^$\n]+?)\$")
WRAPPED_TEX = re.compile(r'<(?P<tag>div|span) class="arithmatex">(?P<tex>.*?)</(?P=tag)>', re.S)
COLUMN_ALIGN = re.compile(r'<mtd columnalign="(?P<side>left|right|center)">')
DELIMITERS = re.compile(r"^\s*(\\\[|\\\(|\$\$?)(?P<body>.*?)(\\\]|\\\)|\$\$?)\s*$", re.S)
BLOCK_MATH = re.compile(r'<math\b[^>]*\bdisplay="block"[^>]*>.*?</math>', re.S)
SVG_IMG = re.compile(r'<img\b[^>]*\bsrc="(?P<src>[^"#?]+\.svg)"[^>]*>')
# matplotlib's light colours and what they become on the dark background of Material's slate scheme.
DARK_COLOURS = {
    "fill: #ffffff": "fill: #1e2129",
    "stroke: #000000": "stroke: #d5d8e0",
    "stroke: #b0b0b0": "stroke: #8a90a0",
    "stroke: #cccccc": "stroke: #5a6070",
}
DARK_INK = "#e2e4e9"
LOW_BOOST = 0.3  # search boost of the API page and the notebooks; 1 is Material's default

_dark_twins: set[str] = set()  # dest paths (e.g. "performance/cpu.svg") that have a NAME-dark.svg


def show_blank_lines(markdown: str) -> str:
    """Returns the page's Markdown with every ``<BLANKLINE>`` line made empty."""
    return BLANKLINE.sub("", markdown)


def tex_to_mathml(tex: str, display: bool) -> str:
    """Returns the MathML ``<math>`` element of one TeX formula (no delimiters), block or inline.

    The ``alttext`` attribute keeps the TeX as a text alternative. Table cells also get their
    alignment as a style: browsers that implement MathML Core (Chromium) ignore the ``columnalign``
    attribute, which would centre every column.
    """
    mathml = convert(tex.strip(), display="block" if display else "inline")
    mathml = mathml.replace("<math", f'<math alttext="{html.escape(tex.strip())}"', 1)
    return COLUMN_ALIGN.sub(lambda m: f'{m.group(0)[:-1]} style="text-align: {m.group("side")}">', mathml)


def render_math(page_html: str) -> str:
    """Returns a Markdown page's HTML with every arithmatex formula replaced by MathML."""

    def replace(match: re.Match) -> str:
        tex = html.unescape(match.group("tex"))
        stripped = DELIMITERS.match(tex)
        return tex_to_mathml(stripped.group("body") if stripped else tex, display=match.group("tag") == "div")

    return WRAPPED_TEX.sub(replace, page_html)


def render_notebook_math(content: str) -> str:
    """Returns a notebook page's HTML with the ``$$...$$`` and ``$...$`` TeX of its markdown cells as MathML."""

    def cell(match: re.Match) -> str:
        body = DISPLAY_MATH.sub(lambda m: tex_to_mathml(html.unescape(m.group("tex")), display=True), match.group(2))
        body = INLINE_MATH.sub(lambda m: tex_to_mathml(html.unescape(m.group("tex")), display=False), body)
        return match.group(1) + body + match.group(3)

    return MARKDOWN_CELL.sub(cell, content)


def wrap_block_math(content: str) -> str:
    """Returns the page with each block formula in a focusable box that scrolls sideways on its own."""
    return BLOCK_MATH.sub(lambda m: f'<div class="math-scroll" tabindex="0" role="group" aria-label="equation">{m.group(0)}</div>', content)


def dark_name(path: str) -> str:
    """Returns the path of an SVG's dark twin: ``NAME-dark.svg`` for ``NAME.svg``."""
    return path[: -len(".svg")] + "-dark.svg"


def dark_chart(svg: str) -> str:
    """Returns a matplotlib SVG redrawn for a dark page: dark panels, light ink, the data colours kept."""
    for light, dark in DARK_COLOURS.items():
        svg = svg.replace(light, dark)
    return re.sub(r"<svg\b", f'<svg fill="{DARK_INK}" color="{DARK_INK}"', svg, count=1)  # text has no fill of its own


def figure_html(img: str, src: str, variant: str = "") -> str:
    """Returns one figure in its scroll box, inside a link to the full-size SVG."""
    cls = "figure-scroll" + (f" figure-scroll--{variant}" if variant else "")
    return (f'<span class="{cls}"><a class="figure-scroll__link" href="{html.escape(src)}" '
            f'title="Open the figure at full size">{img}</a></span>')


def wrap_figures(content: str, page_url: str, dark_twins: set[str] = _dark_twins) -> str:
    """Returns the page with each SVG figure in a scroll box (two, light and dark, for a chart with a dark twin)."""
    base = page_url if page_url.endswith("/") or not page_url else posixpath.dirname(page_url) + "/"

    def replace(match: re.Match) -> str:
        img, src = match.group(0), match.group("src")
        if posixpath.normpath(posixpath.join(base, src)) not in dark_twins:
            return figure_html(img, src)
        dark_src = dark_name(src)
        light = img.replace(f'src="{src}"', f'src="{src}#only-light"')
        dark = img.replace(f'src="{src}"', f'src="{dark_src}#only-dark"')
        return figure_html(light, src, "light") + figure_html(dark, dark_src, "dark")

    return SVG_IMG.sub(replace, content)


def search_boost(src_path: str) -> float | None:
    """Returns the search boost for a page, or None to keep the default: the API page and notebooks rank lower."""
    if src_path == "api.md" or src_path.endswith(".ipynb"):
        return LOW_BOOST
    return None


def on_files(files, config):
    """Returns the site's files with a dark twin beside every matplotlib chart in docs/."""
    _dark_twins.clear()
    for file in list(files):
        if not file.src_uri.endswith(".svg") or file.generated_by:
            continue
        svg = file.content_string
        if "matplotlib.org" not in svg[:2000]:
            continue
        files.append(File.generated(config, dark_name(file.src_uri), content=dark_chart(svg)))
        _dark_twins.add(file.dest_uri)
    return files


def on_page_markdown(markdown: str, **kwargs) -> str:
    """Returns the page's Markdown with ``<BLANKLINE>`` shown as the empty line it stands for."""
    return show_blank_lines(markdown)


def on_page_content(content: str, page, **kwargs) -> str:
    """Returns the page's HTML with math as MathML in scroll boxes, figures in scroll boxes, and its search boost set."""
    boost = search_boost(page.file.src_path)
    if boost is not None:
        page.meta.setdefault("search", {})["boost"] = boost
    content = render_notebook_math(content) if page.file.src_path.endswith(".ipynb") else render_math(content)
    return wrap_figures(wrap_block_math(content), page.url)
