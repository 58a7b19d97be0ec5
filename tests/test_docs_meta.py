"""Checks on the docs themselves: what Sybil collects, what it would miss, and what may not appear."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from conftest import markdown_pages
from lstm_explained.docs_update import FENCE, refresh_page

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
PAGES = sorted(DOCS.rglob("*.md"))

# How many examples Sybil collects on each page (doctest statements, code blocks and skips).
# Change a number here only together with the page it counts.
EXPECTED_EXAMPLES = {
    "index.md": 24,
    "shapes.md": 25,
    "classic-tutorial.md": 26,
    "api.md": 0,
    "bulk-vs-loop.md": 49,
    "seed-mistake.md": 52,
    "layers-directions.md": 58,
    "proj-size.md": 39,
    "cell-state.md": 38,
    "variable-length.md": 48,
    "state-across-batches.md": 50,
    "errors.md": 62,
    "which-tensor.md": 59,
    "from-scratch.md": 58,
    "versions.md": 24,
    "check-your-code.md": 41,
    "calculator.md": 1,
    "performance/index.md": 15,
    "batch-first-data-time-major-lstm.md": 48,
    "expected-hidden-size.md": 40,
    "gpu-runtime-errors.md": 52,
    "encoder-decoder.md": 43,
    "initial-state.md": 25,
    "keras.md": 43,
    "everyday-tasks.md": 49,
    "questions.md": 0,
}

PYTHON_LOOKING = re.compile(r"^(py|pycon|py3|python3|ipython|python\S+|python\s+.+)$")
RANDOM_OR_WEIGHTS = re.compile(r"\b(randn|rand|randint|normal_|nn\.(LSTM|LSTMCell|GRU|RNN|Linear))\(")


def fences(page: Path):
    """Returns (line number, info string, body, text before the fence) for every fenced block of a page."""
    text = page.read_text()
    for match in FENCE.finditer(text):
        yield text.count("\n", 0, match.start()) + 1, match.group("info").strip(), match.group("body"), text[: match.start()]


def test_every_page_has_an_expected_count():
    assert sorted(p.relative_to(DOCS).as_posix() for p in PAGES) == sorted(EXPECTED_EXAMPLES)


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.relative_to(DOCS).as_posix())
def test_sybil_collects_the_expected_number_of_examples(page):
    document = markdown_pages.parse(page)
    assert len(list(document.examples())) == EXPECTED_EXAMPLES[page.relative_to(DOCS).as_posix()]


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.relative_to(DOCS).as_posix())
def test_no_python_fence_escapes_sybil(page):
    """Sybil runs only ```python; a ```py, ```pycon or ```python title="x" fence would be silently unchecked.

    To show code that must not run, write ```python and put <!-- skip: next "the reason" --> before it.
    """
    bad = [f"{page.name}:{line}: ```{info}" for line, info, _, _ in fences(page) if PYTHON_LOOKING.match(info)]
    assert not bad, "fences Sybil would not check:\n" + "\n".join(bad)


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.relative_to(DOCS).as_posix())
def test_every_skip_gives_a_reason(page):
    skips = re.findall(r"<!--\s*skip:\s*next(.*?)-->", page.read_text())
    assert all(re.fullmatch(r'\s*"[^"]+"\s*', reason) for reason in skips), skips


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.relative_to(DOCS).as_posix())
def test_pages_seed_before_drawing_random_numbers(page):
    code = "".join(body for _, info, body, _ in fences(page) if info == "python")
    first_random = RANDOM_OR_WEIGHTS.search(code)
    if first_random:
        seed = code.find("manual_seed(")
        assert 0 <= seed < first_random.start(), f"{page.name}: set a seed in the page before {first_random.group(0)}"


def printed_lines(page: Path):
    """Returns the output lines of a page: expected doctest output in .md, cell outputs in .ipynb."""
    if page.suffix == ".ipynb":
        import json

        cells = json.loads(page.read_text()).get("cells", [])
        return [json.dumps(cell.get("outputs", [])) for cell in cells]
    return [
        line
        for _, info, body, _ in fences(page)
        if info == "python"
        for line in body.split("\n")
        if not line.lstrip().startswith((">>>", "..."))
    ]


def test_no_grad_fn_in_any_printed_output():
    pages = [p for p in DOCS.rglob("*") if p.suffix in (".md", ".ipynb")]
    offenders = [p.name for p in pages if any("grad_fn=" in line for line in printed_lines(p))]
    assert not offenders, "grad_fn=<...> names the backend, not the values: print under torch.no_grad() or .detach()"


def test_no_python_files_in_docs():
    assert not list(DOCS.rglob("*.py")), "mkdocs-jupyter turns every .py under docs/ into a page"


def test_every_page_is_in_the_nav():
    class Loader(yaml.SafeLoader):
        pass

    Loader.add_multi_constructor("", lambda loader, suffix, node: None)  # ignore !!python/name tags
    config = yaml.load((ROOT / "mkdocs.yml").read_text(), Loader=Loader)
    in_nav = set()

    def walk(node):
        if isinstance(node, str):
            in_nav.add(node)
        elif isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, dict):
            for item in node.values():
                walk(item)

    walk(config["nav"])
    pages = {p.relative_to(DOCS).as_posix() for p in DOCS.rglob("*") if p.suffix in (".md", ".ipynb")}
    assert pages - in_nav == set(), "pages missing from the nav"
    assert in_nav - pages == set(), "nav entries without a page"


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.relative_to(DOCS).as_posix())
def test_outputs_are_exactly_what_execution_prints(page):
    """Every expected output is the refresh command's own: `make docs-update` would change nothing."""
    result = refresh_page(page)
    assert result.changed == 0, f"{page.name}: {result.changed} outputs differ from execution; run make docs-update"
