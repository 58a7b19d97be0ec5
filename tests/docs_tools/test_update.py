"""`make docs-update` (docs_tools.update), always on temporary copies: never on the real docs."""

from __future__ import annotations

import difflib
import re
import shutil
import subprocess
import sys
from pathlib import Path


from docs_tools import update as docs_update
from docs_tools.checker import TensorOutputChecker
from docs_tools.update import FENCE
from docs_tools.collect import run_page

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


def test_help_and_bad_arguments(tmp_path):
    run = lambda *args: subprocess.run(  # noqa: E731
        [sys.executable, "-m", "docs_tools.update", *args], capture_output=True, text=True, cwd=ROOT
    )
    shown = run("--help")
    assert shown.returncode == 0 and "usage:" in shown.stdout and "--check" in shown.stdout
    missing = run(str(tmp_path / "nope.md"))
    assert missing.returncode == 2 and "no such page" in missing.stderr and "Traceback" not in missing.stderr


def blank_outputs(body: str) -> tuple[str, int]:
    """Returns a fence body with each example's output removed (except ellipses and tracebacks), and how many."""
    lines, out, blanked, i = body.split("\n"), [], 0, 0
    while i < len(lines):
        out.append(lines[i])
        i += 1
        if not lines[i - 1].lstrip().startswith(">>>"):
            continue
        while i < len(lines) and re.match(r"\s*\.\.\.( |$)", lines[i]):
            out.append(lines[i])
            i += 1
        want = []
        while i < len(lines) and lines[i].strip() and not lines[i].lstrip().startswith(">>>"):
            want.append(lines[i])
            i += 1
        if want and ("..." in "\n".join(want) or want[0].lstrip().startswith("Traceback")):
            out.extend(want)
        elif want:
            blanked += 1
    return "\n".join(out), blanked


def test_the_real_docs_regenerate_from_blank_outputs(tmp_path):
    """A copy of docs/ with every output blanked (but ellipses and tracebacks) is regenerated exactly."""
    copy = tmp_path / "docs"
    shutil.copytree(ROOT / "docs", copy)
    pages = sorted(copy.rglob("*.md"))
    originals = {page: page.read_text() for page in pages}
    blanked = 0
    for page in pages:
        text, out, last, skipping = page.read_text(), [], 0, False
        for fence in FENCE.finditer(text):
            between = text[last : fence.start()]
            for directive in docs_update.SKIP.finditer(between):  # skipped examples keep their output
                skipping = directive.group("action") != "end"
            body = fence.group("body")
            if fence.group("info").strip() == "python" and not skipping:
                body, count = blank_outputs(body)
                blanked += count
            out.append(between + text[fence.start() : fence.start("body")] + body + text[fence.end("body") : fence.end()])
            last = fence.end()
            skipping = skipping and not any(d.group("action") == "next" for d in docs_update.SKIP.finditer(between))
        page.write_text("".join(out) + text[last:])
    assert blanked > 0
    assert docs_update.main([str(p) for p in pages]) == 0
    for page in pages:  # exactly, but for a last digit another BLAS may round the other way
        regenerated = page.read_text()
        assert regenerated == originals[page] or TensorOutputChecker().check_output(originals[page], regenerated, 0), (
            "\n".join(difflib.unified_diff(originals[page].splitlines(), regenerated.splitlines(), lineterm=""))
        )
