"""Every page for every reader: axe-core in light and dark, and the page on a 375 px phone.

Each page is audited in the page sweep (pageload.py), in the tab that loaded it, right
after the load is read: a few tabs side by side, each audit in its own renderer. axe-core is the
pinned npm package (package.json, installed into node_modules/ by `make setup`), added from disk
before the page's own scripts: never from a CDN.

Run it alone for the numbers: `python -m docs_tools.browser.audit` (builds nothing: site/ must exist).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .served import ROOT

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
PHONE = {"width": 375, "height": 740}
DESKTOP = {"width": 1280, "height": 900}
SCHEMES = ("light", "dark")
# WCAG 2.x A and AA, and axe's best practices (a dialog's name is one of them).
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
SERIOUS = ("serious", "critical")

# Only these rules depend on the colour scheme: the dark pass runs them alone (the rest is the same page).
COLOUR_RULES = ["color-contrast", "link-in-text-block"]

# A page holds thousands of pieces of text that look alike (code tokens above all, then prose, links
# and the navigation): colour contrast is checked on one element of each look (tag, class, colour,
# size, weight, shadow, visibility, clipping by its scrolling box, and every ancestor's background,
# opacity, filter, blending and positioning), which gives the same findings in a fraction of the time.
# Every other rule sees every node. The samples are marked anew in each scheme, since looks that match
# in one scheme may differ in the other.
MARK_TEXT_SAMPLES = """() => {
  const chains = new Map();
  const chainOf = (el) => {
    if (!el) return "";
    if (!chains.has(el)) {
      const s = getComputedStyle(el);
      const own = [s.backgroundColor, s.backgroundImage, s.opacity, s.filter, s.mixBlendMode, s.position, s.zIndex].join(" ");
      chains.set(el, own + " < " + chainOf(el.parentElement));
    }
    return chains.get(el);
  };
  const clippers = new Map();  // element -> its nearest ancestor that clips (overflow other than visible), or null
  const clipperOf = (el) => {
    const parent = el.parentElement;
    if (!parent) return null;
    if (!clippers.has(parent)) {
      const s = getComputedStyle(parent);
      clippers.set(parent, s.overflowX !== "visible" || s.overflowY !== "visible" ? parent : clipperOf(parent));
    }
    return clippers.get(parent);
  };
  const ownText = (el) => Array.from(el.childNodes).some((n) => n.nodeType === 3 && n.textContent.trim());
  for (const el of document.querySelectorAll("[data-axe-skip]")) el.removeAttribute("data-axe-skip");
  const seen = new Set();
  let elements = 0;
  for (const el of document.querySelectorAll("body *")) {
    if (!ownText(el)) continue;
    elements++;
    const s = getComputedStyle(el);
    const box = el.getBoundingClientRect();
    const clipper = clipperOf(el);
    const frame = clipper && clipper.getBoundingClientRect();
    const clipped = !!frame && (box.left < frame.left || box.right > frame.right || box.top < frame.top || box.bottom > frame.bottom);
    const look = [el.tagName, el.className, s.color, s.fontSize, s.fontWeight, s.textShadow, s.visibility,
                  el.getClientRects().length > 0, clipped, chainOf(el)].join("|");
    if (seen.has(look)) el.setAttribute("data-axe-skip", "");
    else seen.add(look);
  }
  return {elements: elements, checked: seen.size};
}"""

# One axe run over the whole document: the rules of `tags`, or only `rules`; serious and critical findings.
RUN_AXE = """async (options) => {
  axe.configure({rules: [{id: "color-contrast", selector: "*:not([data-axe-skip])"}]});
  const runOnly = options.rules ? {type: "rule", values: options.rules} : {type: "tag", values: options.tags};
  const result = await axe.run(document, {runOnly: runOnly, resultTypes: ["violations"]});
  return result.violations.filter((v) => options.impacts.includes(v.impact)).map((v) => ({id: v.id, impact: v.impact,
    nodes: v.nodes.map((n) => n.target.join(" ") + " :: " + (n.failureSummary || "").split("\\n").slice(1, 2).join("").trim())}));
}"""

# Material's palette toggle, clicked as a reader clicks it (its one visible label), unless the page shows `want` already.
CLICK_PALETTE = """(want) => {
  if (document.body.getAttribute("data-md-color-scheme") === want) return false;
  const label = Array.from(document.querySelectorAll('form[data-md-component="palette"] label')).find((l) => l.getClientRects().length);
  label.click();
  return true;
}"""

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
    text_samples: dict[str, dict] = field(default_factory=dict)  # scheme -> {"elements": n, "checked": m} (colour contrast)

    def serious_nodes(self, scheme: str) -> int:
        return sum(len(v["nodes"]) for v in self.axe.get(scheme, []))


def set_scheme(page, scheme: str) -> None:
    """Switches Material's palette the way a reader does: with the toggle, until the page shows `scheme`."""
    want = "slate" if scheme == "dark" else "default"
    page.emulate_media(color_scheme=scheme)
    if page.evaluate("() => document.body.getAttribute('data-md-color-scheme')") != want:
        page.locator('form[data-md-component="palette"] label:visible').first.click()
        page.wait_for_function("want => document.body.getAttribute('data-md-color-scheme') === want", arg=want)


async def set_scheme_async(page, scheme: str) -> None:
    """Switches Material's palette with its toggle (and the OS scheme with it) until the page shows `scheme`."""
    want = "slate" if scheme == "dark" else "default"
    await page.emulate_media(color_scheme=scheme)
    if await page.evaluate(CLICK_PALETTE, want):
        await page.wait_for_function("want => document.body.getAttribute('data-md-color-scheme') === want", arg=want)


async def audit_page(page, url: str, schemes=SCHEMES, phone: bool = True, full: bool = False) -> PageAudit:
    """Returns the PageAudit of the page loaded in `page` (desktop width, axe-core added before its scripts).

    axe in each scheme (the first gets every rule, the others only the colour rules, unless `full`),
    then the phone checks at 375 px. The page is left as it came: light, at desktop width.
    """
    audit = PageAudit(url)
    for scheme in schemes:
        await set_scheme_async(page, scheme)
        every_rule = full or scheme == schemes[0]
        audit.text_samples[scheme] = await page.evaluate(MARK_TEXT_SAMPLES)
        options = {"tags": AXE_TAGS} if every_rule else {"rules": COLOUR_RULES}
        audit.axe[scheme] = await page.evaluate(RUN_AXE, {**options, "impacts": list(SERIOUS)})
    if phone:
        await page.set_viewport_size(PHONE)
        await page.wait_for_function(f"() => window.innerWidth === {PHONE['width']}")
        audit.phone = await page.evaluate(READ_PHONE)
        await page.set_viewport_size(DESKTOP)
    await set_scheme_async(page, "light")
    return audit


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


def main() -> None:
    """Prints the audit of the built site/ (run from the repository root).

    --full runs every rule in both schemes (the tests run only the colour rules in the dark one);
    --json also writes screenshots/audit.json.
    """
    import json
    import sys
    import time

    from .chromium import CHROMIUM_ARGS, system_chromium
    from .pageload import sweep
    from .served import serve

    with serve() as site:
        urls = [url for url in site.pages if not url.endswith("/404.html")]
        print(f"auditing {len(urls)} pages ...", file=sys.stderr, flush=True)
        start = time.perf_counter()
        audits = sweep(site.origin, urls, system_chromium(), CHROMIUM_ARGS, audit=urls, full="--full" in sys.argv).audits
    print(summary(audits))
    print(f"({time.perf_counter() - start:.1f} s)", file=sys.stderr)
    if "--json" in sys.argv:
        Path("screenshots").mkdir(exist_ok=True)
        Path("screenshots/audit.json").write_text(json.dumps({u: a.__dict__ for u, a in audits.items()}, indent=1))


if __name__ == "__main__":
    main()
