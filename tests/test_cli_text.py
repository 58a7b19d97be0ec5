"""What the lstm-explained command prints as text: the module line, the call line, the findings, the count, the bounds."""

from __future__ import annotations

import json

import pytest
from cli_calls import call, options
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import configs, valid_input_shapes
from torch import nn

from lstm_explained import LSTMConfig, RecurrentConfig, diagnose
from lstm_explained.cli_output import reading_text

LARGEST = 2**63 - 1


@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_the_module_line_builds_the_same_module(data):
    cfg = data.draw(configs())
    shape = ",".join(map(str, data.draw(valid_input_shapes(cfg))))
    for command in (["shapes"], ["diagnose"]):
        status, out, _ = call([*command, *options(cfg), "--input-shape", shape])
        module = eval(out.splitlines()[0], {"nn": nn})
        assert LSTMConfig.from_module(module) == cfg, out


@pytest.mark.parametrize("state, line", [
    ([], "lstm(x (7, 1, 3))"),
    (["--hx-shape", "1,7,5"], "lstm(x (7, 1, 3), h_0 (1, 7, 5))"),
    (["--hx-shape", "1,7,5", "--cx-shape", "2,7,5"], "lstm(x (7, 1, 3), (h_0 (1, 7, 5), c_0 (2, 7, 5)))"),
    (["--module", "GRU", "--hx-shape", "1,7,5"], "gru(x (7, 1, 3), h_0 (1, 7, 5))"),
    (["--module", "RNN", "--batch-size", "2"], "rnn(x (7, 1, 3)), meaning 2 sequences"),
])
def test_the_call_line(state, line):
    _, out, _ = call(["diagnose", "--input-size", "3", "--hidden-size", "5", "--input-shape", "7,1,3", *state])
    assert out.splitlines()[1] == line and out.splitlines()[2] == ""


def test_a_cell_s_call_line_and_table():
    _, out, _ = call(["diagnose", "--module", "LSTMCell", "--input-size", "3", "--hidden-size", "5", "--input-shape", "2,3"])
    assert out.splitlines()[:2] == ["nn.LSTMCell(3, 5)", "cell(x (2, 3))"]
    _, out, _ = call(["shapes", "--module", "LSTMCell", "--input-size", "3", "--hidden-size", "5", "--input-shape", "2,3"])
    assert "A cell takes one time step and returns its new state: h_n is h', c_n is c'." in out.splitlines()
    assert [line.split()[0] for line in out.splitlines()[3:8]] == ["input", "h_0", "c_0", "h_n", "c_n"]
    _, out, _ = call(["shapes", "--module", "GRUCell", "--input-size", "3", "--hidden-size", "5", "--input-shape", "3"])
    assert "A cell takes one time step and returns its new state: h_n is h'." in out.splitlines()
    assert "H      hidden_size" in out.splitlines() and "H_out" not in out


def reading(shape, n, steps, state):
    """Returns what the command prints after a call with no error or warning: how PyTorch reads it, what shapes cannot show."""
    return (
        f"PyTorch accepts this call and reads x {shape} as N={n} sequence{'s' * (n != 1)} of L={steps} "
        f"time step{'s' * (steps != 1)}, H_in=3 features each; h_0 and c_0 {state} D*num_layers=1 entry "
        f"(one per layer and direction) for each of the N={n} sequence{'s' * (n != 1)}. "
        "Shapes alone cannot show devices, dtypes or values: padding, NaN, a state carried from another batch."
    )


ZEROS, GIVEN = "start as zeros with", "have"
# (state options, batch_first, --batch-size, the findings as (code, severity), the count line or None, the exit status,
#  the reading printed after the count when nothing is an error or a warning, else None). The input is (7, 1, 3).
SUMMARIES = [
    ([], False, None, [], None, 0, reading((7, 1, 3), 1, 7, ZEROS)),
    ([], False, 7, [("time-major-swap", "warning")], "0 errors, 1 warning, 0 notes", 1, None),
    (["--hx-shape", "1,1,5", "--cx-shape", "1,1,5"], True, None, [("state-batch-size", "error")], "1 error, 0 warnings, 0 notes",
     1, None),
    (["--hx-shape", "1,1,5", "--cx-shape", "1,1,5"], True, 1, [("batch-first-swap", "warning"), ("state-batch-size", "error")],
     "1 error, 1 warning, 0 notes", 1, None),
    ([], True, None, [("batch-first-swap", "note")], "0 errors, 0 warnings, 1 note", 0, reading((7, 1, 3), 7, 1, ZEROS)),
    ([], True, 1, [("batch-first-swap", "warning")], "0 errors, 1 warning, 0 notes", 1, None),
    ([], True, 7, [], None, 0, reading((7, 1, 3), 7, 1, ZEROS)),
    (["--hx-shape", "1,7,5", "--cx-shape", "1,7,5"], True, None, [("batch-first-swap", "note")], "0 errors, 0 warnings, 1 note",
     0, reading((7, 1, 3), 7, 1, GIVEN)),
    (["--hx-shape", "1,1,5", "--cx-shape", "1,1,5"], False, None, [], None, 0, reading((7, 1, 3), 1, 7, GIVEN)),
    (["--hx-shape", "2,1,5", "--cx-shape", "2,1,5"], True, None, [("state-layers", "error"), ("state-batch-size", "error")],
     "2 errors, 0 warnings, 0 notes", 1, None),
    (["--hx-shape", "2,1,5", "--cx-shape", "2,1,5"], True, 1,
     [("batch-first-swap", "warning"), ("state-layers", "error"), ("state-batch-size", "error")], "2 errors, 1 warning, 0 notes",
     1, None),
    (["--hx-shape", "1,1,4", "--cx-shape", "1,1,5"], False, None, [("state-size", "error")], "1 error, 0 warnings, 0 notes", 1, None),
    (["--hx-shape", "2,1,4", "--cx-shape", "1,1,5"], False, None, [("state-layers", "error"), ("state-size", "error")],
     "2 errors, 0 warnings, 0 notes", 1, None),
]


@pytest.mark.parametrize("state, batch_first, batch_size, found, summary, status, after", SUMMARIES)
def test_the_summary_line_counts_errors_warnings_and_notes(state, batch_first, batch_size, found, summary, status, after):
    shape = (7, 1, 3)
    argv = ["diagnose", "--input-size", "3", "--hidden-size", "5", "--input-shape", "7,1,3", *state]
    argv += ["--batch-first"] if batch_first else []
    argv += ["--batch-size", str(batch_size)] if batch_size is not None else []
    printed_status, out, err = call(argv)
    hx = tuple(tuple(int(d) for d in state[i].split(",")) for i in (1, 3)) if state else None
    findings = diagnose(LSTMConfig(3, 5, batch_first=batch_first), shape, hx, batch_size=batch_size)
    assert [(f.code, f.severity) for f in findings] == found
    assert printed_status == status and err == "", "notes alone leave the status at 0; an error or a warning makes it 1"
    lines = out.splitlines()
    if summary is None:
        assert " ".join(lines[3:]) == "No findings. " + after
        assert all(len(line) <= 88 for line in lines)
        return
    at = lines.index(summary)
    assert [line for line in lines if line.endswith(("note", "notes"))] == [summary], "one count line"
    body = " ".join(line.strip() for line in lines[3:at])
    assert body == " ".join(str(f) for f in findings), "each finding printed whole, as severity [code] message"
    assert all(len(line) <= 88 for line in lines[3:])
    assert all(line.startswith("    ") for line in lines[3:at] if not line.startswith(("error [", "warning [", "note [")))
    assert sum(line.startswith(("error [", "warning [", "note [")) for line in lines[3:at]) == len(found)
    assert " ".join(lines[at + 1:]) == (after or ""), "the reading follows the count only when nothing is an error or a warning"


@pytest.mark.parametrize("option, good, bad, words", [
    ("--input-size", "1", "0", "expected an integer of at least 1, got '0'"),
    ("--hidden-size", str(LARGEST), str(LARGEST + 1), f"'{LARGEST + 1}' is too large (at most 2**63 - 1)"),
    ("--num-layers", "1", "0", "expected an integer of at least 1, got '0'"),
    ("--proj-size", "0", "-1", "expected an integer of at least 0, got '-1'"),
    ("--input-size", "3", "3.0", "expected an integer, got '3.0'"),
])
def test_integer_bounds(option, good, bad, words):
    base = {"--input-size": "3", "--hidden-size": "5", "--num-layers": "1", "--proj-size": "0"}
    argv = lambda value: ["shapes", *[x for k, v in {**base, option: value}.items() for x in (k, v)], "--input-shape", "7,2,3"]
    status, _, err = call(argv(good))
    assert (status, err) == (0 if option != "--input-size" or good == "3" else 2, "") or good == "1"
    status, out, err = call(argv(bad))
    assert status == 2 and out == ""
    assert err == f"lstm-explained shapes: error: argument {option}: {words} (see lstm-explained shapes --help)\n"


def test_the_largest_sizes_are_accepted():
    status, out, err = call(["shapes", "--input-size", "3", "--hidden-size", str(LARGEST), "--input-shape", f"7,{LARGEST},3", "--json"])
    assert (status, err) == (0, "")
    assert json.loads(out)["h_n"] == [1, LARGEST, LARGEST]
    status, _, err = call(["shapes", "--input-size", "3", "--hidden-size", "5", "--input-shape", f"7,{LARGEST + 1},3"])
    assert status == 2 and f"a size in '7,{LARGEST + 1},3' is too large" in err


@pytest.mark.parametrize("text, dims", [("7,1,3", (7, 1, 3)), ("(7, 1, 3)", (7, 1, 3)), ("[7,1]", (7, 1)), (" 7 , 2 , 3 ", (7, 2, 3)),
                                        ("7,1,3,", (7, 1, 3))])
def test_shapes_are_read_in_every_written_form(text, dims):
    status, out, _ = call(["shapes", "--input-size", str(dims[-1]), "--hidden-size", "5", "--input-shape", text, "--json"])
    assert status == 0 and json.loads(out)["input"] == list(dims)


def test_the_legend_names_only_the_letters_used():
    _, unbatched, _ = call(["shapes", "--input-size", "3", "--hidden-size", "5", "--input-shape", "7,3"])
    legend = [line.split()[0] for line in unbatched.split("\n\n")[-1].splitlines()]
    assert legend == ["L", "H_in", "H_out", "H_cell", "D"], "no N without a batch"
    _, batched, _ = call(["shapes", "--input-size", "3", "--hidden-size", "5", "--input-shape", "7,2,3"])
    assert "N      batch size" in batched and "L      sequence length" in batched
    assert "H_out  proj_size if set, else hidden_size" in batched and "D      2 if bidirectional, else 1" in batched


def test_the_table_lines_up():
    _, out, _ = call(["shapes", "--input-size", "3", "--hidden-size", "5", "--input-shape", "7,2,3"])
    table = out.split("\n\n")[1].splitlines()
    assert table[0].split() == ["tensor", "shape", "dimensions"]
    starts = {line.index("(") for line in table[1:]}
    assert len(starts) == 1 and table[0].index("shape") == starts.pop()
    assert table[1] == "input   (7, 2, 3)  L=7, N=2, H_in=3"


def test_diagnose_json_holds_every_field():
    status, out, _ = call(["diagnose", "--input-size", "3", "--hidden-size", "5", "--input-shape", "7,2,3",
                           "--hx-shape", "1,2,4", "--cx-shape", "1,2,5", "--json"])
    printed = json.loads(out)
    assert status == 1
    assert printed["config"] == {"input_size": 3, "hidden_size": 5, "num_layers": 1, "bidirectional": False, "proj_size": 0,
                                 "batch_first": False, "bias": True, "module": "LSTM", "nonlinearity": "tanh"}
    (finding,) = printed["findings"]
    assert finding["code"] == "state-size" and finding["severity"] == "error"
    assert finding["pytorch_error"] == "RuntimeError: Expected hidden[0] size (1, 2, 5), got [1, 2, 4]"
    assert finding["message"].endswith("PyTorch raises " + finding["pytorch_error"])
    assert finding["fix"] == {"state": "x.new_zeros(1, x.size(1), 5) each"}


def test_shapes_json_names_each_dimension():
    _, out, _ = call(["shapes", "--input-size", "3", "--hidden-size", "5", "--batch-first", "--input-shape", "2,7,3", "--json"])
    printed = json.loads(out)
    assert printed["names"]["input"] == ["N", "L", "H_in"] and printed["names"]["h_0"] == ["D*num_layers", "N", "H_out"]
    assert printed["config"]["batch_first"] is True and printed["output"] == [2, 7, 5]


def test_run_prints_what_the_command_prints_and_a_failing_status(capsys):
    from lstm_explained.cli import run

    run("lstm-explained shapes --input-size 3 --hidden-size 5 --input-shape 7,2,3 --json")
    printed = capsys.readouterr().out
    assert json.loads(printed)["h_n"] == [1, 2, 5], "no status line after a success"
    run(["shapes", "--input-size", "3", "--hidden-size", "5", "--input-shape", "7;1"])
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("lstm-explained shapes: error: argument --input-shape:") and lines[1:] == ["[exit status 2]"]
    run("diagnose --input-size 3 --hidden-size 5 --batch-first --input-shape '7, 1, 3'")
    lines = capsys.readouterr().out.splitlines()
    assert lines[:2] == ["nn.LSTM(3, 5, batch_first=True)", "lstm(x (7, 1, 3))"] and "0 errors, 0 warnings, 1 note" in lines
    assert not any(line.startswith("[exit status") for line in lines), "a note alone: status 0, no status line"
    run("diagnose --input-size 3 --hidden-size 5 --batch-first --input-shape '7, 1, 3' --batch-size 1")
    lines = capsys.readouterr().out.splitlines()
    assert lines[:2] == ["nn.LSTM(3, 5, batch_first=True)", "lstm(x (7, 1, 3)), meaning 1 sequence"]
    assert lines[-2:] == ["0 errors, 1 warning, 0 notes", "[exit status 1]"]


TAIL = "Shapes alone cannot show devices, dtypes or values: padding, NaN, a state carried from another batch."


@pytest.mark.parametrize("cfg, shape, hx, reading", [
    (RecurrentConfig(3, 5, module="GRU", num_layers=2, batch_first=True), (4, 7, 3), None,
     "reads x (4, 7, 3) as N=4 sequences of L=7 time steps, H_in=3 features each; h_0 starts as zeros with D*num_layers=2 "
     "entries (one per layer and direction) for each of the N=4 sequences."),
    (RecurrentConfig(3, 5, module="RNN"), (7, 3), (1, 5),
     "reads x (7, 3) as one unbatched sequence of L=7 time steps, H_in=3 features each; h_0 has D*num_layers=1 entry (one "
     "per layer and direction)."),
    (RecurrentConfig(3, 5, module="GRUCell"), (2, 3), None,
     "reads x (2, 3) as one time step of N=2 sequences; h_0 starts as zeros of shape (2, 5)."),
    (RecurrentConfig(3, 5, module="LSTMCell"), (3,), ((5,), (5,)),
     "reads x (3,) as one unbatched time step; h_0 and c_0 have shape (5,)."),
    (RecurrentConfig(3, 5, module="LSTMCell"), (1, 3), None,
     "reads x (1, 3) as one time step of N=1 sequence; h_0 and c_0 start as zeros of shape (1, 5)."),
    (RecurrentConfig(3, 5, module="RNNCell"), (1, 3), (1, 5),
     "reads x (1, 3) as one time step of N=1 sequence; h_0 has shape (1, 5)."),
], ids=["gru", "rnn unbatched", "gru cell", "lstm cell unbatched", "lstm cell", "rnn cell"])
def test_how_pytorch_reads_a_call_of_each_module(cfg, shape, hx, reading):
    assert reading_text(cfg, shape, hx) == f"PyTorch accepts this call and {reading} {TAIL}"
