"""Rewrites the expected output of every ``>>>`` example in docs/ from execution.

Usage: ``python -m docs_tools.update [--check] [PAGE ...]`` (``make docs-update``).

Each page runs top to bottom in one namespace, from the runtime the tests use
(:func:`docs_tools.runtime.reset_runtime`). Only fences whose info string
is exactly ``python`` are run, as Sybil does, and ``<!-- skip: next/start/end -->``
comments (with their ``if(...)`` conditions) skip what Sybil skips. An output is kept
as written while the tests' checker still accepts it (so ``...`` and a last digit
rounded by another BLAS survive, and a second run changes nothing). An example that
raises where no exception was expected stops the run, and no page is written.
"""

from __future__ import annotations

import argparse
import contextlib
import doctest
import io
import re
import sys
import traceback
import warnings
from dataclasses import dataclass
from pathlib import Path

from .checker import TensorOutputChecker
from .runtime import page_globals, reset_runtime

FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<ticks>```+|~~~+)(?P<info>[^\n]*)\n(?P<body>.*?)^(?P=indent)(?P=ticks)[ \t]*$", re.M | re.S)
FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
_checker = TensorOutputChecker()
SKIP = re.compile(r"<!--\s*skip:\s*(?P<action>\w+)(?P<arguments>.*?)-->", re.S)


class UnexpectedError(Exception):
    """Raised when an example raises where its page expects output."""


class SkipState:
    """Which examples Sybil's ``skip`` directive skips: ``next`` one example, ``start`` ... ``end`` a run of them."""

    def __init__(self) -> None:
        self.skipping = False
        self.only_next = False

    def directive(self, action: str, arguments: str, namespace: dict, where: str) -> None:
        """Returns nothing; applies one ``<!-- skip: ACTION ARGUMENTS -->`` comment."""
        if action == "end":
            self.skipping = self.only_next = False
            return
        if action not in ("next", "start"):
            raise UnexpectedError(f"{where}: bad skip action {action!r}")
        reason = arguments.strip()
        if reason.startswith("if"):
            namespace = {**namespace, "if_": lambda condition, reason=None: bool(condition)}
            reason = "if_" + reason[2:]
        self.skipping = bool(eval(reason, namespace)) if reason else True
        self.only_next = action == "next"

    def skips_example(self) -> bool:
        """Returns True when the next example is skipped, and consumes a ``skip: next``."""
        skipped = self.skipping
        if self.only_next:
            self.skipping = self.only_next = False
        return skipped


@dataclass
class PageResult:
    """What refreshing one page changed: the new text and the number of examples rewritten."""

    path: Path
    text: str
    changed: int
    examples: int
    changed_lines: tuple[int, ...] = ()


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


def refresh_block(body: str, namespace: dict, path: Path, first_line: int, skip: SkipState) -> tuple[str, list[int], int]:
    """Returns the block with every example's output replaced by its real output, the changed lines and the examples run."""
    if not body.lstrip().startswith(">>>"):
        if not skip.skips_example():
            try:
                exec(compile(body, f"{path}:{first_line}", "exec"), namespace)
            except Exception as exc:
                raise UnexpectedError(f"{path}:{first_line}: {type(exc).__name__}: {exc}") from exc
        return body, [], 0
    new, changed, count = [], [], 0
    for piece in doctest.DocTestParser().parse(body):
        if isinstance(piece, str):
            new.append(piece)
            continue
        indent = " " * piece.indent
        source_lines = piece.source.rstrip("\n").split("\n")
        new.append(indent + ">>> " + source_lines[0] + "\n")
        new.extend(indent + "... " + line + "\n" for line in source_lines[1:])
        if skip.skips_example():
            new.extend(indent + line + "\n" for line in piece.want.rstrip("\n").split("\n") if piece.want)
            continue
        count += 1
        line = first_line + piece.lineno
        printed, exc = _run(piece.source, namespace)
        if exc is not None:
            if piece.exc_msg is None:
                raise UnexpectedError(f"{path}:{line}: {type(exc).__name__}: {exc}")
            exc_only = traceback.format_exception_only(type(exc), exc)[-1]
            still_matches = _checker.check_output(piece.exc_msg, exc_only, FLAGS)
            want = piece.want if still_matches else _format_exception(exc)
        elif _checker.check_output(piece.want, printed, FLAGS):
            want = piece.want  # still accepted: keep it (a deliberate ..., another BLAS's last digit)
        else:
            want = re.sub(r"(?m)^[ \t]*$", "<BLANKLINE>", printed.rstrip("\n")) + "\n" if printed else ""
        if want != piece.want:
            changed.append(line)
        new.extend(indent + line + "\n" for line in want.rstrip("\n").split("\n") if want)
    return "".join(new), changed, count


def refresh_page(path: Path) -> PageResult:
    """Returns the page's text with every example output regenerated (the file is not written)."""
    text = path.read_text()
    namespace: dict = {"__name__": "__docs__"}
    reset_runtime()
    namespace.update(page_globals())
    skip = SkipState()
    pieces, last, changed, examples = [], 0, [], 0
    try:
        for match in FENCE.finditer(text):
            between = text[last : match.start()]
            for directive in SKIP.finditer(between):
                where = f"{path}:{text.count(chr(10), 0, last + directive.start()) + 1}"
                skip.directive(directive.group("action"), directive.group("arguments"), namespace, where)
            pieces.append(between)
            body = match.group("body")
            if match.group("info").strip() == "python":
                indent = match.group("indent")
                dedented = "\n".join(line[len(indent):] if line.startswith(indent) else line for line in body.split("\n"))
                first_line = text.count("\n", 0, match.start()) + 2
                new_body, block_changed, n_examples = refresh_block(dedented, namespace, path, first_line, skip)
                body = "\n".join(indent + line if line else line for line in new_body.split("\n"))
                changed += block_changed
                examples += n_examples
            pieces.append(text[match.start() : match.start("body")] + body + text[match.end("body") : match.end()])
            last = match.end()
        pieces.append(text[last:])
    finally:
        reset_runtime()
    return PageResult(path, "".join(pieces), len(changed), examples, tuple(changed))


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
            print(f"error: an example raised where no exception was expected; nothing written.\n  {err}", file=sys.stderr)
            return 1
    touched = [r for r in results if r.changed]
    if not args.check:
        for r in touched:
            r.path.write_text(r.text)
    verb = "would change" if args.check else "changed"
    for r in touched:
        print(f"  {r.path}: {r.changed} of {r.examples} examples {verb} (lines {', '.join(map(str, r.changed_lines))})")
    print(f"{len(touched)} of {len(results)} pages {verb}, {sum(r.changed for r in results)} of {sum(r.examples for r in results)} examples")
    return 1 if (args.check and touched) else 0


if __name__ == "__main__":
    sys.exit(main())
