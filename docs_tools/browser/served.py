"""The built site/ served on 127.0.0.1 as GitHub Pages serves it: below the path of mkdocs.yml's ``site_url``.

Served under that path, the absolute links of 404.html resolve too; text is gzip-compressed as
GitHub Pages sends it, so the page weights the tests measure are the ones readers download.
"""

from __future__ import annotations

import functools
import gzip
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Iterator
from urllib.parse import unquote, urlsplit

import yaml

ROOT = Path(__file__).resolve().parents[2]
SITE = ROOT / "site"
DOCS = ROOT / "docs"


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




@contextmanager
def serve() -> Iterator[Site]:
    """Yields the Site served from site/ on a free port of 127.0.0.1, in a daemon thread; stops serving on exit."""
    prefix = site_path_prefix()
    handler = functools.partial(type("Handler", (SiteHandler,), {"prefix": prefix}), directory=str(SITE))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base_url = f"http://127.0.0.1:{server.server_address[1]}{prefix}"
    served = Site(base_url=base_url, prefix=prefix)
    served.pages = [page_url(base_url, html) for html in sorted(SITE.rglob("*.html"))]
    served.notebooks = {page_url(base_url, html): source for html, source in notebook_page_files().items() if html.exists()}
    try:
        yield served
    finally:
        server.shutdown()
        server.server_close()
