"""The command's --help: every option with its meaning, each subcommand's description, the exit statuses."""

from __future__ import annotations

import contextlib
import io

import pytest

from lstm_explained.cli import main

EXIT = (
    "Exit status: 0 when all is well, 1 when diagnose reports an error or a warning, 2 on bad input. "
    "A note (a call shapes alone cannot judge, with both readings) leaves it at 0: --batch-size settles it."
)
COMMON = [
    ("--module NAME", "which module: LSTM, GRU, RNN, LSTMCell, GRUCell, RNNCell (default: LSTM)"),
    ("--nonlinearity {tanh,relu}", "RNN and RNNCell only (default: tanh)"),
    ("--input-size I", "input_size, H_in"), ("--hidden-size H", "hidden_size"),
    ("--num-layers K", "num_layers (default: 1; not for a cell)"), ("--bidirectional", "bidirectional=True (not for a cell)"),
    ("--proj-size P", "LSTM only: proj_size, smaller than H (default: 0)"), ("--batch-first", "batch_first=True (not for a cell)"),
    ("--no-bias", "bias=False"), ("--input-shape SHAPE", "the input's shape, e.g. 7,1,3"),
    ("--json", "print one JSON object instead of text"),
]
STATE = [
    ("--hx-shape SHAPE", "the shape of h_0 (for an LSTM alone: h given without c)"),
    ("--cx-shape SHAPE", "the shape of c_0, LSTM and LSTMCell only; needs --hx-shape"),
    ("--batch-size N", "the number of sequences you mean to pass: settles whether a dimension is the batch or time"),
]


def help_text(argv, monkeypatch) -> str:
    """Returns the help printed for argv, its whitespace collapsed (argparse wraps to the terminal's width)."""
    monkeypatch.setenv("COLUMNS", "100")
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(argv) == 0
    return " ".join(out.getvalue().split())


def test_the_command_lists_its_two_subcommands(monkeypatch):
    text = help_text(["--help"], monkeypatch)
    assert text.startswith("usage: lstm-explained [-h] [--version] COMMAND ...")
    assert ("The shapes of a call of nn.LSTM, nn.GRU, nn.RNN or a cell, and what is wrong with it, "
            "from its options and shapes alone.") in text
    assert "shapes the shapes of input, h_0, c_0, output, h_n and c_n, and what each dimension means" in text
    assert "diagnose what is wrong with a call of these shapes, and how to fix it" in text
    assert text.endswith(EXIT)


@pytest.mark.parametrize("command, description, options", [
    ("shapes", "Prints the shapes the module takes and returns for this input, without running it.", COMMON),
    ("diagnose", "Prints what is wrong with the call lstm(x, (h_0, c_0)) for these shapes (gru(x, h_0) for a module without "
     "a cell state), in PyTorch's order of checks.", COMMON + STATE),
])
def test_each_subcommand_explains_each_option(monkeypatch, command, description, options):
    text = help_text([command, "--help"], monkeypatch)
    assert text.startswith(f"usage: lstm-explained {command} [-h] [--module NAME] [--nonlinearity {{tanh,relu}}] --input-size I")
    assert f" {description} " in text and text.endswith(EXIT)
    assert "the module: " in text and "the call: " in text
    for option, meaning in options:
        assert f" {option} {meaning} " in f"{text} ", option
    assert ("--hx-shape" in text) == (command == "diagnose")
    assert ("--batch-size N" in text) == (command == "diagnose"), "the epilog names --batch-size; only diagnose takes it"


def test_the_version(capsys):
    from importlib.metadata import version

    from lstm_explained import __version__

    assert main(["--version"]) == 0
    assert capsys.readouterr().out == f"lstm-explained {__version__}\n"
    assert version("lstm-explained") == __version__, "one source: pyproject.toml reads the version from the package"


@pytest.mark.parametrize("argv", [
    ["shapes", "--input-si", "3", "--hidden-size", "5", "--input-shape", "7,2,3"],
    ["shap", "--input-size", "3", "--hidden-size", "5", "--input-shape", "7,2,3"],
])
def test_abbreviations_are_refused(argv, capsys):
    assert main(argv) == 2
    assert capsys.readouterr().err.count("\n") == 1


@pytest.mark.parametrize("argv", [["--help"], ["diagnose", "--help"], ["--version"],
                                  ["shapes", "--input-size", "3", "--hidden-size", "5", "--input-shape", "7;1"]])
def test_help_version_and_bad_input_answer_without_importing_torch(argv):
    """`lstm-explained --help` answers at once: torch (seconds to import) is imported only for a command that runs."""
    import subprocess
    import sys

    probe = ("import sys\nfrom lstm_explained.cli import main\nstatus = main(sys.argv[1:])\n"
             "print('torch imported' if 'torch' in sys.modules else 'no torch', status)")
    done = subprocess.run([sys.executable, "-c", probe, *argv], capture_output=True, text=True, timeout=60)
    assert done.stdout.strip().splitlines()[-1] == f"no torch {2 if '7;1' in argv else 0}", done.stderr

