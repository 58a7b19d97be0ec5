"""The docs' mutation test: every expected output must fail when one character of it changes.

The docs phase proves it for every output as it checks it (``MutationProvingChecker``); the page
checks (tests/pages/test_collected.py) add what a run cannot see: lines that look printed but are
never compared. These tests show both catch what they must.
"""

from __future__ import annotations

from docs_tools.checker import MutationProvingChecker
from docs_tools.collect import markdown_pages, run_page
from docs_tools.examples import uncompared_lines
from docs_tools.mutation import mutate

CHECKED = """\
```python
>>> import torch
>>> torch.tensor([0.25, 1.5])
tensor([0.2500, 1.5000])
>>> torch.equal(torch.ones(2), torch.ones(2))
True
>>> ("N", "L")
('N', 'L')
>>> torch.zeros(2) @ torch.zeros(3)
Traceback (most recent call last):
...
RuntimeError: inconsistent tensor size, expected tensor [2] and src [3] to have the same number of elements, ...
>>> []
[]
```
"""


def test_every_output_of_a_sound_page_is_proven(tmp_path):
    page = tmp_path / "page.md"
    page.write_text(CHECKED)
    before = MutationProvingChecker.caught
    run = run_page(page)
    assert run.failures == [] and run.ran == 6
    assert MutationProvingChecker.caught - before == 5, "each of the five outputs fails once changed"


def test_an_output_that_checks_nothing_fails_its_example(tmp_path):
    page = tmp_path / "page.md"
    page.write_text("```python\n>>> import torch\n>>> print()\n<BLANKLINE>\n>>> torch.ones(1)\ntensor(...)\n```\n")
    run = run_page(page)
    assert len(run.failures) == 1, run.failures
    assert "line 3" in run.failures[0] and "nothing a change could be caught in" in run.failures[0]
    assert run.ran == 2, "tensor(...) still fails once a letter of 'tensor' changes"


def test_a_digit_moves_five_units_booleans_swap_and_letters_rotate():
    digit = mutate("tensor([0.2500])")
    assert digit.before.isdigit() and int(digit.after) == (int(digit.before) + 5) % 10
    assert mutate("True\n")[1:] == ("True", "False") and mutate("False\n")[1:] == ("False", "True")
    letter = mutate("('N', 'L')\n")
    assert letter.before in "NL" and letter.after == {"N": "A", "L": "Y"}[letter.before]
    assert mutate("[]\n").after == "#" and mutate("[]\n").before in "[]"
    assert mutate("...\n") is None and mutate("<BLANKLINE>\n") is None
    assert mutate("tensor([0.2500])") == mutate("tensor([0.2500])"), "the same output always gets the same change"


def test_lines_never_compared_are_named(tmp_path):
    page = tmp_path / "page.md"
    page.write_text(CHECKED[: -len("```\n")] + ">>> 6 * 7  # doctest: +SKIP\n42\n>>> x = 1\n\ntensor([1.0000])\n```\n")
    assert uncompared_lines(markdown_pages.parse(page)) == [16, 19], "the skipped example's output, the stray line"
    page.write_text(CHECKED)
    assert uncompared_lines(markdown_pages.parse(page)) == []
