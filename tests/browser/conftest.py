"""Fixtures for the browser tests: the built site served on 127.0.0.1, and Chromium driven by Playwright.

The tooling they use lives in docs_tools/browser/: which Chromium (chromium.py), the served site
(served.py), page loads and the page sweep (pageload.py), the audits (audit.py) and its cache (sweep_cache.py).
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from docs_tools.browser import served
from docs_tools.browser.chromium import CHROMIUM_ARGS, WAYS, NoChromium, system_chromium

ROOT, SITE, DOCS = served.ROOT, served.SITE, served.DOCS
SCREENSHOTS = ROOT / "screenshots"


@pytest.fixture(scope="session")
def site():
    """Serves the built site/ on 127.0.0.1 at a free port (builds it first when it is missing)."""
    if not (SITE / "index.html").exists():
        subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet"], cwd=ROOT, check=True)
    missing = [str(html) for html in served.notebook_page_files() if not html.exists()]
    assert not missing, f"notebooks in docs/ without a built page: {missing}"
    with served.serve() as site:
        yield site


def chromium_executable() -> str | None:
    """Returns the Chromium to drive (docs_tools/browser/chromium.py decides), or None for Playwright's own."""
    try:
        return system_chromium()
    except NoChromium as missing:
        pytest.fail(str(missing))


@pytest.fixture(scope="session")
def browser():
    """Returns a headless Chromium, shared by every browser test."""
    from playwright.sync_api import Error, sync_playwright

    executable = chromium_executable()
    with sync_playwright() as playwright:
        try:
            chromium = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        except Error as error:
            pytest.fail(
                f"cannot start Chromium ({executable or 'Playwright-managed'}): {error}\n"
                f"To provide one: {WAYS}."
            )
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def tabs(browser, site):
    """Returns the Tabs (docs_tools/browser/pageload.py): one context in which each interactive test opens its own tab."""
    from docs_tools.browser.pageload import Tabs

    opened = Tabs(browser, site.origin, keep=site.url("sitemap.xml"))
    yield opened
    opened.close()


@dataclass
class OpenPage:
    """A page left open across tests, and the errors it has logged since it loaded."""

    page: object
    errors: list[str] = field(default_factory=list)


@pytest.fixture(scope="session")
def calculator(tabs, site):
    """Returns the calculator page, loaded once, for the tests that only call its functions.

    Those functions (window.lstmShapes, window.lstmFindings) read nothing from the form, and what a
    test types into it does not change them; the tests of the form itself load their own page.
    """
    from docs_tools.browser.pageload import watch_errors

    with tabs.tab() as page:
        opened = OpenPage(page)
        watch_errors(page, opened.errors)
        page.goto(site.url("calculator/"), wait_until="load")
        yield opened


SWEEP_FIXTURES = {"visits", "audits"}


@pytest.hookimpl(trylast=True)  # after -k and -m have deselected
def pytest_collection_modifyitems(session, config, items):
    """Starts the page sweep with the session when a selected test reads it, and runs those tests last.

    The sweep works in its own browser while the other browser tests run; the tests that read it
    come last, so that they find it done instead of waiting for it first.
    """
    reads = [SWEEP_FIXTURES & set(getattr(item, "fixturenames", ())) for item in items]
    config.stash[NEEDS_SWEEP] = any(reads)
    items[:] = [item for item, r in zip(items, reads) if not r] + [item for item, r in zip(items, reads) if r]


NEEDS_SWEEP = pytest.StashKey[bool]()


@pytest.fixture(scope="session", autouse=True)
def page_sweep(request):
    """Returns a Future of the Sweep (docs_tools/browser/pageload.py): every page loaded once, audited once.

    Started as the session starts when a selected test needs it, so the pages load and get audited in
    their own browser while the other browser tests run; `visits` and `audits` wait for it.
    """
    if not request.config.stash.get(NEEDS_SWEEP, True):
        return None
    from docs_tools.browser.pageload import start_sweep

    site = request.getfixturevalue("site")
    audited = [url for url in site.pages if not url.endswith("/404.html")]
    future = start_sweep(site.origin, site.pages, chromium_executable(), CHROMIUM_ARGS, audit=audited, cache=True)
    request.config.stash[SWEEP] = future
    return future


SWEEP = pytest.StashKey[object]()


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """Says how many pages the page sweep loaded this run and how many it took from its cache (docs_tools/browser/sweep_cache.py)."""
    future = config.stash.get(SWEEP, None)
    if future is None or not future.done() or future.exception() is not None:
        return
    reuse = future.result().reuse
    if reuse is not None:
        from docs_tools.browser.sweep_cache import enabled

        total = len(reuse.loaded) + len(reuse.kept)
        terminalreporter.write_line(
            f"page sweep: {len(reuse.loaded)} of {total} pages loaded and audited; "
            + (f"{len(reuse.kept)} taken from .cache/page-sweep, every file they fetch unchanged (PAGE_SWEEP_CACHE=off loads all)"
               if enabled() else "the cache unread (PAGE_SWEEP_CACHE=off)"))


@pytest.fixture(scope="session")
def visits(page_sweep):
    """Returns {url: PageVisit} for every HTML page of the site, each loaded once with an empty cache."""
    return page_sweep.result().visits


@pytest.fixture(scope="session")
def audits(page_sweep):
    """Returns {url: PageAudit} for every page but 404.html: axe in both schemes, and the page on a phone."""
    return page_sweep.result().audits


@pytest.fixture(scope="session")
def screenshots() -> Path:
    """Returns the git-ignored folder the screenshots go to."""
    SCREENSHOTS.mkdir(exist_ok=True)
    return SCREENSHOTS
