"""The page sweep's cache (docs_tools/browser/sweep_cache.py): which kept results a run may use, without a browser."""

from __future__ import annotations

from docs_tools.browser.audit import PageAudit
from docs_tools.browser.pageload import PageVisit
from docs_tools.browser.served import site_path_prefix
from docs_tools.browser.sweep_cache import SweepCache, differences, share_weights

ORIGIN, LATER = "http://127.0.0.1:40001", "http://127.0.0.1:40002"  # the server's port changes from run to run


def url(origin: str, path: str) -> str:
    return origin + site_path_prefix() + path


def a_site(root, css="body {}"):
    """Returns a site folder with one page, its style sheet and the search index."""
    (root / "shapes").mkdir(parents=True, exist_ok=True)
    (root / "search").mkdir(exist_ok=True)
    (root / "shapes" / "index.html").write_text("<h1>Shapes</h1>")
    (root / "style.css").write_text(css)
    (root / "search" / "search_index.json").write_text('{"docs": []}')
    return root


def a_visit(origin: str) -> tuple[PageVisit, PageAudit]:
    page = url(origin, "shapes/")
    fetched = [page, url(origin, "style.css"), url(origin, "search/search_index.json")]
    visit = PageVisit(page, transferred={u: 100 for u in fetched}, info={"links": [url(origin, "")]}, requested=fetched)
    return visit, PageAudit(page, axe={"light": [], "dark": []}, phone={"width": 375})


def kept_then_reread(tmp_path):
    site = a_site(tmp_path / "site")
    cache = SweepCache("k" * 64, ORIGIN, tmp_path / "cache", site)
    cache.keep(url(ORIGIN, "shapes/"), *a_visit(ORIGIN))
    cache.save([url(ORIGIN, "shapes/")])
    return site, SweepCache("k" * 64, LATER, tmp_path / "cache", site)


def test_unchanged_files_give_the_kept_results_at_the_new_origin(tmp_path):
    _, later = kept_then_reread(tmp_path)
    visit, audit = later.valid(url(LATER, "shapes/"))
    assert (visit, audit) == a_visit(LATER)  # every URL in them moved to this run's server


def test_a_changed_fetched_file_is_loaded_again(tmp_path):
    site, later = kept_then_reread(tmp_path)
    (site / "style.css").write_text("body { color: red }")
    assert later.valid(url(LATER, "shapes/")) is None


def test_a_removed_fetched_file_is_loaded_again(tmp_path):
    site, later = kept_then_reread(tmp_path)
    (site / "style.css").unlink()
    assert later.valid(url(LATER, "shapes/")) is None


def test_another_environment_key_keeps_nothing(tmp_path):
    kept_then_reread(tmp_path)
    assert SweepCache("e" * 64, LATER, tmp_path / "cache", tmp_path / "site").valid(url(LATER, "shapes/")) is None


def test_the_search_index_changes_no_key_but_its_weight_is_this_runs(tmp_path):
    site, later = kept_then_reread(tmp_path)
    (site / "search" / "search_index.json").write_text('{"docs": [{"location": "", "text": "more"}]}')
    visit, _ = later.valid(url(LATER, "shapes/"))
    fresh, _ = a_visit(LATER)
    index = url(LATER, "search/search_index.json")
    fresh.url = url(LATER, "other/")
    fresh.transferred[index] = 160
    visits = {fresh.url: fresh, visit.url: visit}
    share_weights(visits, [fresh.url], [visit.url])
    assert visit.transferred[index] == 160 and visit.transferred[url(LATER, "style.css")] == 100


def test_a_difference_from_the_kept_results_is_reported(tmp_path):
    _, later = kept_then_reread(tmp_path)
    kept = later.valid(url(LATER, "shapes/"))
    fresh_visit, fresh_audit = a_visit(LATER)
    assert differences((fresh_visit, fresh_audit), kept) == ""
    fresh_audit.axe["dark"] = [{"id": "color-contrast", "impact": "serious", "nodes": ["p"]}]
    assert differences((fresh_visit, fresh_audit), kept).startswith("audit: ")


def test_pages_no_longer_in_the_site_are_dropped(tmp_path):
    site, later = kept_then_reread(tmp_path)
    later.save([])
    assert SweepCache("k" * 64, LATER, tmp_path / "cache", site).entries == {}
