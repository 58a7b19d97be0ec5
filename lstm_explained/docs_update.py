"""Rewrites the expected output of every ``>>>`` example in docs/ from execution.

Usage: ``python -m lstm_explained.docs_update [--check] [PAGE ...]`` (``make docs-update``).

Each page runs top to bottom in one namespace, from the runtime the tests use
(:func:`lstm_explained.docs_runtime.reset_runtime`). Only fences whose info string
is exactly ``python`` are run, as Sybil does. An expected exception is kept as
written while the real one still matches it (so ``...`` in a message survives);
an example that raises where no exception was expected stops the run, and no page
is written.
"""

from __future__ import annotations

import argparse
import contextlib
import doctest
import io
import re
import sys
import traceback
from dataclasses import dataclass
from pathlib import Path

from .docs_runtime import reset_runtime

FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<ticks>```+|~~~+)(?P<info>[^\n]*)\n(?P<body>.*?)^(?P=indent)(?P=ticks)[ \t]*$", re.M | re.S)
FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
_checker = doctest.OutputChecker()


class UnexpectedError(Exception):
    """Raised when an example raises where its page expects output."""


@dataclass
class PageResult:
    """What refreshing one page changed: the new text and the number of examples rewritten."""

    path: Path
    text: str
    changed: int
    examples: int


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


def refresh_block(body: str, namespace: dict, where: str) -> tuple[str, int, int]:
    """Returns the block with every example's output replaced by its real output, the changes and the examples."""
    parser = doctest.DocTestParser()
    if not body.lstrip().startswith(">>>"):
        exec(compile(body, where, "exec"), namespace)
        return body, 0, 0
    pieces = parser.parse(body)
    new, changed, count = [], 0, 0
    for piece in pieces:
        if isinstance(piece, str):
            new.append(piece)
            continue
        count += 1
        printed, exc = _run(piece.source, namespace)
        indent = " " * piece.indent
        source_lines = piece.source.rstrip("\n").split("\n")
        new.append(indent + ">>> " + source_lines[0] + "\n")
        new.extend(indent + "... " + line + "\n" for line in source_lines[1:])
        if exc is not None:
            if piece.exc_msg is None:
                raise UnexpectedError(f"{where}:{piece.lineno + 1}: {type(exc).__name__}: {exc}")
            exc_only = traceback.format_exception_only(type(exc), exc)[-1]
            still_matches = _checker.check_output(piece.exc_msg, exc_only, FLAGS)
            want = piece.want if still_matches else _format_exception(exc)
        else:
            want = printed
            want = re.sub(r"(?m)^[ \t]*$", "<BLANKLINE>", want.rstrip("\n")) + "\n" if want else ""
            if _checker.check_output(piece.want, printed, FLAGS) and "..." in piece.want:
                want = piece.want  # keep a deliberate ellipsis while it still matches
        if want != piece.want:
            changed += 1
        new.extend(indent + line + "\n" for line in want.rstrip("\n").split("\n") if want)
    return "".join(new), changed, count


def refresh_page(path: Path) -> PageResult:
    """Returns the page's text with every example output regenerated (the file is not written)."""
    text = path.read_text()
    namespace: dict = {"__name__": "__docs__"}
    reset_runtime()
    pieces, last, changed, examples = [], 0, 0, 0
    skip_next = False
    try:
        for match in FENCE.finditer(text):
            between = text[last : match.start()]
            if re.search(r"<!--\s*skip:\s*next", between):
                skip_next = True
            pieces.append(between)
            body = match.group("body")
            if match.group("info").strip() == "python" and not skip_next:
                indent = match.group("indent")
                dedented = "\n".join(line[len(indent):] if line.startswith(indent) else line for line in body.split("\n"))
                lineno = text.count("\n", 0, match.start()) + 2
                new_body, n_changed, n_examples = refresh_block(dedented, namespace, f"{path}:{lineno}")
                body = "\n".join(indent + line if line else line for line in new_body.split("\n"))
                changed += n_changed
                examples += n_examples
            skip_next = False
            pieces.append(text[match.start() : match.start("body")] + body + text[match.end("body") : match.end()])
            last = match.end()
        pieces.append(text[last:])
    finally:
        reset_runtime()
    return PageResult(path, "".join(pieces), changed, examples)


def main(argv: list[str] | None = None) -> int:
    """Returns the exit code: 0 when done (or nothing to change with --check), 1 otherwise."""
    parser = argparse.ArgumentParser(prog="python -m lstm_explained.docs_update", description=__doc__.split("\n\n")[0])
    parser.add_argument("pages", nargs="*", type=Path, help="Markdown pages (default: docs/**/*.md)")
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if any output would change")
    args = parser.parse_args(argv)
    pages = args.pages or sorted(Path("docs").rglob("*.md"))
    results = []
    for page in pages:
        print(f"running {page} ...", file=sys.stderr, flush=True)
        try:
            results.append(refresh_page(page))
        except UnexpectedError as err:
            print(f"error: an example raised where no exception was expected, nothing written:\n  {err}", file=sys.stderr)
            return 1
    touched = [r for r in results if r.changed]
    if not args.check:
        for r in touched:
            r.path.write_text(r.text)
    verb = "would change" if args.check else "changed"
    for r in touched:
        print(f"  {r.path}: {r.changed} of {r.examples} examples {verb}")
    print(f"{len(touched)} of {len(results)} pages {verb}, {sum(r.changed for r in results)} of {sum(r.examples for r in results)} examples")
    return 1 if (args.check and touched) else 0


if __name__ == "__main__":
    sys.exit(main())
