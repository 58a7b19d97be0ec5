"""What mkdocs-llmstxt drops from a page's HTML before it writes the page as Markdown (``preprocess:``).

Notebook pages carry things that mean nothing as text: the copy button and its "Copied!", the
hidden copy of each cell's code (which would print the code twice), heading anchors ("¶") and
the In/Out prompts. The Markdown pages need nothing more than the plugin's own clean-up.
"""

from __future__ import annotations

NOISE = [".zeroclipboard-container", ".clipboard-copy-txt", ".anchor-link", ".headerlink",
         ".jp-InputPrompt", ".jp-OutputPrompt", ".notebook-download"]


def preprocess(soup, output: str) -> None:
    """Removes the notebook pages' copy buttons, hidden code copies, anchors and prompts, in place."""
    for selector in NOISE:
        for element in soup.select(selector):
            element.decompose()
