"""Runs one Markdown page through the project's own Sybil setup, outside pytest's collection."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from unittest import SkipTest

from sybil.example import SybilFailure

from conftest import markdown_pages


@dataclass
class PageRun:
    """What running a page did: examples run, examples skipped, and each failure as 'page:line: why'."""

    ran: int = 0
    skipped: int = 0
    failures: list = field(default_factory=list)


def run_page(page: Path) -> PageRun:
    """Returns the PageRun of every example of a page, run in order with the page's setup and teardown."""
    result = PageRun()
    document = markdown_pages.parse(page)
    markdown_pages.setup(document.namespace)
    try:
        for example in document.examples():
            try:
                example.evaluate()
                result.ran += 1
            except SkipTest:
                result.skipped += 1
            except SybilFailure as failure:
                result.failures.append(f"{page.name}:{example.line}: {failure.result}")
    finally:
        markdown_pages.teardown(document.namespace)
    return result
