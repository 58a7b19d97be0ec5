"""Checks on the docs themselves: what Sybil collects, what it would miss, and what may not appear."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from docs_tools.collect import markdown_pages
from docs_tools.examples import fences as page_fences
from docs_tools.examples import unclosed_fences, uncompared_lines

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
PAGES = sorted(DOCS.rglob("*.md"))
READER_PAGES = sorted(p for p in DOCS.rglob("*") if p.suffix in (".md", ".ipynb"))

PYTHON_LOOKING = re.compile(r"^(py|pycon|py3|python3|ipython|python\S+|python\s+.+)$")
RANDOM_OR_WEIGHTS = re.compile(r"\b(randn|rand|randint|normal_|nn\.(LSTM|LSTMCell|GRU|RNN|Linear))\(")


def fences(page: Path):
    """Returns (line number, info string, body) for every fenced block of a page, as Sybil lexes it."""
    for fence in page_fences(page.read_text()):
        yield fence.line, fence.info, fence.body


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.relative_to(DOCS).as_posix())
def test_sybil_collects_an_example_in_every_python_fence(page):
    """Every ```python fence runs: Sybil collects at least one example inside it (a skipped one counts, with its reason)."""
    lines = [example.line for example in markdown_pages.parse(page).examples()]
    missed = [f"{page.name}:{line}" for line, info, body in fences(page)
              if info == "python" and not any(line <= at <= line + body.count("\n") + 1 for at in lines)]
    assert not missed, "python fences with nothing Sybil runs:\n" + "\n".join(missed)


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.relative_to(DOCS).as_posix())
def test_every_fence_is_closed(page):
    """An unclosed fence runs to the end of the page: the prose after it would be read, and refreshed, as code."""
    assert unclosed_fences(page.read_text()) == [], page.name


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.relative_to(DOCS).as_posix())
def test_no_python_fence_escapes_sybil(page):
    """Sybil runs only ```python; a ```py, ```pycon or ```python title="x" fence would be silently unchecked.

    To show code that must not run, write ```python and put <!-- skip: next "the reason" --> before it.
    """
    bad = [f"{page.name}:{line}: ```{info}" for line, info, _ in fences(page) if PYTHON_LOOKING.match(info)]
    assert not bad, "fences Sybil would not check:\n" + "\n".join(bad)


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.relative_to(DOCS).as_posix())
def test_every_skip_gives_a_reason(page):
    skips = re.findall(r"<!--\s*skip:\s*next(.*?)-->", page.read_text())
    assert all(re.fullmatch(r'\s*"[^"]+"\s*', reason) for reason in skips), skips


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.relative_to(DOCS).as_posix())
def test_pages_seed_before_drawing_random_numbers(page):
    code = "".join(body for _, info, body in fences(page) if info == "python")
    code = "\n".join(line for line in code.splitlines() if line.lstrip().startswith((">>>", "..."))) or code  # source, not output
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
        for _, info, body in fences(page)
        if info == "python"
        for line in body.split("\n")
        if not line.lstrip().startswith((">>>", "..."))
    ]


def test_no_grad_fn_in_any_printed_output():
    pages = [p for p in DOCS.rglob("*") if p.suffix in (".md", ".ipynb")]
    offenders = [p.name for p in pages if any("grad_fn=" in line for line in printed_lines(p))]
    assert not offenders, "grad_fn=<...> names the backend, not the values: print under torch.no_grad() or .detach()"


# One word for each axis (WRITING.md): "row" and "column" only where a picture or a table names
# its axes, or for a 2-D weight matrix. A line that uses either word must name one of those.
AXIS_WORDS = re.compile(r"\b(rows?|columns?)\b", re.I)
AXIS_CONTEXT = re.compile(r"picture|figure|table|weight_|weight matrix|matrices|block", re.I)
QUOTED = re.compile(r'"[^"\n]*"')


def reader_lines(page: Path):
    """Returns (line number, text) of what a reader reads: prose, and comments in code; not images."""
    if page.suffix == ".ipynb":
        import json

        for n, cell in enumerate(json.loads(page.read_text())["cells"]):
            for line in "".join(cell["source"]).split("\n"):
                if cell["cell_type"] == "markdown":
                    yield f"cell {n}", line
                elif "#" in line:
                    yield f"cell {n}", line[line.index("#"):]
        return
    in_fence = False
    for number, line in enumerate(page.read_text().split("\n"), start=1):
        if line.lstrip().startswith("```"):
            in_fence = not in_fence
            continue
        if in_fence:
            if "#" in line:
                yield number, line[line.index("#"):]
        elif not line.lstrip().startswith(("![", "<!--")):
            yield number, line


@pytest.mark.parametrize("page", READER_PAGES, ids=lambda p: p.relative_to(DOCS).as_posix())
def test_rows_and_columns_only_for_pictures_tables_and_weights(page):
    """'Row' has meant a layer, a time step, a sequence and an entry of h_n: say which (WRITING.md)."""
    bad = [
        f"{page.name}:{number}: {line.strip()}"
        for number, line in reader_lines(page)
        if AXIS_WORDS.search(QUOTED.sub("", line)) and not AXIS_CONTEXT.search(line)
    ]
    assert not bad, "say time step, sequence, layer or direction (WRITING.md):\n" + "\n".join(bad)


def test_the_axis_check_catches_an_ambiguous_row(tmp_path):
    page = tmp_path / "page.md"
    page.write_text("`h_n` has one row per layer.\n\n```python\n>>> x[0]  # row 0\n```\n")
    lines = [line for _, line in reader_lines(page) if AXIS_WORDS.search(QUOTED.sub("", line))]
    assert lines == ["`h_n` has one row per layer.", "# row 0"]


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
def test_every_printed_line_is_compared(page):
    """A line that looks printed but belongs to no example (or to a +SKIP one) is never checked: the docs
    phase proves every compared output fails once changed, and this finds the outputs it never sees."""
    assert uncompared_lines(markdown_pages.parse(page)) == [], f"{page.name}: lines never compared with anything"


def nav_pages(items) -> list[str]:
    """Returns the page paths of a nav (mkdocs.yml's, as load_config reads it), in order."""
    found = []
    for item in items:
        value = next(iter(item.values())) if isinstance(item, dict) else item
        found += nav_pages(value) if isinstance(value, list) else [value]
    return found


def test_every_page_is_in_the_nav_and_reachable_from_the_home_page():
    from mkdocs.config import load_config

    pages = nav_pages(load_config(str(ROOT / "mkdocs.yml"))["nav"])
    on_disk = sorted(str(p.relative_to(DOCS)) for p in DOCS.rglob("*") if p.suffix in (".md", ".ipynb"))
    assert sorted(pages) == on_disk, "every page once in the nav"
    home = (DOCS / "index.md").read_text(encoding="utf-8")
    assert [p for p in pages if p != "index.md" and f"]({p}" not in home] == [], "linked from the home page"
