"""Sybil wiring, a pytest plugin: every ```python fence in docs/ and every docstring example in the package is a test.

Each docs page is one pytest item: Sybil parses it and runs its examples top to bottom in one
namespace, and a failure lists every example that went wrong, by line, with expected and actual
output. (One item per example cost about 2 ms of pytest overhead each, more than the examples
themselves.) Docstring examples stay one item each. The root ``conftest.py`` loads this
module as a plugin; it lives beside the package, never inside docs/ (mkdocs-jupyter would render a
.py there as a page) nor inside lstm_explained/ (it is not part of the product).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from doctest import ELLIPSIS, NORMALIZE_WHITESPACE
from pathlib import Path
from unittest import SkipTest

import pytest
from sybil import Sybil
from sybil.example import SybilFailure
from sybil.integration.pytest import SybilItem
from sybil.parsers.markdown import SkipParser

from .checker import MutationProvingChecker, docstring_parser, markdown_parser
from .figure_check import FigureDeclarationParser
from .runtime import global_state, leaks, page_globals, reset_runtime, warm_up

OPTIONFLAGS = ELLIPSIS | NORMALIZE_WHITESPACE
ROOT = str(Path(__file__).resolve().parent.parent)  # the repository root: Sybil resolves patterns from here


def _setup(namespace: dict) -> None:
    reset_runtime()
    namespace.update(page_globals())


def _teardown(namespace: dict) -> None:
    reset_runtime()


markdown_pages = Sybil(
    name="docs",
    parsers=[SkipParser(), markdown_parser(OPTIONFLAGS), FigureDeclarationParser()],
    path=ROOT,
    patterns=["docs/**/*.md", "docs/*.md"],
    setup=_setup,
    teardown=_teardown,
)

docstrings = Sybil(
    name="docstrings",
    parsers=[docstring_parser(OPTIONFLAGS)],
    path=ROOT,
    patterns=["lstm_explained/**/*.py", "lstm_explained/*.py"],
    setup=_setup,
    teardown=_teardown,
)

_collect_docstrings = docstrings.pytest()


@dataclass
class PageRun:
    """What running a page did: examples run, skipped ones as 'line N: reason', failures as 'page:line: why'.

    ``leaked`` names the global settings the page changed and did not restore (see
    :func:`docs_tools.runtime.global_state`): pages run in any order, so none may leak.
    """

    ran: int = 0
    skipped: list = field(default_factory=list)
    failures: list = field(default_factory=list)
    leaked: list = field(default_factory=list)


def run_page(page: Path) -> PageRun:
    """Returns the PageRun of every example of a page, run in order between the page's setup and teardown."""
    result = PageRun()
    document = markdown_pages.parse(page)
    warm_up()
    markdown_pages.setup(document.namespace)
    before = global_state()
    try:
        for example in document.examples():
            try:
                example.evaluate()
                result.ran += 1
            except SkipTest as skip:
                result.skipped.append(f"line {example.line}: {skip}")
            except SybilFailure as failure:
                result.failures.append(f"{page.name}, line {example.line}:\n{failure.result}")
    finally:
        markdown_pages.teardown(document.namespace)
        result.leaked = leaks(before, global_state())
    return result


class SkippedExamples(UserWarning):
    """A docs page skipped some of its examples (a version-specific one, or one shown but never run)."""


class PageFailed(Exception):
    """Raised by a docs page whose examples did not all evaluate as written."""


class DocsPage(pytest.Item):
    """One Markdown page of docs/: all its examples, run by Sybil in page order."""

    pages_run = 0

    def runtest(self) -> None:
        DocsPage.pages_run += 1
        run = run_page(self.path)
        if run.skipped:
            reasons = "; ".join(run.skipped)
            warnings.warn(SkippedExamples(f"{self.path.name}: {len(run.skipped)} skipped: {reasons}"), stacklevel=1)
        if run.leaked:
            run.failures.append(f"{self.path.name} leaks {', '.join(run.leaked)} into the pages after it: restore it on the page")
        if run.failures:
            raise PageFailed(f"{len(run.failures)} of {run.ran + len(run.failures)} examples failed", run.failures)

    def repr_failure(self, excinfo, style=None):
        if isinstance(excinfo.value, PageFailed):
            summary, failures = excinfo.value.args
            return summary + "\n\n" + "\n\n".join(failures)
        return super().repr_failure(excinfo, style=style)

    def reportinfo(self):
        return self.path, None, f"docs page {self.path.name}"


class DocsFile(pytest.File):
    """A Markdown file under docs/, collected as one DocsPage."""

    def collect(self):
        yield DocsPage.from_parent(self, name="examples")


def pytest_collect_file(file_path: Path, parent):
    """Returns a DocsFile for a page under docs/, or Sybil's items for a docstring module.

    A module without ``>>>`` has no docstring example, and Sybil is not asked to parse it
    (it would walk the module's syntax tree for every docstring, to find none).
    """
    if markdown_pages.should_parse(file_path):
        return DocsFile.from_parent(parent, path=file_path)
    if docstrings.should_parse(file_path) and ">>>" not in file_path.read_text(encoding=docstrings.encoding):
        return None
    return _collect_docstrings(file_path, parent)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_collection_modifyitems(session, config, items):
    """Keeps each module's docstring examples together and in order, wherever the test order put them.

    pytest-randomly shuffles every test, Sybil's examples included. A module's examples
    share one namespace and the global torch state (seed, grad mode, print options),
    so they must run top to bottom with nothing in between. Modules stay in random order.
    (A docs page is a single item already.)
    """
    result = yield  # pytest-randomly (a wrapper too, registered earlier, so inside this one) shuffles first
    by_page: dict = {}
    for item in items:
        if isinstance(item, SybilItem):
            by_page.setdefault(item.path, []).append(item)
    reordered, placed = [], set()
    for item in items:
        if not isinstance(item, SybilItem):
            reordered.append(item)
        elif item.path not in placed:
            placed.add(item.path)
            reordered.extend(sorted(by_page[item.path], key=lambda it: it.example.start))
    items[:] = reordered
    return result


def pytest_terminal_summary(terminalreporter) -> None:
    """Prints how many expected outputs were proven to be checked (each fails when changed) in this run."""
    if DocsPage.pages_run:
        terminalreporter.write_line(
            f"mutation: {MutationProvingChecker.caught} printed outputs checked, each one failing when one character changes"
        )
