"""Which Chromium the browser tests drive, and getting one where none is installed.

``python -m docs_tools.browser.chromium`` (run by ``make test`` before the browser phase) prints nothing
when a Chromium is there. When none is, it installs Playwright's own once
(``python -m playwright install chromium``), saying so in one line; where that cannot download,
it stops with one line naming the three ways to provide a browser (exit status 2).

The choice, in order: ``CHROMIUM_PATH`` (a path, or ``playwright`` for Playwright's own), the
``chromium-headless-shell`` on ``PATH`` (Debian's package of Chromium's headless shell, the browser
Playwright itself runs headless), the ``chromium`` on ``PATH`` (Debian's ``/usr/bin/chromium``), else
Playwright's own. The shell first: the same Blink, without the full browser around it. Measured on
2 cores, a new tab that loads shapes/ costs 0.9 CPU-s in it and 2.8-3.2 CPU-s in ``chromium``, and a
sweep of every page gave the same visits and audits in both, but for the favicon, which only a browser
with tabs asks for (the page sweep fetches it as such a browser does).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

DEBIAN_CHROMIUM = "/usr/bin/chromium"
ON_PATH = ("chromium-headless-shell", "chromium")  # in the order they are preferred
WAYS = (
    "install Debian's (apt-get install -y chromium-headless-shell), set CHROMIUM_PATH to a Chromium or Chrome binary, "
    "or run `.venv/bin/python -m playwright install chromium` where the network allows it"
)


# Flags that keep Chromium quiet and offline: no background requests of its own to count as the site's.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # Tabs in the background run at full speed: the accessibility audit works in several tabs at once.
    "--disable-background-timer-throttling",
    "--disable-renderer-backgrounding",
    "--disable-backgrounding-occluded-windows",
    # No optimizing JavaScript compiler (V8's TurboFan): a page here runs its scripts for a second or two, so
    # compiling them again for speed costs more than it saves. The pages compute the same either way: over
    # every page, the sweep's records are identical with and without it. Measured on 2 cores: a sweep of
    # every page 117-118 CPU-s -> 104-110, four page loads 3.9 -> 3.2-3.6 CPU-s.
    "--js-flags=--no-opt",
]


class NoChromium(Exception):
    """Raised when no Chromium can be found or installed; its message is one line."""


def system_chromium() -> str | None:
    """Returns the path of the Chromium chosen by CHROMIUM_PATH or found on PATH, or None for Playwright's own.

    Raises NoChromium when CHROMIUM_PATH names a file that does not exist.
    """
    chosen = os.environ.get("CHROMIUM_PATH", "")
    if chosen == "playwright":
        return None
    if chosen:
        if not Path(chosen).exists():
            raise NoChromium(f"CHROMIUM_PATH={chosen} does not exist: {WAYS}")
        return chosen
    found = next((path for name in ON_PATH if (path := shutil.which(name))), None)
    return found or (DEBIAN_CHROMIUM if Path(DEBIAN_CHROMIUM).exists() else None)


def playwright_chromium() -> str | None:
    """Returns the path of Playwright's own Chromium when it is installed, else None."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        path = playwright.chromium.executable_path
    return path if path and Path(path).exists() else None


def ensure() -> str:
    """Returns the Chromium the tests will drive, installing Playwright's own first when there is none.

    Raises NoChromium, with a one-line message, when none can be had.
    """
    found = system_chromium() or playwright_chromium()
    if found:
        return found
    print("== browser: no Chromium found; installing Playwright's own, once (python -m playwright install chromium)", flush=True)
    done = subprocess.run([sys.executable, "-m", "playwright", "install", "chromium"], capture_output=True, text=True)
    found = playwright_chromium()
    if done.returncode != 0 or not found:
        lines = (done.stderr + done.stdout).splitlines()
        reason = next((line.strip() for line in lines if line.startswith("Error")), "no browser after the install")
        raise NoChromium(f"no Chromium for the browser tests, and Playwright could not install one ({reason}): {WAYS}")
    return found


def launch(playwright):
    """Returns a headless Chromium started by ``playwright`` (sync API): the one :func:`system_chromium` picks, with CHROMIUM_ARGS."""
    return playwright.chromium.launch(executable_path=system_chromium(), headless=True, args=CHROMIUM_ARGS)


def main() -> int:
    """Returns 0 when a Chromium is ready, 2 (after one line on stderr) when none can be had."""
    try:
        ensure()
    except NoChromium as missing:
        print(f"error: {missing}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
