"""expected_shapes against what each module of the family really returns, over every option."""

from __future__ import annotations

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import build, family_configs, unpack, valid_input_shapes

from lstm_explained import LSTMConfig, RecurrentConfig, expected_shapes
from lstm_explained.pytorch_errors import checks_input_without_state

# Before 2.3, nn.LSTM checked input.size(-1) only when a state was passed (pytorch/pytorch#114874,
# fixed by #115542): without one, CPU builds with oneDNN run the wrong input, others fail in a matmul.
TORCH_CHECKS_INPUT_SIZE_WITHOUT_STATE = checks_input_without_state()
INPUT_SIZE_ERROR = "input.size(-1) must be equal to input_size"


def size_of(tensor):
    return None if tensor is None else tensor.shape


@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_expected_shapes_match_torch(data):
    cfg = data.draw(family_configs())
    shape = data.draw(valid_input_shapes(cfg))
    module = build(cfg, dtype=torch.float32)
    with torch.no_grad():
        output, h_n, c_n = unpack(cfg, module(torch.zeros(shape)))
    got = expected_shapes(module, shape)
    assert (got.output, got.h_n, got.c_n) == (size_of(output), h_n.shape, size_of(c_n))
    assert got.h_0 == h_n.shape and got.c_0 == size_of(c_n)
    assert got == expected_shapes(cfg, shape), "a module and its config give the same shapes"
    assert set(got.as_dict()) == {key for key in ("input", "h_0", "c_0", "output", "h_n", "c_n") if getattr(got, key) is not None}
    batched = len(shape) == (2 if cfg.is_cell else 3)
    if cfg.is_cell:
        seq_len, batch = None, shape[0] if batched else None
    else:
        seq_len, batch = ((shape[1], shape[0]) if cfg.batch_first else (shape[0], shape[1])) if batched else (shape[0], None)
    sizes = {"L": seq_len, "N": batch, "H_in": cfg.input_size, "H_out": cfg.h_out, "H_cell": cfg.hidden_size, "H": cfg.hidden_size,
             "D*num_layers": cfg.state_rows, "D*H_out": cfg.num_directions * cfg.h_out}
    assert set(got.names) == set(got.as_dict())
    for key, names in got.names.items():  # each name is the size it names, not only one name per dimension
        assert tuple(sizes[name] for name in names) == tuple(getattr(got, key)), key
    assert ("N" in got.names["input"]) == batched


@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_expected_shapes_rejects_what_torch_rejects(data):
    cfg = data.draw(family_configs())
    shape = tuple(data.draw(st.lists(st.integers(0, 6), min_size=1, max_size=5)))
    lstm = build(cfg, dtype=torch.float32)
    try:
        with torch.no_grad():
            lstm(torch.zeros(shape))
        torch_error = None
    except (RuntimeError, ValueError) as err:
        torch_error = str(err)
    try:
        expected_shapes(lstm, shape)
        ours = None
    except ValueError as err:
        ours = str(err)
    if cfg.module == "LSTM" and not TORCH_CHECKS_INPUT_SIZE_WITHOUT_STATE and ours and ours.startswith(INPUT_SIZE_ERROR):
        assert torch_error is None or torch_error.startswith((INPUT_SIZE_ERROR, "mat1 and mat2 shapes cannot be multiplied"))
    else:
        assert ours == torch_error


def test_which_torch_checks_the_input_size_without_a_state():
    """The difference the test above allows, pinned down: it fails if either side of it changes."""
    lstm = torch.nn.LSTM(3, 5)
    wrong = torch.randn(7, 2, 4)  # (L, N, H_in=4) for input_size=3
    with pytest.raises(RuntimeError, match=r"input.size\(-1\) must be equal to input_size. Expected 3, got 4"):
        lstm(wrong, (torch.zeros(1, 2, 5), torch.zeros(1, 2, 5)))  # with a state: checked everywhere
    if TORCH_CHECKS_INPUT_SIZE_WITHOUT_STATE:
        with pytest.raises(RuntimeError, match=r"input.size\(-1\) must be equal to input_size"):
            lstm(wrong)
    else:
        try:
            output, _ = lstm(wrong)
            assert output.shape == (7, 2, 5), "oneDNN ran the wrong input"
        except RuntimeError as err:
            assert "mat1 and mat2 shapes cannot be multiplied" in str(err)


@pytest.mark.parametrize("bad", [(0, 2, 3), (0, 3), (7, -1, 3), (7.0, 1, 3), "7,1,3", 7, (True, 1, 3)])
def test_malformed_shapes_raise_value_error(bad):
    with pytest.raises(ValueError):
        expected_shapes(LSTMConfig(3, 5), bad)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (dict(input_size=0, hidden_size=5), "input_size must be a positive integer"),
        (dict(input_size=3, hidden_size=5, proj_size=5), "proj_size has to be smaller than hidden_size"),
        (dict(input_size=3, hidden_size=5, proj_size=-1), "proj_size should be a positive integer or zero"),
        (dict(input_size=3, hidden_size=5, num_layers=0), "num_layers must be a positive integer"),
    ],
)
def test_invalid_configs(kwargs, message):
    with pytest.raises(ValueError, match=message):
        LSTMConfig(**kwargs)


def test_seed_call_reads_as_seven_sequences():
    shapes = expected_shapes(LSTMConfig(3, 5, batch_first=True), (7, 1, 3))
    assert shapes.names["input"] == ("N", "L", "H_in")
    assert shapes.h_0 == torch.Size([1, 7, 5]), "the seed's (1, 7, 5) state is exactly what this misread batch wants"


def test_from_module_names_what_it_was_given_outside_the_family():
    with pytest.raises(TypeError, match=r"expected nn.LSTM, nn.GRU, .* or nn.RNNCell, got torch.nn.modules.linear.Linear"):
        RecurrentConfig.from_module(torch.nn.Linear(3, 5))

    class LSTM(torch.nn.Module):  # a user's own class of the same name
        pass

    with pytest.raises(TypeError, match=r"got test_shapes.test_from_module_names_what_it_was_given_outside_the_family.<locals>.LSTM$"):
        RecurrentConfig.from_module(LSTM())


@pytest.mark.parametrize("shape, batch_first", [((7, 0, 3), False), ((0, 7, 3), True)])
def test_an_empty_batch_is_allowed_as_in_torch(shape, batch_first):
    lstm = torch.nn.LSTM(3, 5, batch_first=batch_first)
    with torch.no_grad():
        output, (h_n, c_n) = lstm(torch.zeros(shape))
    got = expected_shapes(lstm, shape)
    assert (got.output, got.h_n, got.c_n) == (output.shape, h_n.shape, c_n.shape)
