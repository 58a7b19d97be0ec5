"""The pages' runtime: torch's one-time imports paid once, and nothing of them kept past the process's end."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_what_warm_up_freezes_is_unfrozen_at_exit():
    """Frozen objects outlive finalization: on CUDA builds triton's bindings then print "nanobind: leaked" lines."""
    code = (
        "import atexit, gc\n"
        "atexit.register(lambda: print('frozen at exit:', gc.get_freeze_count()))  # runs last: atexit is last in, first out\n"
        "from docs_tools.runtime import warm_up\n"
        "warm_up()\n"
        "print('frozen after warm_up:', gc.get_freeze_count() > 0)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert done.stdout.splitlines() == ["frozen after warm_up: True", "frozen at exit: 0"], done.stdout + done.stderr
    assert "nanobind" not in done.stderr
