"""MkDocs hook: what the site says about itself, derived at build time so that nothing is typed twice.

- **The footer** says which PyTorch checked the outputs, and when: the version is the torch this
  build runs (the one that executes the notebooks and draws the figures), the date is the build's
  (``SOURCE_DATE_EPOCH`` when set, for reproducible builds, else today in UTC).
- **llms.txt** lists the pages section by section as the nav does: the llmstxt plugin's
  ``sections`` option is filled from ``nav`` here, so a page added to the nav is in llms.txt too.
- **Compiled templates**: every build, each ``mkdocs serve`` rebuild too, compiles the theme's Jinja
  templates anew, most of a rebuild's time. Jinja's own bytecode cache keeps them in
  ``.cache/jinja/JINJA-VERSION/``; Jinja checks each template's source itself.
- **The link-preview picture** (Open Graph / Twitter): a 1200 x 630 PNG drawn with Pillow from the
  site's name and a small grid of LSTM states; no external service, nothing committed.
  ``overrides/main.html`` puts it in every page's ``og:image`` and ``twitter:image`` tags.

Registered under ``hooks:`` in mkdocs.yml.
"""

from __future__ import annotations

import datetime
import io
import os
import sys
import textwrap
from importlib.metadata import version
from pathlib import Path

import jinja2
from mkdocs.structure.files import File

CARD_PATH = "assets/social-card.png"
TITLE = "What nn.LSTM returns"
SUBTITLE = "output, h_n, c_n and the shape of everything, with every printed tensor checked."
WIDTH, HEIGHT = 1200, 630
INK, PAPER, ACCENT, MUTED = "#ffffff", "#283593", "#ffd54f", "#c5cae9"


def build_date() -> datetime.date:
    """Returns the date of this build: SOURCE_DATE_EPOCH's if set, else today's (UTC)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    now = datetime.datetime.fromtimestamp(int(epoch), datetime.timezone.utc) if epoch else datetime.datetime.now(datetime.timezone.utc)
    return now.date()


def checked_with() -> str:
    """Returns the footer line, e.g. "Every output on this site checked with PyTorch 2.13.0 on 2026-11-29."."""
    return f"Every output on this site checked with PyTorch {version('torch')} on {build_date().isoformat()}."


def nav_sections(nav: list) -> dict[str, list[str]]:
    """Returns the nav as llms.txt sections: each top-level entry's title, with the pages under it in nav order."""

    def pages(entry) -> list[str]:
        if isinstance(entry, str):
            return [entry]
        if isinstance(entry, dict):
            return [page for value in entry.values() for page in pages(value)]
        return [page for item in entry for page in pages(item)]

    sections: dict[str, list[str]] = {}
    for entry in nav:
        for title, value in (entry.items() if isinstance(entry, dict) else [(entry, entry)]):
            sections.setdefault(title, []).extend(pages(value))
    return sections


def draw_card(title: str = TITLE, subtitle: str = SUBTITLE) -> bytes:
    """Returns the PNG bytes of the card: title, subtitle and a 2 x 5 grid of states with h_n outlined."""
    from PIL import Image, ImageDraw, ImageFont

    font = lambda size: ImageFont.load_default(size=size)  # Pillow's bundled font: same on every machine
    image = Image.new("RGB", (WIDTH, HEIGHT), PAPER)
    pen = ImageDraw.Draw(image)
    pen.text((72, 64), title, font=font(76), fill=INK)
    for i, line in enumerate(textwrap.wrap(subtitle, 52)[:3]):
        pen.text((72, 170 + 46 * i), line, font=font(36), fill=MUTED)
    # Two layers over five time steps: output is the top row, h_n the last cell of each row.
    left, top, w, h, gap = 72, 370, 150, 70, 40
    for row in range(2):
        y = top + (1 - row) * (h + 40)
        for t in range(5):
            x = left + t * (w + gap)
            last = t == 4
            pen.rounded_rectangle((x, y, x + w, y + h), radius=12, fill=ACCENT if row == 1 else PAPER,
                                  outline=ACCENT if last else MUTED, width=6 if last else 3)
            label = f"h_n[{row}]" if last else f"t = {t}"
            pen.text((x + w / 2, y + h / 2), label, font=font(28), fill=PAPER if row == 1 else INK, anchor="mm")
            if t < 4:
                pen.line((x + w + 6, y + h / 2, x + w + gap - 6, y + h / 2), fill=MUTED, width=4)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def on_config(config):
    """Returns the config with the footer line, the card's place and size, and llms.txt's sections from the nav."""
    line = checked_with()
    config["copyright"] = f"{config['copyright']} · {line}" if config.get("copyright") else line
    config["extra"]["social_card"] = {
        "path": CARD_PATH, "width": WIDTH, "height": HEIGHT,
        "alt": f"{config['site_name']}: {config['site_description']}",
    }
    llmstxt = config.plugins.get("llmstxt")
    if llmstxt is not None and config.nav:
        llmstxt.config.sections = nav_sections(config.nav)
    return config


def on_env(env, config, files):
    """Returns the theme's Jinja environment with Jinja's bytecode cache in .cache/jinja/, one folder per Jinja and Python."""
    python = f"py{sys.version_info[0]}.{sys.version_info[1]}"
    folder = Path(config.config_file_path).parent / ".cache" / "jinja" / f"{jinja2.__version__}-{python}"
    folder.mkdir(parents=True, exist_ok=True)
    env.bytecode_cache = jinja2.FileSystemBytecodeCache(str(folder))
    return env


def on_files(files, config):
    """Returns the site's files with the card added as a generated file."""
    files.append(File.generated(config, CARD_PATH, content=draw_card()))
    return files
