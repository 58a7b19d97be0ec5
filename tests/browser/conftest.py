"""Fixtures for the browser tests: the built site served on 127.0.0.1, and Chromium driven by Playwright.

The site is served under the path of `site_url` (mkdocs.yml), as GitHub Pages serves it, so the
absolute links of 404.html resolve too. Chromium is the one CHROMIUM_PATH names, else
Debian's (/usr/bin/chromium), else Playwright's own (`python -m playwright install chromium`).
"""

from __future__ import annotations

import functools
import gzip
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import yaml

from docs_tools.chromium import WAYS, NoChromium, system_chromium

ROOT = Path(__file__).resolve().parents[2]
SITE = ROOT / "site"
DOCS = ROOT / "docs"
SCREENSHOTS = ROOT / "screenshots"
# Flags that keep Chromium quiet and offline: no background requests of its own to count as the site's.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # Tabs in the background run at full speed: the accessibility audit works in several tabs at once.
    "--disable-background-timer-throttling",
    "--disable-renderer-backgrounding",
    "--disable-backgrounding-occluded-windows",
    # No optimizing JavaScript compiler (V8's TurboFan): a page here runs its scripts for a second or two, so
    # compiling them again for speed costs more than it saves. The pages compute the same either way: over
    # every page, the sweep's records are identical with and without it. Measured on 2 cores: a sweep of
    # every page 117-118 CPU-s -> 104-110, four page loads 3.9 -> 3.2-3.6 CPU-s.
    "--js-flags=--no-opt",
]


@functools.cache  # read once: the page sweep asks for every file of every page
def site_url() -> str:
    """Returns mkdocs.yml's site_url, where the site is published, ending in "/" (or "/" when unset)."""

    class Loader(yaml.SafeLoader):
        pass

    Loader.add_multi_constructor("", lambda loader, suffix, node: None)  # ignore !!python/name tags
    url = yaml.load((ROOT / "mkdocs.yml").read_text(), Loader=Loader).get("site_url") or "/"
    return url if url.endswith("/") else url + "/"


def site_path_prefix() -> str:
    """Returns the path part of site_url, e.g. "/lstm-explained/" (or "/" without one)."""
    return urlsplit(site_url()).path or "/"


# What GitHub Pages sends gzip-compressed to a browser that accepts it; the page weight counts those bytes.
COMPRESSED_SUFFIXES = {".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".map", ".ipynb"}


class SiteHandler(SimpleHTTPRequestHandler):
    """Serves site/ below the site_url prefix, and nothing outside it; text gzip-compressed as GitHub Pages does."""

    prefix = "/"

    def do_GET(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir() and self.path.split("?")[0].endswith("/"):
            path = path / "index.html"
        accepts_gzip = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (accepts_gzip and path.suffix in COMPRESSED_SUFFIXES and path.is_file()):
            return super().do_GET()
        body = gzip.compress(path.read_bytes(), compresslevel=6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def translate_path(self, path: str) -> str:
        path = urlsplit(path).path
        if not path.startswith(self.prefix):
            return str(SITE / "__outside_the_site_prefix__")
        return super().translate_path("/" + path[len(self.prefix):])

    def log_message(self, format, *args):  # keep the test output clean
        pass


@dataclass
class Site:
    """The served site: where it lives on disk and on the local server."""

    base_url: str  # e.g. http://127.0.0.1:43111/lstm-explained/
    prefix: str
    pages: list[str] = field(default_factory=list)  # every HTML page's URL
    notebooks: dict[str, Path] = field(default_factory=dict)  # page URL -> the docs/**/*.ipynb it is built from

    @property
    def notebook_pages(self) -> list[str]:
        return list(self.notebooks)

    @property
    def origin(self) -> str:
        parts = urlsplit(self.base_url)
        return f"{parts.scheme}://{parts.netloc}"

    def url(self, relative: str) -> str:
        return self.base_url + relative

    def file_for(self, url: str) -> Path | None:
        """Returns the file under site/ that a URL of this server serves, or None when it is outside the site."""
        path = unquote(urlsplit(url).path)
        if not path.startswith(self.prefix):
            return None
        target = SITE / path[len(self.prefix):]
        return target / "index.html" if path.endswith("/") or target.is_dir() else target


def page_url(base_url: str, html: Path) -> str:
    relative = html.relative_to(SITE).as_posix()
    return base_url + (relative[: -len("index.html")] if relative.endswith("index.html") else relative)


def notebook_page_files() -> dict[Path, Path]:
    """Returns {HTML file mkdocs-jupyter builds: the notebook in docs/ it comes from}."""
    pages = {}
    for notebook in sorted(DOCS.rglob("*.ipynb")):
        if ".ipynb_checkpoints" in notebook.parts:
            continue
        relative = notebook.relative_to(DOCS).with_suffix("")
        pages[SITE / relative / "index.html"] = notebook
    return pages


@pytest.fixture(scope="session")
def site():
    """Serves the built site/ on 127.0.0.1 at a free port (builds it first when it is missing)."""
    if not (SITE / "index.html").exists():
        subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet"], cwd=ROOT, check=True)
    prefix = site_path_prefix()
    handler = functools.partial(type("Handler", (SiteHandler,), {"prefix": prefix}), directory=str(SITE))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base_url = f"http://127.0.0.1:{server.server_address[1]}{prefix}"
    served = Site(base_url=base_url, prefix=prefix)
    served.pages = [page_url(base_url, html) for html in sorted(SITE.rglob("*.html"))]
    served.notebooks = {page_url(base_url, html): source for html, source in notebook_page_files().items() if html.exists()}
    missing = [str(html) for html in notebook_page_files() if not html.exists()]
    assert not missing, f"notebooks in docs/ without a built page: {missing}"
    yield served
    server.shutdown()
    server.server_close()


def chromium_executable() -> str | None:
    """Returns the Chromium to drive (docs_tools.chromium decides), or None for Playwright's own."""
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
    """Returns the Tabs (tests/browser/pageload.py): one context in which each interactive test opens its own tab."""
    from .pageload import Tabs

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
    from .pageload import watch_errors

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
    """Returns a Future of the Sweep (tests/browser/pageload.py): every page loaded once, audited once.

    Started as the session starts when a selected test needs it, so the pages load and get audited in
    their own browser while the other browser tests run; `visits` and `audits` wait for it.
    """
    if not request.config.stash.get(NEEDS_SWEEP, True):
        return None
    from .pageload import start_sweep

    site = request.getfixturevalue("site")
    audited = [url for url in site.pages if not url.endswith("/404.html")]
    future = start_sweep(site.origin, site.pages, chromium_executable(), CHROMIUM_ARGS, audit=audited, cache=True)
    request.config.stash[SWEEP] = future
    return future


SWEEP = pytest.StashKey[object]()


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """Says how many pages the page sweep loaded this run and how many it took from its cache (tests/browser/sweep_cache.py)."""
    future = config.stash.get(SWEEP, None)
    if future is None or not future.done() or future.exception() is not None:
        return
    reuse = future.result().reuse
    if reuse is not None:
        from .sweep_cache import enabled

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
