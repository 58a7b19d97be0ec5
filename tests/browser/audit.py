"""Every page for every reader: axe-core in light and dark, and the page on a 375 px phone.

One browser, one context per colour scheme, one tab per context reused page after page (so the
theme's CSS and JS come from cache). axe-core is the pinned npm package (package.json,
installed into node_modules/ by `make setup`), injected from disk: never from a CDN.

Run it alone for the numbers: `python -m tests.browser.audit` (builds nothing: site/ must exist).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from .conftest import ROOT

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
PHONE = {"width": 375, "height": 740}
DESKTOP = {"width": 1280, "height": 900}
SCHEMES = ("light", "dark")
# WCAG 2.x A and AA, and axe's best practices (a dialog's name is one of them).
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
SERIOUS = ("serious", "critical")

# Only these rules depend on the colour scheme: the dark pass runs them alone (the rest is the same page).
COLOUR_RULES = ["color-contrast", "link-in-text-block"]

# axe.run is started in every tab first, then collected, so that the tabs' renderers work side by side.
START_AXE = """(options) => {
  const runOnly = options.rules ? {type: "rule", values: options.rules} : {type: "tag", values: options.tags};
  window.__axeResult = axe.run(document, {runOnly: runOnly, resultTypes: ["violations"]});
}"""
COLLECT_AXE = """async () => (await window.__axeResult).violations.map((v) => ({id: v.id, impact: v.impact,
  nodes: v.nodes.map((n) => n.target.join(" ") + " :: " + (n.failureSummary || "").split("\\n").slice(1, 2).join("").trim())}))"""

# The page on a phone: is it wider than the screen, and which code blocks scroll sideways.
READ_PHONE = """() => {
  const visible = (el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== "hidden";
  const scrolls = (el) => el && el.scrollWidth > el.clientWidth + 1;
  const blocks = Array.from(document.querySelectorAll("article pre")).filter(visible);
  const sideways = blocks.filter((pre) => scrolls(pre) || scrolls(pre.querySelector(":scope > code")));
  const tooSmall = [];
  for (const img of document.querySelectorAll("article img[src$='.svg']")) {
    if (!visible(img) || !img.naturalWidth) continue;
    const scale = img.getBoundingClientRect().width / img.naturalWidth;
    if (scale < 0.999) tooSmall.push(img.getAttribute("src") + " at " + Math.round(scale * 100) + "%");
  }
  for (const svg of document.querySelectorAll("article svg[width][role=img]")) {
    if (!visible(svg) || svg.closest("a, button, .md-icon, .twemoji")) continue;
    const scale = svg.getBoundingClientRect().width / parseFloat(svg.getAttribute("width"));
    if (scale < 0.999) tooSmall.push((svg.id || svg.getAttribute("class") || "svg") + " at " + Math.round(scale * 100) + "%");
  }
  return {
    width: document.documentElement.scrollWidth,
    blocks: blocks.length,
    sideways: sideways.map((pre) => (pre.textContent || "").trim().split("\\n")[0].slice(0, 60)),
    shrunk_figures: tooSmall,
  };
}"""


@dataclass
class PageAudit:
    url: str
    axe: dict[str, list[dict]] = field(default_factory=dict)  # scheme -> serious/critical violations
    phone: dict = field(default_factory=dict)

    def serious_nodes(self, scheme: str) -> int:
        return sum(len(v["nodes"]) for v in self.axe.get(scheme, []))


def set_scheme(page, scheme: str) -> None:
    """Switches Material's palette the way a reader does: with the toggle, until the page shows `scheme`."""
    want = "slate" if scheme == "dark" else "default"
    page.emulate_media(color_scheme=scheme)
    if page.evaluate("() => document.body.getAttribute('data-md-color-scheme')") != want:
        page.locator('form[data-md-component="palette"] label:visible').first.click()
        page.wait_for_function("want => document.body.getAttribute('data-md-color-scheme') === want", arg=want)


def _chunks(items: list, size: int):
    for i in range(0, len(items), size):
        yield items[i:i + size]


def audit_pages(browser, urls, schemes=SCHEMES, phone=True, tabs: int | None = None, full: bool = False) -> dict[str, PageAudit]:
    """Returns {url: PageAudit}: axe in each scheme at desktop width, then the phone checks at 375 px.

    Pages go through a few tabs at a time (one per two CPUs, at most 4): each tab's renderer runs its
    own axe, side by side. axe-core is added to every page before the page's own scripts.
    The first scheme gets every rule, the others only the colour rules, unless `full`.
    """
    if not AXE.exists():
        raise FileNotFoundError(f"{AXE} is missing: run `make setup` (npm ci installs the pinned axe-core)")
    tabs = tabs or max(1, min(4, (os.cpu_count() or 2) // 2))
    audits = {url: PageAudit(url) for url in urls}
    context = browser.new_context(viewport=DESKTOP, color_scheme="light", reduced_motion="reduce")
    context.set_default_timeout(30_000)
    context.add_init_script(path=str(AXE))
    try:
        pages = [context.new_page() for _ in range(min(tabs, len(urls)))]
        for chunk in _chunks(list(urls), len(pages)):
            batch = list(zip(pages, chunk))
            for page, url in batch:
                page.set_viewport_size(DESKTOP)
                page.goto(url, wait_until="commit")
            for page, _ in batch:
                page.wait_for_load_state("load")
            for scheme in schemes:
                for page, _ in batch:
                    set_scheme(page, scheme)
                    every_rule = full or scheme == schemes[0]
                    page.evaluate(START_AXE, {"tags": AXE_TAGS} if every_rule else {"rules": COLOUR_RULES})
                for page, url in batch:
                    audits[url].axe[scheme] = [v for v in page.evaluate(COLLECT_AXE) if v["impact"] in SERIOUS]
            if phone:
                for page, url in batch:
                    page.set_viewport_size(PHONE)
                    page.wait_for_function(f"() => window.innerWidth === {PHONE['width']}")
                    audits[url].phone = page.evaluate(READ_PHONE)
            for page, _ in batch:
                set_scheme(page, "light")
    finally:
        context.close()
    return audits


def summary(audits: dict[str, PageAudit]) -> str:
    """Returns the table of numbers the issue asks for, page by page and in total."""
    lines = []
    total = {s: 0 for s in SCHEMES}
    wide = blocks = sideways = 0
    for url, a in audits.items():
        for s in SCHEMES:
            total[s] += a.serious_nodes(s)
        p = a.phone
        wide += p.get("width", 0) > PHONE["width"]
        blocks += p.get("blocks", 0)
        sideways += len(p.get("sideways", []))
        rules = sorted({v["id"] for s in SCHEMES for v in a.axe.get(s, [])})
        lines.append(f"{a.serious_nodes('light'):5d} {a.serious_nodes('dark'):5d}  width {p.get('width')}  "
                     f"sideways {len(p.get('sideways', []))}/{p.get('blocks')}  {url}  {rules}")
    lines.append(f"serious+critical axe nodes: light {total['light']}, dark {total['dark']}")
    lines.append(f"pages wider than {PHONE['width']} px: {wide} of {len(audits)}")
    lines.append(f"code blocks scrolling sideways at {PHONE['width']} px: {sideways} of {blocks}"
                 f" ({100 * sideways / max(blocks, 1):.0f}%)")
    return "\n".join(lines)


def serve_site() -> tuple[str, list[str]]:
    """Serves the built site/ on 127.0.0.1 in a daemon thread; returns its base URL and every page's URL but 404.html."""
    import functools
    import threading
    from http.server import ThreadingHTTPServer

    from . import conftest

    prefix = conftest.site_path_prefix()
    handler = functools.partial(type("Handler", (conftest.SiteHandler,), {"prefix": prefix}), directory=str(conftest.SITE))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base_url = f"http://127.0.0.1:{server.server_address[1]}{prefix}"
    pages = [conftest.page_url(base_url, html) for html in sorted(conftest.SITE.rglob("*.html"))]
    return base_url, [url for url in pages if not url.endswith("/404.html")]


def launch(playwright):
    from . import conftest

    return playwright.chromium.launch(executable_path=conftest.chromium_executable(), headless=True, args=conftest.CHROMIUM_ARGS)


def main() -> None:
    """Prints the audit of the built site/ (run from the repository root).

    --full runs every rule in both schemes (the tests run only the colour rules in the dark one);
    --json also writes screenshots/audit.json.
    """
    import json
    import sys

    from playwright.sync_api import sync_playwright

    _, urls = serve_site()
    with sync_playwright() as playwright:
        browser = launch(playwright)
        audits = audit_pages(browser, urls, full="--full" in sys.argv)
        browser.close()
    print(summary(audits))
    if "--json" in sys.argv:
        Path("screenshots").mkdir(exist_ok=True)
        Path("screenshots/audit.json").write_text(json.dumps({u: a.__dict__ for u, a in audits.items()}, indent=1))


if __name__ == "__main__":
    main()
