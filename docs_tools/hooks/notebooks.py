"""MkDocs hook for the notebook pages that mkdocs-jupyter renders: a download link, and no CDN script.

mkdocs-jupyter copies each notebook beside its page (``include_source: true``) but the Material
theme in use shows no link to it, so this hook adds one. It also drops nbconvert's MathJax
loader (empty, with ``custom_mathjax_url: ""``) and every other script that names another host
(nbconvert's mermaid loader imports mermaid from cdnjs). The markdown cells' TeX becomes MathML
in the ``mathml`` hook.
"""

from __future__ import annotations

import html
import os
import re

MATHJAX_LOADER = re.compile(r"<!-- Load mathjax -->.*?<!-- End of mathjax configuration -->", re.S)
SCRIPT = re.compile(r"<script\b[^>]*>.*?</script>", re.S)


def download_link(notebook_name: str) -> str:
    """Returns the HTML of a button that downloads the notebook copied beside the page."""
    name = html.escape(notebook_name)
    return f'<p class="notebook-download"><a class="md-button" href="{name}" download>Download the notebook ({name})</a></p>\n'


def render_notebook_page(content: str, notebook_name: str) -> str:
    """Returns a notebook page's HTML with a download link and no MathJax loader (its math is the mathml hook's job)."""
    content = MATHJAX_LOADER.sub("", content)
    content = SCRIPT.sub(lambda m: "" if "://" in m.group(0) else m.group(0), content)  # e.g. nbconvert's mermaid loader
    return download_link(notebook_name) + content


def on_page_content(content: str, page, **kwargs) -> str:
    """Returns the page content, reworked when the page is a notebook (the MkDocs ``page_content`` event)."""
    if not page.file.src_path.endswith(".ipynb"):
        return content
    return render_notebook_page(content, os.path.basename(page.file.src_path))
