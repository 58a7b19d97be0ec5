"""Fix, the change a finding proposes: its code as the message quotes it, and what apply() does to a real call."""

from __future__ import annotations

import pytest
import torch
from torch import nn

from lstm_explained import Fix


def test_the_input_as_code():
    assert Fix().input_code() == "x"
    assert Fix(input=(("unsqueeze", 0),)).input_code() == "x.unsqueeze(0)"
    assert Fix(input=(("movedim", 1, -1), ("float",))).input_code() == "x.movedim(1, -1).float()"
    assert Fix(input=(("index", 0),)).input_code() == "x[0]"
    assert Fix(input=(("embed", 8),)).input_code() == "nn.Embedding(num_embeddings, embedding_dim=8)(x)"


def test_the_state_as_code():
    assert Fix(no_state=True).state_code() == "hx=None"
    assert Fix(add_cell_state=True).state_code() == "hx=(h_0, torch.zeros_like(h_0))"
    assert Fix(fresh_state=(1, (2, None, 5), (2, None, 5))).state_code() == "x.new_zeros(2, x.size(1), 5) each"
    assert Fix(fresh_state=(0, (1, None, 2), (1, None, 5))).state_code() == "x.new_zeros(1, x.size(0), 2) and x.new_zeros(1, x.size(0), 5)"
    assert Fix(fresh_state=(0, (3, 4), None)).state_code(False) == "x.new_zeros(3, 4)"
    assert Fix(state=(("unbind", 0),)).state_code() == "hx.unbind(0)"
    steps = (("batch", 4), ("contiguous",))
    assert Fix(state=steps).state_code() == "h_0[:, :4].contiguous() and c_0[:, :4].contiguous()"
    assert Fix(state=steps, parts=(1,)).state_code() == "c_0[:, :4].contiguous()"
    assert Fix(state=steps, parts=(0,)).state_code() == "h_0[:, :4].contiguous()"
    assert Fix(state=(("index", -1),)).state_code(False) == "h_0[-1]"


def test_the_module_and_every_part_as_code():
    assert Fix(module=(("batch_first", True), ("input_size", 8))).module_code() == "batch_first=True, input_size=8"
    assert Fix().as_code() == {}
    whole = Fix(input=(("unsqueeze", -1),), fresh_state=(0, (1, None, 5), (1, None, 5)), module=(("batch_first", True),))
    assert whole.as_code() == {"input": "x.unsqueeze(-1)", "state": "x.new_zeros(1, x.size(0), 5) each", "module": "batch_first=True"}
    assert Fix(state=(("squeeze", 0),)).as_code(False) == {"state": "h_0.squeeze(0)"}
    assert not Fix(module=(("dropout", 0.0),)).changes_state and Fix(no_state=True).changes_state


def test_a_rebuilt_module_keeps_every_other_argument_its_dtype_and_its_mode():
    rnn = nn.RNN(3, 5, num_layers=2, nonlinearity="relu", bias=False, dropout=0.25, bidirectional=True).double().eval()
    module, _, _ = Fix(module=(("batch_first", True),)).apply(rnn, torch.zeros(7, 2, 3, dtype=torch.float64))
    assert type(module) is nn.RNN and module.batch_first and not module.training
    assert (module.input_size, module.hidden_size, module.num_layers, module.nonlinearity, module.bias, module.dropout,
            module.bidirectional) == (3, 5, 2, "relu", False, 0.25, True)
    assert module.weight_ih_l0.dtype == torch.float64
    lstm, _, _ = Fix(module=(("hidden_size", 6),)).apply(nn.LSTM(3, 5, proj_size=2), torch.zeros(7, 2, 3))
    assert (lstm.hidden_size, lstm.proj_size) == (6, 2)
    cell, _, _ = Fix(module=(("input_size", 4),)).apply(nn.GRUCell(3, 5, bias=False), torch.zeros(2, 3))
    assert type(cell) is nn.GRUCell and (cell.input_size, cell.hidden_size, cell.bias) == (4, 5, False)


def test_apply_changes_the_input_as_the_code_says():
    lstm = nn.LSTM(3, 5)
    _, x, _ = Fix(input=(("index", 0),)).apply(lstm, torch.arange(24.0).view(2, 4, 1, 3))
    assert torch.equal(x, torch.arange(12.0).view(4, 1, 3))
    ids = torch.tensor([[1, 4], [0, 2]])
    _, embedded, _ = Fix(input=(("embed", 3),)).apply(lstm.double(), ids)
    assert embedded.shape == (2, 2, 3) and embedded.dtype == torch.float64, "one vector per id, in the weights' dtype"


@pytest.mark.parametrize("batch_first", [False, True])
def test_a_fresh_state_takes_its_batch_from_the_input(batch_first):
    x = torch.zeros(6, 4, 3)
    dim = 0 if batch_first else 1
    _, _, (h, c) = Fix(fresh_state=(dim, (2, None, 2), (2, None, 5))).apply(nn.LSTM(3, 5, num_layers=2, proj_size=2), x)
    assert h.shape == (2, 6 if batch_first else 4, 2) and c.shape == (2, 6 if batch_first else 4, 5)
    _, _, h = Fix(fresh_state=(dim, (1, None, 5), None)).apply(nn.GRU(3, 5), x)
    assert isinstance(h, torch.Tensor) and h.shape == (1, 6 if batch_first else 4, 5)


def test_a_fresh_state_is_made_like_the_input_as_its_code_says():
    # x.new_zeros: the input's dtype and device (a state on the CPU beside a CUDA input is the next error)
    x = torch.zeros(6, 4, 3, dtype=torch.float64)
    fix = Fix(fresh_state=(1, (1, None, 5), (1, None, 5)))
    _, _, (h, c) = fix.apply(nn.LSTM(3, 5).double(), x)
    assert fix.state_code().startswith("x.new_zeros(") and h.dtype == c.dtype == torch.float64
    assert h.device == c.device == x.device


def test_apply_changes_only_the_state_tensors_named_and_keeps_the_container():
    h, c = torch.ones(2, 4, 5), torch.full((2, 4, 5), 2.0)
    _, _, fixed = Fix(state=(("batch", 2),), parts=(1,)).apply(nn.LSTM(3, 5, num_layers=2), torch.zeros(7, 2, 3), [h, c])
    assert isinstance(fixed, list) and fixed[0] is h and torch.equal(fixed[1], c[:, :2])
    _, _, both = Fix(state=(("squeeze", 0),)).apply(nn.LSTM(3, 5), torch.zeros(7, 4, 3), (h[:1, None][0:1], c[:1, None][0:1]))
    assert isinstance(both, tuple) and both[0].shape == both[1].shape == (1, 4, 5)
    _, _, pair = Fix(state=(("unbind", 0),)).apply(nn.LSTMCell(3, 5), torch.zeros(4, 3), torch.stack([h[0], c[0]]))
    assert torch.equal(pair[0], h[0]) and torch.equal(pair[1], c[0])


def test_apply_adds_the_cell_state_or_drops_the_state():
    h = torch.ones(1, 2, 5)
    for given in (h, (h,), [h, None]):
        _, _, (h0, c0) = Fix(add_cell_state=True).apply(nn.LSTM(3, 5), torch.zeros(7, 2, 3), given)
        assert h0 is h and torch.equal(c0, torch.zeros(1, 2, 5))
    assert Fix(no_state=True).apply(nn.LSTM(3, 5), torch.zeros(7, 2, 3), (h, h))[2] is None


def test_merging_the_directions_of_h_and_c_of_other_widths_takes_one_view_for_both():
    # proj_size: h_n (4, 1, 1) and c_n (4, 1, 2) from a bidirectional encoder, for a 2-layer decoder
    from lstm_explained import diagnose

    lstm, x = nn.LSTM(1, 2, proj_size=1, num_layers=2), torch.zeros(1, 1, 1)
    hx = (torch.ones(4, 1, 1), torch.ones(4, 1, 2))
    [finding] = diagnose(lstm, x, hx)
    assert finding.fix.as_code() == {"state": "h_0.view(2, 2, 1, -1).sum(1) and c_0.view(2, 2, 1, -1).sum(1)"}
    _, _, (h, c) = finding.fix.apply(lstm, x, hx)
    assert h.shape == (2, 1, 1) and c.shape == (2, 1, 2) and diagnose(lstm, x, (h, c)) == []


def test_a_cells_one_dimensional_state_beside_a_batch_is_expanded_alone():
    # an LSTMCell given h (2, 5) and c (5,) for a batch of 2: only c needs the batch dimension
    from lstm_explained import diagnose

    cell, x, hx = nn.LSTMCell(3, 5), torch.zeros(2, 3), (torch.ones(2, 5), torch.ones(5))
    [finding] = diagnose(cell, x, hx)
    assert finding.code == "state-dims" and "c.unsqueeze(0).expand(2, -1) gives each sequence" in finding.message
    assert "h.unsqueeze" not in finding.message and finding.fix.parts == (1,)
    _, _, (h, c) = finding.fix.apply(cell, x, hx)
    assert h.shape == c.shape == (2, 5) and diagnose(cell, x, (h, c)) == []
