"""The mutation test: every printed output in docs/ is checked, so changing one character of it fails."""

from __future__ import annotations

from pathlib import Path

import pytest
from sybil import Sybil
from sybil.parsers.markdown import PythonCodeBlockParser, SkipParser

import docs_mutation
from docs_tools.collect import OPTIONFLAGS, docstrings, markdown_pages

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
PACKAGE = ROOT / "lstm_explained"


def test_every_printed_output_is_checked(tmp_path):
    """One change per output, in a temporary copy of docs/ (and of the package's docstrings); 100% must be caught."""
    report = docs_mutation.run(markdown_pages, DOCS, tmp_path)
    report += docs_mutation.run(docstrings, PACKAGE, tmp_path, pattern="*.py")
    print("\n" + report.summary())
    assert report.mutants, "no output to mutate"
    assert not report.errors, report.summary()
    assert not report.unmutable, "an output never compared, or with nothing to change, checks nothing:\n" + report.summary()
    assert report.count("survived") == 0, report.summary()
    assert report.score == 1.0


def test_one_page_at_a_time_agrees_with_all_at_once(tmp_path):
    """The batched run judges each change as a run of the page with that change alone would."""
    page = DOCS / "classic-tutorial.md"
    batched = docs_mutation.run(markdown_pages, DOCS, tmp_path / "a", pages=[page])
    alone = docs_mutation.run(markdown_pages, DOCS, tmp_path / "b", pages=[page], one_at_a_time=True)
    assert [(m.line, m.after, m.outcome) for m in batched.mutants] == [(m.line, m.after, m.outcome) for m in alone.mutants]
    assert len(batched.mutants) > 3


CRAFTED = """\
```python
>>> import torch
>>> torch.tensor([0.25, 1.5])
tensor([0.2500, 1.5000])
>>> torch.equal(torch.ones(2), torch.ones(2))
True
>>> 6 * 7  # doctest: +SKIP
42
>>> ("N", "L")
('N', 'L')
>>> torch.zeros(2) @ torch.zeros(3)
Traceback (most recent call last):
...
RuntimeError: inconsistent tensor size, expected tensor [2] and src [3] to have the same number of elements, but got 2 and 3 elements respectively
>>> []
[]
>>> x = 1

tensor([1.0000])
```

<!-- skip: next "not run here" -->
```python
>>> 1 + 1
3
```
"""


@pytest.fixture
def crafted(tmp_path) -> Path:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "page.md").write_text(CRAFTED)
    return docs


def test_an_unchecked_output_survives_and_is_named(crafted, tmp_path):
    report = docs_mutation.run(markdown_pages, crafted, tmp_path / "work")
    outcomes = {m.line: m.outcome for m in report.mutants}
    assert outcomes == {4: "caught", 6: "caught", 8: "survived", 10: "caught", 14: "caught", 16: "caught", 25: "skipped"}
    assert report.score == 5 / 6
    assert report.unmutable == ["page.md:19: printed but never compared"]
    assert "survived: page.md:8: '4' -> '9'" in report.summary() or "survived: page.md:8: '2' -> '7'" in report.summary()


def test_a_digit_moves_five_units_and_booleans_swap(crafted, tmp_path):
    report = docs_mutation.run(markdown_pages, crafted, tmp_path / "work")
    by_line = {m.line: m for m in report.mutants}
    assert by_line[6].before == "True" and by_line[6].after == "False"
    assert by_line[4].before.isdigit() and int(by_line[4].after) == (int(by_line[4].before) + 5) % 10
    assert by_line[10].before.isalpha(), "no digit: a letter changes"
    assert (crafted / "page.md").read_text() == CRAFTED, "the page itself is never changed"


def test_a_checker_that_accepts_anything_scores_zero(crafted, tmp_path):
    lax = Sybil(parsers=[SkipParser(), PythonCodeBlockParser(doctest_optionflags=OPTIONFLAGS)], patterns=["*.md"])
    for parser in lax.parsers[1:]:
        parser.doctest_parser.evaluator.runner._checker.check_output = lambda want, got, flags: True
    report = docs_mutation.run(lax, crafted, tmp_path / "work")
    assert report.count("caught") == 0 and report.count("survived") == 6
    assert report.score == 0.0
