"""What each finding promises: its severity says whether PyTorch runs the call, its advice names the exact fix.

test_diagnose.py checks the codes against real calls; this file pins down the rest of each
finding: the severity, the words "runs" and "raises", the value the advice tells the user to
set, and which finding comes first when PyTorch quotes nothing.
"""

from __future__ import annotations

import warnings

import torch
from torch import nn

from lstm_explained import LSTMConfig, diagnose
from lstm_explained.cli import main
from lstm_explained.pytorch_errors import describe


def raised(lstm, x, hx=None):
    """Returns what the real call raises, as "ExceptionType: message", or None when it runs."""
    try:
        with torch.no_grad(), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            lstm(x, hx)
    except Exception as exc:
        return describe(exc)
    return None


# ---- The bug: one 4-D tensor as hx with batched input is read as (hx[0], hx[1]) by the checks, then refused.

def test_a_single_4d_state_with_batched_input_is_an_error():
    lstm, x, hx = nn.LSTM(3, 5), torch.zeros(7, 2, 3), torch.zeros(2, 1, 2, 5)
    assert raised(lstm, x, hx).startswith("TypeError: "), "PyTorch's kernel takes a tuple, not one tensor"
    (finding,) = diagnose(lstm, x, hx)
    assert (finding.code, finding.severity) == ("missing-cell-state", "error")
    assert "PyTorch runs" not in finding.message and "TypeError" in finding.message
    (by_shape,) = diagnose(LSTMConfig(3, 5), (7, 2, 3), (2, 1, 2, 5))
    assert (by_shape.code, by_shape.severity) == ("missing-cell-state", "error")


def test_a_single_3d_state_with_unbatched_input_runs_and_warns():
    lstm, x, hx = nn.LSTM(3, 5), torch.zeros(7, 3), torch.zeros(2, 1, 5)
    assert raised(lstm, x, hx) is None, "unbatched input rebuilds hx as (hx[0], hx[1])"
    (finding,) = diagnose(lstm, x, hx)
    assert (finding.code, finding.severity) == ("missing-cell-state", "warning")
    assert finding.message.endswith("PyTorch runs, reading hx[0] as h_0 and hx[1] as c_0.")


def test_the_command_reports_the_4d_state_as_an_error(capsys):
    status = main(["diagnose", "--input-size", "3", "--hidden-size", "5", "--input-shape", "7,2,3", "--hx-shape", "2,1,2,5"])
    out = capsys.readouterr().out
    assert status == 1
    assert "error [missing-cell-state]" in out and out.rstrip().endswith("1 error, 0 warnings")
