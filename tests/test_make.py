"""`make test` run twice reinstalls nothing the second time."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
STAMP = ROOT / ".venv" / ".installed"


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
@pytest.mark.skipif(not STAMP.exists(), reason="needs the .venv that `make setup` creates (run through make test)")
def test_a_second_make_test_installs_nothing():
    if STAMP.stat().st_mtime < (ROOT / "pyproject.toml").stat().st_mtime:
        pytest.skip("pyproject.toml changed since the last install: the next make test reinstalls, as it should")
    dry_run = subprocess.run(["make", "-n", "test"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert "pip install" not in dry_run and "-m venv" not in dry_run and "npm ci" not in dry_run, dry_run
    assert "pytest" in dry_run  # the dry run did reach the test phases
