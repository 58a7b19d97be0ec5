"""Shared by the command-line tests: main() run in this process, and the options that describe a module."""

from __future__ import annotations

import contextlib
import io

from lstm_explained import RecurrentConfig
from lstm_explained.cli import main


def call(argv):
    """Returns (exit status, stdout, stderr) of main(argv), run in this process."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(argv)
    return status, out.getvalue(), err.getvalue()


def options(cfg: RecurrentConfig, shape=None) -> list[str]:
    """Returns the command-line options that describe cfg, every one of them, and the input shape when given."""
    argv = ["--module", cfg.module, "--nonlinearity", cfg.nonlinearity, "--input-size", str(cfg.input_size),
            "--hidden-size", str(cfg.hidden_size), "--num-layers", str(cfg.num_layers), "--proj-size", str(cfg.proj_size)]
    if shape is not None:
        argv += ["--input-shape", ",".join(map(str, shape))]
    flags = {"--bidirectional": cfg.bidirectional, "--batch-first": cfg.batch_first, "--no-bias": not cfg.bias}
    return argv + [flag for flag, on in flags.items() if on]
