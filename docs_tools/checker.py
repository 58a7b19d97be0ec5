"""Tensor-aware output checking for the docs: floats compared to the precision the page prints.

A printed float such as ``0.0289`` stands for "0.0289, give or take one unit in its last
digit" (``1e-4`` here): a different BLAS or CPU may round the same value the other way.
Anything further off, an integer, ``True``/``False`` or any other text must match as doctest
matches it (``ELLIPSIS`` and ``NORMALIZE_WHITESPACE`` included). A float printed without
decimals (``tensor([0., 1.])``) is compared exactly. On failure, the report names the first
element that differs (its tensor and index) and points at it with a caret.

Sybil's own ``NUMBER`` flag is close, but compares in binary floating point (so a one-digit
difference can fail or pass by rounding noise) and lets ``1.`` match ``2.``.
"""

from __future__ import annotations

import doctest
import re
from decimal import Decimal
from typing import NamedTuple

from sybil.evaluators.doctest import DocTestEvaluator
from sybil.evaluators.doctest import OutputChecker as SybilOutputChecker
from sybil.parsers.abstract import DocTestStringParser
from sybil.parsers.markdown import PythonCodeBlockParser
from sybil.parsers.rest import DocTestParser

from .mutation import mutate

# A number as Python and torch print it: 12, -0.0289, 1., 1.2346e-05, -3e+02.
NUMBER = re.compile(r"(?<![\w.])[+-]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][+-]?\d+)?(?![\w.])")
_TOKEN = re.compile(rf"(?P<number>{NUMBER.pattern})|(?P<ellipsis>\.\.\.)|(?P<space>\s+)")
_TRAILING_SPACE = re.compile(r"[ \t]+$", re.M)


class Number(NamedTuple):
    """One number found in printed text: its text, its position, and its value."""

    text: str
    start: int
    end: int

    @property
    def value(self) -> Decimal:
        """Returns the exact decimal value of the printed text."""
        return Decimal(self.text)

    @property
    def is_float(self) -> bool:
        """Returns True when the text has a decimal point or an exponent (an int is compared exactly)."""
        return any(c in self.text for c in ".eE")

    @property
    def last_digit_unit(self) -> Decimal:
        """Returns the value of one unit in the last printed digit: 1e-4 for 0.0289, 0 for 1. (exact)."""
        exponent = self.value.as_tuple().exponent
        return Decimal(1).scaleb(exponent) if isinstance(exponent, int) and exponent < 0 else Decimal(0)


def numbers(text: str) -> list[Number]:
    """Returns every number printed in ``text``, in order."""
    return [Number(m.group(), m.start(), m.end()) for m in NUMBER.finditer(text)]


def close_enough(want: Number, got: Number) -> bool:
    """Returns True when ``got`` is ``want`` to the precision ``want`` is printed with."""
    if not (want.is_float and got.is_float):
        return want.text == got.text
    return abs(want.value - got.value) <= want.last_digit_unit


def _index_of(text: str, position: int) -> tuple[int, int, tuple[int, ...]]:
    """Returns (tensor number, tensor count, index) of the element printed at ``position`` in ``text``.

    Walks the brackets of torch's printout: each ``[`` opens a dimension, each ``,`` moves
    to the next element of the innermost open one. The tensor number counts ``tensor(``
    from 1; it is 0 when the element is not inside a printed tensor.
    """
    stack: list[int] = []
    tensor_depth = tensor_number = 0
    for i, char in enumerate(text[:position]):
        if text.startswith("tensor(", i):
            tensor_number += 1
            tensor_depth = len(stack)
        if char == "[":
            stack.append(0)
        elif char == "]" and stack:
            stack.pop()
        elif char == "," and stack:
            stack[-1] += 1
    return tensor_number, text.count("tensor("), tuple(stack[tensor_depth:])


def _caret(text: str, start: int, end: int) -> str:
    """Returns the line of ``text`` holding [start, end) with a caret line under that span."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", start)
    line = text[line_start : line_end if line_end >= 0 else len(text)]
    return f"    {line}\n    {' ' * (start - line_start)}{'^' * max(1, end - start)}"


class _Part(NamedTuple):
    """One piece of an expected output as the checker reads it: what ``got`` must show there."""

    kind: str  # "literal" (as written; optional padding after "[" and "("), "float", "space" or "ellipsis"
    text: str


def _parts(want: str, optionflags: int) -> tuple[list[_Part], list[Number]]:
    """Returns ``want`` cut into the pieces ``got`` must match in order, and the floats of ``want``.

    Floats match any number (their values are compared afterwards), ``...`` matches anything
    under ELLIPSIS, whitespace matches any whitespace under NORMALIZE_WHITESPACE, and torch's
    padding after ``[`` or ``(`` (a space where another element of the column is negative) is
    optional. Everything else must match as written.
    """
    want = _TRAILING_SPACE.sub("", want).rstrip()
    parts, wanted, last = [], [], 0
    for token in _TOKEN.finditer(want):
        kind = token.lastgroup
        if kind == "number" and not Number(token.group(), 0, 0).is_float:
            continue
        if kind == "ellipsis" and not optionflags & doctest.ELLIPSIS:
            continue
        if kind == "space" and not optionflags & doctest.NORMALIZE_WHITESPACE and want[token.start() - 1] not in "[(":
            continue
        parts.append(_Part("literal", want[last : token.start()]))
        if kind == "number":
            parts.append(_Part("float", token.group()))
            wanted.append(Number(token.group(), token.start(), token.end()))
        elif kind == "ellipsis":
            parts.append(_Part("ellipsis", token.group()))
        elif want[token.start() - 1] not in "[(":  # after a bracket, the literal's optional padding takes it
            parts.append(_Part("space", token.group()))
        last = token.end()
    parts.append(_Part("literal", want[last:]))
    return parts, wanted


def _pattern(parts: list[_Part]) -> re.Pattern:
    """Returns the regex of :func:`_parts`' pieces, with one group per float (needed where ``...`` may stretch)."""
    regex = {
        "float": lambda text: f"({NUMBER.pattern})",
        "space": lambda text: r"\s+",
        "ellipsis": lambda text: r"[\s\S]*?",
        "literal": lambda text: re.escape(text).replace(r"\[", r"\[\s*").replace(r"\(", r"\(\s*"),
    }
    return re.compile("".join(regex[part.kind](part.text) for part in parts))


_SPACE = re.compile(r"\s*")
_BRACKET = re.compile(r"([\[(])")


def _scan(parts: list[_Part], got: str) -> list[str] | None:
    """Returns the numbers of ``got`` standing where ``want`` has floats, or None when ``got`` does not match.

    The same match as ``_pattern(parts).fullmatch(got).groups()``, read left to right without
    building a regex (compiling one per output cost more than the rest of the check). Without
    ``...`` nothing in the pattern can match in two ways: a run of whitespace is taken whole (what
    follows it never starts with whitespace), and a number is taken whole (the lookarounds of
    ``NUMBER`` refuse any shorter one). So one pass decides, as the regex engine would.
    """
    pos, floats = 0, []
    for kind, text in parts:
        if kind == "literal":
            for piece in _BRACKET.split(text):
                if not got.startswith(piece, pos):
                    return None
                pos += len(piece)
                if piece in ("[", "("):
                    pos = _SPACE.match(got, pos).end()
        elif kind == "space":
            end = _SPACE.match(got, pos).end()
            if end == pos:
                return None
            pos = end
        else:  # a float; no "..." reaches here
            number = NUMBER.match(got, pos)
            if number is None:
                return None
            floats.append(number.group())
            pos = number.end()
    return floats if pos == len(got) else None


def first_difference(want: str, got: str) -> str:
    """Returns one paragraph saying where ``got`` first departs from ``want``, for a failure report."""
    wanted, gotten = numbers(want), numbers(got)
    for w, g in zip(wanted, gotten):
        if not close_enough(w, g):
            tensor, tensors, index = _index_of(want, w.start)
            where = "number"
            if tensor and index:
                where = f"element [{', '.join(map(str, index))}]" + (f" of tensor {tensor} of {tensors}" if tensors > 1 else "")
            allowed = f"allowed: {w.last_digit_unit}" if w.last_digit_unit else "compared exactly"
            line = want.count("\n", 0, w.start) + 1
            return (
                f"First difference: {where} (line {line} of the output): expected {w.text}, got {g.text} "
                f"(off by {abs(w.value - g.value)}; {allowed})\n{_caret(want, w.start, w.end)}\n"
            )
    if len(wanted) != len(gotten):
        return f"First difference: expected {len(wanted)} numbers, got {len(gotten)}\n"
    want_lines, got_lines = want.splitlines(), got.splitlines()
    for line, (w, g) in enumerate(zip(want_lines, got_lines), start=1):
        if " ".join(w.split()) != " ".join(g.split()):
            column = next((i for i, (a, b) in enumerate(zip(w, g)) if a != b), min(len(w), len(g)))
            return f"First difference: line {line}, column {column + 1}:\n    {w}\n    {' ' * column}^\n    {g}  (got)\n"
    return f"First difference: expected {len(want_lines)} lines, got {len(got_lines)}\n"


class TensorOutputChecker(SybilOutputChecker):
    """A doctest output checker that accepts a float off by at most one unit in its last printed digit."""

    def check_output(self, want: str, got: str, optionflags: int) -> bool:
        if super().check_output(want, got, optionflags):
            return True
        parts, wanted = _parts(want, optionflags)
        got = _TRAILING_SPACE.sub("", got).rstrip()
        if any(part.kind == "ellipsis" for part in parts):
            match = _pattern(parts).fullmatch(got)
            gotten = match and match.groups()
        else:
            gotten = _scan(parts, got)
        if gotten is None:
            return False
        return all(close_enough(w, Number(g, 0, len(g))) for w, g in zip(wanted, gotten))

    def output_difference(self, example: doctest.Example, got: str, optionflags: int) -> str:
        report = super().output_difference(example, got, optionflags)
        if got:
            report = first_difference(example.want, got) + report
        return report


class MutationProvingChecker(TensorOutputChecker):
    """The docs tests' checker: an output passes when it matches, and when a change to it would not.

    Each accepted expected output is changed by one character (:func:`docs_tools.mutation.mutate`)
    and compared again, in the same run: the changed output must fail. An output that still passes
    once changed (or has nothing that may be changed) checks nothing, and fails its example. This
    is the docs' mutation test, at the cost of one more string comparison per example.
    """

    caught = 0  # outputs proven this way, over the whole run

    def __init__(self) -> None:
        super().__init__()
        self.problem = ""

    def check_output(self, want: str, got: str, optionflags: int) -> bool:
        self.problem = ""
        if not super().check_output(want, got, optionflags):
            return False
        if not want:
            return True  # nothing printed, nothing expected
        mutation = mutate(want)
        if mutation is None:
            self.problem = "the expected output has nothing a change could be caught in: show a value"
            return False
        if super().check_output(mutation.apply(want), got, optionflags):
            self.problem = (
                f"changing {mutation.before!r} to {mutation.after!r} at offset {mutation.offset} "
                "would still pass: this output checks nothing (an ellipsis too wide?)"
            )
            return False
        MutationProvingChecker.caught += 1
        return True

    def output_difference(self, example: doctest.Example, got: str, optionflags: int) -> str:
        if self.problem:
            return f"The output matches, but {self.problem}.\n"
        return super().output_difference(example, got, optionflags)


class TensorDocTestEvaluator(DocTestEvaluator):
    """Sybil's doctest evaluator, checking outputs with :class:`MutationProvingChecker`."""

    def __init__(self, optionflags: int = 0) -> None:
        super().__init__(optionflags)
        self.runner._checker = MutationProvingChecker()  # doctest.DocTestRunner keeps its checker here


def markdown_parser(optionflags: int) -> PythonCodeBlockParser:
    """Returns Sybil's parser for ```python fences in Markdown, with tensor-aware checking."""
    parser = PythonCodeBlockParser(doctest_optionflags=optionflags)
    parser.doctest_parser = DocTestStringParser(TensorDocTestEvaluator(optionflags))
    return parser


def docstring_parser(optionflags: int) -> DocTestParser:
    """Returns Sybil's parser for ``>>>`` examples in docstrings, with tensor-aware checking."""
    parser = DocTestParser(optionflags)
    parser.string_parser = DocTestStringParser(TensorDocTestEvaluator(optionflags))
    return parser
