"""Every container a state may come in, given to every module of the family: diagnose gives PyTorch's own outcome.

PyTorch reads ``hx`` without checking its type first, so each container fails where its forward first
touches it (``hx[0]``, ``hx[1]``, ``hx.dim()``) or in the kernel; the real call says which, on the installed release.
"""

from __future__ import annotations

import pytest
import torch
from torch import nn
from torch_calls import torch_raises

from lstm_explained import diagnose

SEQUENCE_MODULES = {"LSTM": nn.LSTM, "GRU": nn.GRU, "RNN": nn.RNN}
CELLS = {"LSTMCell": nn.LSTMCell, "GRUCell": nn.GRUCell, "RNNCell": nn.RNNCell}


def containers(h: torch.Tensor, c: torch.Tensor) -> dict:
    """Returns each way of passing a state, by name: the right ones, and the ones people try."""
    return {
        "None": None, "h": h, "(h, c)": (h, c), "[h, c]": [h, c], "()": (), "[]": [], "(h,)": (h,), "[h]": [h],
        "(None,)": (None,), "(h, None)": (h, None), "(None, None)": (None, None), "(h, c, c)": (h, c, c),
        "([h], c)": ([h], c), "{'h': h, 'c': c} ": {"h": h, "c": c}, "3": 3,
    }


def outcome(findings) -> str:
    """Returns the first error's PyTorch line, "unworded" for an error whose wording varies, or "runs"."""
    errors = [f for f in findings if f.severity == "error"]
    return (errors[0].pytorch_error or "unworded") if errors else "runs"


def cases():
    torch.manual_seed(0)
    layouts = {  # the input, and the shape of h and c for it
        "batched": (torch.zeros(7, 4, 3), (1, 4, 5)),  # (L, N, H_in), states (D*num_layers, N, H_out)
        "unbatched": (torch.zeros(7, 3), (1, 5)),  # (L, H_in), states (D*num_layers, H_out)
        "cell": (torch.zeros(4, 3), (4, 5)),  # (N, H_in), states (N, H)
        "cell-unbatched": (torch.zeros(3), (5,)),  # (H_in,), states (H,)
    }
    for name, make in {**SEQUENCE_MODULES, **CELLS}.items():
        for layout, (x, state_shape) in layouts.items():
            if layout.startswith("cell") != (name in CELLS):
                continue
            for given, hx in containers(torch.zeros(state_shape), torch.zeros(state_shape)).items():
                yield pytest.param(make, x, hx, id=f"{name}-{layout}-{given.strip()}")


@pytest.mark.parametrize("make, x, hx", list(cases()))
def test_each_container_gets_pytorchs_own_outcome(make, x, hx):
    module = make(3, 5)
    raised = torch_raises(module, x, hx)
    got = outcome(diagnose(module, x, hx))
    if raised is None:
        assert got == "runs"
    elif got != "unworded":
        assert got == raised
    else:  # an LSTMCell given one tensor: the kernel's TypeError names an argument position that varies by release
        assert make is nn.LSTMCell and isinstance(hx, torch.Tensor) and raised.startswith("TypeError")


def test_an_empty_tuple_is_a_container_and_torch_size_of_nothing_a_0d_shape():
    lstm = nn.LSTM(3, 5)
    assert outcome(diagnose(lstm, (7, 4, 3), ())) == "IndexError: tuple index out of range"
    assert outcome(diagnose(nn.GRU(3, 5), (7, 4, 3), torch.Size([]))) == outcome(diagnose(nn.GRU(3, 5), (7, 4, 3), torch.zeros(())))


@pytest.mark.parametrize("make", list(CELLS.values()), ids=list(CELLS))
def test_a_1d_state_as_long_as_the_batch_gets_the_kernels_own_words(make):
    """A batch of 5 with a 1-D state of 5 values: the kernel's batch check compares 5 with 5, then it reads size(1).

    PyTorch before 2.15 raises an IndexError for that size(1); from 2.15 it refuses the 1-D state first.
    """
    cell = make(3, 5)
    h = torch.zeros(5)  # (H,): built for one unbatched step
    hx = (h, torch.zeros(5, 5)) if make is nn.LSTMCell else h
    raised = torch_raises(cell, torch.zeros(5, 3), hx)
    assert raised is not None and outcome(diagnose(cell, torch.zeros(5, 3), hx)) == raised
