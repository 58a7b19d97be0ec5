"""Screenshots for review, at 375 px and at 1280 px, light and dark: `python -m docs_tools.browser.screenshots` (`make screenshots`).

Home, the calculator, a page with figures, the Performance chart and a notebook, each in both
colour schemes, full page, into screenshots/ (git-ignored). Not part of `make test`: screenshots
are taken where someone reviews them.
"""

from __future__ import annotations

from playwright.sync_api import sync_playwright

from .audit import PHONE, set_scheme
from .chromium import launch
from .served import ROOT, serve

SCREENSHOTS = ROOT / "screenshots"  # git-ignored

SHOTS = {
    "home": "",
    "calculator": "calculator/?input_size=3&hidden_size=5&num_layers=2&proj_size=0&bidirectional=true&batch_first=true&input_shape=2,7,3",
    "figures": "layers-directions/",
    "performance": "performance/",
    "notebook": "notebooks/seed-retold/",
}


def main() -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    written = []
    with serve() as site, sync_playwright() as playwright:
        browser = launch(playwright)
        context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
        desktop = browser.new_context(viewport={"width": 1280, "height": 900})
        for device, page in (("phone", context.new_page()), ("desktop", desktop.new_page())):
            for name, path in SHOTS.items():
                page.goto(site.url(path), wait_until="load")
                for scheme in ("light", "dark"):
                    set_scheme(page, scheme)
                    target = SCREENSHOTS / f"{device}-{name}-{scheme}.png"
                    page.screenshot(path=str(target), full_page=True)
                    written.append(target)
                set_scheme(page, "light")
        browser.close()
    print("\n".join(str(p.relative_to(SCREENSHOTS.parent)) for p in written))


if __name__ == "__main__":
    main()
