"""Which Chromium the browser phase drives: CHROMIUM_PATH first, then the headless shell or chromium on PATH, else Playwright's own."""

from __future__ import annotations

import subprocess
import sys

import pytest

from docs_tools.browser import chromium


def test_chromium_path_wins_and_must_exist(monkeypatch, tmp_path):
    binary = tmp_path / "chrome"
    binary.write_text("")
    monkeypatch.setenv("CHROMIUM_PATH", str(binary))
    assert chromium.system_chromium() == str(binary)
    monkeypatch.setenv("CHROMIUM_PATH", str(tmp_path / "missing"))
    with pytest.raises(chromium.NoChromium, match="does not exist: install Debian's"):
        chromium.system_chromium()
    monkeypatch.setenv("CHROMIUM_PATH", "playwright")
    assert chromium.system_chromium() is None, "'playwright' asks for Playwright's own"


def test_without_chromium_path_the_one_on_path_is_used_the_headless_shell_first(monkeypatch, tmp_path):
    def executable(name):
        binary = tmp_path / name
        binary.write_text("#!/bin/sh\n")
        binary.chmod(0o755)
        return str(binary)

    monkeypatch.delenv("CHROMIUM_PATH", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    full = executable("chromium")
    assert chromium.system_chromium() == full
    shell = executable("chromium-headless-shell")
    assert chromium.system_chromium() == shell
    monkeypatch.setenv("CHROMIUM_PATH", full)
    assert chromium.system_chromium() == full, "CHROMIUM_PATH still wins"


def test_a_bad_choice_is_one_line_and_exit_status_2(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "docs_tools.browser.chromium"], capture_output=True, text=True,
        env={"CHROMIUM_PATH": str(tmp_path / "missing"), "PATH": "/usr/bin:/bin"},
    )
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.count("\n") == 1 and "CHROMIUM_PATH=" in done.stderr and "playwright install chromium" in done.stderr
