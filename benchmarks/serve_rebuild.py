"""Measures how long ``mkdocs serve`` takes to rebuild after a Markdown page changes.

Run from the repository root:  python -m benchmarks.serve_rebuild [--page docs/index.md]

Starts ``mkdocs serve`` on a free local port, waits for the first build, touches a
Markdown page (its modification time only: the text is not changed), and waits for
the rebuild. Prints both build times as mkdocs reports them, and how many notebooks
each build took from the cache or executed (mkdocs-jupyter logs a "Cache hit" or a
"Cache miss" per notebook). A rebuild after a Markdown edit should execute none.
"""

from __future__ import annotations

import argparse
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BUILT = re.compile(r"Documentation built in ([\d.]+) seconds")


def free_port() -> int:
    """Returns a TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_builds(log: Path, count: int, timeout: float) -> str:
    """Returns the server's log once it reports ``count`` finished builds; raises TimeoutError otherwise."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        text = log.read_text(errors="replace")
        if len(BUILT.findall(text)) >= count:
            return text
        if "Aborted with" in text or "Error:" in text:
            raise RuntimeError(f"mkdocs serve failed:\n{text[-3000:]}")
        time.sleep(0.2)
    raise TimeoutError(f"no build #{count} within {timeout:.0f} s:\n{log.read_text(errors='replace')[-3000:]}")


def notebook_counts(text: str) -> str:
    """Returns how many notebooks a stretch of log took from the cache and how many it executed."""
    return f"{text.count('Cache hit')} notebooks from the cache, {text.count('Cache miss')} executed"


def main(argv: list[str] | None = None) -> int:
    """Returns the exit code after one first build and one rebuild of ``mkdocs serve``."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.serve_rebuild", description=__doc__.split("\n\n")[0])
    parser.add_argument("--page", type=Path, default=Path("docs/index.md"), help="the Markdown page to touch")
    parser.add_argument("--timeout", type=float, default=600, help="seconds to wait for each build")
    args = parser.parse_args(argv)
    if not args.page.is_file():
        parser.error(f"no such page: {args.page}")
    mkdocs = [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{free_port()}", "--livereload", "--dirty"]
    with tempfile.TemporaryDirectory() as scratch:
        log = Path(scratch) / "serve.log"
        with log.open("w") as sink:
            env = dict(os.environ, NO_MKDOCS_2_WARNING="1", LLMS_TXT="false", MKDOCS_STRICT="false")  # as make serve runs it
            server = subprocess.Popen(mkdocs, stdout=sink, stderr=subprocess.STDOUT, env=env)
        try:
            first = wait_for_builds(log, 1, args.timeout)
            time.sleep(1)  # let the file watcher settle before the edit
            args.page.touch()
            touched = time.perf_counter()
            both = wait_for_builds(log, 2, args.timeout)
            noticed = time.perf_counter() - touched
        finally:
            server.terminate()
            server.wait(timeout=30)
    first_s, rebuild_s = (float(s) for s in BUILT.findall(both)[:2])
    print(f"first build: {first_s:.2f} s ({notebook_counts(first)})")
    print(f"rebuild after touching {args.page}: {rebuild_s:.2f} s ({notebook_counts(both[len(first):])}); "
          f"{noticed:.2f} s from the edit to the rebuilt site")
    return 0


if __name__ == "__main__":
    sys.exit(main())
