"""Rewrites the expected output of every ``>>>`` example in docs/ from execution.

Usage: ``python -m docs_tools.update [--check] [PAGE ...]`` (``make docs-update``).

Pages are read and run by the docs tests' own Sybil (:data:`docs_tools.collect.markdown_pages`):
the same examples, in the same order, from the same runtime, with the same ``<!-- skip: ... -->``
handling. Only where the tests compare an output does this one write it. An output is kept as
written while the tests' checker still accepts it (so ``...`` and a last digit rounded by another
BLAS survive, and a second run changes nothing). An example that raises where no exception was
expected stops the run, and no page is written.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import re
import sys
import traceback
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from unittest import SkipTest

from sybil.example import SybilFailure

from .checker import TensorOutputChecker
from .collect import OPTIONFLAGS, markdown_pages
from .examples import DocExample, doc_examples, unclosed_fences

_checker = TensorOutputChecker()


class UnexpectedError(Exception):
    """Raised when an example raises where its page expects output."""


@dataclass
class PageResult:
    """What refreshing one page changed: the new text and the number of examples rewritten."""

    path: Path
    text: str
    changed: int
    examples: int
    changed_lines: tuple[int, ...] = ()


@dataclass
class _Refresher:
    """A Sybil evaluator that runs a ``>>>`` example and records the output its page should show."""

    path: Path
    outputs: dict = field(default_factory=dict)  # first line -> (DocExample, new output lines)
    located: DocExample | None = None

    def __call__(self, example) -> None:
        parsed, where = example.parsed, self.located
        printed, exc = _run(parsed.source, example.namespace)
        if exc is not None:
            if parsed.exc_msg is None:
                raise UnexpectedError(f"{self.path}:{where.first_line}: {type(exc).__name__}: {exc}")
            exc_only = traceback.format_exception_only(type(exc), exc)[-1]
            want = parsed.want if _checker.check_output(parsed.exc_msg, exc_only, OPTIONFLAGS) else _format_exception(exc)
        elif _checker.check_output(parsed.want, printed, OPTIONFLAGS):
            want = parsed.want  # still accepted: keep it (a deliberate ..., another BLAS's last digit)
        else:
            want = re.sub(r"(?m)^[ \t]*$", "<BLANKLINE>", printed.rstrip("\n")) + "\n" if printed else ""
        lines = [where.prefix + line for line in want.rstrip("\n").split("\n")] if want else []
        self.outputs[where.first_line] = (where, lines, want != parsed.want)


def _run(source: str, namespace: dict) -> tuple[str, BaseException | None]:
    """Returns what executing one doctest source prints, and the exception it raised, if any."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        try:
            exec(compile(source, "<doc>", "single"), namespace)
        except Exception as exc:  # an example may raise on purpose
            return out.getvalue(), exc
    return out.getvalue(), None


def _format_exception(exc: BaseException) -> str:
    """Returns the doctest form of an exception: header, ellipsis, last line."""
    last = traceback.format_exception_only(type(exc), exc)[-1]
    return "Traceback (most recent call last):\n...\n" + last


def refresh_page(path: Path) -> PageResult:
    """Returns the page's text with every example output regenerated (the file is not written).

    Raises UnexpectedError for a page the docs tests would read otherwise than its author meant: an
    unclosed fence, which runs to the end of the page and would have its prose rewritten.
    """
    unclosed = unclosed_fences(path.read_text())
    if unclosed:
        raise UnexpectedError(f"{path}:{unclosed[0]}: this fence is never closed, so it runs to the end of the page")
    document = markdown_pages.parse(path)
    refresher = _Refresher(path)
    markdown_pages.setup(document.namespace)
    try:
        for item in doc_examples(document):
            example = item.example if isinstance(item, DocExample) else item
            if isinstance(item, DocExample):
                refresher.located = item
                example.region.evaluator = refresher
            try:
                example.evaluate()
            except SkipTest:
                continue  # skipped as the tests skip it: its output stays as written
            except (UnexpectedError, SybilFailure):
                raise
            except Exception as exc:  # a code block without >>> that raised: name its first line of code
                raise UnexpectedError(f"{path}:{example.line + 1}: {type(exc).__name__}: {exc}") from exc
    finally:
        markdown_pages.teardown(document.namespace)
    lines = document.text.split("\n")
    changed = []
    for first_line, (where, new, differs) in sorted(refresher.outputs.items(), reverse=True):
        if differs:
            changed.append(first_line)
            span = where.output_lines
            lines[span.start - 1 : span.stop - 1] = new
    return PageResult(path, "\n".join(lines), len(changed), len(refresher.outputs), tuple(sorted(changed)))


def main(argv: list[str] | None = None) -> int:
    """Returns the exit code: 0 when done (or nothing to change with --check), 1 otherwise, 2 on bad arguments."""
    parser = argparse.ArgumentParser(
        prog="python -m docs_tools.update",
        description="Rewrites the expected output of every >>> example in docs/ from execution "
        "(make docs-update). Pages are written only when every page ran without an unexpected exception.",
        epilog="Outputs the tests still accept are kept as written. Exit status: 0 done, 1 an example "
        "raised (nothing written) or --check found changes, 2 bad arguments.",
    )
    parser.add_argument("pages", nargs="*", type=Path, help="Markdown pages to refresh (default: docs/**/*.md)")
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if any output would change")
    args = parser.parse_args(argv)
    # PyTorch's note that proj_size falls back from oneDNN (the tests filter it the same way).
    warnings.filterwarnings("ignore", message="LSTM with projections is not supported with oneDNN")
    pages = args.pages or sorted(Path("docs").rglob("*.md"))
    missing = [str(p) for p in pages if not p.is_file()]
    if missing:
        parser.error(f"no such page: {', '.join(missing)}")
    if not pages:
        parser.error("no pages found under docs/ (run it from the repository root)")
    results = []
    for page in pages:
        print(f"running {page} ...", file=sys.stderr, flush=True)
        try:
            results.append(refresh_page(page))
        except UnexpectedError as err:
            why = "a fence is never closed" if "never closed" in str(err) else "an example raised where no exception was expected"
            print(f"error: {why}; nothing written.\n  {err}", file=sys.stderr)
            return 1
    touched = [r for r in results if r.changed]
    if not args.check:
        for r in touched:
            r.path.write_text(r.text)
    verb = "would change" if args.check else "changed"
    for r in touched:
        print(f"  {r.path}: {r.changed} of {r.examples} examples {verb} (lines {', '.join(map(str, r.changed_lines))})")
    changed, examples = sum(r.changed for r in results), sum(r.examples for r in results)
    print(f"{len(touched)} of {len(results)} pages {verb}, {changed} of {examples} examples")
    return 1 if (args.check and touched) else 0


if __name__ == "__main__":
    sys.exit(main())
