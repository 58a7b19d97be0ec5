"""What llms.txt leaves out of a page (docs_tools/llmstxt_preprocess.py): notebook chrome goes, the content stays."""

from __future__ import annotations

from bs4 import BeautifulSoup

from docs_tools.llmstxt_preprocess import preprocess

NOTEBOOK_CELL = """
<h2 id="s">Step 1<a class="anchor-link" href="#s">¶</a></h2>
<div class="jp-Cell">
  <div class="jp-InputPrompt jp-InputArea-prompt">In [1]:</div>
  <div class="zeroclipboard-container"><clipboard-copy>Copy<span class="clipboard-copy-txt">Copied!</span></clipboard-copy></div>
  <pre><code class="language-python">x = 1</code></pre>
  <div class="jp-OutputPrompt jp-OutputArea-prompt">Out[1]:</div>
  <pre class="output">tensor([1.])</pre>
</div>
<p class="note">A note <a class="headerlink" href="#n">¶</a> kept <a class="notebook-download" href="x.ipynb">Download</a></p>
"""


def test_notebook_chrome_is_dropped_nested_or_not_and_the_content_stays():
    soup = BeautifulSoup(NOTEBOOK_CELL, "html.parser")
    preprocess(soup, "x.md")
    text = soup.get_text(" ", strip=True)
    assert text == "Step 1 x = 1 tensor([1.]) A note kept"
    assert soup.find(class_="jp-Cell") is not None and soup.find("p", class_="note") is not None


def test_a_page_without_chrome_is_left_as_it_was():
    html = '<p class="admonition">Keep <code>h_n</code> <a href="#x">here</a></p>'
    soup = BeautifulSoup(html, "html.parser")
    preprocess(soup, "x.md")
    assert str(soup) == html
