"""diagnose on GRU, RNN and the cells, and on what is none of them: each message in full, where a substring would pass for wrong advice.

Every error that quotes PyTorch quotes what the real call raises (test_the_quoted_error_is_what_the_call_raises).
"""

from __future__ import annotations

import numpy as np
import pytest
import torch
from torch import nn
from torch_calls import torch_raises

from lstm_explained import diagnose
from lstm_explained.pytorch_errors import checks_cell_state_dims

z = torch.zeros


class LSTM(nn.Module):
    """A user's own class named LSTM: not torch.nn.LSTM."""


FAMILY_WORDS = (
    "diagnose checks one call of nn.LSTM, nn.GRU, nn.RNN, nn.LSTMCell, nn.GRUCell or nn.RNNCell (or a RecurrentConfig), not this."
)

def takes_pair(shape) -> str:
    """Returns what every finding about an LSTMCell's state container says first."""
    return (f"nn.LSTMCell takes hx=(h, c), a tuple of two tensors of shape {shape}, or hx=None for zeros. It returns the pair "
            "(h, c): carry both to the next step.")


# From PyTorch 2.15 a cell's kernel refuses a state that is not 2-D before comparing sizes, in its own words.
KERNEL_2D = checks_cell_state_dims()

CASES = [
    ("a GRU given (h, c)", nn.GRU(3, 5), z(7, 2, 3), (z(1, 2, 5), z(1, 2, 5)), "error", "hx-type",
     "hx is a tuple of 2 items: nn.GRU takes one tensor, hx=h_0 of shape (1, 2, 5), or hx=None for zeros. A GRU has no cell "
     "state c: where the (h, c) pair comes from an LSTM, or from code written for one, pass h alone. PyTorch raises "
     "AttributeError: 'tuple' object has no attribute 'dim'"),
    ("an RNN's 2-D state with a batch", nn.RNN(3, 5, num_layers=2), z(7, 4, 3), z(4, 5), "error", "state-dims",
     "h_0 has 2 dimensions, but batched 3-D input (7, 4, 3) takes a 3-D state of shape (2, 4, 5): add the dimension of layers "
     "and directions in front: h_0.unsqueeze(0).repeat(2, 1, 1), the same state for each layer and direction (or build one "
     "for each). PyTorch raises RuntimeError: For batched 3-D input, hx should also be 3-D but got 2-D tensor"),
    ("a GRU's 3-D state with an unbatched sequence", nn.GRU(3, 5), z(7, 3), z(1, 1, 5), "error", "state-dims",
     "h_0 has 3 dimensions, but unbatched 2-D input (7, 3) takes a 2-D state of shape (1, 5): the state is for one sequence: "
     "give the input its batch dimension, x.unsqueeze(1), shape (7, 1, 3). PyTorch raises "
     "RuntimeError: For unbatched 2-D input, hx should also be 2-D but got 3-D tensor"),
    ("a GRU's 2-D time step with a 3-D state", nn.GRU(3, 5), z(4, 3), z(1, 4, 5), "error", "state-dims",
     "h_0 has 3 dimensions, but unbatched 2-D input (4, 3) takes a 2-D state of shape (1, 5): the state holds 4 sequences, "
     "as many as the input's first dimension: the input is one time step of 4 sequences. Give it its time dimension, "
     "x.unsqueeze(0), shape (1, 4, 3), or step with nn.GRUCell, which takes one time step (N, H_in). PyTorch raises "
     "RuntimeError: For unbatched 2-D input, hx should also be 2-D but got 3-D tensor"),
    ("a GRU's state for another batch", nn.GRU(3, 5, batch_first=True), z(2, 7, 3), z(1, 3, 5), "error", "state-batch-size",
     "h_0 is (1, 3, 5) (expected (1, 2, 5)): dim 1 is the batch, and the input (2, 7, 3) holds N=2 sequences with "
     "batch_first=True. The state holds 3 sequences, more than the input: one kept from a larger batch does this (a "
     "DataLoader's smaller last batch, or a training state reused to predict). Start each new batch from zeros (hx=None) or "
     "pass drop_last=True to the DataLoader; to go on with the same sequences, h_0[:, :2] keeps the first 2. PyTorch raises "
     "RuntimeError: Expected hidden size (1, 2, 5), got [1, 3, 5]"),
    ("a GRU's state built for one sequence", nn.GRU(3, 5, batch_first=True), z(8, 7, 3), z(1, 1, 5), "error", "state-batch-size",
     "h_0 is (1, 1, 5) (expected (1, 8, 5)): dim 1 is the batch, and the input (8, 7, 3) holds N=8 sequences with "
     "batch_first=True. The state holds 1 sequence, fewer than the input: one built for a fixed batch size does this. "
     "Build it from the input's batch inside forward, x.new_zeros(1, x.size(0), 5), or pass hx=None for zeros. PyTorch raises "
     "RuntimeError: Expected hidden size (1, 8, 5), got [1, 1, 5]"),
    ("a GRU's float64 state", nn.GRU(3, 5), z(7, 2, 3), z(1, 2, 5, dtype=torch.float64), "error", "state-dtype",
     "h_0 is torch.float64 but the GRU computes in torch.float32: convert it with h_0.to(torch.float32). PyTorch fails "
     "inside its kernel, with a message that depends on the backend and does not name the state."),
    ("a GRU's state on another device", nn.GRU(3, 5), z(7, 2, 3), z(1, 2, 5, device="meta"), "error", "state-device",
     "h_0 is on meta but the input is on cpu: move the state with h_0.to(x.device), or create it with device=x.device. "
     "PyTorch raises RuntimeError: Input and hidden tensors are not at the same device, found input tensor at cpu and "
     "hidden tensor at meta"),
    ("an RNN's input on another device", nn.RNN(3, 5), z(7, 2, 3, device="meta"), None, "error", "input-device",
     "input is on meta but the RNN's parameters are on cpu: move one to the other, x.to('cpu') or rnn.to('meta'). PyTorch "
     "raises RuntimeError: Input and parameter tensors are not at the same device, found input tensor at meta and "
     "parameter tensor at cpu"),
    ("a NumPy array to an RNN", nn.RNN(3, 5), np.zeros((7, 2, 3)), None, "error", "input-type",
     "input is an ndarray: nn.RNN takes a torch.Tensor or a PackedSequence. Convert it with torch.from_numpy(input).float() "
     "(NumPy float arrays are float64 by default; the RNN's weights are float32). PyTorch raises AttributeError: "
     "'numpy.ndarray' object has no attribute 'dim'"),
    ("a list to a GRUCell", nn.GRUCell(3, 5), [[0.0, 1.0, 2.0]], None, "error", "input-type",
     "input is a list: nn.GRUCell takes a torch.Tensor. Convert it with torch.as_tensor(input, dtype=torch.float32). "
     "PyTorch raises AttributeError: 'list' object has no attribute 'dim'"),
    ("a 4-D input to a GRUCell", nn.GRUCell(3, 5), z(4, 2, 1, 3), None, "error", "input-dims",
     "input has shape (4, 2, 1, 3), 4-D: nn.GRUCell takes one time step, (N, H_in) or (H_in,) unbatched, with H_in = "
     "input_size = 3. PyTorch raises ValueError: GRUCell: Expected input to be 1D or 2D, got 4D instead"),
    ("a float64 step to a GRUCell", nn.GRUCell(3, 5), z(2, 3, dtype=torch.float64), None, "error", "input-dtype",
     "input is torch.float64 but the GRUCell's weights are torch.float32: convert the input with x.to(torch.float32), or "
     "the cell with cell.to(torch.float64) if it should compute in torch.float64. PyTorch fails in a matrix product."),
    ("an LSTMCell's float64 c", nn.LSTMCell(3, 5), z(2, 3), (z(2, 5), z(2, 5, dtype=torch.float64)), "warning", "state-dtype",
     "c is torch.float64 but the cell computes in torch.float32: convert it with c.to(torch.float32). PyTorch runs this step, "
     "since c enters only elementwise products, and returns h' and c' in torch.float64: the next step then fails in a matrix "
     "product."),
    ("an LSTMCell's float16 c", nn.LSTMCell(3, 5), z(2, 3), (z(2, 5), z(2, 5, dtype=torch.float16)), "warning", "state-dtype",
     "c is torch.float16 but the cell computes in torch.float32: convert it with c.to(torch.float32). PyTorch runs this step, "
     "since c enters only elementwise products, and returns h' and c' in torch.float32."),
    ("a GRUCell's float64 h", nn.GRUCell(3, 5), z(2, 3), z(2, 5, dtype=torch.float64), "error", "state-dtype",
     "h is torch.float64 but the cell computes in torch.float32: convert it with h.to(torch.float32). PyTorch fails in a "
     "matrix product."),
    ("a step on another device than an RNNCell", nn.RNNCell(3, 5), z(2, 3, device="meta"), None, "error", "input-device",
     "input is on meta but the RNNCell's parameters are on cpu: move it with x.to('cpu'), or the cell with cell.to('meta')."),
    ("a GRUCell's state on another device", nn.GRUCell(3, 5), z(2, 3), z(2, 5, device="meta"), "error", "state-device",
     "h is on meta but the GRUCell's parameters are on cpu: move it with h.to('cpu'), or the cell with cell.to('meta')."),
    ("an LSTMCell given a layer's h", nn.LSTMCell(3, 5), z(2, 3), (z(1, 2, 5), z(2, 5)), "error", "state-dims",
     "hx[0] has shape (1, 2, 5): nn.LSTMCell takes hx=(h, c), each of shape (2, 5). PyTorch raises ValueError: LSTMCell: "
     "Expected hx[0] to be 1D or 2D, got 3D instead"),
    ("a batch step with an unbatched state", nn.GRUCell(3, 5), z(2, 3), z(5), "error", "state-dims",
     "input (2, 3) and state (5,) differ in dimensions: one time step of N=2 sequences takes a 2-D state of shape (2, 5): "
     "h.unsqueeze(0).expand(2, -1) gives each sequence the same state. PyTorch raises "
     + ("RuntimeError: Expected 2D hidden0 (batch x hidden_size), but got 1D tensor" if KERNEL_2D
        else "RuntimeError: Input batch size 2 doesn't match hidden0 batch size 5")),
    ("an LSTMCell given h alone with a batch", nn.LSTMCell(3, 5), z(2, 3), z(2, 5), "error", "missing-cell-state",
     "hx is a single tensor of shape (2, 5): " + takes_pair((2, 5)) + " For a fresh start, hx=(h, torch.zeros_like(h))."),
    ("an LSTMCell's unbatched step given one tensor of shape (2, H)", nn.LSTMCell(3, 5), z(3), z(2, 5), "warning",
     "missing-cell-state",
     "hx is a single tensor of shape (2, 5): " + takes_pair((5,)) + " PyTorch runs, reading hx[0] as h and hx[1] as c."),
    ("an LSTMCell's unbatched step given one tensor of shape (1, H)", nn.LSTMCell(3, 5), z(3), z(1, 5), "error",
     "missing-cell-state", "hx is a single tensor of shape (1, 5): " + takes_pair((5,)) + " PyTorch raises IndexError: index 1 is "
     "out of bounds for dimension 0 with size 1"),
    ("an LSTMCell's unbatched step given one tensor of another size", nn.LSTMCell(3, 5), z(3), z(2, 4), "error",
     "missing-cell-state", "hx is a single tensor of shape (2, 4): " + takes_pair((5,)) + " For a fresh start, h and c are "
     "x.new_zeros(5) each. PyTorch raises RuntimeError: hidden0 "
     "has inconsistent hidden_size: got 4, expected 5"),
    ("an LSTMCell given a tuple of one tensor with a batch", nn.LSTMCell(3, 5), z(2, 3), (z(2, 5),), "error", "missing-cell-state",
     "hx is a tuple of 1 tensor(s): " + takes_pair((2, 5)) + " PyTorch raises RuntimeError: lstm_cell expects two hidden states"),
    ("an LSTMCell given a layer's c", nn.LSTMCell(3, 5), z(2, 3), (z(2, 5), z(1, 2, 5)), "error", "state-dims",
     "hx[1] has shape (1, 2, 5): nn.LSTMCell takes hx=(h, c), each of shape (2, 5). PyTorch raises ValueError: LSTMCell: "
     "Expected hx[1] to be 1D or 2D, got 3D instead"),
    ("an LSTMCell given one 4-D tensor", nn.LSTMCell(3, 5), z(2, 3), z(3, 2, 2, 5), "error", "state-dims",
     "hx[0] has shape (2, 2, 5): nn.LSTMCell takes hx=(h, c), each of shape (2, 5). PyTorch raises ValueError: LSTMCell: "
     "Expected hx[0] to be 1D or 2D, got 3D instead"),
    ("an LSTMCell given three states", nn.LSTMCell(3, 5), z(2, 3), (z(2, 5),) * 3, "error", "hx-length",
     "hx has 3 tensors: nn.LSTMCell takes exactly two, hx=(h, c). PyTorch raises RuntimeError: lstm_cell expects two hidden states"),
    ("a GRUCell's input of another size", nn.GRUCell(3, 5), z(2, 4), None, "error", "input-size",
     "input (2, 4) has 4 features, but input_size=3: set input_size=4, or fix the input. PyTorch raises RuntimeError: input "
     "has inconsistent input_size: got 4 expected 3"),
    ("a GRUCell's state of another size", nn.GRUCell(3, 5), z(2, 3), z(2, 6), "error", "state-size",
     "h has shape (2, 6): its last dimension must be hidden_size=5, shape (2, 5) (x.new_zeros(x.size(0), 5) for zeros). "
     "PyTorch raises RuntimeError: hidden0 has "
     "inconsistent hidden_size: got 6, expected 5"),
    ("a sequence given to a relu RNNCell without bias", nn.RNNCell(3, 5, nonlinearity="relu", bias=False), z(7, 2, 3), None,
     "error", "input-dims",
     "input has shape (7, 2, 3), 3-D: nn.RNNCell takes one time step, (N, H_in) or (H_in,) unbatched, with H_in = input_size "
     "= 3. A whole sequence (L, N, H_in) goes through the cell one step at a time: for t in range(x.size(0)): h = cell(x[t], "
     "h). Or use nn.RNN(3, 5, bias=False, nonlinearity='relu'), which takes the whole sequence at once (its weights have the "
     "same shapes). PyTorch raises ValueError: RNNCell: Expected input to be 1D or 2D, got 3D instead"),
    ("a GRUCell given a 4-D state", nn.GRUCell(3, 5), z(2, 3), z(1, 1, 2, 5), "error", "state-dims",
     "h has shape (1, 1, 2, 5): nn.GRUCell takes a state of shape (2, 5). PyTorch raises ValueError: GRUCell: Expected hidden "
     "to be 1D or 2D, got 4D instead"),
    ("an unbatched step with a batched state", nn.GRUCell(3, 5), z(3), z(1, 5), "error", "state-dims",
     "input (3,) and state (1, 5) differ in dimensions: one unbatched step takes a 1-D state (H,): give the input its batch "
     "dimension, x.unsqueeze(0), shape (1, H_in). PyTorch raises "
     + ("RuntimeError: Expected 2D hidden0 (batch x hidden_size), but got 3D tensor" if KERNEL_2D
        else "RuntimeError: hidden0 has inconsistent hidden_size: got 1, expected 5")),
    ("a user's class named LSTM", LSTM(), z(7, 2, 3), None, "warning", "not-recurrent",
     f"lstm is a test_family_findings.LSTM, a class named LSTM that is not torch.nn.LSTM: {FAMILY_WORDS} It holds no "
     "nn.LSTM, nn.GRU, nn.RNN or cell."),
    ("a model of ten recurrent modules",
     nn.ModuleDict({"enc": nn.ModuleList([nn.GRU(3, 3) for _ in range(9)]), "dec": nn.LSTMCell(3, 3)}), z(7, 2, 3), None,
     "warning", "not-recurrent",
     f"lstm is a torch.nn.modules.container.ModuleDict: {FAMILY_WORDS} It holds 10 recurrent modules: enc.0 (GRU), enc.1 "
     "(GRU), enc.2 (GRU), enc.3 (GRU), enc.4 (GRU), enc.5 (GRU), enc.6 (GRU), enc.7 (GRU), and 2 more. Check them all "
     "during a real forward pass, each with what it receives: with lstm_explained.watch(model): model(x). Or diagnose one "
     "with the input and state the model passes to it, e.g. diagnose(model.enc[0], x, hx)."),
    ("a string", "lstm", z(7, 2, 3), None, "warning", "not-recurrent", f"lstm is a builtins.str: {FAMILY_WORDS}"),
]


@pytest.mark.parametrize("name, module, x, hx, severity, code, message", CASES, ids=[c[0] for c in CASES])
def test_the_whole_message(name, module, x, hx, severity, code, message):
    found = diagnose(module, x, hx)
    assert [(f.severity, f.code) for f in found] == [(severity, code)], found
    assert found[0].message == message


@pytest.mark.parametrize("name, module, x, hx, severity, code, message", CASES, ids=[c[0] for c in CASES])
def test_the_quoted_error_is_what_the_call_raises(name, module, x, hx, severity, code, message):
    found = diagnose(module, x, hx)[0]
    raised = torch_raises(module, x, hx)
    if found.pytorch_error is not None:
        assert found.pytorch_error == raised and found.message.endswith(f" PyTorch raises {raised}")
    elif severity == "error":
        assert raised is not None, "an error is a call PyTorch refuses"
    elif code != "not-recurrent":  # not a call of the family at all
        assert raised is None, "a warning is a call PyTorch runs"


def test_a_gru_state_given_as_a_list_or_as_a_shape():
    gru = nn.GRU(3, 5)
    found = diagnose(gru, z(7, 2, 3), [z(1, 2, 5)])
    assert [f.code for f in found] == ["hx-type"] and found[0].message.startswith("hx is a list of 1 item: nn.GRU takes one tensor")
    assert found[0].pytorch_error == torch_raises(gru, z(7, 2, 3), [z(1, 2, 5)]) == "AttributeError: 'list' object has no attribute 'dim'"
    by_tensor = diagnose(gru, z(7, 2, 3), z(1, 3, 5))
    by_shape = diagnose(gru, (7, 2, 3), (1, 3, 5))
    assert by_shape == by_tensor and [f.code for f in by_shape] == ["state-batch-size"]
    assert diagnose(gru, z(7, 2, 3), {"h": z(1, 2, 5)})[0].message.startswith("hx is a dict: nn.GRU takes one tensor")
