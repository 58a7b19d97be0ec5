"""Prints a release's entry of CHANGELOG.md, for the GitHub release that the release workflow makes.

Usage: python .ci/release_notes.py TAG   (TAG is vX.Y.Z, e.g. v0.2.0)

Refuses, with one line on stderr and exit status 1, a tag that does not name the package's version
(``__version__`` in lstm_explained/__init__.py), and a version without an entry or with an empty one:
a release is cut only for the version the package carries, with the changes written down.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def package_version() -> str:
    """Returns ``__version__`` as written in lstm_explained/__init__.py (read, not imported: no torch needed)."""
    text = (ROOT / "lstm_explained" / "__init__.py").read_text(encoding="utf-8")
    return re.search(r'^__version__ = "([^"]+)"', text, re.MULTILINE).group(1)


def changelog_entry(version: str, changelog: str) -> str:
    """Returns the body of ``## [version]`` in ``changelog`` (Keep a Changelog), stripped; "" when there is none."""
    match = re.search(rf"^## \[{re.escape(version)}\][^\n]*\n(.*?)(?=^## \[|^\[[^\]]+\]: |\Z)", changelog, re.MULTILINE | re.DOTALL)
    return match.group(1).strip() if match else ""


def main(argv: list[str]) -> int:
    """Returns the exit status: 0 with the entry printed, 1 with the reason on stderr."""
    if len(argv) != 1 or not re.fullmatch(r"v\d+\.\d+\.\d+\S*", argv[0]):
        print("usage: python .ci/release_notes.py vX.Y.Z", file=sys.stderr)
        return 1
    version = argv[0][1:]
    if version != package_version():
        print(f"the tag {argv[0]} does not name the package's version {package_version()} (lstm_explained/__init__.py)", file=sys.stderr)
        return 1
    entry = changelog_entry(version, (ROOT / "CHANGELOG.md").read_text(encoding="utf-8"))
    if not entry:
        print(f"CHANGELOG.md has no entry, or an empty one, under ## [{version}]", file=sys.stderr)
        return 1
    print(entry)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
