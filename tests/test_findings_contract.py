"""What each finding promises: its severity says whether PyTorch runs the call, its advice names the exact fix.

test_diagnose.py checks the codes against real calls; this file pins down the rest of each
finding: the severity, the words "runs" and "raises", the value the advice tells the user to
set, and which finding comes first when PyTorch quotes nothing.
"""

from __future__ import annotations

import pytest
import torch
from torch import nn
from torch_calls import torch_raises, unchecked_by_torch

from lstm_explained import LSTMConfig, diagnose
from lstm_explained.cli import main
from lstm_explained.pytorch_errors import UNCHECKED_NOTE

# ---- The bug: one 4-D tensor as hx with batched input is read as (hx[0], hx[1]) by the checks, then refused.

def test_a_single_4d_state_with_batched_input_is_an_error():
    lstm, x, hx = nn.LSTM(3, 5), torch.zeros(7, 2, 3), torch.zeros(2, 1, 2, 5)
    assert torch_raises(lstm, x, hx).startswith("TypeError: "), "PyTorch's kernel takes a tuple, not one tensor"
    (finding,) = diagnose(lstm, x, hx)
    assert (finding.code, finding.severity) == ("missing-cell-state", "error")
    assert "PyTorch runs" not in finding.message and "TypeError" in finding.message
    (by_shape,) = diagnose(LSTMConfig(3, 5), (7, 2, 3), (2, 1, 2, 5))
    assert (by_shape.code, by_shape.severity) == ("missing-cell-state", "error")


def test_a_single_3d_state_with_unbatched_input_runs_and_warns():
    lstm, x, hx = nn.LSTM(3, 5), torch.zeros(7, 3), torch.zeros(2, 1, 5)
    assert torch_raises(lstm, x, hx) is None, "unbatched input rebuilds hx as (hx[0], hx[1])"
    (finding,) = diagnose(lstm, x, hx)
    assert (finding.code, finding.severity) == ("missing-cell-state", "warning")
    assert finding.message.endswith("PyTorch runs, reading hx[0] as h_0 and hx[1] as c_0.")


def test_the_command_reports_the_4d_state_as_an_error(capsys):
    status = main(["diagnose", "--input-size", "3", "--hidden-size", "5", "--input-shape", "7,2,3", "--hx-shape", "2,1,2,5"])
    out = capsys.readouterr().out
    assert status == 1
    assert "error [missing-cell-state]" in out and out.rstrip().endswith("1 error, 0 warnings, 0 notes")


def finding(lstm, x, hx=None, code=None, batch_size=None):
    """Returns the one finding of ``code`` about the call (the first one when code is None)."""
    found = [f for f in diagnose(lstm, x, hx, batch_size=batch_size) if code is None or f.code == code]
    assert found, diagnose(lstm, x, hx, batch_size=batch_size)
    return found[0]


def zeros(*shape, **kw):
    return torch.zeros(shape, **kw)


# ---- The advice names the exact fix: which value to set, which call to make.
ADVICE = [
    ("time-major module, batch-first input", nn.LSTM(3, 5), zeros(4, 7, 3), (zeros(1, 4, 5),) * 2, "state-batch-size",
     ["if the input is (N, L, H_in), set batch_first=True."], ["set batch_first=False"]),
    ("batch-first module, time-major input", nn.LSTM(3, 5, batch_first=True), zeros(4, 7, 3), (zeros(1, 7, 5),) * 2,
     "state-batch-size", ["if the input is (L, N, H_in), set batch_first=False."], ["set batch_first=True"]),
    ("stale state", nn.LSTM(3, 5), zeros(7, 2, 3), (zeros(1, 4, 5),) * 2, "state-batch-size",
     ["h_0[:, :2] and c_0[:, :2] keep the first 2", "drop_last=True", "N=2 sequences with batch_first=False"],
     ["set batch_first", "x.size("]),
    ("state for fewer sequences", nn.LSTM(3, 5), zeros(7, 8, 3), (zeros(1, 1, 5),) * 2, "state-batch-size",
     ["The state holds 1 sequence, fewer than the input", "inside forward, x.new_zeros(1, x.size(1), 5) each"], ["[:, :", "drop_last"]),
    ("seed swap", nn.LSTM(3, 5, batch_first=True), zeros(7, 1, 3), None, "batch-first-swap",
     ["PyTorch reads input (7, 1, 3) as N=7 sequences of L=1 time step.", "right for one time step of a batch of 7 sequences",
      "wrong for one sequence of 7 time steps", "Set batch_first=False, or pass x.transpose(0, 1), shape (1, 7, 3)",
      "Pass batch_size= (the number of sequences you mean)"],
     ["which is why PyTorch raises nothing", "raises nothing either way", "batch_size=1"]),
    ("seed swap, one sequence meant", nn.LSTM(3, 5, batch_first=True), zeros(7, 1, 3), None, "batch-first-swap",
     ["batch_size=1, but with batch_first=True PyTorch reads input (7, 1, 3) as N=7 sequences of L=1 time step",
      "Set batch_first=False, or pass x.transpose(0, 1), shape (1, 7, 3); a state then has h_0 and c_0 of shape (1, 1, 5)."],
     ["which is why PyTorch raises nothing", "Pass batch_size=", "loop mode"]),
    ("seed swap, state for the misread batch", nn.LSTM(3, 5, batch_first=True), zeros(7, 1, 3), (zeros(1, 7, 5),) * 2,
     "batch-first-swap", ["Set batch_first=False, or pass x.transpose(0, 1), shape (1, 7, 3)",
                          "The state (1, 7, 5) fits the misread batch of 7, which is why PyTorch raises nothing."], []),
    ("time-major swap, a batch meant", nn.LSTM(3, 5), zeros(7, 1, 3), None, "time-major-swap",
     ["batch_size=7, but with batch_first=False PyTorch reads input (7, 1, 3) as L=7 time steps of N=1 sequence",
      "Set batch_first=True, or pass x.transpose(0, 1), shape (1, 7, 3); a state then has h_0 and c_0 of shape (1, 7, 5)."],
     ["Set batch_first=False"]),
    ("state batch-first", nn.LSTM(3, 5, batch_first=True), zeros(2, 7, 3), (zeros(2, 1, 5),) * 2, "state-batch-first",
     ["h_0 is (2, 1, 5) (expected (1, 2, 5))", "Pass h_0.transpose(0, 1).contiguous()", "batch_first=True applies"], []),
    ("directions without layers", nn.LSTM(3, 5, num_layers=3, bidirectional=True), zeros(7, 2, 3), (zeros(2, 2, 5),) * 2,
     "state-layers",
     ["D*num_layers = 2*3 = 6", "It counts the directions but not the 3 layers.", "Build the state with a first dimension of 6"],
     ["two directions."]),
    ("layers without directions", nn.LSTM(3, 5, num_layers=3, bidirectional=True), zeros(7, 2, 3), (zeros(3, 2, 5),) * 2,
     "state-layers", ["D*num_layers = 2*3 = 6", "It counts the layers but not the two directions."], ["but not the 3 layers"]),
    ("h sized hidden_size", nn.LSTM(3, 5, proj_size=2), zeros(7, 2, 3), (zeros(1, 2, 5), zeros(1, 2, 5)), "state-proj-size",
     ["h_0 and h_n end in proj_size=2, not hidden_size=5"], ["c_0 and c_n end in"]),
    ("c sized proj_size", nn.LSTM(3, 5, proj_size=2), zeros(7, 2, 3), (zeros(1, 2, 2), zeros(1, 2, 2)), "state-proj-size",
     ["c_0 and c_n end in hidden_size=5, not proj_size"], []),
    ("h of another size, projected", nn.LSTM(3, 5, proj_size=2), zeros(7, 2, 3), (zeros(1, 2, 3), zeros(1, 2, 5)), "state-size",
     ["h_0's last dimension must be proj_size=2: build it with 2 features"], []),
    ("c of another size", nn.LSTM(3, 5), zeros(7, 2, 3), (zeros(1, 2, 5), zeros(1, 2, 4)), "state-size",
     ["c_0's last dimension must be hidden_size=5", "c_0 is (1, 2, 4) (expected (1, 2, 5))"], []),
    ("features in dim 1", nn.LSTM(3, 5, batch_first=True), zeros(2, 3, 7), None, "input-size",
     ["Dimension 1 has size 3", "x.movedim(1, -1)", "Otherwise set input_size=7"], []),
    ("features nowhere", nn.LSTM(3, 5), zeros(7, 2, 4), None, "input-size", ["Set input_size=4 when building the LSTM."],
     ["movedim"]),
    ("scalars", nn.LSTM(1, 5), zeros(7), None, "input-dims", ["x.unsqueeze(-1), shape (7, 1)"], []),
    ("one step", nn.LSTM(3, 5), zeros(3), None, "input-dims", ["x.unsqueeze(0) makes it a sequence, shape (1, 3)"], []),
    ("1-D of another size", nn.LSTM(3, 5), zeros(4), None, "input-dims", ["Give it a feature dimension of size input_size."], []),
    ("4-D with a 1", nn.LSTM(3, 5), zeros(7, 2, 1, 3), None, "input-dims", ["Dimension 2 has size 1, x.squeeze(2) removes it"], []),
    ("4-D without a 1", nn.LSTM(3, 5, batch_first=True), zeros(7, 2, 2, 3), None, "input-dims",
     ["x.flatten(0, 1) makes the first two dimensions one batch, shape (14, 2, 3)", "(N, L, H_in) (batch_first=True)", "summary tool"], []),
    ("float64", nn.LSTM(3, 5), zeros(7, 2, 3, dtype=torch.float64), None, "input-dtype",
     ["convert the input with x.float()", "or the module with lstm.to(torch.float64)"], []),
    ("token ids", nn.LSTM(3, 5), zeros(7, 2, 3, dtype=torch.long), None, "input-dtype",
     ["nn.Embedding(num_embeddings, embedding_dim=3)"], []),
    ("float16", nn.LSTM(3, 5), zeros(7, 2, 3, dtype=torch.float16), None, "input-dtype",
     ["convert the input with x.float(), or the module with lstm.to(torch.float16)"], ["x.to("]),
    ("no time steps", nn.LSTM(3, 5, batch_first=True), zeros(2, 0, 3), None, "empty-sequence",
     ["L=0 in dim 1, batch_first=True"], []),
    ("state dtype", nn.LSTM(3, 5), zeros(7, 2, 3), (zeros(1, 2, 5), zeros(1, 2, 5, dtype=torch.float64)), "state-dtype",
     ["c_0 is torch.float64 but the LSTM computes in torch.float32", "c_0.to(torch.float32)"], []),
    ("state device", nn.LSTM(3, 5), zeros(7, 2, 3), (zeros(1, 2, 5), zeros(1, 2, 5, device="meta")), "state-device",
     ["c_0 is on meta but the input is on cpu", "c_0.to(x.device)"], []),
    ("input device", nn.LSTM(3, 5), zeros(7, 2, 3, device="meta"), None, "input-device",
     ["x.to('cpu') or lstm.to('meta')"], []),
    ("unbatched, three states", nn.LSTM(3, 5), zeros(7, 3), (zeros(1, 5),) * 3, "hx-length",
     ["hx has 3 tensors", "silently ignores the others"], []),
    ("a GRU given (h, c)", nn.GRU(3, 5), zeros(7, 2, 3), (zeros(1, 2, 5), zeros(1, 2, 5)), "hx-type",
     ["nn.GRU takes one tensor, hx=h_0 of shape (1, 2, 5)", "A GRU has no cell state c", "pass h alone"], []),
    ("an RNN's state in batch-first order", nn.RNN(3, 5, batch_first=True), zeros(4, 7, 3), zeros(4, 1, 5), "state-batch-first",
     ["h_0 is always (D*num_layers, N, H)", "h_0.transpose(0, 1).contiguous()"], ["c_0"]),
    ("a GRU's 2-D state", nn.GRU(3, 5, num_layers=2), zeros(7, 4, 3), zeros(4, 5), "state-dims",
     ["h_0.unsqueeze(0).repeat(2, 1, 1), the same state for each layer and direction"], ["c_0"]),
    ("a GRU's state of the wrong batch", nn.GRU(3, 5), zeros(7, 2, 3), zeros(1, 3, 5), "state-batch-size",
     ["h_0 is (1, 3, 5) (expected (1, 2, 5))"], []),
    ("a GRU decoder from a bidirectional encoder", nn.GRU(3, 5), zeros(7, 2, 3), zeros(2, 2, 5), "state-layers",
     ["merge the two directions of h_n:", "h_n.view(1, 2, 2, 5).sum(1)"], ["c_n"]),
    ("an RNN's float64 input", nn.RNN(3, 5), zeros(7, 2, 3, dtype=torch.float64), None, "input-dtype",
     ["the RNN's weights are torch.float32", "x.float()"], []),
    ("a sequence given to a GRUCell", nn.GRUCell(3, 5), zeros(7, 2, 3), None, "input-dims",
     ["nn.GRUCell takes one time step", "h = cell(x[t], h)", "nn.GRU(3, 5)"], []),
    ("a sequence given to an LSTMCell", nn.LSTMCell(3, 5), zeros(7, 2, 3), None, "input-dims",
     ["h, c = cell(x[t], (h, c))", "nn.LSTM(3, 5)"], []),
    ("an LSTMCell given h alone", nn.LSTMCell(3, 5), zeros(2, 3), zeros(2, 5), "missing-cell-state",
     ["nn.LSTMCell takes hx=(h, c), a tuple of two tensors of shape (2, 5)"], []),
    ("a GRUCell given (h, c)", nn.GRUCell(3, 5), zeros(2, 3), (zeros(2, 5), zeros(2, 5)), "hx-type",
     ["nn.GRUCell takes one tensor, hx=h of shape (2, 5)"], []),
    ("a cell given a layer's state", nn.RNNCell(3, 5), zeros(2, 3), zeros(1, 2, 5), "state-dims",
     ["a cell takes one of them, e.g. the top layer's last entry, h_n[-1], shape (2, 5)"], []),
    ("a cell's state of another batch", nn.GRUCell(3, 5), zeros(2, 3), zeros(4, 5), "state-batch-size",
     ["h has shape (4, 5) but the input holds N=2 sequences",
     "start each batch from zeros (hx=None) or from x.new_zeros(x.size(0), 5)"], []),
    ("a cell's state of another size", nn.LSTMCell(3, 5), zeros(2, 3), (zeros(2, 5), zeros(2, 6)), "state-size",
     ["c has shape (2, 6): its last dimension must be hidden_size=5"], []),
    ("a cell's input of another size", nn.RNNCell(3, 5, nonlinearity="relu"), zeros(2, 4), None, "input-size",
     ["input (2, 4) has 4 features, but input_size=3"], []),
    ("an unbatched step with a batched state", nn.GRUCell(3, 5), zeros(3), zeros(2, 5), "state-dims",
     ["give the input its batch dimension, x.unsqueeze(0)"], []),
    ("an LSTMCell's unbatched step given one tensor of shape (2, H)", nn.LSTMCell(3, 5), zeros(3), zeros(2, 5), "missing-cell-state",
     ["nn.LSTMCell takes hx=(h, c)", "PyTorch runs, reading hx[0] as h and hx[1] as c."], []),
    ("an LSTMCell's unbatched step given one tensor of shape (1, H)", nn.LSTMCell(3, 5), zeros(3), zeros(1, 5), "missing-cell-state",
     ["nn.LSTMCell takes hx=(h, c)"], ["PyTorch runs"]),
    ("an LSTMCell given three states", nn.LSTMCell(3, 5), zeros(2, 3), (zeros(2, 5),) * 3, "hx-length",
     ["nn.LSTMCell takes exactly two, hx=(h, c)"], []),
    ("a model around a GRU", nn.Sequential(nn.Linear(3, 3), nn.GRU(3, 5)), zeros(7, 2, 3), None, "not-recurrent",
     ["lstm is a torch.nn.modules.container.Sequential", "1 (GRU)", "diagnose(model[1], x, hx)"], []),
    ("not a GRU", nn.Linear(3, 5), zeros(7, 2, 3), None, "not-recurrent",
     ["lstm is a torch.nn.modules.linear.Linear", "It holds no nn.LSTM, nn.GRU, nn.RNN or cell"], ["no cell state"]),
    # Read from the evidence, and each fix keeps what the state holds where it can.
    ("a state cut by DataParallel", nn.LSTM(3, 5, num_layers=2, batch_first=True), zeros(4, 7, 3), (zeros(1, 8, 5),) * 2,
     "state-layers", ["2 times fewer entries and 2 times the sequences, as nn.DataParallel makes it on 2 GPUs",
                      "each GPU gets 1 of them for all 8 sequences, beside its 4 of the input",
                      "x.new_zeros(2, x.size(0), 5) each"], ["drop_last", "h_0[:, :"]),
    ("one entry for two layers", nn.LSTM(3, 5, num_layers=2), zeros(7, 4, 3), (torch.ones(1, 4, 5),) * 2, "state-layers",
     ["h_0.repeat(2, 1, 1) and c_0.repeat(2, 1, 1) give each layer and direction a copy",
      "or build it with a first dimension of 2 (x.new_zeros(2, x.size(1), 5) each for zeros)"], []),
    ("a stray unsqueeze on the state", nn.LSTM(3, 5, num_layers=2), zeros(7, 4, 3), (zeros(1, 2, 4, 5),) * 2, "state-dims",
     ["dimension 0 has size 1, as a stray unsqueeze adds: h_0.squeeze(0) and c_0.squeeze(0) remove it."], ["for a fresh start"]),
    ("an encoder's state into a narrower decoder", nn.LSTM(3, 1), zeros(7, 4, 3), (torch.ones(1, 4, 8),) * 2, "state-size",
     ["This state holds values (an encoder's, or one carried on), so to keep them, build the LSTM with hidden_size=8; or "
      "start from zeros, x.new_zeros(1, x.size(1), 1) each."], []),
    ("a stale state of two layers", nn.LSTM(3, 5, num_layers=2), zeros(7, 2, 3), (zeros(2, 4, 5),) * 2, "state-batch-size",
     ["h_0[:, :2].contiguous() and c_0[:, :2].contiguous() keep the first 2"], []),
    ("batch_size settles the layout", nn.RNN(10, 20, num_layers=2, batch_first=True), zeros(5, 3, 10), zeros(2, 3, 20),
     "state-batch-size", ["The state holds 3 sequences, fewer than the input", "x.new_zeros(2, x.size(0), 20)"],
     ["set batch_first"]),
    ("h_0 alone with twice the entries", nn.LSTM(1, 1, num_layers=2), zeros(1, 1, 1), (zeros(4, 1, 1), zeros(2, 1, 1)),
     "state-layers", ["merge the two directions of h_n: h_n.view(2, 2, 1, 1).sum(1), shape (2, 1, 1)"], ["c_n.view"]),
    ("h_0 alone in batch-first order", nn.LSTM(3, 5, num_layers=3, batch_first=True), zeros(2, 7, 3),
     (zeros(2, 3, 5), zeros(3, 2, 5)), "state-batch-first", ["Pass h_0.transpose(0, 1).contiguous()."], ["c_0.transpose"]),
]


# The batch_size= the caller means, for the calls above where it is given.
BATCH_SIZES = {"batch_size settles the layout": 5, "seed swap, one sequence meant": 1, "seed swap, state for the misread batch": 1,
               "time-major swap, a batch meant": 7}


@pytest.mark.parametrize("name, lstm, x, hx, code, says, never", ADVICE, ids=[a[0] for a in ADVICE])
def test_the_advice_names_the_exact_fix(name, lstm, x, hx, code, says, never):
    found = finding(lstm, x, hx, code, BATCH_SIZES.get(name))
    for words in says:
        assert words in found.message, found.message
    for words in never:
        assert words not in found.message, found.message


FIXED_AS_SAID = [a for a in ADVICE if a[0] in (
    "a state cut by DataParallel", "one entry for two layers", "a stray unsqueeze on the state",
    "an encoder's state into a narrower decoder", "a stale state of two layers", "h_0 alone in batch-first order",
    "h_0 alone with twice the entries")]


@pytest.mark.parametrize("name, lstm, x, hx, code, says, never", FIXED_AS_SAID, ids=[a[0] for a in FIXED_AS_SAID])
def test_the_fix_the_advice_names_runs_clean_and_keeps_the_state_where_it_says(name, lstm, x, hx, code, says, never):
    found = finding(lstm, x, hx, code)
    module, fixed_x, fixed_hx = found.fix.apply(lstm, x, hx)
    assert diagnose(module, fixed_x, fixed_hx) == [] and torch_raises(module, fixed_x, fixed_hx) is None
    if bool((hx[0] == 1).all()):  # a state of ones, as a computed one stands for here
        assert bool((fixed_hx[0] == 1).all()), "the state's values are kept, not replaced by zeros"
    if "Pass h_0.transpose" in found.message:
        assert fixed_hx[1] is hx[1], "c_0 was right: the fix leaves it"


# ---- Severity: a warning or a note is a call PyTorch runs, an error one it refuses; the message says which.
SEVERITIES = [a[:5] for a in ADVICE if a[4] != "state-dtype"]
# A note: shapes alone cannot tell whether the call means what the caller meant, and no batch_size= settles it.
NOTES = ("seed swap",)
WARNINGS = ("not-recurrent", "hx-length", "batch-first-swap", "time-major-swap")


@pytest.mark.parametrize("name, lstm, x, hx, code", SEVERITIES, ids=[a[0] for a in SEVERITIES])
def test_the_severity_says_whether_pytorch_runs_the_call(name, lstm, x, hx, code):
    found = finding(lstm, x, hx, code, BATCH_SIZES.get(name))
    runs = torch_raises(lstm, x, hx) is None
    warns = code in WARNINGS and (runs or code != "hx-length") or (code == "missing-cell-state" and runs)
    expected = "note" if name in NOTES else "warning" if warns else "error"
    assert found.severity == expected
    if unchecked_by_torch(code, hx, lstm):  # PyTorch < 2.3 runs it on garbage (oneDNN) or fails in a matrix product
        assert found.pytorch_error is None and found.message.endswith(UNCHECKED_NOTE), found.message
        error = torch_raises(lstm, x, hx)
        assert error is None or (error.startswith("RuntimeError: ") and "input" not in error), "a matrix product's error"
    elif expected == "error" and code not in ("input-device",):
        assert not runs, "an error is a call PyTorch refuses"
    if expected in ("warning", "note") and code != "not-recurrent":  # a Linear takes no hx: not a call of the family
        assert runs, "a warning or a note is a call PyTorch runs"
        assert found.pytorch_error is None and "PyTorch raises " not in found.message.replace("PyTorch raises nothing", "")
    if found.pytorch_error:
        assert found.message.endswith(f"PyTorch raises {found.pytorch_error}") and found.severity == "error"


def test_the_seed_swap_is_a_note_until_batch_size_settles_it(capsys):
    """(7, 1, 3) with batch_first=True runs: loop mode (7 sequences) or the seed's mistake (one sequence); batch_size says which."""
    lstm, x = nn.LSTM(3, 5, batch_first=True), zeros(7, 1, 3)
    assert torch_raises(lstm, x) is None, "PyTorch runs it either way"
    assert [(f.code, f.severity) for f in diagnose(lstm, x)] == [("batch-first-swap", "note")]
    (one,) = diagnose(lstm, x, batch_size=1)
    assert (one.code, one.severity) == ("batch-first-swap", "warning")
    assert "Set batch_first=False, or pass x.transpose(0, 1), shape (1, 7, 3)" in one.message
    assert diagnose(lstm, x, batch_size=7) == [], "loop mode: seven sequences of one step each"
    fixed = lstm(x.transpose(0, 1))[0]
    assert tuple(fixed.shape) == (1, 7, 5), "the fix it names reads one sequence of seven steps"
    argv = ["diagnose", "--input-size", "3", "--hidden-size", "5", "--batch-first", "--input-shape", "7,1,3"]
    assert main(argv) == 0, "a note alone leaves the status at 0"
    assert "note [batch-first-swap]" in capsys.readouterr().out
    assert main([*argv, "--batch-size", "1"]) == 1, "a warning makes it 1"
    out = capsys.readouterr().out
    assert "warning [batch-first-swap]" in out and out.rstrip().endswith("0 errors, 1 warning, 0 notes")
    assert main([*argv, "--batch-size", "7"]) == 0 and "No findings." in capsys.readouterr().out


def test_the_order_of_checks_when_the_first_error_is_not_quoted():
    """State device (quoted) before input device before state dtype (never quoted): nn.LSTM's kernel order."""
    lstm, x = nn.LSTM(3, 5), zeros(7, 2, 3, device="meta")
    hx = (zeros(1, 2, 5, dtype=torch.float64), zeros(1, 2, 5))
    assert [f.code for f in diagnose(lstm, x, hx)] == ["state-device", "input-device", "state-dtype"]
    assert diagnose(lstm, x, hx)[0].pytorch_error == torch_raises(lstm, x, hx)
    cpu = zeros(7, 2, 3)
    assert [f.code for f in diagnose(lstm, cpu, hx)] == ["state-dtype"]
    assert diagnose(lstm, cpu, hx)[0].pytorch_error is None and torch_raises(lstm, cpu, hx) is not None


def test_padding_is_reported_only_when_some_sequences_are_shorter():
    x = torch.ones(3, 7, 3)  # (N, L, H_in)
    x[1, 4:] = 0
    x[2, 2:] = 0
    found = finding(nn.LSTM(3, 5, batch_first=True), x, code="padded-input")
    assert found.severity == "warning" and found.message.startswith("sequences [1, 2] end in all-zero steps")
    assert "pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False)" in found.message
    time_major = finding(nn.LSTM(3, 5), x.transpose(0, 1).contiguous(), code="padded-input")
    assert "batch_first=False, enforce_sorted=False" in time_major.message
    assert diagnose(nn.LSTM(3, 5, batch_first=True), torch.ones(3, 7, 3)) == [], "no sequence padded"
    assert diagnose(nn.LSTM(3, 5, batch_first=True), torch.zeros(3, 7, 3)) == [], "all zero: nothing to tell apart"
    many = torch.ones(8, 4, 3)
    many[1:, 3:] = 0
    assert "sequences [1, 2, 3, 4, 5]... end" in finding(nn.LSTM(3, 5, batch_first=True), many, code="padded-input").message


def real_looking_batches() -> dict:
    """Returns unpadded batches (N, L, H_in) whose zeros are data: each ends in all-zero steps in some sequences only."""
    g = torch.Generator().manual_seed(0)
    counts = torch.poisson(torch.full((6, 30, 1), 0.8), generator=g)  # daily counts: zero days anywhere
    counts[0, -3:] = 0  # ...and at the end of one series
    counts[1, -1:] = 0
    relu = torch.relu(torch.randn(6, 20, 8, generator=g))  # features after a ReLU: half the values are 0
    relu[2, -2:] = 0
    onehot = torch.nn.functional.one_hot(torch.randint(0, 10, (6, 12), generator=g), 10).float()  # 90% zeros
    onehot[3, -4:] = 0  # an "unknown" category coded as all zeros, at the end
    return {"counts": counts, "relu features": relu, "one-hot": onehot}


@pytest.mark.parametrize("name", list(real_looking_batches()))
def test_real_data_whose_zeros_are_data_is_never_warned_as_padding(name):
    x = real_looking_batches()[name]
    found = [f for f in diagnose(nn.LSTM(x.shape[-1], 5, batch_first=True), x) if f.code == "padded-input"]
    assert [f.severity for f in found] == ["note"], found  # a note at most: "if they are padding, pack them"
    assert "may be real data" in found[0].message and "pack_padded_sequence" in found[0].message


def test_padding_with_a_few_zeros_in_the_real_steps_is_still_padding():
    g = torch.Generator().manual_seed(1)
    x = torch.randn(4, 10, 5, generator=g)  # (N, L, H_in)
    x[0, 0, 0] = 0  # one exact zero among the real values
    x[1, 6:] = 0
    x[3, 8:] = 0
    found = finding(nn.LSTM(5, 5, batch_first=True), x, code="padded-input")
    assert found.severity == "warning" and found.message.startswith("sequences [1, 3] end in all-zero steps: zero padding.")


# ---- hx in every form a user passes: what diagnose says it is, and what PyTorch raises for it.
HX_FORMS = [
    ("one tensor", zeros(1, 2, 5), "missing-cell-state", "hx is a single tensor of shape (1, 2, 5): "),
    ("one tensor, 3 rows", zeros(2, 2, 5), "missing-cell-state", "hx is a single tensor of shape (2, 2, 5): "),
    ("a list of one", [zeros(1, 2, 5)], "missing-cell-state", "hx is a list of 1 tensor(s): "),
    ("(h, None)", (zeros(1, 2, 5), None), "missing-cell-state", "hx is (Tensor, NoneType): "),
    ("(None, None)", (None, None), "state-type", "hx is (NoneType, NoneType): "),
    ("an int", 5, "hx-type", "hx is an int: "),
    ("a dict", {0: 1}, "hx-type", "hx is a dict: "),
    ("three tensors", (zeros(1, 2, 5),) * 3, "hx-length", "hx has 3 tensors: nn.LSTM takes exactly two, hx=(h_0, c_0)."),
]


@pytest.mark.parametrize("name, hx, code, says", HX_FORMS, ids=[h[0] for h in HX_FORMS])
def test_every_form_of_hx(name, hx, code, says):
    lstm, x = nn.LSTM(3, 5), zeros(7, 2, 3)
    (found,) = diagnose(lstm, x, hx)
    assert (found.code, found.severity) == (code, "error")
    assert found.message.startswith(says), found.message
    assert found.pytorch_error == torch_raises(lstm, x, hx), "the error quoted is the one PyTorch raises"
    if code == "missing-cell-state":
        advice = "(when you carry the state, the c_n returned with that h_n; hx=(h_0, torch.zeros_like(h_0)) only for a fresh start)"
        assert f"with c_0 of shape (1, 2, 5) {advice}" in found.message
    if code in ("state-type", "hx-type"):
        assert "h_0 of shape (1, 2, 5) and c_0 of shape (1, 2, 5), or hx=None for zeros." in found.message


def test_one_tensor_of_the_wrong_size_with_unbatched_input_is_refused():
    lstm, x, hx = nn.LSTM(3, 5), zeros(7, 3), zeros(2, 1, 4)
    assert torch_raises(lstm, x, hx) == "RuntimeError: Expected hidden[0] size (1, 1, 5), got [1, 1, 4]"
    (found,) = diagnose(lstm, x, hx)
    assert (found.code, found.severity) == ("missing-cell-state", "error")
    assert found.message.endswith("PyTorch reads hx[0] as h_0 and hx[1] as c_0, and rejects them.")
    assert "c_0 of shape (1, 5)" in found.message, "unbatched: the shape as the user writes it"


def test_a_packed_sequence_is_checked_as_the_time_major_batch_it_packs():
    from torch.nn.utils.rnn import PackedSequence, pack_padded_sequence

    from lstm_explained.diagnosis import PACKED_NOTE

    packed = pack_padded_sequence(torch.randn(2, 5, 4), [5, 3], batch_first=True)  # 4 features for input_size=3
    lstm = nn.LSTM(3, 5, batch_first=True)  # batch_first does not apply to the packed data
    (found,) = diagnose(lstm, packed, (zeros(1, 2, 5),) * 2)
    assert (found.code, found.severity, found.pytorch_error) == ("input-size", "error", None)
    assert found.message.startswith("input (5, 2, 4) has 4 features") and found.message.endswith(PACKED_NOTE)
    (rows,) = diagnose(lstm, pack_padded_sequence(torch.randn(2, 5, 3), [5, 3], batch_first=True), (zeros(2, 2, 5),) * 2)
    assert rows.code == "state-layers" and "(expected (1, 2, 5))" in rows.message and rows.message.endswith(PACKED_NOTE)
    assert diagnose(lstm, pack_padded_sequence(torch.randn(2, 5, 3), [5, 3], batch_first=True), (zeros(1, 2, 5),) * 2) == []
    (dims,) = diagnose(lstm, PackedSequence(torch.zeros(4, 2, 3), torch.tensor([2, 2])))
    assert (dims.code, dims.severity) == ("input-dims", "error")
    assert dims.message == "the PackedSequence's data is 3-D: build it with pack_padded_sequence or pack_sequence."
    assert PACKED_NOTE.startswith(" (With a PackedSequence, nn.LSTM checks none of this itself")


def test_shapes_stand_for_tensors_zero_sizes_included():
    cfg = LSTMConfig(3, 5)
    assert [f.code for f in diagnose(cfg, (0, 2, 3))] == ["empty-sequence"], "a 0 in a shape is a size, not a mistake"
    assert diagnose(cfg, (7, 0, 3), ((1, 0, 5), (1, 0, 5))) == []
    assert diagnose(cfg, torch.zeros(7, 2, 3)) == [], "a config has no device to compare"
    (single,) = diagnose(cfg, (7, 2, 3), (1, 2, 5))
    assert single.pytorch_error == torch_raises(nn.LSTM(3, 5), zeros(7, 2, 3), zeros(1, 2, 5))
    (four,) = diagnose(cfg, (7, 2, 3), (2, 1, 2, 5))
    assert four.message.endswith("then its kernel raises TypeError: it takes a tuple, not one tensor.")


@pytest.mark.parametrize("name, lstm, x, hx, code, says, never", [a for a in ADVICE if a[4] in ("input-size", "input-dtype")],
                         ids=[a[0] for a in ADVICE if a[4] in ("input-size", "input-dtype")])
def test_the_quote_follows_the_advice_directly(name, lstm, x, hx, code, says, never):
    found = finding(lstm, x, hx, code)
    if unchecked_by_torch(code, hx, lstm):  # PyTorch < 2.3 makes no such check here: nothing to quote, the note instead
        assert found.pytorch_error is None and " PyTorch raises " not in found.message
        advice = found.message.removesuffix(UNCHECKED_NOTE)
        assert advice != found.message and advice.endswith("."), found.message
        return
    advice, quote = found.message.split(" PyTorch raises ")
    assert advice.endswith(".") and quote == found.pytorch_error


@pytest.mark.parametrize(
    "module, input_shape, hx_shapes, batch_size",
    [
        (nn.LSTM(3, 5), (7, 1, 3), ((1, 1, 4), (1, 1, 5)), 7),  # the warning: h's last size is wrong
        (nn.LSTM(3, 5, batch_first=True), (7, 1, 3), ((1, 7, 4), (1, 7, 5)), None),  # the note: the same
    ],
    ids=["time-major swap", "seed note"],
)
def test_a_swap_says_pytorch_is_silent_only_when_it_is(module, input_shape, hx_shapes, batch_size):
    """'PyTorch raises nothing' is said only of a state of exactly the misread batch's shapes: here PyTorch raises."""
    hx = tuple(torch.zeros(shape) for shape in hx_shapes)
    with pytest.raises(RuntimeError, match=r"Expected hidden\[0\] size"):
        module(torch.zeros(input_shape), hx)
    findings = diagnose(module, torch.zeros(input_shape), hx, batch_size=batch_size)
    assert any(f.severity == "error" for f in findings)
    assert not any("raises nothing" in f.message for f in findings), [f.message for f in findings]
    fitting = tuple(torch.zeros(shape[:2] + (5,)) for shape in hx_shapes)  # the same batch, the right sizes
    module(torch.zeros(input_shape), fitting)
    said = [f.message for f in diagnose(module, torch.zeros(input_shape), fitting, batch_size=batch_size)]
    assert said and all("raises nothing" in message for message in said), said


# ---- Written for the hand-made mutants that survived an audit: each pins a fix the words and the data must agree on.
@pytest.mark.parametrize("batch_first, dim", [(False, 0), (True, 1)])
def test_one_time_step_given_2d_with_its_batch_size_gets_its_time_dimension(batch_first, dim):
    lstm = nn.LSTM(3, 5, batch_first=batch_first)
    (found,) = diagnose(lstm, zeros(4, 3), batch_size=4)
    assert found.message.endswith(f"As one time step of 4 sequences: x.unsqueeze({dim}).")
    module, x, hx = found.fix.apply(lstm, zeros(4, 3))
    assert x.shape == ((4, 1, 3) if batch_first else (1, 4, 3)) and diagnose(module, x, hx, batch_size=4) == []


def test_the_dimension_a_4d_input_is_told_to_lose_is_the_one_its_fix_squeezes():
    lstm = nn.LSTM(3, 5)
    (found,) = diagnose(lstm, zeros(1, 7, 1, 3))
    assert "Dimension 0 has size 1," in found.message and "x.squeeze(0) removes it" in found.message
    assert found.fix.input == (("squeeze", 0),) and found.fix.apply(lstm, zeros(1, 7, 1, 3))[1].shape == (7, 1, 3)


def test_token_ids_quote_the_first_error_pytorch_raises():
    lstm, ids = nn.LSTM(3, 5), zeros(7, 2, dtype=torch.long)
    (found,) = diagnose(lstm, ids)
    assert found.code == "input-dtype"
    if unchecked_by_torch("input-dtype", None, lstm):  # 2.1 and 2.2 check nothing without a state: nothing to quote
        assert found.pytorch_error is None and torch_raises(lstm, ids) is not None
    else:
        assert found.pytorch_error == torch_raises(lstm, ids) is not None


def test_c_0_of_another_width_beside_a_projected_h_0_is_told_hidden_size():
    lstm = nn.LSTM(3, 5, proj_size=2)
    found = finding(lstm, zeros(7, 2, 3), (zeros(1, 2, 2), zeros(1, 2, 4)), "state-size")
    assert "c_0's last dimension must be hidden_size=5: build it with 5 features" in found.message
    assert "proj_size" not in found.message.split(" PyTorch raises")[0]
