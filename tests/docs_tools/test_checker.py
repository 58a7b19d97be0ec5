"""The tensor-aware output checker, on crafted outputs: what it lets through and how it reports."""

from __future__ import annotations

from doctest import ELLIPSIS, NORMALIZE_WHITESPACE, Example
from pathlib import Path

import pytest
import torch
from sybil.example import SybilFailure

from docs_tools.checker import TensorOutputChecker, _parts, _pattern, _scan, close_enough, first_difference, numbers
from docs_tools.collect import OPTIONFLAGS, markdown_pages

checker = TensorOutputChecker()

WANT = """\
tensor([[ 0.1925,  0.0014,  0.0633,  0.1426, -0.1433],
        [ 0.2137, -0.0100,  0.0980,  0.0939, -0.2325]])
"""


def passes(want: str, got: str) -> bool:
    return checker.check_output(want, got, OPTIONFLAGS)


@pytest.mark.parametrize(
    "got",
    [
        WANT,
        WANT.replace("0.0014", "0.0015"),  # another BLAS rounds the other way
        WANT.replace("0.0014", "0.0013"),
        WANT.replace("-0.2325", "-0.2326"),
        WANT.replace("0.0014,  0.0633", "0.0014,  0.0634").replace("0.2137", "0.2136"),  # several at once
    ],
)
def test_a_last_digit_difference_passes(got):
    assert passes(WANT, got)


@pytest.mark.parametrize(
    "got",
    [
        WANT.replace("0.0014", "0.0016"),  # two units off
        WANT.replace("0.0014", "0.0064"),
        WANT.replace("0.1925", "0.6925"),
        WANT.replace("-0.1433", " 0.1433"),  # sign flip
        WANT.replace("0.0939", "0.0939,  0.0000"),  # an extra element
    ],
)
def test_a_real_change_fails(got):
    assert not passes(WANT, got)


@pytest.mark.parametrize(
    "want, got",
    [
        ("(True, True)\n", "(True, False)\n"),
        ("True\n", "False\n"),
        ("torch.Size([2, 7, 5])\n", "torch.Size([2, 7, 6])\n"),  # ints are exact
        ("tensor([0., 1.])\n", "tensor([0., 2.])\n"),  # floats printed without decimals are exact
        ("1.2346e-05\n", "1.2348e-05\n"),  # the unit follows the exponent: 1e-9 here
        ("weight_ih_l0 (20, 3)\n", "weight_ih_l5 (20, 3)\n"),
    ],
)
def test_other_changes_fail(want, got):
    assert not passes(want, got)


@pytest.mark.parametrize(
    "want, got",
    [
        ("1.2346e-05\n", "1.2347e-05\n"),
        ("0.30000000000000004\n", "0.30000000000000004\n"),
        ("tensor([ 0.0000, -0.5000])\n", "tensor([-0.0000, -0.5000])\n"),
        ("tensor([ 0.0001,  0.5000])\n", "tensor([-0.0000,  0.5000])\n"),  # one unit, and torch's padding moved
        ("(tensor([0.2710, 0.2993]), ...)\n", "(tensor([0.2711, 0.2993]), tensor([1.]))\n"),  # ELLIPSIS still works
    ],
)
def test_close_floats_pass_whatever_the_padding(want, got):
    assert passes(want, got)


def test_the_tolerance_is_exact_decimal_arithmetic():
    """Sybil's NUMBER flag compares in binary floats, where 0.0290 - 0.0289 > 1e-4."""
    assert 0.0290 - 0.0289 > 1e-4
    w, g = numbers("0.0289 0.0290")
    assert close_enough(w, g)


def test_the_report_names_the_element_and_points_at_it():
    got = WANT.replace("0.0980", "0.0990")
    report = first_difference(WANT, got)
    assert "element [1, 2]" in report
    assert "expected 0.0980, got 0.0990" in report
    assert "allowed: 0.0001" in report
    caret_line = report.splitlines()[-1]
    pointed = report.splitlines()[-2][caret_line.index("^") : caret_line.rindex("^") + 1]
    assert pointed == "0.0980"


def test_the_report_names_which_tensor_of_a_tuple():
    want = "(tensor([[[0.1721, 0.0864, 0.0560]]]), tensor([[[0.2710, 0.2993, 0.4017]]]))\n"
    got = want.replace("0.2993", "0.3993")
    assert "element [0, 0, 1] of tensor 2 of 2" in first_difference(want, got)


def test_the_report_points_at_a_changed_word():
    report = first_difference("(True, True)\n", "(True, False)\n")
    assert "line 1, column 8" in report


def test_a_failing_page_shows_expected_actual_and_the_element(tmp_path):
    """Through Sybil itself, as `make test` runs it: the failure message a maintainer reads."""
    page = tmp_path / "page.md"
    page.write_text(
        "```python\n"
        ">>> import torch\n"
        ">>> torch.tensor([[0.25, 0.5], [0.75, 1.0]]) + torch.tensor([[0.0, 0.0], [0.0, 0.3]])\n"
        "tensor([[0.2500, 0.5000],\n"
        "        [0.7500, 1.0000]])\n"
        "```\n"
    )
    document = markdown_pages.parse(page)
    examples = list(document.examples())
    examples[0].evaluate()
    with pytest.raises(SybilFailure) as failure:
        examples[1].evaluate()
    message = str(failure.value)
    assert "element [1, 1]: " in message or "element [1, 1] " in message
    assert "expected 1.0000, got 1.3000" in message
    assert "Expected:\n    tensor([[0.2500, 0.5000],\n            [0.7500, 1.0000]])" in message
    assert "Got:\n    tensor([[0.2500, 0.5000],\n            [0.7500, 1.3000]])" in message


def test_a_page_passes_with_a_last_digit_difference(tmp_path):
    page = tmp_path / "page.md"
    value = torch.tensor(0.00015).item()  # prints as 0.0001 or 0.0002: either is accepted
    page.write_text(f"```python\n>>> import torch\n>>> torch.tensor([{value!r}, 0.5])\ntensor([0.0001, 0.5000])\n```\n")
    for example in markdown_pages.parse(page).examples():
        example.evaluate()


@pytest.mark.parametrize("printed", ["tensor([0.2500, ..., 1.0000])", "tensor([0.2500,  0.5000,\n        0.7500,   1.0000])"])
def test_pages_accept_ellipsis_and_other_whitespace(tmp_path, printed):
    """What the flags pages use allow: ``...`` for any text, and line breaks or spaces that differ from the print."""
    page = tmp_path / "page.md"
    page.write_text(f"```python\n>>> import torch\n>>> torch.tensor([0.25, 0.5, 0.75, 1.0])\n{printed}\n```\n")
    for example in markdown_pages.parse(page).examples():
        example.evaluate()


def _variants(text: str) -> list[str]:
    """Returns ``text`` and small changes of it: at a few places, a character dropped, or one put in or in its place."""
    found = [text]
    for at in range(0, len(text), max(1, len(text) // 3)):
        for insert in ("", " ", "-", "1", "."):
            found.append(text[:at] + insert + text[at + 1 :])
            found.append(text[:at] + insert + text[at:])
    return found


def test_the_one_pass_match_agrees_with_the_regex():
    """``_scan`` (no regex built) finds what ``_pattern``'s regex would, on every output of the docs and changes of it."""
    wants = [
        example.parsed.want
        for page in sorted((Path(__file__).resolve().parents[2] / "docs").rglob("*.md"))
        for example in markdown_pages.parse(page).examples()
        if isinstance(example.parsed, Example) and example.parsed.want and "..." not in example.parsed.want
    ]
    wants += ["[ 1.5,\n  -2.]", "( -0.25 )", "1.e5 x", "a  b", " 1.5(", "-1.5e-05.", "[[(  1., 2])"]
    checked = 0
    for want in wants:
        for flags in (OPTIONFLAGS, 0, NORMALIZE_WHITESPACE, ELLIPSIS) if len(want) < 40 else (OPTIONFLAGS, 0):
            parts, _ = _parts(want, flags)
            regex = _pattern(parts)
            for got in _variants(want.rstrip()):
                match = regex.fullmatch(got)
                assert _scan(parts, got) == (None if match is None else list(match.groups())), (want, got, flags)
                checked += 1
    assert checked > 5_000
