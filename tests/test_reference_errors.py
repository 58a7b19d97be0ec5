"""reference_forward and run_stepwise refuse every call the module refuses, with PyTorch's own message: every member of the family."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import torch
from hypothesis import example, given, settings
from hypothesis import strategies as st
from strategies import build, configs, family_configs
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence

from lstm_explained import reference_forward, run_stepwise
from lstm_explained.pytorch_errors import input_dtype, message

# The messages nn.LSTM words itself (LSTM.forward, check_input, check_hidden_size, the kernel's checks):
# where PyTorch raises one of these, ours must be the same. Others (hx not a pair of tensors, a state of
# another dtype) depend on the backend or on Python: there, ours must only refuse the call too.
PYTORCH_WORDS = (
    "LSTM: Expected input to be 2D or 3D", "For batched 3-D input", "For unbatched 2-D input", "input.size(-1) must be",
    "RNN input dtype", "input must have the type", "Expected hidden[", "lstm expects two hidden states",
    "Input and hidden tensors are not at the same device", "Input and parameter tensors are not at the same device",
    "Expected sequence length to be larger than 0",
    "GRU: Expected input to be 2D or 3D", "RNN: Expected input to be 2D or 3D", "Expected hidden size",
    "LSTMCell: Expected", "GRUCell: Expected", "RNNCell: Expected", "input has inconsistent input_size",
    "Input batch size", "hidden0 has inconsistent", "hidden1 has inconsistent", "lstm_cell expects two hidden states",
)
FUNCTIONS = [reference_forward, run_stepwise]


def outcome(fn, *args):
    """Returns the message of what ``fn(*args)`` raises, or None when it returns."""
    try:
        with torch.no_grad(), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fn(*args)
    except Exception as exc:
        return str(exc)
    return None


@st.composite
def bad_calls(draw):
    """Returns (lstm, x, hx): a call of random shapes, dtype and devices, often one nn.LSTM refuses."""
    cfg = draw(configs(max_size=4))
    dims = draw(st.integers(1, 4))
    shape = draw(st.lists(st.integers(0, 3), min_size=dims, max_size=dims))
    if draw(st.booleans()):
        shape[-1] = cfg.input_size
    x = torch.randn(shape, dtype=draw(st.sampled_from([torch.float64, torch.float64, torch.float32])))
    if draw(st.integers(0, 9)) == 0:
        x = x.to("meta")
    state_dims = draw(st.integers(2, 4))
    count = draw(st.sampled_from([2, 2, 2, 3]))
    hx = tuple(torch.zeros(draw(st.lists(st.integers(1, 4), min_size=state_dims, max_size=state_dims)), dtype=torch.float64)
               for _ in range(count))
    return build(cfg), x, draw(st.sampled_from([None, hx]))


@settings(max_examples=120, deadline=None)
@given(call=bad_calls())
@example(call=(nn.LSTM(3, 5).double(), torch.randn(7, 2, 3, dtype=torch.float64),
               (torch.zeros(1, 2, 5, dtype=torch.float64), torch.zeros(1, 1, 5, dtype=torch.float64))))
@example(call=(nn.LSTM(3, 5).double(), torch.randn(0, 2, 3, dtype=torch.float64), None))
@example(call=(nn.LSTM(3, 5, bidirectional=True).double(), torch.randn(4, 2, 3),
               (torch.zeros(2, 5, dtype=torch.float64), torch.zeros(2, 5, dtype=torch.float64))))
def test_every_call_nn_lstm_refuses_is_refused_in_its_words(call):
    lstm, x, hx = call
    theirs = outcome(lstm, x, hx)
    for fn in FUNCTIONS:
        ours = outcome(fn, lstm, x, hx)
        if theirs is None:
            continue  # a call PyTorch runs: test_reference.py compares the results
        assert ours is not None, f"{fn.__name__} ran a call nn.LSTM refuses: {theirs}"
        if theirs.startswith(PYTORCH_WORDS):
            assert ours == theirs, fn.__name__


@st.composite
def bad_family_calls(draw):
    """Returns (module, x, hx) of any member of the family: random shapes and dtypes, a state of either form, often refused."""
    cfg = draw(family_configs(max_size=4))
    low, high = (0, 3) if cfg.is_cell else (1, 4)
    dims = draw(st.integers(max(low, 1), high))
    shape = draw(st.lists(st.integers(0, 3), min_size=dims, max_size=dims))
    if draw(st.booleans()):
        shape[-1] = cfg.input_size
    x = torch.randn(shape, dtype=draw(st.sampled_from([torch.float64, torch.float64, torch.float32])))
    state_dims = draw(st.integers(1, 4))
    parts = [torch.zeros(draw(st.lists(st.integers(1, 4), min_size=state_dims, max_size=state_dims)), dtype=torch.float64)
             for _ in range(draw(st.sampled_from([1, 2, 2, 3])))]
    hx = tuple(parts) if draw(st.booleans()) or cfg.has_cell_state else parts[0]
    return build(cfg), x, draw(st.sampled_from([None, hx]))


@settings(max_examples=300, deadline=None)
@given(call=bad_family_calls())
@example(call=(nn.GRU(3, 5).double(), torch.randn(7, 2, 3, dtype=torch.float64), torch.zeros(1, 1, 5, dtype=torch.float64)))
@example(call=(nn.RNN(3, 5).double(), torch.randn(1, 7, 2, 3, dtype=torch.float64), None))
@example(call=(nn.GRUCell(3, 5).double(), torch.randn(2, 3, dtype=torch.float64), torch.zeros(4, 5, dtype=torch.float64)))
@example(call=(nn.LSTMCell(3, 5).double(), torch.randn(2, 3, dtype=torch.float64), (torch.zeros(2, 5, dtype=torch.float64),) * 3))
@example(call=(nn.LSTMCell(3, 5).double(), torch.randn(2, 3, dtype=torch.float64),
               (torch.zeros(2, 5, dtype=torch.float64), torch.zeros(2, 6, dtype=torch.float64))))
def test_every_call_a_module_refuses_is_refused_in_its_words(call):
    module, x, hx = call
    theirs = outcome(module, x, hx)
    ours = outcome(reference_forward, module, x, hx)
    if theirs is None:
        return  # a call PyTorch runs: test_reference.py compares the results
    assert ours is not None, f"reference_forward ran a call {type(module).__name__} refuses: {theirs}"
    if theirs.startswith(PYTORCH_WORDS):
        assert ours == theirs


@pytest.mark.parametrize("fn", FUNCTIONS)
@pytest.mark.parametrize("options", [{}, {"batch_first": True}, {"bidirectional": True}, {"num_layers": 2}, {"proj_size": 2}])
def test_a_c_0_that_would_broadcast_is_refused(fn, options):
    """c_0 (rows, 1, H) broadcasts over a batch of 2 in plain tensor code: nn.LSTM refuses it, and so must we."""
    lstm = nn.LSTM(3, 5, **options).double()
    rows = 2 if (options.get("bidirectional") or options.get("num_layers")) else 1
    h_out = options.get("proj_size", 5)
    x = torch.randn(2, 7, 3) if options.get("batch_first") else torch.randn(7, 2, 3)
    hx = (torch.zeros(rows, 2, h_out), torch.zeros(rows, 1, 5))
    x, hx = x.double(), tuple(t.double() for t in hx)
    expected = f"Expected hidden[1] size ({rows}, 2, 5), got [{rows}, 1, 5]"
    assert outcome(lstm, x, hx) == expected
    assert outcome(fn, lstm, x, hx) == expected
    hx = (torch.zeros(rows, 1, h_out, dtype=torch.float64), torch.zeros(rows, 2, 5, dtype=torch.float64))
    assert outcome(fn, lstm, x, hx) == outcome(lstm, x, hx) == f"Expected hidden[0] size ({rows}, 2, {h_out}), got [{rows}, 1, {h_out}]"


def test_a_float64_packed_sequence_into_a_float32_module():
    """PyTorch's kernel refuses it in its own words (a matrix product's); ours names both dtypes, as check_input does."""
    lstm = nn.LSTM(3, 5)
    packed = pack_padded_sequence(torch.randn(4, 2, 3, dtype=torch.float64), torch.tensor([4, 2]))
    assert outcome(lstm, packed) is not None
    for hx in (None, (torch.zeros(1, 2, 5), torch.zeros(1, 2, 5))):
        with pytest.raises(ValueError) as ours:
            reference_forward(lstm, packed, hx)
        assert str(ours.value) == message(input_dtype(torch.float64, torch.float32))


@pytest.mark.parametrize("fn, accepted", [(reference_forward, "a Tensor or a PackedSequence"), (run_stepwise, "a Tensor")])
@pytest.mark.parametrize("bad", [np.zeros((7, 2, 3)), [[0.0, 1.0, 2.0]], None])
def test_an_input_that_is_not_a_tensor(fn, accepted, bad):
    with pytest.raises(TypeError) as raised:
        fn(nn.LSTM(3, 5), bad)
    assert str(raised.value) == f"input must be {accepted}, got {type(bad).__name__}"


@pytest.mark.parametrize("fn", FUNCTIONS)
def test_the_state_dimensions_are_checked_before_the_input_dtype(fn):
    """LSTM.forward looks at hx's dimensions first: a 2-D state with 3-D int input is a state error."""
    lstm, x, hx = nn.LSTM(3, 5), torch.zeros(7, 2, 3, dtype=torch.long), (torch.zeros(1, 5), torch.zeros(1, 5))
    assert outcome(fn, lstm, x, hx) == outcome(lstm, x, hx)
    assert outcome(fn, lstm, x, hx).startswith("For batched 3-D input, hx and cx should also be 3-D")


@pytest.mark.parametrize("fn", FUNCTIONS)
def test_three_states_are_refused_with_batched_input_and_ignored_without(fn):
    lstm = nn.LSTM(3, 5).double()
    batched = torch.randn(7, 2, 3, dtype=torch.float64), (torch.zeros(1, 2, 5, dtype=torch.float64),) * 3
    assert outcome(fn, lstm, *batched) == outcome(lstm, *batched) == "lstm expects two hidden states"
    x, hx = torch.randn(7, 3, dtype=torch.float64), (torch.randn(1, 5, dtype=torch.float64),) * 3
    with torch.no_grad():
        expected, _ = lstm(x, hx)
        got, _ = fn(lstm, x, hx)
    torch.testing.assert_close(got, expected, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("fn", FUNCTIONS)
@pytest.mark.parametrize("hx", [
    (torch.zeros(1, 2, 5), torch.zeros(2, 5)),  # c 2-D: the dimensions are checked for both
    (torch.zeros(1, 2, 5, device="meta"), torch.zeros(1, 2, 5)),  # h on another device
    (torch.zeros(1, 2, 5), torch.zeros(1, 2, 5, device="meta")),  # c on another device
], ids=["c 2-D", "h on meta", "c on meta"])
def test_a_state_of_the_wrong_kind_is_refused_in_torchs_words(fn, hx):
    lstm, x = nn.LSTM(3, 5), torch.zeros(7, 2, 3)
    assert outcome(fn, lstm, x, hx) == outcome(lstm, x, hx) is not None


def test_an_input_on_another_device_is_refused_in_torchs_words():
    lstm = nn.LSTM(3, 5, bias=False)
    x = torch.zeros(7, 2, 3, device="meta")
    assert outcome(reference_forward, lstm, x) == outcome(lstm, x) == (
        "Input and parameter tensors are not at the same device, found input tensor at meta and parameter tensor at cpu")


@pytest.mark.parametrize("fn", FUNCTIONS)
@pytest.mark.parametrize("hx", [torch.zeros(1, 2, 5), (torch.zeros(1, 2, 5),), (torch.zeros(1, 2, 5), None), 5],
                         ids=["one tensor", "a 1-tuple", "(h, None)", "an int"])
def test_an_hx_that_is_not_two_tensors_is_refused(fn, hx):
    lstm, x = nn.LSTM(3, 5, bidirectional=fn is run_stepwise), torch.zeros(7, 2, 3)
    assert outcome(lstm, x, hx) is not None
    assert outcome(fn, lstm, x, hx) in (
        "hx must be a tuple (h_0, c_0) of two tensors: nn.LSTM needs both the hidden and the cell state", outcome(lstm, x, hx))
    if fn is reference_forward:
        assert outcome(fn, lstm, x, hx).startswith("hx must be a tuple (h_0, c_0) of two tensors")


def test_three_items_where_the_third_is_not_a_tensor():
    lstm, x = nn.LSTM(3, 5), torch.zeros(7, 2, 3)
    hx = (torch.zeros(1, 2, 5), torch.zeros(1, 2, 5), None)
    assert outcome(lstm, x, hx) == "expected Tensor as element 2 in argument 1, but got NoneType"  # its binding's words
    assert outcome(reference_forward, lstm, x, hx) == "lstm expects two hidden states"  # what it says for three tensors


def test_dropout_with_one_layer_is_no_dropout():
    """PyTorch applies dropout between layers only: one layer in training mode computes what eval mode does."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        lstm = nn.LSTM(3, 5, dropout=0.5).double()
    x = torch.randn(7, 2, 3, dtype=torch.float64)
    with torch.no_grad():
        torch.testing.assert_close(reference_forward(lstm, x)[0], lstm(x)[0], rtol=1e-10, atol=1e-12)
    with pytest.raises(ValueError) as raised:
        reference_forward(nn.LSTM(3, 5, num_layers=2, dropout=0.5), torch.randn(7, 2, 3))
    assert str(raised.value) == "reference_forward does not model dropout: call lstm.eval() first, or set dropout=0"


def test_a_packed_result_keeps_the_sequence_order():
    lstm = nn.LSTM(3, 5).double()
    packed = pack_padded_sequence(torch.randn(4, 3, 3, dtype=torch.float64), torch.tensor([2, 4, 3]), enforce_sorted=False)
    with torch.no_grad():
        ours, _ = reference_forward(lstm, packed)
        theirs, _ = lstm(packed)
    assert torch.equal(ours.sorted_indices, theirs.sorted_indices) and torch.equal(ours.unsorted_indices, theirs.unsorted_indices)
    with pytest.raises(TypeError) as raised:
        run_stepwise(lstm, packed)
    assert str(raised.value) == "run_stepwise takes a padded Tensor, not a PackedSequence: use pad_packed_sequence first"


CELL_CALLS = [  # (cell, input, hx): each refused by the cell itself, with PyTorch's own words
    (nn.LSTMCell(3, 5), torch.zeros(2, 3), (torch.zeros(2, 5),) * 3),  # three states, batched: the kernel's count
    (nn.LSTMCell(3, 5), torch.zeros(3), (torch.zeros(5),)),  # one state, unbatched: forward reads hx[1]
    (nn.LSTMCell(3, 5), torch.zeros(2, 3), (torch.zeros(2, 5), torch.zeros(3, 5))),  # c for another batch
    (nn.GRUCell(3, 5), torch.zeros(2, 4), None),  # the input's size
    (nn.GRUCell(3, 5), torch.zeros(2, 3), torch.zeros(2, 6)),  # h's size
    (nn.RNNCell(3, 5), torch.zeros(2, 3), torch.zeros(1, 2, 5)),  # a layer's 3-D state
    (nn.RNNCell(3, 5), torch.zeros(3, 2, 3), None),  # a sequence
    (nn.LSTMCell(3, 5), torch.zeros(2, 3), (torch.zeros(2, 5), torch.zeros(2, 2, 5))),  # c's dimensions
]


@pytest.mark.parametrize("cell, x, hx", CELL_CALLS)
def test_a_cell_refuses_as_pytorch_does(cell, x, hx):
    with pytest.raises(Exception) as theirs:
        cell(x, hx)
    with pytest.raises(type(theirs.value)) as ours:
        reference_forward(cell, x, hx)
    assert str(ours.value) == str(theirs.value)


@pytest.mark.parametrize("cell, hx, says", [
    (nn.GRUCell(3, 5), (torch.zeros(2, 5), torch.zeros(2, 5)), "hx of nn.GRUCell must be one tensor h_0"),
    (nn.LSTMCell(3, 5), torch.zeros(2, 5), "hx of nn.LSTMCell must be a tuple (h_0, c_0) of two tensors"),
    (nn.LSTMCell(3, 5), (torch.zeros(2, 5), None), "hx of nn.LSTMCell must be a tuple (h_0, c_0) of two tensors"),
])
def test_a_cell_state_of_the_wrong_kind_is_refused_in_one_sentence(cell, hx, says):
    with pytest.raises(ValueError) as refused:
        reference_forward(cell, torch.zeros(2, 3), hx)
    assert str(refused.value) == says


def test_a_cell_without_a_state_starts_from_zeros_and_unbatched_steps_keep_no_batch():
    cell = nn.LSTMCell(3, 5).double()
    x = torch.randn(3, dtype=torch.float64)
    zeros = (torch.zeros(5, dtype=torch.float64),) * 2
    ours, theirs = reference_forward(cell, x), cell(x, zeros)
    assert all(a.shape == (5,) and torch.allclose(a, b) for a, b in zip(ours, theirs))
    with pytest.raises(TypeError, match="input must be a Tensor, got list"):
        reference_forward(cell, [0.0, 1.0, 2.0])


def test_a_gru_state_of_the_wrong_kind_or_dimensions_is_refused_in_one_sentence():
    gru = nn.GRU(3, 5)
    with pytest.raises(ValueError) as refused:
        reference_forward(gru, torch.zeros(7, 2, 3), (torch.zeros(1, 2, 5), torch.zeros(1, 2, 5)))
    assert str(refused.value) == "hx must be one tensor h_0: nn.GRU has no cell state, so no (h_0, c_0) pair"
    with pytest.raises(RuntimeError) as theirs:
        gru(torch.zeros(7, 3), torch.zeros(1, 1, 5))
    with pytest.raises(ValueError) as ours:
        reference_forward(gru, torch.zeros(7, 3), torch.zeros(1, 1, 5))
    assert str(ours.value) == str(theirs.value) == "For unbatched 2-D input, hx should also be 2-D but got 3-D tensor"


@pytest.mark.parametrize("x, says", [
    (torch.zeros(3), "run_stepwise steps a cell through a sequence: input must be (L, N, H_in) or (L, H_in), got 1-D"),
    (torch.zeros(0, 2, 3), "run_stepwise needs at least one time step"),
])
def test_stepping_a_cell_needs_a_sequence(x, says):
    with pytest.raises(ValueError) as refused:
        run_stepwise(nn.GRUCell(3, 5), x)
    assert str(refused.value) == says
