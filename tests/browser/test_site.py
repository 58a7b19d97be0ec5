"""Every page of the built site, as a reader's browser loads it."""

from __future__ import annotations

import json
from urllib.parse import unquote, urlsplit
from xml.etree import ElementTree

import pytest

from .conftest import SITE, site_url
from .pageload import visit

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

    The first audited page is loaded and audited on every run (tests/browser/sweep_cache.py); when its
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


def test_search_finds_h_n(browser, site):
    def search(page):
        page.click("input.md-search__input")
        page.keyboard.type("h_n")
        page.wait_for_selector(".md-search-result__item", timeout=10_000)
        search.results = page.eval_on_selector_all(".md-search-result__item a", "links => links.map(a => [a.href, a.innerText])")

    v = visit(browser, site, site.url(""), action=search)
    assert v.console_errors == []
    assert search.results, "no search result for h_n"
    assert any("h_n" in text for _, text in search.results), search.results[:3]


def test_dark_mode_toggle_switches_and_is_remembered(browser, site):
    def toggle(page):
        read = "() => [document.body.getAttribute('data-md-color-scheme'), getComputedStyle(document.body).backgroundColor]"
        toggle.states = [page.evaluate(read)]
        page.locator('form[data-md-component="palette"] label:visible').click()
        toggle.states.append(page.evaluate(read))
        page.reload(wait_until="load")
        toggle.states.append(page.evaluate(read))
        page.locator('form[data-md-component="palette"] label:visible').click()
        toggle.states.append(page.evaluate(read))

    v = visit(browser, site, site.url(""), action=toggle, color_scheme="light")
    light, dark, dark_after_reload, light_again = toggle.states
    assert light[0] == "default" and dark[0] == "slate", toggle.states
    assert light[1] != dark[1], "the background did not change colour"
    assert dark_after_reload == dark, "the choice was not remembered across a reload"
    assert light_again == light
    assert v.console_errors == []


def test_figures_follow_the_site_toggle_not_only_the_os_scheme(browser, site):
    """On a light OS, the toggle's dark scheme shows the dark figure, and only it."""

    def shown(page):
        return page.evaluate(
            "() => Array.from(document.querySelectorAll('img[src*=\"figures/\"]'))"
            ".filter((img) => getComputedStyle(img).display !== 'none').map((img) => img.getAttribute('src'))"
        )

    def toggle(page):
        toggle.before = shown(page)
        page.locator('form[data-md-component="palette"] label:visible').click()
        toggle.after = shown(page)
        page.locator('form[data-md-component="palette"] label:visible').click()  # back to light, for the other tests

    visit(browser, site, site.url(""), action=toggle, color_scheme="light")
    assert toggle.before and all(src.endswith(".svg#only-light") for src in toggle.before), toggle.before
    assert len(toggle.after) == len(toggle.before), toggle.after
    assert all(src.endswith("-dark.svg#only-dark") for src in toggle.after), toggle.after


def test_notebook_pages_render_and_offer_their_download(browser, site):
    if not site.notebook_pages:
        pytest.skip("no notebook pages: docs/ has no .ipynb yet, so there is nothing to render or download")
    for url in site.notebook_pages:

        def inspect(page):
            inspect.cells = page.locator(".jupyter-wrapper .jp-Cell").count()
            inspect.outputs = page.locator(".jupyter-wrapper .jp-OutputArea-output").count()
            inspect.errors = page.locator('.jupyter-wrapper [data-mime-type="application/vnd.jupyter.stderr"]').all_inner_texts()
            inspect.downloads = page.eval_on_selector_all('a[download][href$=".ipynb"]', "links => links.map(a => a.href)")
            inspect.notebook = [page.request.get(href) for href in inspect.downloads[:1]]
            inspect.notebook = [(r.status, r.body()) for r in inspect.notebook]

        v = visit(browser, site, url, action=inspect)
        assert v.console_errors == [] and v.failed == [], url
        assert inspect.cells > 0 and inspect.outputs > 0, f"{url}: {inspect.cells} cells, {inspect.outputs} outputs"
        assert not any("Traceback" in text for text in inspect.errors), inspect.errors
        assert inspect.downloads, f"{url}: no link to download the notebook"
        status, body = inspect.notebook[0]
        assert status == 200, inspect.downloads[0]
        assert json.loads(body) == json.loads(site.notebooks[url].read_text()), f"{inspect.downloads[0]} is not {site.notebooks[url]}"
