"""MkDocs hook: the picture that link previews show (Open Graph / Twitter), drawn at build time.

A 1200 x 630 PNG, drawn with Pillow from the site's name and description and a small grid of
LSTM states: no external service, nothing committed. ``overrides/main.html`` puts it in the
``og:image`` and ``twitter:image`` tags of every page. Registered under ``hooks:`` in mkdocs.yml.

Drawing it (and compressing the PNG) takes a fifth of a second, so the card is kept in
``.cache/social-card/KEY.png``, KEY a hash of this file (the drawing, the title, the subtitle),
Pillow's version (its bundled font) and Python's; a card of another key is removed.
"""

from __future__ import annotations

import hashlib
import io
import os
import sys
import textwrap
from importlib import metadata
from pathlib import Path

from mkdocs.structure.files import File

PATH = "assets/social-card.png"
CACHE_DIR = ".cache/social-card"  # beside mkdocs.yml
TITLE = "What nn.LSTM returns"
SUBTITLE = "output, h_n, c_n and the shape of everything, with every printed tensor checked."
WIDTH, HEIGHT = 1200, 630
INK, PAPER, ACCENT, MUTED = "#ffffff", "#283593", "#ffd54f", "#c5cae9"


def draw(title: str, subtitle: str) -> bytes:
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
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def on_config(config):
    """Tells the templates where the card is and how large."""
    config["extra"]["social_card"] = {
        "path": PATH, "width": WIDTH, "height": HEIGHT,
        "alt": f"{config['site_name']}: {config['site_description']}",
    }
    return config


def card_key(hook: Path = Path(__file__)) -> str:
    """Returns a hex digest of this hook's bytes, Pillow's version and Python's."""
    try:
        pillow = metadata.version("pillow")
    except metadata.PackageNotFoundError:
        pillow = "absent"
    return hashlib.sha256(hook.read_bytes() + f"\0pillow={pillow}\0python={sys.version}".encode()).hexdigest()[:16]


def cached_card(cache_dir: Path, key: str, make=lambda: draw(TITLE, SUBTITLE)) -> bytes:
    """Returns the card's PNG: ``cache_dir/KEY.png`` if there, else made now and kept there (other keys' cards removed)."""
    entry = cache_dir / f"{key}.png"
    try:
        return entry.read_bytes()
    except OSError:
        pass
    png = make()
    cache_dir.mkdir(parents=True, exist_ok=True)
    partial = entry.with_name(f"{entry.name}.{os.getpid()}.tmp")
    partial.write_bytes(png)
    os.replace(partial, entry)  # never a half-written card
    for old in cache_dir.glob("*.png"):
        if old != entry:
            old.unlink()
    return png


def on_files(files, config):
    """Adds the card to the built site as a generated file."""
    png = cached_card(Path(config.config_file_path).parent / CACHE_DIR, card_key())
    files.append(File.generated(config, PATH, content=png))
    return files
