"""Loads one page of the served site in a fresh browser context and records what it did."""

from __future__ import annotations

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

    @property
    def weight(self) -> int:
        return sum(self.transferred.values())


def is_foreign(url: str, origin: str) -> bool:
    """Returns whether a request goes to a host other than the one serving the site."""
    parts = urlsplit(url)
    if parts.scheme in ("data", "blob", "about", "javascript"):
        return False
    return f"{parts.scheme}://{parts.netloc}" != origin


def visit(browser, site, url: str, action=None, **context_options) -> PageVisit:
    """Returns what loading `url` in a fresh context (empty cache) did; `action(page)` runs after load."""
    record = PageVisit(url)
    context = browser.new_context(**context_options)
    context.set_default_timeout(10_000)
    try:

        def route(route):
            if is_foreign(route.request.url, site.origin):
                record.foreign_requests.append(route.request.url)
                route.abort()
            else:
                route.continue_()

        context.route("**/*", route)
        page = context.new_page()
        page.on("console", lambda msg: msg.type == "error" and record.console_errors.append(f"{msg.text} ({msg.location.get('url')})"))
        page.on("pageerror", lambda error: record.console_errors.append(f"uncaught: {error}"))
        page.on("requestfailed", lambda request: record.failed.append(f"{request.url}: {request.failure}"))
        responses = []
        page.on("response", lambda response: responses.append(response))
        page.goto(url, wait_until="load")
        page.wait_for_load_state("networkidle")
        record.info = page.evaluate(READ_PAGE)
        if action is not None:
            action(page)
        for response in responses:
            if response.status >= 400:
                record.failed.append(f"{response.url}: HTTP {response.status}")
            sizes = response.request.sizes()
            body = response.headers.get("content-length")
            record.transferred[response.url] = sizes["responseHeadersSize"] + (int(body) if body else sizes["responseBodySize"])
        for request_url in record.foreign_requests:
            record.failed = [f for f in record.failed if not f.startswith(request_url)]
    finally:
        context.close()
    return record


# What each code block's copy button copies: Material copies the data-copy attribute of the <pre>
# when it has one (copy-runnable.js sets it on doctest blocks), else the block's text; without trailing
# white space (tests/browser/test_copy.py clicks real buttons to hold this to what Material does).
READ_COPIES = """() => Array.from(document.querySelectorAll("article .highlight pre:has(> code)"), (pre) => [
  pre.querySelector(":scope > code").textContent,
  (pre.hasAttribute("data-copy") ? pre.getAttribute("data-copy") : pre.querySelector(":scope > code").textContent).trimEnd(),
])"""


async def _visit_async(browser, origin: str, url: str) -> PageVisit:
    """Returns what loading `url` in a fresh context did, as `visit` does, plus what each copy button copies."""
    record = PageVisit(url)
    context = await browser.new_context()
    context.set_default_timeout(20_000)
    try:

        async def route(route):
            if is_foreign(route.request.url, origin):
                record.foreign_requests.append(route.request.url)
                await route.abort()
            else:
                await route.continue_()

        await context.route("**/*", route)
        page = await context.new_page()
        page.on("console", lambda msg: msg.type == "error" and record.console_errors.append(f"{msg.text} ({msg.location.get('url')})"))
        page.on("pageerror", lambda error: record.console_errors.append(f"uncaught: {error}"))
        page.on("requestfailed", lambda request: record.failed.append(f"{request.url}: {request.failure}"))
        responses = []
        page.on("response", lambda response: responses.append(response))
        await page.goto(url, wait_until="load")
        await page.wait_for_load_state("networkidle")
        record.info = await page.evaluate(READ_PAGE)
        record.info["copies"] = await page.evaluate(READ_COPIES)
        for response in responses:
            if response.status >= 400:
                record.failed.append(f"{response.url}: HTTP {response.status}")
            sizes = await response.request.sizes()
            body = response.headers.get("content-length")
            record.transferred[response.url] = sizes["responseHeadersSize"] + (int(body) if body else sizes["responseBodySize"])
        for request_url in record.foreign_requests:
            record.failed = [f for f in record.failed if not f.startswith(request_url)]
    finally:
        await context.close()
    return record


def sweep(origin: str, urls: list[str], executable: str | None, args: list[str], concurrency: int = 6) -> dict[str, PageVisit]:
    """Returns {url: PageVisit} for every URL, each loaded once in a fresh context, `concurrency` pages at a time.

    The pages mostly wait (on the network going idle), so they load side by side: an asyncio loop in
    a thread of its own, with its own headless Chromium, beside the sync browser the other tests share.
    """
    import asyncio
    import threading

    from playwright.async_api import async_playwright

    async def run() -> dict[str, PageVisit]:
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(executable_path=executable, headless=True, args=args)
            gate = asyncio.Semaphore(concurrency)

            async def one(url: str) -> PageVisit:
                async with gate:
                    return await _visit_async(browser, origin, url)

            try:
                return dict(zip(urls, await asyncio.gather(*(one(url) for url in urls))))
            finally:
                await browser.close()

    result: dict = {}
    failure: list = []

    def target() -> None:
        try:
            result.update(asyncio.run(run()))
        except BaseException as error:  # re-raised in the caller's thread
            failure.append(error)

    thread = threading.Thread(target=target, name="page-sweep")
    thread.start()
    thread.join()
    if failure:
        raise failure[0]
    return result
