"""MkDocs hook: the footer line that says which PyTorch checked the outputs, and when.

The version is the torch this build runs (the same one that executes the notebooks and draws
the figures), the date is the build's: ``SOURCE_DATE_EPOCH`` when set (reproducible builds),
else today in UTC. Nothing is typed by hand, so the line cannot go stale. Registered under
``hooks:`` in mkdocs.yml.
"""

from __future__ import annotations

import datetime
import os
from importlib.metadata import version


def build_date() -> datetime.date:
    """Returns the date of this build: SOURCE_DATE_EPOCH's if set, else today's (UTC)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    now = datetime.datetime.fromtimestamp(int(epoch), datetime.timezone.utc) if epoch else datetime.datetime.now(datetime.timezone.utc)
    return now.date()


def checked_with() -> str:
    """Returns the footer line, e.g. "Every output on this site checked with PyTorch 2.13.0 on 2026-11-29."."""
    return f"Every output on this site checked with PyTorch {version('torch')} on {build_date().isoformat()}."


def on_config(config):
    """Puts the line in the footer (Material shows ``copyright`` there), after any copyright set in mkdocs.yml."""
    line = checked_with()
    config["copyright"] = f"{config['copyright']} · {line}" if config.get("copyright") else line
    return config
