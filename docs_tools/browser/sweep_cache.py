"""The page sweep's results kept between runs: a page whose files are all unchanged is not loaded again.

What a page load records (pageload.py) and its audit (audit.py) follow
from the bytes of the files the page fetched, the Chromium that loaded it and the code that drove
it. So the sweep keeps, for each page, those results with the SHA-256 of every file of site/ the
page fetched, under a key made of everything else they depend on (`environment_key`): Chromium's
version, Playwright's, the fonts Chromium can use, axe-core, the sweep's own code and options. A page
whose files are all byte-for-byte the same as when it was loaded, under the same key, gets its
kept results instead of a new load; any other page is loaded and audited again.

Two exceptions keep this honest:
- the search index (`SHARED`) changes with every edit of any page, and a page only fetches it for
  the search box (tests/browser/test_search.py searches it on every run): it is not part of a page's
  key, and a kept page's weight counts it as the page loaded this run fetched it;
- one page (the audited page with the smallest HTML) is loaded on every run, whatever the cache
  holds, and when its files are unchanged its new results must equal the kept ones
  (`Reuse.mismatch`, checked by tests/browser/test_site.py), so a key that misses something shows
  up as a failing test.

The cache lives in .cache/page-sweep/ (git-ignored; `make clean` empties it).
PAGE_SWEEP_CACHE=off loads every page; a fresh clone (CI) has no cache and loads every page.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .served import ROOT, SITE, Site, site_path_prefix

CACHE_DIR = ROOT / ".cache" / "page-sweep"
# Files every page fetches whose bytes do not change what the sweep reads from the page (see above).
SHARED = ("search/search_index.json",)
ORIGIN = "{origin}"  # stands for the server's origin (its port changes from run to run) in the kept records
# The code whose change changes what the sweep records: hashed into the environment key.
SWEEP_CODE = ("pageload.py", "audit.py", "served.py", "chromium.py", "sweep_cache.py")


def enabled() -> bool:
    """Returns whether kept results may be used: never in CI (``CI`` set), nor with PAGE_SWEEP_CACHE=off (they are still written)."""
    if os.environ.get("CI"):
        return False
    return os.environ.get("PAGE_SWEEP_CACHE", "on").strip().lower() not in ("off", "0", "no", "false")


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def font_list() -> str:
    """Returns the fonts fontconfig offers Chromium (`fc-list`), sorted, or "" where fc-list is missing."""
    try:
        listed = subprocess.run(["fc-list", "--format", "%{file}|%{family}|%{style}\n"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return "\n".join(sorted(listed.stdout.splitlines()))


def environment_key(browser_version: str, axe_script: Path | None, options: dict) -> str:
    """Returns the SHA-256 of everything besides the site's files that a page's sweep results depend on."""
    from importlib.metadata import version

    here = Path(__file__).parent
    parts = {
        "chromium": browser_version,
        "playwright": version("playwright"),
        "fonts": _sha256(font_list().encode()),
        "axe": _sha256(axe_script.read_bytes()) if axe_script else None,
        "code": {name: _sha256((here / name).read_bytes()) for name in SWEEP_CODE},
        "options": options,
    }
    return _sha256(json.dumps(parts, sort_keys=True).encode())


def site_file(url: str, origin: str) -> str | None:
    """Returns the path under site/ that `url` of this server serves (served.Site.file_for), or None for another host."""
    if not url.startswith(origin + "/"):
        return None
    prefix = site_path_prefix()
    target = Site(base_url=origin + prefix, prefix=prefix).file_for(url)
    return target.relative_to(SITE).as_posix() if target is not None else None


def probe(urls, audited, origin: str, site: Path = SITE) -> str:
    """Returns the page to load and audit on every run: the audited page whose HTML is smallest (the cheapest to check)."""

    def size(url: str) -> int:
        path = site / (site_file(url, origin) or "")
        return path.stat().st_size if path.is_file() else 0

    return min((url for url in urls if url in audited), key=lambda url: (size(url), url), default=urls[0])


def file_hashes(paths, site: Path = SITE) -> dict[str, str | None]:
    """Returns {path under site/: SHA-256 of its bytes, or None when there is no such file}."""
    hashes = {}
    for path in paths:
        target = site / path
        hashes[path] = _sha256(target.read_bytes()) if target.is_file() else None
    return hashes


@dataclass
class Reuse:
    """What the sweep took from the cache this run, for the test summary and for the soundness check."""

    probe: str = ""  # the page loaded and audited on every run, whatever the cache holds
    kept: list[str] = field(default_factory=list)  # URLs whose kept results were used
    loaded: list[str] = field(default_factory=list)  # URLs loaded in this run
    mismatch: dict[str, str] = field(default_factory=dict)  # URL -> how a page loaded anew differs from its kept results


class SweepCache:
    """The kept results of one environment key: {page path: {"files", "visit", "audit"}} in one JSON file."""

    def __init__(self, key: str, origin: str, directory: Path = CACHE_DIR, site: Path = SITE):
        self.origin = origin
        self.site = site
        self.path = directory / f"{key[:32]}.json"
        self.directory = directory
        try:
            self.entries = json.loads(self.path.read_text())
        except (OSError, ValueError):
            self.entries = {}

    def _relative(self, url: str) -> str:
        return url[len(self.origin):] if url.startswith(self.origin) else url

    def valid(self, url: str):
        """Returns (PageVisit, PageAudit or None) kept for `url` when every file it fetched is unchanged, else None."""
        from .audit import PageAudit
        from .pageload import PageVisit

        entry = self.entries.get(self._relative(url))
        if entry is None or file_hashes(entry["files"], self.site) != entry["files"]:
            return None
        text = json.dumps([entry["visit"], entry["audit"]]).replace(ORIGIN, self.origin)
        visit, audit = json.loads(text)
        return PageVisit(**visit), (PageAudit(**audit) if audit is not None else None)

    def keep(self, url: str, visit, audit) -> None:
        """Records the results of a page loaded this run, with the hashes of the files it fetched."""
        fetched = {site_file(u, self.origin) for u in visit.requested}
        files = sorted(p for p in fetched if p is not None and p not in SHARED)
        record = [asdict(visit), asdict(audit) if audit is not None else None]
        visit_dict, audit_dict = json.loads(json.dumps(record).replace(self.origin, ORIGIN))
        self.entries[self._relative(url)] = {"files": file_hashes(files, self.site), "visit": visit_dict, "audit": audit_dict}

    def save(self, urls) -> None:
        """Writes the entries of `urls` (pages no longer in the site are dropped), atomically; old keys' files are removed."""
        wanted = {self._relative(u) for u in urls}
        entries = {k: v for k, v in self.entries.items() if k in wanted}
        self.directory.mkdir(parents=True, exist_ok=True)
        partial = self.path.with_suffix(".json.partial")
        partial.write_text(json.dumps(entries, sort_keys=True))
        os.replace(partial, self.path)
        for old in self.directory.glob("*.json"):
            if old != self.path:
                old.unlink(missing_ok=True)


def differences(fresh: tuple, kept: tuple) -> str:
    """Returns "" when a page's new (visit, audit) equal its kept ones, shared files' weights aside; else what differs."""
    (visit, audit), (old_visit, old_audit) = fresh, kept
    new, old = asdict(visit), asdict(old_visit)
    for record in (new, old):
        record["transferred"] = {u: n for u, n in record["transferred"].items() if not any(u.endswith("/" + s) for s in SHARED)}
    new["audit"] = asdict(audit) if audit is not None else None
    old["audit"] = asdict(old_audit) if old_audit is not None else None
    changed = sorted(k for k in new if new[k] != old[k])
    return ", ".join(f"{k}: now {new[k]!r:.200} was {old[k]!r:.200}" for k in changed)


def share_weights(visits: dict, fresh_urls, kept_urls) -> None:
    """Sets, in each kept visit, the bytes of each shared file to what a page loaded this run received for it."""
    received = {}
    for url in fresh_urls:
        for u, n in visits[url].transferred.items():
            if any(u.endswith("/" + s) for s in SHARED):
                received[u] = n
    for url in kept_urls:
        transferred = visits[url].transferred
        for u in transferred:
            if u in received:
                transferred[u] = received[u]


def merge(store: SweepCache, kept: dict, probe: str, urls, visits: dict, audits: dict) -> Reuse:
    """Returns what was reused; fills `visits` and `audits` with the kept results, and keeps this run's.

    A page loaded this run whose kept results were valid (the probe) is compared with them first.
    """
    reuse = Reuse(probe=probe, loaded=[url for url in urls if url in visits])
    for url in reuse.loaded:
        if url in kept and (difference := differences((visits[url], audits.get(url)), kept[url])):
            reuse.mismatch[url] = difference
        store.keep(url, visits[url], audits.get(url))
    reuse.kept = [url for url in urls if url not in visits]
    for url in reuse.kept:
        visits[url], page_audit = kept[url]
        if page_audit is not None:
            audits[url] = page_audit
    share_weights(visits, reuse.loaded, reuse.kept)
    store.save(urls)
    return reuse
