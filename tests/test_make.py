"""`make test` installs only when the install is missing or older than pyproject.toml, and runs every phase.

The lock file's pins satisfy pyproject.toml's groups, and every target says what it does in `make help`.

Checked with `make -n` against a stand-in install (a stamp file in a temporary VENV), so the
test means the same in a fresh clone, in CI, and in a working copy whose .venv is stale.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

if sys.version_info >= (3, 11):
    import tomllib
else:  # pytest requires tomli before 3.11
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="needs make")


def dry_run(venv: Path, target: str = "test") -> str:
    """Returns what `make -n TARGET` would run with VENV=venv."""
    done = subprocess.run(["make", "-n", target, f"VENV={venv}"], cwd=ROOT, capture_output=True, text=True, check=True)
    return done.stdout


def stamp(tmp_path: Path, seconds_after_pyproject: float) -> Path:
    """Returns a VENV whose install stamp is dated this many seconds after the newest file it depends on."""
    venv = tmp_path / ".venv"
    venv.mkdir()
    installed = venv / ".installed"
    installed.touch()
    inputs = ("pyproject.toml", "tooling-lock.txt", "lstm_explained/__init__.py")  # the version lives in __init__.py
    when = max((ROOT / name).stat().st_mtime for name in inputs) + seconds_after_pyproject
    os.utime(installed, (when, when))
    return venv


def test_an_up_to_date_install_is_not_redone(tmp_path):
    commands = dry_run(stamp(tmp_path, 60))
    assert "pip install" not in commands and "-m venv" not in commands, commands
    phases = (
        "ruff check", "pytest -q tests --ignore=tests/browser", "pytest -q -rs --disable-plugin-autoload",
        "mkdocs build --strict", "tests/browser",
    )
    for phase in phases:
        assert phase in commands, f"make test runs {phase!r}"


def test_an_install_older_than_pyproject_is_redone(tmp_path):
    commands = dry_run(stamp(tmp_path, -60))
    assert "pip install" in commands and "-r tooling-lock.txt -e ." in commands
    assert commands.index("pip install") < commands.index("-m pytest"), "setup comes before the tests"


def test_a_missing_install_is_made(tmp_path):
    commands = dry_run(tmp_path / "nothing-here")
    assert "-m venv" in commands and "pip install" in commands


def test_the_mutation_run_is_not_part_of_make_test(tmp_path):
    venv = stamp(tmp_path, 60)
    assert "mutmut" not in dry_run(venv) and "package_mutation" not in dry_run(venv)
    assert "docs_tools.package_mutation" in dry_run(venv, "test-mutation-code")


def test_every_target_is_listed_by_make_help():
    makefile = (ROOT / "Makefile").read_text()
    targets = set(re.findall(r"^([a-z][a-z-]*):", makefile, re.M))
    shown = subprocess.run(["make", "help"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    listed = set(re.findall(r"^  (\S+)", shown, re.M))
    assert targets - {"node_modules"} == listed


def test_the_lock_pins_versions_that_the_groups_allow():
    """tooling-lock.txt is what `make lock` writes from pyproject.toml's docs and test groups; a group edited alone fails here."""
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    groups = tomllib.loads((ROOT / "pyproject.toml").read_text())["dependency-groups"]
    pins: dict[str, list[str]] = {}
    for line in (ROOT / "tooling-lock.txt").read_text().splitlines():
        if line and not line.startswith((" ", "#")):
            name, _, version = line.split(" ;")[0].partition("==")
            pins.setdefault(canonicalize_name(name), []).append(version)
    for spec in groups["docs"] + groups["test"]:
        requirement = Requirement(spec)
        versions = pins.get(canonicalize_name(requirement.name))
        assert versions, f"{requirement.name} is in a group but not in tooling-lock.txt: run make lock"
        assert all(requirement.specifier.contains(v) for v in versions), f"{spec}: tooling-lock.txt pins {versions}: run make lock"
    assert "torch" not in pins and "numpy" not in pins, "torch is the user's, from their own index"
