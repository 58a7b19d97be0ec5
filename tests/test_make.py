"""`make test` installs only when the install is missing or older than pyproject.toml, and runs every phase.

Checked with `make -n` against a stand-in install (a stamp file in a temporary VENV), so the
test means the same in a fresh clone, in CI, and in a working copy whose .venv is stale.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="needs make")


def dry_run(venv: Path, target: str = "test") -> str:
    """Returns what `make -n TARGET` would run with VENV=venv."""
    done = subprocess.run(["make", "-n", target, f"VENV={venv}"], cwd=ROOT, capture_output=True, text=True, check=True)
    return done.stdout


def stamp(tmp_path: Path, seconds_after_pyproject: float) -> Path:
    """Returns a VENV whose install stamp is dated this many seconds after pyproject.toml."""
    venv = tmp_path / ".venv"
    venv.mkdir()
    installed = venv / ".installed"
    installed.touch()
    when = (ROOT / "pyproject.toml").stat().st_mtime + seconds_after_pyproject
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
    assert "pip install" in commands and "--group docs --group test" in commands
    assert commands.index("pip install") < commands.index("-m pytest"), "setup comes before the tests"


def test_a_missing_install_is_made(tmp_path):
    commands = dry_run(tmp_path / "nothing-here")
    assert "-m venv" in commands and "pip install" in commands


def test_the_mutation_run_is_not_part_of_make_test(tmp_path):
    venv = stamp(tmp_path, 60)
    assert "mutmut" not in dry_run(venv) and "mutation_code" not in dry_run(venv)
    assert "tests/mutation_code.py" in dry_run(venv, "test-mutation-code")
