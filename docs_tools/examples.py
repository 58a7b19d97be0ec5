"""Where a page's fences and examples are: Sybil's own parse, read back as lines of the page.

The one parser of the docs: the refresher, the page checks and the mutation check all read
pages through Sybil (``docs_tools.collect``), so what they see is exactly what the docs tests
run. Sybil gives each doctest example's first line and its parsed source and output; this
module turns that into the lines of the page the example occupies.
"""

from __future__ import annotations

import doctest
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from sybil import Document, Example
from sybil.parsers.markdown.lexers import FencedCodeBlockLexer

_ANY_FENCE = FencedCodeBlockLexer(r"[^\n]*")


@dataclass(frozen=True)
class Fence:
    """One fenced block of a page: the line of its opening fence, its info string and its body."""

    line: int  # 1-based line of the opening ``` or ~~~
    info: str
    body: str  # without the indentation of an admonition or a tab
    span: range  # offsets in the page from the body's first character to the closing fence's end


@dataclass(frozen=True)
class DocExample:
    """Where one ``>>>`` example sits in its page: its source lines, then its output lines."""

    example: Example
    first_line: int  # 1-based line of the ``>>>``
    source_lines: int
    want_lines: int
    prefix: str  # the indentation before ``>>>`` (inside an admonition or a tab)

    @property
    def parsed(self) -> doctest.Example:
        """Returns the doctest example Sybil parsed: source, expected output, exception message."""
        return self.example.parsed

    @property
    def lines(self) -> range:
        """Returns the 1-based page lines of the whole example, source and output."""
        return range(self.first_line, self.first_line + self.source_lines + self.want_lines)

    @property
    def output_lines(self) -> range:
        """Returns the 1-based page lines of the expected output alone."""
        return range(self.first_line + self.source_lines, self.lines.stop)


def fences(text: str) -> Iterator[Fence]:
    """Returns every fenced block of a Markdown text, whatever its info string, as Sybil lexes them."""
    for region in _ANY_FENCE(Document(text, "<page>")):
        source = region.lexemes["source"]
        span = range(region.start + source.offset, region.end)
        yield Fence(text.count("\n", 0, region.start) + 1, region.lexemes["language"].strip(), source, span)


def unclosed_fences(text: str) -> list[int]:
    """Returns the opening lines of the fences that are never closed.

    Sybil, like CommonMark, runs an unclosed fence to the end of the page: the prose after it
    becomes code, and a refresher writing outputs there would rewrite prose. A fence is closed when
    the last line of its block is a fence marker.
    """
    lines = text.split("\n")
    found = []
    for fence in fences(text):
        last = lines[text.count("\n", 0, fence.span.stop - 1)].strip()
        if not (last.startswith("```") or last.startswith("~~~")):
            found.append(fence.line)
    return found


def locate(example: Example, fence: Fence, page_lines: list[str]) -> DocExample:
    """Returns where a doctest example of a page sits, given the fence it is in and the page's lines.

    Sybil numbers an example's lines from its fence's dedented body, so an example in an indented
    fence (an admonition, a tab) is found from the fence's first line and the example's line in it.
    """
    parsed = example.parsed
    first = fence.line + 1 + parsed.lineno
    prefix = page_lines[first - 1][: page_lines[first - 1].index(">>>")]
    want_lines = len(parsed.want.rstrip("\n").split("\n")) if parsed.want else 0
    return DocExample(example, first, parsed.source.rstrip("\n").count("\n") + 1, want_lines, prefix)


def doc_examples(document: Document) -> Iterator[DocExample | Example]:
    """Returns the document's examples in order: each ``>>>`` example located in the page, others as Sybil gives them."""
    page_lines = document.text.split("\n")
    python = [fence for fence in fences(document.text) if fence.info == "python"]
    for example in document.examples():
        if not isinstance(example.parsed, doctest.Example):
            yield example
            continue
        # Sybil's offset of an example in an indented fence falls short, but never out of its fence.
        fence = next(fence for fence in python if example.region.start in fence.span)
        yield locate(example, fence, page_lines)


def page_lines(path: Path) -> list[str]:
    """Returns a page's lines, without their line endings."""
    return path.read_text().split("\n")


def uncompared_lines(document: Document) -> list[int]:
    """Returns the lines of a page's ``>>>`` fences that look printed but are never compared with anything.

    That is a non-blank line that belongs to no example (after a blank line inside a fence, say),
    or the output of an example marked ``# doctest: +SKIP``. Each would survive any change.
    """
    examples = [item for item in doc_examples(document) if isinstance(item, DocExample)]
    covered = {line for item in examples for line in item.lines}
    skipped = [line for item in examples if item.parsed.options.get(doctest.SKIP) for line in item.output_lines]
    lines = document.text.split("\n")
    found = []
    for fence in fences(document.text):
        if fence.info != "python" or not fence.body.lstrip().startswith(">>>"):
            continue
        first = fence.line + 1
        for number in range(first, first + fence.body.rstrip("\n").count("\n") + 1):
            if lines[number - 1].strip() and number not in covered:
                found.append(number)
    return sorted(found + skipped)
