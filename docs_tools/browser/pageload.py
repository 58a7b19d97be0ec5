"""Loads pages of the served site and records what they did: one tab per visit for the interactive tests, and the page sweep."""

from __future__ import annotations

import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from urllib.parse import urlsplit

# Everything a page shows about itself that the tests check, read in one evaluate call.
READ_PAGE = """() => {
  const article = document.querySelector("article") || document.body;
  const accessibleName = (el) => (el.getAttribute("aria-label") || "").trim()
    || (el.getAttribute("aria-labelledby") || "").split(/\\s+/).map((id) => document.getElementById(id))
         .filter(Boolean).map((n) => n.textContent.trim()).join(" ")
    || (el.querySelector(":scope > title") ? el.querySelector(":scope > title").textContent.trim() : "");
  return {
    title: document.title,
    canonical: (document.querySelector('link[rel="canonical"]') || {}).href || null,
    links: Array.from(document.querySelectorAll("a[href]"), (a) => a.href),
    ids: Array.from(document.querySelectorAll("[id]"), (el) => el.id)
      .concat(Array.from(document.querySelectorAll("a[name]"), (a) => a.name)),
    headings: Array.from(article.querySelectorAll("h1, h2, h3, h4, h5, h6"),
      (h) => [Number(h.tagName[1]), h.textContent.replace(/\\s+/g, " ").replace(/¶$/, "").trim()]),
    images_without_alt: Array.from(document.querySelectorAll("img"))
      .filter((img) => !(img.getAttribute("alt") || "").trim()).map((img) => img.getAttribute("src")),
    figures_without_name: Array.from(document.querySelectorAll('svg[role="img"], [role="img"]:not(svg)'))
      .filter((el) => !accessibleName(el)).map((el) => el.outerHTML.slice(0, 80)),
    notebook: {  // a page mkdocs-jupyter built from a notebook: its cells, outputs, error outputs, download links
      cells: document.querySelectorAll(".jupyter-wrapper .jp-Cell").length,
      outputs: document.querySelectorAll(".jupyter-wrapper .jp-OutputArea-output").length,
      errors: Array.from(document.querySelectorAll('.jupyter-wrapper [data-mime-type="application/vnd.jupyter.stderr"]'),
        (el) => el.innerText),
      downloads: Array.from(document.querySelectorAll('a[download][href$=".ipynb"]'), (a) => a.href),
    },
  };
}"""


@dataclass
class PageVisit:
    """What one page load did: its console errors, its requests and what it shows."""

    url: str
    console_errors: list[str] = field(default_factory=list)
    foreign_requests: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)  # responses >= 400 and requests that never completed
    transferred: dict[str, int] = field(default_factory=dict)  # URL -> bytes on the wire (headers + gzip body)
    info: dict = field(default_factory=dict)
    requested: list[str] = field(default_factory=list)  # every URL the page asked for (page sweep only)

    @property
    def weight(self) -> int:
        return sum(self.transferred.values())


def is_foreign(url: str, origin: str) -> bool:
    """Returns whether a request goes to a host other than the one serving the site."""
    parts = urlsplit(url)
    if parts.scheme in ("data", "blob", "about", "javascript"):
        return False
    return f"{parts.scheme}://{parts.netloc}" != origin


class Tabs:
    """The one browser context that the interactive tests open their tabs in, one tab per visit.

    One context for all, and in it one tab kept open on the site, so that each new tab of the site
    joins that tab's renderer process instead of starting one. In the full `chromium` (measured on
    2 cores), opening a tab and loading shapes/ costs 2.3 CPU-s in a new context or with no other
    tab of the site open, and 1.3 CPU-s beside the kept tab; in the headless shell the tests prefer
    (chromium.py), 0.9 CPU-s either way. What a visit leaves behind is cleared when its
    tab closes: the site's storage, cookies and granted permissions. A request to another host is
    refused and recorded in `foreign`.
    """

    def __init__(self, browser, origin: str, keep: str):
        self.browser, self.origin, self.keep = browser, origin, keep
        self.foreign: list[str] = []
        self._open()

    def _open(self) -> None:
        self.context = self.browser.new_context()
        self.context.set_default_timeout(10_000)
        # only what goes elsewhere is routed: the site's own requests never wait on Python
        elsewhere = re.compile("^(?!" + re.escape(self.origin) + "/|data:|blob:|about:)")
        self.context.route(elsewhere, self._refuse)
        self.kept = self.context.new_page()
        self.kept.goto(self.keep)  # a file of the site that runs none of its scripts

    def _refuse(self, route) -> None:
        self.foreign.append(route.request.url)
        route.abort()

    @contextmanager
    def tab(self, *, viewport: dict | None = None, color_scheme: str | None = None, reduced_motion: str | None = None,
            permissions: tuple[str, ...] | list[str] = (), init_script: str | None = None):
        """Yields a new tab (not yet at any page) that emulates what is asked; it is closed, and what it left cleared, after."""
        page = self.context.new_page()
        try:
            if viewport:
                page.set_viewport_size(viewport)
            if color_scheme or reduced_motion:
                page.emulate_media(color_scheme=color_scheme, reduced_motion=reduced_motion)
            if permissions:
                self.context.grant_permissions(list(permissions), origin=self.origin)
            if init_script:
                page.add_init_script(path=init_script)
            yield page
        finally:
            self._forget(page)

    def _forget(self, page) -> None:
        """Closes `page` and clears what it left for the next tab; when that fails, the next tab gets a new context."""
        from playwright.sync_api import Error

        try:
            if page.url.startswith(self.origin + "/"):
                page.evaluate("() => { localStorage.clear(); sessionStorage.clear(); }")
            self.context.clear_cookies()
            self.context.clear_permissions()
            page.close()
        except Error:
            self.context.close()
            self._open()

    def close(self) -> None:
        self.context.close()


def watch_errors(page, errors: list[str]) -> None:
    """Has each console error and uncaught exception of `page` appended to `errors`, with the script it came from."""
    page.on("console", lambda msg: msg.type == "error" and errors.append(f"{msg.text} ({msg.location.get('url')})"))
    page.on("pageerror", lambda error: errors.append(f"uncaught: {error}"))


def visit(tabs: Tabs, url: str, action=None, **tab_options) -> PageVisit:
    """Returns what loading `url` in a new tab of `tabs` did; `action(page)` runs after load.

    The HTTP cache is off while a route is set, so each visit fetches every file again. After
    `load`, it waits for the requests then in flight to end (not for the network to be idle for
    half a second, as the page sweep does to weigh every page: these visits are for what a page
    does, and requests that start later are recorded while `action` runs).
    """
    record = PageVisit(url)
    refused_before = len(tabs.foreign)
    with tabs.tab(**tab_options) as page:
        watch_errors(page, record.console_errors)
        page.on("requestfailed", lambda request: record.failed.append(f"{request.url}: {request.failure}"))
        responses, in_flight = [], set()
        page.on("response", lambda response: responses.append(response))
        page.on("request", lambda request: in_flight.add(request))
        page.on("requestfinished", lambda request: in_flight.discard(request))
        page.on("requestfailed", lambda request: in_flight.discard(request))
        page.goto(url, wait_until="load")
        while in_flight:  # what is still loading after `load` (the search index): wait for each to end
            request = in_flight.pop()
            response = request.response()  # None for a request that failed
            if response is not None:
                response.finished()
        record.info = page.evaluate(READ_PAGE)
        if action is not None:
            action(page)
        for response in responses:
            if response.status >= 400:
                record.failed.append(f"{response.url}: HTTP {response.status}")
            sizes = response.request.sizes()
            body = response.headers.get("content-length")
            record.transferred[response.url] = sizes["responseHeadersSize"] + (int(body) if body else sizes["responseBodySize"])
    record.foreign_requests = tabs.foreign[refused_before:]
    for request_url in record.foreign_requests:
        record.failed = [f for f in record.failed if not f.startswith(request_url)]
    return record


# What each code block's copy button copies: Material copies the data-copy attribute of the <pre>
# when it has one (copy-runnable.js sets it on doctest blocks), else the block's text; without trailing
# white space (tests/browser/test_copy.py clicks real buttons to hold this to what Material does).
READ_COPIES = """() => Array.from(document.querySelectorAll("article .highlight pre:has(> code)"), (pre) => [
  pre.querySelector(":scope > code").textContent,
  (pre.hasAttribute("data-copy") ? pre.getAttribute("data-copy") : pre.querySelector(":scope > code").textContent).trimEnd(),
])"""


# What a browser with tabs does after a page loads, and a headless shell does not: fetch the page's icon.
FETCH_ICON = """() => {
  const icon = document.querySelector('link[rel~="icon"]');
  return icon ? fetch(icon.href).then((response) => response.arrayBuffer()).then(() => icon.href, () => icon.href) : null;
}"""


@dataclass
class Sweep:
    """Every page of the site loaded once: what each load did, and the audit of each page audited."""

    visits: dict[str, PageVisit]
    audits: dict  # url -> audit.PageAudit
    reuse: object = None  # sweep_cache.Reuse: which pages came from the cache, None without one


class _Tab:
    """One context and one tab that load page after page; the HTTP cache is off (routing turns it off).

    Every request goes through `route`, so each load is counted as with an empty cache, and a request to
    another host is refused and recorded. Events go to the record of the page being loaded.
    """

    def __init__(self, origin: str):
        self.origin = origin
        self.record = PageVisit("")
        self.responses: list = []

    async def open(self, browser, axe_script: str | None, **context_options):
        self.context = await browser.new_context(**context_options)
        self.context.set_default_timeout(30_000)
        if axe_script:
            await self.context.add_init_script(path=axe_script)
        await self.context.route("**/*", self._route)
        self.page = await self.context.new_page()
        self.page.on("console", self._console)
        self.page.on("request", lambda request: self.record.requested.append(request.url))
        self.page.on("pageerror", lambda error: self.record.console_errors.append(f"uncaught: {error}"))
        self.page.on("requestfailed", lambda request: self.record.failed.append(f"{request.url}: {request.failure}"))
        self.page.on("response", lambda response: self.responses.append(response))
        return self

    def _console(self, msg) -> None:
        if msg.type == "error":
            self.record.console_errors.append(f"{msg.text} ({msg.location.get('url')})")

    async def _route(self, route):
        if is_foreign(route.request.url, self.origin):
            self.record.foreign_requests.append(route.request.url)
            await route.abort()
        else:
            await route.continue_()

    async def load(self, url: str) -> PageVisit:
        """Returns what loading `url` did (once the network is idle), plus what each copy button copies."""
        self.record, self.responses[:] = PageVisit(url), []
        record = self.record
        await self.page.goto(url, wait_until="load")
        await self.page.wait_for_load_state("networkidle")
        await self.page.evaluate(FETCH_ICON)
        record.info = await self.page.evaluate(READ_PAGE)
        record.info["copies"] = await self.page.evaluate(READ_COPIES)
        for response in list(self.responses):
            if response.status >= 400:
                record.failed.append(f"{response.url}: HTTP {response.status}")
            sizes = await response.request.sizes()
            body = response.headers.get("content-length")
            record.transferred[response.url] = sizes["responseHeadersSize"] + (int(body) if body else sizes["responseBodySize"])
        return record

    def finish(self, record: PageVisit) -> None:
        """Drops from `failed` the requests refused because they went to another host (reported as foreign).

        Also sorts `requested` and drops repeats: the order of late requests (the favicon, the search
        worker's) varies from load to load.
        """
        record.requested = sorted(set(record.requested))
        for request_url in record.foreign_requests:
            record.failed = [f for f in record.failed if not f.startswith(request_url)]


def default_tabs() -> int:
    """Returns how many tabs load and audit pages side by side: one per CPU, at least 2 (they also wait)."""
    import os

    return max(2, os.cpu_count() or 2)


def start_sweep(origin: str, urls: list[str], executable: str | None, args: list[str], audit: list[str] = (),
                tabs: int | None = None, full: bool = False, cache: bool = False):
    """Returns a Future of the Sweep of `urls`: each loaded once, with an empty cache, `tabs` pages at a time; those in `audit` audited.

    It runs in a thread of its own, with its own headless Chromium in an asyncio loop, while the
    caller goes on (the browser tests run beside it, on the sync browser they share). Each tab loads
    a page, reads it, then audits it (audit.py: axe in both schemes, the phone width)
    while the other tabs do the same with theirs. With `cache`, a page whose files are all unchanged
    since it was last swept gets its kept results instead (sweep_cache.py), but the
    smallest audited page is always loaded and audited, and compared with its kept results.
    """
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    from playwright.async_api import async_playwright

    from . import sweep_cache
    from .audit import AXE, DESKTOP, audit_page

    if audit and not AXE.exists():
        raise FileNotFoundError(f"{AXE} is missing: run `make setup` (npm ci installs the pinned axe-core)")
    audited = set(audit)

    async def run() -> Sweep:
        visits, audits = {}, {}
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(executable_path=executable, headless=True, args=args)
            kept, store, reuse = {}, None, None
            if cache:
                key = sweep_cache.environment_key(browser.version, AXE if audited else None,
                                                  {"full": full, "args": list(args), "audited": sorted(u[len(origin):] for u in audited),
                                                   "browser": executable})
                store = sweep_cache.SweepCache(key, origin)
                if sweep_cache.enabled():
                    kept = {url: found for url in urls if (found := store.valid(url)) is not None}
            probe = sweep_cache.probe(urls, audited, origin)  # loaded and audited on every run
            queue = [url for url in urls if url == probe or url not in kept]

            async def work() -> None:
                tab = await _Tab(origin).open(browser, str(AXE) if audited else None, viewport=DESKTOP,
                                              color_scheme="light", reduced_motion="reduce")
                try:
                    while queue:
                        url = queue.pop(0)
                        record = await tab.load(url)
                        if url in audited:
                            audits[url] = await audit_page(tab.page, url, full=full)
                        tab.finish(record)
                        visits[url] = record
                finally:
                    await tab.context.close()

            try:
                await asyncio.gather(*(work() for _ in range(min(tabs or default_tabs(), len(queue)))))
            finally:
                await browser.close()
        if store is not None:
            reuse = sweep_cache.merge(store, kept, probe, urls, visits, audits)
        return Sweep({url: visits[url] for url in urls}, {url: audits[url] for url in urls if url in audited}, reuse)

    executor = ThreadPoolExecutor(1, thread_name_prefix="page-sweep")
    future = executor.submit(asyncio.run, run())
    executor.shutdown(wait=False)
    return future


def sweep(origin: str, urls: list[str], executable: str | None, args: list[str], **options) -> Sweep:
    """Returns the Sweep of `urls` (see start_sweep), once it is done."""
    return start_sweep(origin, urls, executable, args, **options).result()
