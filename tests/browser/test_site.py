"""Every page of the built site, as a reader's browser loads it."""

from __future__ import annotations

import json
from urllib.parse import unquote, urlsplit
from urllib.request import urlopen
from xml.etree import ElementTree

import pytest

from docs_tools.browser.pageload import visit
from docs_tools.browser.served import SITE, site_url

GUIDE_PAGE_BUDGET = 400 * 1024  # bytes on the wire, everything the page loads
NOTEBOOK_PAGE_BUDGET = 800 * 1024


def offenders(visits, attribute):
    return {url: getattr(v, attribute) for url, v in visits.items() if getattr(v, attribute)}


def test_the_site_has_its_pages(site):
    assert site.url("") in site.pages and site.url("calculator/") in site.pages, site.pages


def test_no_console_errors(visits):
    assert offenders(visits, "console_errors") == {}


def test_no_request_goes_to_another_host(visits):
    """No web fonts, no CDN, no analytics: everything comes from the host that serves the site."""
    assert offenders(visits, "foreign_requests") == {}


def test_everything_a_page_loads_is_there(visits):
    assert offenders(visits, "failed") == {}


def test_internal_links_and_anchors_resolve(visits, site):
    ids_by_file = {site.file_for(url): set(v.info["ids"]) for url, v in visits.items()}
    broken = []
    for url, page in visits.items():
        for link in page.info["links"]:
            parts = urlsplit(link)
            if f"{parts.scheme}://{parts.netloc}" != site.origin:
                continue  # a link to another site: not requested by the page, not checked here
            target = site.file_for(link)
            if target is None or not target.is_file():
                broken.append(f"{url} -> {link}: no such file")
            elif parts.fragment and target.suffix == ".html":
                if unquote(parts.fragment) not in ids_by_file.get(target, set()):
                    broken.append(f"{url} -> {link}: no element with that id")
    assert not broken, "\n".join(broken)


def test_canonical_links_and_sitemap_point_at_the_hosted_site(visits, site):
    """With site_url set, each page names its published address, and the sitemap lists every page."""
    hosted = site_url()
    want = {url: hosted + url[len(site.base_url):] for url in visits if not url.endswith("/404.html")}
    assert {url: visits[url].info["canonical"] for url in want} == want
    sitemap = ElementTree.parse(SITE / "sitemap.xml").getroot()
    listed = {loc.text.strip() for loc in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")}
    assert listed == set(want.values())


def test_images_have_alt_text(visits):
    missing = {url: v.info["images_without_alt"] + v.info["figures_without_name"] for url, v in visits.items()}
    assert {url: m for url, m in missing.items() if m} == {}


def test_headings_go_in_order(visits):
    """One h1 first, and no level skipped on the way down (h2 then h4 is a skip)."""
    problems = {}
    for url, v in visits.items():
        levels = [level for level, _ in v.info["headings"]]
        if not levels or levels[0] != 1 or levels.count(1) != 1:
            problems[url] = f"want exactly one h1, first: {v.info['headings'][:3]}"
        skips = [(a, b) for a, b in zip(v.info["headings"], v.info["headings"][1:]) if b[0] > a[0] + 1]
        if skips:
            problems[url] = f"level skipped: {skips}"
    assert problems == {}


def test_page_weight_within_budget(visits, site, screenshots):
    """Everything a page loads, in bytes on the wire (gzip, as GitHub Pages sends it), within budget."""
    rows, over = [], []
    for url, v in sorted(visits.items()):
        budget = NOTEBOOK_PAGE_BUDGET if url in site.notebook_pages else GUIDE_PAGE_BUDGET
        where = url[len(site.base_url) - 1 :]
        rows.append(f"{v.weight / 1024:8.1f} KB  (budget {budget // 1024} KB)  {len(v.transferred):3d} files  {where}")
        if v.weight > budget:
            heaviest = sorted(v.transferred.items(), key=lambda item: -item[1])[:5]
            over.append(f"{url}: {v.weight} bytes > {budget}; heaviest: {heaviest}")
    (screenshots / "page-weights.txt").write_text("\n".join(rows) + "\n")
    assert not over, "\n".join(over)


def test_a_page_loaded_again_gives_what_its_kept_results_say(page_sweep, visits):
    """A page whose files did not change gives, loaded again, what the sweep's cache kept for it.

    One audited page is loaded and audited on every run (docs_tools/browser/sweep_cache.py); when its
    files are unchanged its new results are compared with the kept ones, so a cache key that misses an
    input fails here.
    """
    sweep = page_sweep.result()
    assert sweep.reuse.probe in sweep.reuse.loaded and sweep.reuse.probe in sweep.audits
    assert set(sweep.reuse.loaded) | set(sweep.reuse.kept) == set(visits)
    assert sweep.reuse.mismatch == {}


def test_every_page_is_weighed_as_a_first_visit(visits):
    """The sweep loads page after page in one tab with the HTTP cache off: each page still fetches the theme itself."""
    theme = ("/assets/javascripts/bundle.", "/assets/stylesheets/main.")
    missing = {url: [t for t in theme if not any(t in loaded for loaded in v.transferred)] for url, v in visits.items()}
    assert {url: m for url, m in missing.items() if m} == {}


# The home page's scheme and the figures it shows, as a reader toggles the palette (one load for both tests).
READ_SCHEME = "() => [document.body.getAttribute('data-md-color-scheme'), getComputedStyle(document.body).backgroundColor]"
SHOWN_FIGURES = """() => Array.from(document.querySelectorAll('img[src*="figures/"]'))
  .filter((img) => getComputedStyle(img).display !== 'none').map((img) => img.getAttribute('src'))"""


@pytest.fixture(scope="module")
def toggled(tabs, site):
    """Returns the scheme and the figures shown on a light OS: first, after a click on the toggle, after a reload, after another click."""
    states = []

    def toggle(page):
        label = page.locator('form[data-md-component="palette"] label:visible')
        states.append((page.evaluate(READ_SCHEME), page.evaluate(SHOWN_FIGURES)))
        label.click()
        states.append((page.evaluate(READ_SCHEME), page.evaluate(SHOWN_FIGURES)))
        page.reload(wait_until="load")
        states.append((page.evaluate(READ_SCHEME), page.evaluate(SHOWN_FIGURES)))
        label.click()
        states.append((page.evaluate(READ_SCHEME), page.evaluate(SHOWN_FIGURES)))

    v = visit(tabs, site.url(""), action=toggle, color_scheme="light")
    return states, v


def test_dark_mode_toggle_switches_and_is_remembered(toggled):
    states, v = toggled
    light, dark, dark_after_reload, light_again = (scheme for scheme, _ in states)
    assert light[0] == "default" and dark[0] == "slate", states
    assert light[1] != dark[1], "the background did not change colour"
    assert dark_after_reload == dark, "the choice was not remembered across a reload"
    assert light_again == light
    assert v.console_errors == []


def test_figures_follow_the_site_toggle_not_only_the_os_scheme(toggled):
    """On a light OS, the toggle's dark scheme shows the dark figure, and only it."""
    (_, before), (_, after), _, (_, back) = toggled[0]
    assert before and all(src.endswith(".svg#only-light") for src in before), before
    assert len(after) == len(before), after
    assert all(src.endswith("-dark.svg#only-dark") for src in after), after
    assert back == before


def test_notebook_pages_render_and_offer_their_download(visits, site):
    """Each notebook page shows its cells and outputs, no traceback, and a link that downloads the very notebook.

    Read from the page sweep's load of each page; the notebook is fetched from the link as a browser would.
    """
    if not site.notebook_pages:
        pytest.skip("no notebook pages: docs/ has no .ipynb yet, so there is nothing to render or download")
    for url in site.notebook_pages:
        v = visits[url]
        shown = v.info["notebook"]
        assert v.console_errors == [] and v.failed == [], url
        assert shown["cells"] > 0 and shown["outputs"] > 0, f"{url}: {shown['cells']} cells, {shown['outputs']} outputs"
        assert not any("Traceback" in text for text in shown["errors"]), shown["errors"]
        assert shown["downloads"], f"{url}: no link to download the notebook"
        with urlopen(shown["downloads"][0]) as response:  # the local server, gzip only when asked for
            status, body = response.status, response.read()
        assert status == 200, shown["downloads"][0]
        assert json.loads(body) == json.loads(site.notebooks[url].read_text()), f"{shown['downloads'][0]} is not {site.notebooks[url]}"
