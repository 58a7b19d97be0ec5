"""The site's own search box, as a reader uses it: each query finds the page that answers it.

One browser page, the home page, loaded once; each query is typed into Material's search input
and the answering page must be among the first three results (results are grouped by page).
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from .pageload import visit

TOP = 3

# query, as readers type it -> the pages that answer it (site paths, relative to the site root).
QUERIES = {
    # The queries of issue 13.
    "return_sequences": {"keras/"},
    "many to one": {"everyday-tasks/"},
    "init_hidden": {"initial-state/"},
    "Expected hidden[0] size": {"expected-hidden-size/"},
    "DataParallel": {"gpu-runtime-errors/"},
    "learnable initial state": {"initial-state/"},
    "time series": {"everyday-tasks/"},
    "seq2seq": {"encoder-decoder/"},
    "flatten_parameters": {"gpu-runtime-errors/"},
    "timestep": {"everyday-tasks/", "batch-first-data-time-major-lstm/"},
    # More, in the words of the questions collected for it.
    "return_state": {"keras/"},
    "stateful": {"keras/"},
    "Keras": {"keras/"},
    "repackage_hidden": {"initial-state/"},
    "BPTT": {"state-across-batches/", "initial-state/"},
    "many to many": {"everyday-tasks/"},
    "classification": {"everyday-tasks/", "which-tensor/"},
    "last hidden state": {"everyday-tasks/", "which-tensor/"},
    "all time steps": {"everyday-tasks/", "index.html", ""},
    "encoder decoder": {"encoder-decoder/"},
    "same device": {"gpu-runtime-errors/"},
    "cudnn RNN backward": {"gpu-runtime-errors/"},
    "hidden[0]": {"expected-hidden-size/", "errors/"},
    "input.size(-1)": {"errors/"},
    "batch_first hidden state": {"expected-hidden-size/", "shapes/", "batch-first-data-time-major-lstm/"},
    "pad_packed_sequence batch_first": {"everyday-tasks/", "variable-length/"},
    "LSTMCell": {"bulk-vs-loop/", "everyday-tasks/"},
    "last batch smaller": {"expected-hidden-size/"},
    "bidirectional decoder": {"encoder-decoder/"},
    "h_n": {"", "index.html", "layers-directions/", "which-tensor/"},
}

# A query whose results include notebook pages, whose headings nbconvert ends with an anchor "¶".
NOTEBOOK_QUERY = "step by step"

READ_RESULTS = """() => Array.from(document.querySelectorAll(".md-search-result__item"),
  (item) => [item.querySelector("a").href,
             Array.from(item.querySelectorAll("h1, h2"), (h) => h.textContent.trim())])"""


def search(page, query: str) -> list[tuple[str, list[str]]]:
    """Returns [(url, titles)] of the result pages, best first, after typing `query` into the search box."""
    box = page.locator("input.md-search__input")
    box.fill("")
    box.press("End")  # Material reads the query on keyup
    page.wait_for_function("() => !document.querySelector('.md-search-result__item')")
    box.fill(query)  # the whole query at once, so no result list for a prefix of it shows first
    box.press("End")
    page.wait_for_selector(".md-search-result__item")
    return [tuple(result) for result in page.evaluate(READ_RESULTS)]


@pytest.fixture(scope="module")
def ranks(browser, site):
    """Returns {query: (rank of the first answering page or None, the first results)} from one page load."""

    def run(page):
        page.click("input.md-search__input")
        for query, answers in {**QUERIES, NOTEBOOK_QUERY: set()}.items():
            results = search(page, query)
            paths = [urlsplit(url).path[len(site.prefix):] for url, _ in results]
            rank = next((i + 1 for i, path in enumerate(paths) if path in answers), None)
            run.ranks[query] = (rank, results)

    run.ranks = {}
    v = visit(browser, site, site.url(""), action=run)
    assert v.console_errors == []
    return run.ranks


@pytest.mark.parametrize("query", list(QUERIES))
def test_search_finds_the_answer_in_the_first_three(ranks, query):
    rank, results = ranks[query]
    first = [(url, titles[0]) for url, titles in results[:TOP]]
    assert rank is not None and rank <= TOP, f"{query!r}: answer at rank {rank}; first results: {first}"


def test_search_titles_have_no_pilcrow(ranks):
    """nbconvert's heading anchors ("¶") stay out of the titles of notebook results."""
    results = [result for _, found in ranks.values() for result in found]
    notebook_titles = [title for url, titles in results if "/notebooks/" in url for title in titles]
    assert notebook_titles, f"no notebook among the results of {NOTEBOOK_QUERY!r}: nothing checked"
    assert [title for url, titles in results for title in titles if "¶" in title] == []
