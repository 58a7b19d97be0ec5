"""Sybil wiring: every ```python fence in docs/ and every docstring example in the package is a test.

Kept at the repository root, never inside docs/ (mkdocs-jupyter would render a .py there as a page).
"""

from __future__ import annotations

from doctest import ELLIPSIS, NORMALIZE_WHITESPACE

import pytest
from sybil import Sybil
from sybil.integration.pytest import SybilItem
from sybil.parsers.markdown import SkipParser

from lstm_explained.docs_checker import docstring_parser, markdown_parser
from lstm_explained.docs_runtime import page_globals, reset_runtime

OPTIONFLAGS = ELLIPSIS | NORMALIZE_WHITESPACE


def _setup(namespace: dict) -> None:
    reset_runtime()
    namespace.update(page_globals())


def _teardown(namespace: dict) -> None:
    reset_runtime()


markdown_pages = Sybil(
    name="docs",
    parsers=[SkipParser(), markdown_parser(OPTIONFLAGS)],
    patterns=["docs/**/*.md", "docs/*.md"],
    setup=_setup,
    teardown=_teardown,
)

docstrings = Sybil(
    name="docstrings",
    parsers=[docstring_parser(OPTIONFLAGS)],
    patterns=["lstm_explained/*.py"],
    setup=_setup,
    teardown=_teardown,
)

pytest_collect_file = (markdown_pages + docstrings).pytest()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_collection_modifyitems(session, config, items):
    """Keeps each page's examples together and in page order, wherever the test order put the page.

    pytest-randomly shuffles every test, Sybil's examples included. A page's examples
    share one namespace and the global torch state (seed, grad mode, print options),
    so they must run top to bottom with nothing in between. Pages stay in random order.
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
