"""The lstm-explained command: its output against real nn.LSTM calls, its errors, and a fuzz of its arguments."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import torch
from cli_calls import call, options
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import build, family_configs, unpack, valid_input_shapes

from lstm_explained import diagnose


@settings(max_examples=80, deadline=None)
@given(data=st.data())
def test_shapes_json_is_what_the_module_returns(data):
    cfg = data.draw(family_configs())
    shape = data.draw(valid_input_shapes(cfg))
    status, out, err = call(["shapes", *options(cfg, shape), "--json"])
    assert (status, err) == (0, "")
    printed = json.loads(out)
    with torch.no_grad():
        output, h_n, c_n = unpack(cfg, build(cfg, dtype=torch.float32)(torch.zeros(shape)))
    size = lambda t: None if t is None else list(t.shape)
    assert (printed.get("output"), printed["h_n"], printed.get("c_n")) == (size(output), list(h_n.shape), size(c_n))
    assert printed["input"] == list(shape) and printed["config"]["module"] == cfg.module


def test_shapes_table_names_every_dimension():
    status, out, _ = call(["shapes", "--input-size", "3", "--hidden-size", "5", "--batch-first", "--input-shape", "7,1,3"])
    assert status == 0
    rows = {line.split()[0]: line for line in out.splitlines() if line[:1].isalpha()}
    assert "(7, 1, 3)" in rows["input"] and "N=7, L=1, H_in=3" in rows["input"]
    assert "(1, 7, 5)" in rows["h_0"] and "D*num_layers=1, N=7, H_out=5" in rows["h_0"]
    assert "(7, 1, 5)" in rows["output"] and "N=7, L=1, D*H_out=5" in rows["output"]
    assert "H_cell=5" in rows["c_n"]


@settings(max_examples=80, deadline=None)
@given(data=st.data())
def test_diagnose_prints_what_diagnose_finds(data):
    cfg = data.draw(family_configs())
    shape = tuple(data.draw(st.lists(st.integers(1, 7), min_size=1, max_size=3)))
    hx = tuple(data.draw(st.lists(st.integers(1, 7), min_size=1, max_size=3)))
    cx = tuple(data.draw(st.lists(st.integers(1, 7), min_size=1, max_size=3)))
    argv = ["diagnose", *options(cfg, shape), "--hx-shape", ",".join(map(str, hx))]
    if cfg.has_cell_state:
        argv += ["--cx-shape", ",".join(map(str, cx))]
    status, out, err = call(argv + ["--json"])
    expected = diagnose(cfg, shape, (hx, cx) if cfg.has_cell_state else hx)
    assert err == "" and status == (1 if any(f.severity != "note" for f in expected) else 0)
    assert [f["code"] for f in json.loads(out)["findings"]] == [f.code for f in expected]
    status, out, _ = call(argv)
    assert all(f"[{f.code}]" in out for f in expected)
    assert ("No findings" in out) == (not expected)
    readable = len(shape) in ((1, 2) if cfg.is_cell else (2, 3))
    assert ("PyTorch accepts this call and reads x" in out) == (readable and all(f.severity == "note" for f in expected))
    assert out.startswith(cfg.as_code() + "\n"), "the module is shown first"


def test_diagnose_shows_the_seed_mistake():
    argv = ["diagnose", "--input-size", "3", "--hidden-size", "5", "--batch-first", "--input-shape", "7,1,3",
            "--hx-shape", "1,7,5", "--cx-shape", "1,7,5"]
    status, out, _ = call(argv)
    assert status == 0, "without --batch-size the call is only noted: it may be one step of a batch of 7"
    assert "note [batch-first-swap]" in out and "batch_size=" in out and "0 errors, 0 warnings, 1 note" in out
    status, out, _ = call(argv + ["--batch-size", "1"])
    assert status == 1
    assert "warning [batch-first-swap]" in out and "batch_first=False" in out and "meaning 1 sequence" in out
    status, out, _ = call(argv + ["--batch-size", "7"])
    assert status == 0 and "No findings" in out and "N=7 sequences of L=1 time step" in " ".join(out.split())


def test_no_findings_says_how_pytorch_reads_the_call_and_what_shapes_cannot_show():
    argv = ["diagnose", "--input-size", "3", "--hidden-size", "5", "--num-layers", "2", "--input-shape", "7,4,3",
            "--hx-shape", "2,4,5", "--cx-shape", "2,4,5"]
    status, out, _ = call(argv)
    assert status == 0
    text = " ".join(out.split())
    assert "reads x (7, 4, 3) as N=4 sequences of L=7 time steps, H_in=3 features each" in text
    assert "D*num_layers=2 entries" in text and "for each of the N=4 sequences" in text
    assert "devices" in text and "values" in text and "padding" in text


BAD = [
    (["shapes", "--input-size", "three", "--hidden-size", "5", "--input-shape", "7,1,3"], "--input-size"),
    (["shapes", "--input-size", "3", "--hidden-size", "5.5", "--input-shape", "7,1,3"], "--hidden-size"),
    (["shapes", "--input-size", "3", "--hidden-size", "5", "--input-shape", "7;1"], "7;1"),
    (["shapes", "--input-size", "3", "--hidden-size", "5", "--input-shape", "7,,1"], "--input-shape"),
    (["shapes", "--input-size", "3", "--hidden-size", "5", "--proj-size", "5", "--input-shape", "7,1,3"], "proj_size"),
    (["shapes", "--input-size", "3", "--hidden-size", "5", "--proj-size", "9", "--input-shape", "7,1,3"], "proj_size"),
    (["shapes", "--input-size", "3", "--hidden-size", "5", "--input-shape", "7,1,4"], "input_size"),
    (["shapes", "--input-size", "3", "--hidden-size", "5", "--input-shape", "7,1,1,3"], "2D or 3D"),
    (["shapes", "--input-size", "0", "--hidden-size", "5", "--input-shape", "7,1,3"], "at least 1"),
    (["shapes", "--input-size", "3", "--hidden-size", str(2**70), "--input-shape", "7,1,3"], "too large"),
    (["frobnicate"], "invalid choice"),
    ([], "required"),
    (["shapes"], "required"),
    (["shapes", "--input-size", "3", "--hidden-size", "5", "--input-shape", "7,1,3", "--bogus"], "--bogus"),
    (["diagnose", "--input-size", "3", "--hidden-size", "5", "--input-shape", "7,1,3", "--cx-shape", "1,1,5"], "--hx-shape"),
    (["diagnose", "--input-size", "3", "--hidden-size", "5", "--input-shape", "7,1,3", "--hx-shape", "()"],
     "a shape needs at least one size"),
    (["shapes", "--module", "Transformer", "--input-size", "3", "--hidden-size", "5", "--input-shape", "7,1,3"], "invalid choice"),
    (["shapes", "--module", "GRU", "--nonlinearity", "relu", "--input-size", "3", "--hidden-size", "5", "--input-shape", "7,1,3"],
     "--nonlinearity is an option of nn.RNN and nn.RNNCell, not of nn.GRU"),
    (["shapes", "--module", "GRU", "--proj-size", "2", "--input-size", "3", "--hidden-size", "5", "--input-shape", "7,1,3"],
     "proj_size argument is only supported for LSTM, not RNN or GRU"),
    (["shapes", "--module", "GRUCell", "--batch-first", "--input-size", "3", "--hidden-size", "5", "--input-shape", "2,3"],
     "nn.GRUCell takes one time step: it has no --batch-first"),
    (["shapes", "--module", "LSTMCell", "--input-size", "3", "--hidden-size", "5", "--input-shape", "7,2,3"],
     "LSTMCell: Expected input to be 1D or 2D, got 3D instead"),
    (["diagnose", "--module", "RNN", "--input-size", "3", "--hidden-size", "5", "--input-shape", "7,1,3", "--hx-shape", "1,1,5",
      "--cx-shape", "1,1,5"], "nn.RNN has no cell state c"),
]


@pytest.mark.parametrize("argv, mentions", BAD, ids=[" ".join(a) or "(nothing)" for a, _ in BAD])
def test_bad_input_is_one_line_and_exit_status_2(argv, mentions):
    status, out, err = call(argv)
    assert status == 2 and out == ""
    assert err.count("\n") == 1 and err.endswith("\n"), err
    assert "error:" in err and mentions in err and "Traceback" not in err
    command = next((word for word in argv if word in ("shapes", "diagnose")), None)
    prefix = f"lstm-explained {command}: error: " if command and argv[0] == command else "lstm-explained: error: "
    assert err.startswith(prefix), err


@pytest.mark.parametrize("argv", [["--help"], ["shapes", "--help"], ["diagnose", "--help"], ["-h"], ["--version"]])
def test_help_on_the_command_and_each_subcommand(argv):
    status, out, err = call(argv)
    assert status == 0 and err == ""
    assert out.startswith("usage: lstm-explained") or out.startswith("lstm-explained 0.")
    if "diagnose" in argv:
        assert "--hx-shape" in out and "--cx-shape" in out


WORDS = ["shapes", "diagnose", "--input-size", "--hidden-size", "--num-layers", "--proj-size", "--input-shape",
         "--hx-shape", "--cx-shape", "--bidirectional", "--batch-first", "--no-bias", "--json", "--help", "-h"]
TOKENS = st.one_of(
    st.sampled_from(WORDS), st.integers(-3, 12).map(str),
    st.lists(st.integers(0, 9), max_size=5).map(lambda dims: ",".join(map(str, dims))),
    st.text(alphabet="0123456789,;()[] -x.", max_size=8), st.text(max_size=6),
)


@settings(max_examples=400, deadline=None)
@given(argv=st.lists(TOKENS, max_size=14))
def test_fuzz_no_traceback_ever(argv):
    status, out, err = call(argv)
    assert status in (0, 1, 2)
    assert "Traceback" not in out + err
    if status == 2:
        assert err.count("\n") == 1 and "error:" in err
    elif "--json" in argv and "-h" not in argv and "--help" not in argv:
        json.loads(out)


@settings(max_examples=300, deadline=None)
@given(
    command=st.sampled_from(["shapes", "diagnose"]),
    sizes=st.lists(st.integers(-1, 6), min_size=4, max_size=4),
    shapes=st.lists(st.lists(st.integers(0, 8), min_size=1, max_size=4), min_size=3, max_size=3),  # empty: test_bad_input
    flags=st.lists(st.sampled_from(["--bidirectional", "--batch-first", "--no-bias", "--json"]), unique=True),
)
def test_fuzz_well_formed_arguments(command, sizes, shapes, flags):
    """Arguments that parse: any sizes, any shapes of one size or more. Only a bad module or, for shapes, a bad input is bad input."""
    argv = [command, "--input-size", str(sizes[0]), "--hidden-size", str(sizes[1]), "--num-layers", str(sizes[2]),
            "--proj-size", str(sizes[3]), "--input-shape", ",".join(map(str, shapes[0])), *flags]
    if command == "diagnose":
        argv += ["--hx-shape", ",".join(map(str, shapes[1])), "--cx-shape", ",".join(map(str, shapes[2]))]
    status, out, err = call(argv)
    module_ok = sizes[0] >= 1 and sizes[1] >= 1 and sizes[2] >= 1 and 0 <= sizes[3] < sizes[1]
    assert "Traceback" not in out + err
    if not module_ok:
        assert status == 2 and err.count("\n") == 1
    elif command == "diagnose":
        assert status in (0, 1) and "internal-error" not in out
    else:
        assert status in (0, 2)


BESIDE = Path(sys.executable).parent / "lstm-explained"


def installed_script() -> Path:
    """Returns the path of the installed lstm-explained console script."""
    found = BESIDE if BESIDE.exists() else shutil.which("lstm-explained")
    assert found, "the lstm-explained script is not installed: pip install -e . creates it"
    return Path(found)


# The installed script, run as a user runs it: what each command prints is checked in-process above.
# A bare name is looked up on PATH, as shutil.which does.
SCRIPT = str(BESIDE) if BESIDE.exists() else "lstm-explained"
DIAGNOSE = [SCRIPT, "diagnose", "--input-size", "3", "--hidden-size", "5", "--batch-first", "--input-shape", "7,1,3", "--batch-size", "1"]
BAD_SHAPE = [SCRIPT, "shapes", "--input-size", "3", "--hidden-size", "5", "--input-shape", "7;1"]
HELP = [SCRIPT, "diagnose", "--help"]


def test_the_installed_script_runs():
    installed_script()
    done = subprocess.run(DIAGNOSE, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1 and "[batch-first-swap]" in done.stdout


def test_the_installed_script_fails_in_one_line():
    installed_script()
    done = subprocess.run(BAD_SHAPE, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr


def test_the_installed_script_has_help():
    installed_script()
    done = subprocess.run(HELP, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and done.stdout.startswith("usage: lstm-explained diagnose")


@pytest.mark.parametrize("pasted", ["torch.Size([7, 1, 3])", "[7, 1, 3]", "(7, 1, 3)", "7,1,3", " 7, 1, 3 ", "Size([7,1,3])"])
def test_a_shape_is_taken_as_people_paste_it(pasted):
    status, out, err = call(["shapes", "--input-size", "3", "--hidden-size", "5", "--input-shape", pasted, "--json"])
    assert (status, err) == (0, "") and json.loads(out)["input"] == [7, 1, 3]


@pytest.mark.parametrize("command", ["shapes", "diagnose"])
def test_each_help_shows_an_example_that_runs(command, capsys):
    from lstm_explained.cli import EXAMPLES, main

    assert main([command, "--help"]) == 0
    text = " ".join(capsys.readouterr().out.split())
    assert f"Example: {EXAMPLES[command]}." in text
    status, _, err = call(EXAMPLES[command].split()[1:])
    assert err == "" and status in (0, 1)


def test_the_installed_script_is_quiet_when_its_reader_goes_away():
    """Piped into head, which closes the pipe early: no BrokenPipeError traceback."""
    script = installed_script()
    argv = [str(script), "diagnose", "--input-size", "3", "--hidden-size", "5", "--input-shape", "7,2,3"]
    process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    process.stdout.close()  # before the command writes anything (it imports torch first)
    err = process.stderr.read()
    assert process.wait(timeout=120) == 0 and "Traceback" not in err and "BrokenPipe" not in err, err
