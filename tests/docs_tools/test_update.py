"""`make docs-update` (docs_tools.update), always on temporary copies: never on the real docs."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from docs_tools import update as docs_update
from docs_tools.checker import TensorOutputChecker
from docs_tools.collect import markdown_pages, run_page
from docs_tools.examples import DocExample, doc_examples

ROOT = Path(__file__).resolve().parents[2]

NESTED = '''\
# A page with examples nested in Markdown

!!! note "Inside an admonition"
    ```python
    >>> import torch
    >>> torch.arange(4.).view(2, 1, 2)
    placeholder
    ```

=== "First tab"

    ```python
    >>> print("a\\n\\nb")
    ```

=== "Second tab"

    ```python
    >>> [n * n for n in range(4)]
    >>> torch.tensor([1.5, -2.0]) * 2
    old
    ```
'''


def test_nested_examples_keep_their_indentation_and_blank_lines(tmp_path, capsys):
    page = tmp_path / "nested.md"
    page.write_text(NESTED)
    assert docs_update.main([str(page)]) == 0
    text = page.read_text()
    assert "    >>> torch.arange(4.).view(2, 1, 2)\n    tensor([[[0., 1.]],\n    <BLANKLINE>\n            [[2., 3.]]])\n    ```" in text
    assert '    >>> print("a\\n\\nb")\n    a\n    <BLANKLINE>\n    b\n    ```' in text
    assert "    >>> [n * n for n in range(4)]\n    [0, 1, 4, 9]\n    >>> torch.tensor([1.5, -2.0]) * 2\n    tensor([ 3., -4.])\n" in text
    assert "placeholder" not in text and "old" not in text
    assert text.replace("    ", "").count("```") == NESTED.count("```")
    ran = run_page(page).ran
    assert ran == 5, "Sybil collects and passes every refreshed example"
    out = capsys.readouterr().out
    assert f"{page}: 4 of 5 examples changed (lines 6, 13, 19, 20)" in out
    assert "1 of 1 pages changed, 4 of 5 examples" in out


def test_a_second_run_changes_nothing(tmp_path, capsys):
    page = tmp_path / "nested.md"
    page.write_text(NESTED)
    docs_update.main([str(page)])
    first = page.read_text()
    capsys.readouterr()
    assert docs_update.main([str(page)]) == 0
    assert page.read_text() == first
    assert "0 of 1 pages changed, 0 of 5 examples" in capsys.readouterr().out


def test_an_unexpected_exception_writes_nothing_and_says_where(tmp_path, capsys):
    stale = tmp_path / "a.md"
    stale.write_text("```python\n>>> 1 + 1\n3\n```\n")
    broken = tmp_path / "b.md"
    broken.write_text("Some prose.\n\n```python\n>>> x = 1\n>>> x + undefined_name\n2\n```\n")
    before = {p: p.read_text() for p in (stale, broken)}
    assert docs_update.main([str(stale), str(broken)]) == 1
    assert {p: p.read_text() for p in (stale, broken)} == before, "no page written, not even the good one"
    err = capsys.readouterr().err
    assert f"{broken}:5: NameError: name 'undefined_name' is not defined" in err
    assert "nothing written" in err


@pytest.mark.parametrize("marker", ["```", "~~~"])
def test_a_page_with_an_unclosed_fence_is_refused_and_nothing_is_written(tmp_path, capsys, marker):
    """An unclosed fence runs to the end of the page (CommonMark, and Sybil): refreshing it would rewrite the prose after it."""
    good = tmp_path / "a.md"
    good.write_text("```python\n>>> 1 + 1\n3\n```\n")
    page = tmp_path / "b.md"
    closed = f"{marker}python\n>>> 1 + 1\n2\n{marker}\n"
    page.write_text(f"# Title\n\n{closed}\n{marker}python\n>>> 2 + 2\n5\n\nProse, after a fence never closed.\n")
    before = {p: p.read_text() for p in (good, page)}
    assert docs_update.main([str(good), str(page)]) == 1
    assert {p: p.read_text() for p in (good, page)} == before, "no page written, not even the good one"
    err = capsys.readouterr().err
    assert f"{page}:8: this fence is never closed, so it runs to the end of the page" in err and "nothing written" in err


def test_an_exception_in_a_plain_code_block_is_reported_too(tmp_path, capsys):
    page = tmp_path / "c.md"
    page.write_text("```python\nimport torch\ntorch.zeros(2) @ torch.zeros(3)\n```\n\n```python\n>>> 1\n2\n```\n")
    before = page.read_text()
    assert docs_update.main([str(page)]) == 1
    assert page.read_text() == before
    assert f"{page}:2: RuntimeError" in capsys.readouterr().err


def test_expected_exceptions_and_ellipsis_are_kept(tmp_path):
    text = (
        "```python\n"
        ">>> import torch\n"
        ">>> torch.zeros(2) @ torch.zeros(3)\n"
        "Traceback (most recent call last):\n"
        "...\n"
        "RuntimeError: inconsistent tensor size, ...\n"
        ">>> list(range(30))\n"
        "[0, 1, 2, ..., 29]\n"
        "```\n"
    )
    page = tmp_path / "d.md"
    page.write_text(text)
    assert docs_update.main([str(page)]) == 0
    assert page.read_text() == text


def test_skips_match_sybil(tmp_path):
    text = (
        "```python\n>>> x = 1\n```\n\n"
        '<!-- skip: next "shown, never run" -->\n'
        "```python\n>>> x = undefined_name\nkept as written\n>>> x + 1\nplaceholder\n```\n\n"
        '<!-- skip: start if(TORCH_VERSION >= (2, 0), reason="torch 1.x only") -->\n'
        "```python\n>>> old_api()\nold output\n```\n"
        "<!-- skip: end -->\n\n"
        '<!-- skip: start if(TORCH_VERSION < (2, 0), reason="torch 2 and later") -->\n'
        "```python\n>>> x * 10\n0\n```\n"
        "<!-- skip: end -->\n"
    )
    page = tmp_path / "e.md"
    page.write_text(text)
    assert docs_update.main([str(page)]) == 0
    new = page.read_text()
    assert "kept as written" in new and "old output" in new, "skipped examples are left alone"
    assert ">>> x + 1\n2\n" in new and ">>> x * 10\n10\n" in new, "`skip: next` skips one example, as in Sybil"
    run = run_page(page)
    assert (run.ran, len(run.skipped)) == (3 + 5, 2), "Sybil runs the same 3 examples (and the 5 skip comments) and skips 2"


def test_help_and_bad_arguments(tmp_path, capsys):
    with pytest.raises(SystemExit) as done:
        docs_update.main(["--help"])
    shown = capsys.readouterr()
    assert done.value.code == 0 and "usage: python -m docs_tools.update" in shown.out and "--check" in shown.out
    with pytest.raises(SystemExit) as done:
        docs_update.main([str(tmp_path / "nope.md")])
    assert done.value.code == 2 and "no such page" in capsys.readouterr().err


def blank_outputs(page: Path) -> int:
    """Returns how many outputs it removed from the page (all but ellipses and tracebacks), rewriting it in place."""
    lines = page.read_text().split("\n")
    blanked = [item for item in doc_examples(markdown_pages.parse(page)) if isinstance(item, DocExample) and item.want_lines]
    blanked = [item for item in blanked if "..." not in item.parsed.want and item.parsed.exc_msg is None]
    for item in reversed(blanked):
        span = item.output_lines
        del lines[span.start - 1 : span.stop - 1]
    page.write_text("\n".join(lines))
    return len(blanked)


def sample_pages() -> list[Path]:
    """Returns the three real pages with the most examples among those that skip none (a skipped output is kept)."""
    pages = [p for p in sorted((ROOT / "docs").rglob("*.md")) if "<!-- skip" not in p.read_text()]
    return sorted(pages, key=lambda p: -len(list(markdown_pages.parse(p).examples())))[:3]


def test_real_pages_regenerate_from_blank_outputs(tmp_path):
    """Real pages with every output blanked (but ellipses and tracebacks) are regenerated exactly.

    The docs phase runs every page once; this runs a sample of them again, the three with the most
    examples among those without skips, plus the fixture pages above.
    """
    pages = []
    for page in sample_pages():
        copy = tmp_path / page.name
        copy.write_text(page.read_text())
        pages.append(copy)
    originals = {page: page.read_text() for page in pages}
    assert sum(blank_outputs(page) for page in pages) > 50
    assert docs_update.main([str(p) for p in pages]) == 0
    for page in pages:  # exactly, but for a last digit another BLAS may round the other way
        regenerated = page.read_text()
        assert regenerated == originals[page] or TensorOutputChecker().check_output(originals[page], regenerated, 0), (
            "\n".join(difflib.unified_diff(originals[page].splitlines(), regenerated.splitlines(), lineterm=""))
        )
