"""The site's own search box, as a reader uses it: each query finds the page that answers it.

One browser page, the home page, loaded once; each query is put into Material's search input
(all in one page evaluation) and the answering page must be among the first three results
(results are grouped by page).
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from docs_tools.browser.pageload import visit

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


# Every query in one page evaluation: each is put into Material's search input with the key-up event
# Material reads it on (the list of the previous query gone first), and its results are read once shown.
# test_search_finds_h_n_typed_with_the_keyboard (below) types a query with real key presses.
SEARCH_ALL = """async (queries) => {
  const box = document.querySelector("input.md-search__input");
  const until = (done) => new Promise((resolve, reject) => {
    const started = performance.now();
    const check = () => done() ? resolve()
      : performance.now() - started > 10000 ? reject(new Error("the search results did not change")) : requestAnimationFrame(check);
    check();
  });
  const type = (text) => { box.value = text; box.dispatchEvent(new KeyboardEvent("keyup", {key: "End", bubbles: true})); };
  const found = {};
  box.focus();
  for (const query of queries) {
    type("");
    await until(() => !document.querySelector(".md-search-result__item"));
    type(query);
    await until(() => document.querySelector(".md-search-result__item"));
    found[query] = (""" + READ_RESULTS + """)();
  }
  return found;
}"""


@pytest.fixture(scope="module")
def searched(tabs, site):
    """Returns ({query: (rank of the first answering page or None, the results)}, the results of typing h_n), from one page load."""

    def run(page):
        page.click("input.md-search__input")
        page.keyboard.type("h_n")  # real key presses, once
        page.wait_for_selector(".md-search-result__item", timeout=10_000)
        run.typed = page.eval_on_selector_all(".md-search-result__item a", "links => links.map(a => [a.href, a.innerText])")
        queries = [*QUERIES, NOTEBOOK_QUERY]
        for query, results in page.evaluate(SEARCH_ALL, queries).items():
            results = [tuple(result) for result in results]
            paths = [urlsplit(url).path[len(site.prefix):] for url, _ in results]
            rank = next((i + 1 for i, path in enumerate(paths) if path in QUERIES.get(query, set())), None)
            run.ranks[query] = (rank, results)

    run.ranks, run.typed = {}, []
    v = visit(tabs, site.url(""), action=run)
    assert v.console_errors == []
    return run.ranks, run.typed


@pytest.fixture(scope="module")
def ranks(searched):
    return searched[0]


def test_search_finds_h_n_typed_with_the_keyboard(searched):
    """Typed key by key into the search box, h_n lists results that show it."""
    typed = searched[1]
    assert typed, "no search result for h_n"
    assert any("h_n" in text for _, text in typed), typed[:3]


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
