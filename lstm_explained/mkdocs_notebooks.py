"""MkDocs hook for the notebook pages that mkdocs-jupyter renders: a download link, MathML math, no CDN.

mkdocs-jupyter copies each notebook beside its page (``include_source: true``) but the Material
theme in use shows no link to it, so this hook adds one. nbconvert leaves the TeX of markdown
cells as ``$...$`` for MathJax, which would come from a CDN: this hook turns it into MathML, and
drops nbconvert's MathJax loader (empty, with ``custom_mathjax_url: ""``) and every other script
that names another host (nbconvert's mermaid loader imports mermaid from cdnjs). Listed under
``hooks:`` in mkdocs.yml; kept out of ``docs/`` so that no ``.py`` file becomes a page.
"""

from __future__ import annotations

import html
import os
import re

from lstm_explained.mkdocs_math import tex_to_mathml

MATHJAX_LOADER = re.compile(r"<!-- Load mathjax -->.*?<!-- End of mathjax configuration -->", re.S)
SCRIPT = re.compile(r"<script\b[^>]*>.*?</script>", re.S)
MARKDOWN_CELL = re.compile(r'(<div class="[^"]*jp-RenderedMarkdown[^"]*"[^>]*>)(.*?)(</div>)', re.S)
DISPLAY_MATH = re.compile(r"\$\$(?P<tex>.+?)\$\$", re.S)
INLINE_MATH = re.compile(r"(?<![\\$])\$(?P<tex>[^$\n]+?)\$")


def download_link(notebook_name: str) -> str:
    """Returns the HTML of a button that downloads the notebook copied beside the page."""
    name = html.escape(notebook_name)
    return f'<p class="notebook-download"><a class="md-button" href="{name}" download>Download the notebook ({name})</a></p>\n'


def markdown_math_to_mathml(cell_html: str) -> str:
    """Returns a rendered markdown cell with its ``$$...$$`` and ``$...$`` TeX replaced by MathML."""
    cell_html = DISPLAY_MATH.sub(lambda m: tex_to_mathml(html.unescape(m.group("tex")), display=True), cell_html)
    return INLINE_MATH.sub(lambda m: tex_to_mathml(html.unescape(m.group("tex")), display=False), cell_html)


def render_notebook_page(content: str, notebook_name: str) -> str:
    """Returns a notebook page's HTML with a download link, MathML math and no MathJax loader."""
    content = MATHJAX_LOADER.sub("", content)
    content = SCRIPT.sub(lambda m: "" if "://" in m.group(0) else m.group(0), content)  # e.g. nbconvert's mermaid loader
    content = MARKDOWN_CELL.sub(lambda m: m.group(1) + markdown_math_to_mathml(m.group(2)) + m.group(3), content)
    return download_link(notebook_name) + content


def on_page_content(content: str, page, **kwargs) -> str:
    """Returns the page content, reworked when the page is a notebook (the MkDocs ``page_content`` event)."""
    if not page.file.src_path.endswith(".ipynb"):
        return content
    return render_notebook_page(content, os.path.basename(page.file.src_path))
