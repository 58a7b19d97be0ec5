"""MkDocs hook: the built pages for every reader, whatever the screen, scheme or input.

- **Figures** (every ``<img>`` of an SVG in a page) sit in their own scroll box, inside a link to
  the full-size SVG: on a phone they keep their natural size (text stays legible, at 11 px and
  more) and scroll sideways in their box instead of shrinking.
- **Charts** drawn by matplotlib (``docs/**/*.svg`` that say so, such as the Performance page's
  ``cpu.svg``) get a dark twin, ``NAME-dark.svg``, made at build time; the page shows one or the
  other with the site's light/dark toggle, whatever scheme the browser gives an ``<img>``.
- **Block math** scrolls inside its own box, which takes keyboard focus, never the page.
- **Notebook pages**: code cells, which scroll, take keyboard focus; the page's description
  comes from the notebook's ``metadata.description``, as Markdown pages take it from front matter.

Registered under ``hooks:`` in mkdocs.yml, after the math hook (it wraps the MathML that makes).
"""

from __future__ import annotations

import html
import json
import posixpath
import re

from mkdocs.structure.files import File

SVG_IMG = re.compile(r'<img\b[^>]*\bsrc="(?P<src>[^"#?]+\.svg)"[^>]*>')
BLOCK_MATH = re.compile(r'<math\b[^>]*\bdisplay="block"[^>]*>.*?</math>', re.S)
NOTEBOOK_CODE = re.compile(r'<div class="highlight-ipynb( [^"]*)?"')
# matplotlib's light colours and what they become on the dark background of Material's slate scheme.
DARK_COLOURS = {
    "fill: #ffffff": "fill: #1e2129",
    "stroke: #000000": "stroke: #d5d8e0",
    "stroke: #b0b0b0": "stroke: #8a90a0",
    "stroke: #cccccc": "stroke: #5a6070",
}
DARK_INK = "#e2e4e9"

_dark_twins: set[str] = set()  # dest paths (e.g. "performance/cpu.svg") that have a NAME-dark.svg


def dark_name(path: str) -> str:
    return path[: -len(".svg")] + "-dark.svg"


def dark_chart(svg: str) -> str:
    """Returns a matplotlib SVG redrawn for a dark page: dark panels, light ink, the data colours kept."""
    for light, dark in DARK_COLOURS.items():
        svg = svg.replace(light, dark)
    return re.sub(r"<svg\b", f'<svg fill="{DARK_INK}" color="{DARK_INK}"', svg, count=1)  # text has no fill of its own


def on_files(files, config):
    """Adds a dark twin beside every matplotlib chart in docs/."""
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


def _resolve(page_url: str, src: str) -> str:
    base = page_url if page_url.endswith("/") or not page_url else posixpath.dirname(page_url) + "/"
    return posixpath.normpath(posixpath.join(base, src))


def figure_html(img: str, src: str, variant: str = "") -> str:
    """Returns one figure in its scroll box, inside a link to the full-size SVG."""
    cls = "figure-scroll" + (f" figure-scroll--{variant}" if variant else "")
    return (f'<span class="{cls}"><a class="figure-scroll__link" href="{html.escape(src)}" '
            f'title="Open the figure at full size">{img}</a></span>')


def wrap_figures(content: str, page_url: str) -> str:
    """Returns the page with each SVG figure in a scroll box (two, light and dark, for a chart with a dark twin)."""

    def replace(match: re.Match) -> str:
        img, src = match.group(0), match.group("src")
        if _resolve(page_url, src) not in _dark_twins:
            return figure_html(img, src)
        dark_src = dark_name(src)
        light = img.replace(f'src="{src}"', f'src="{src}#only-light"')
        dark = img.replace(f'src="{src}"', f'src="{dark_src}#only-dark"')
        return figure_html(light, src, "light") + figure_html(dark, dark_src, "dark")

    return SVG_IMG.sub(replace, content)


def wrap_block_math(content: str) -> str:
    """Returns the page with each block formula in a focusable box that scrolls sideways on its own."""
    return BLOCK_MATH.sub(lambda m: f'<div class="math-scroll" tabindex="0" role="group" aria-label="equation">{m.group(0)}</div>', content)


def focusable_notebook_code(content: str) -> str:
    """Returns a notebook page whose code cells (which scroll sideways) take keyboard focus."""
    return NOTEBOOK_CODE.sub(lambda m: m.group(0) + ' tabindex="0" role="group" aria-label="code cell"', content)


def on_page_content(content, page, config, files):
    """Reworks the page's HTML for phones, keyboards and both colour schemes."""
    if page.file.src_uri.endswith(".ipynb"):
        content = focusable_notebook_code(content)
        metadata = json.loads(page.file.content_string).get("metadata", {})
        if metadata.get("description") and not page.meta.get("description"):
            page.meta["description"] = metadata["description"]
    content = wrap_block_math(content)
    return wrap_figures(content, page.url)
