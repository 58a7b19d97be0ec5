"""Commands that run beside the in-process tests: started when collection ends, read by the test that checks them.

A command that starts Python and imports torch costs seconds of CPU, and pytest sits idle while it
runs. A test names such commands in ``@pytest.mark.background(argv, ...)``: tests/conftest.py starts
the commands of every selected test at once, before the first test runs, and the test reads each
one's result with :func:`run`, the ``subprocess.CompletedProcess`` that
``subprocess.run(argv, capture_output=True, text=True)`` would have returned. A command no mark
started (a test run on its own, with ``-k``) starts when it is read.
"""

from __future__ import annotations

import subprocess
from typing import Sequence, Union

_running: dict[tuple[str, ...], Union[subprocess.Popen, OSError]] = {}
_done: dict[tuple[str, ...], subprocess.CompletedProcess] = {}


def start(argv: Sequence[str]) -> None:
    """Returns nothing; starts ``argv`` unless it has started already (a failure to start is raised by :func:`run`)."""
    key = tuple(argv)
    if key in _running or key in _done:
        return
    try:
        _running[key] = subprocess.Popen(key, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    except OSError as error:  # no such program: the test that reads it fails, not the session
        _running[key] = error


def run(argv: Sequence[str], timeout: float = 120) -> subprocess.CompletedProcess:
    """Returns what running ``argv`` gave: its exit status, stdout and stderr, waited for at most ``timeout`` seconds from now."""
    key = tuple(argv)
    if key not in _done:
        start(key)
        process = _running.pop(key)
        if isinstance(process, OSError):
            raise process
        try:
            out, err = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()
            raise
        _done[key] = subprocess.CompletedProcess(list(key), process.returncode, out, err)
    return _done[key]


def stop() -> None:
    """Returns nothing; kills the commands that no test read (an interrupted run), so none outlives the session."""
    for process in _running.values():
        if isinstance(process, subprocess.Popen):
            process.kill()
            process.communicate()
    _running.clear()
