"""reference_forward and run_stepwise against each module of the family itself, in float64, over every option."""

from __future__ import annotations

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import build, family_configs, random_state, unpack, valid_input_shapes
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence

from lstm_explained import expected_shapes, reference_forward, run_stepwise

TOL = dict(rtol=1e-10, atol=1e-12)


def assert_same(cfg, ours, theirs):
    for mine, torch_s in zip(unpack(cfg, ours), unpack(cfg, theirs)):
        assert (mine is None) == (torch_s is None)
        if mine is not None:
            assert mine.shape == torch_s.shape
            torch.testing.assert_close(mine, torch_s, **TOL)


@settings(max_examples=150, deadline=None)
@given(data=st.data(), with_state=st.booleans(), seed=st.integers(0, 2**16))
def test_reference_and_stepwise_match_torch(data, with_state, seed):
    cfg = data.draw(family_configs())
    shape = data.draw(valid_input_shapes(cfg))
    module = build(cfg, seed=seed)
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(shape, generator=g, dtype=torch.float64)
    hx = random_state(cfg, expected_shapes(module, shape), g) if with_state else None
    with torch.no_grad():
        expected = module(x, hx)
        assert_same(cfg, reference_forward(module, x, hx), expected)
        if not cfg.is_cell:
            assert_same(cfg, run_stepwise(module, x, hx), expected)


@settings(max_examples=60, deadline=None)
@given(data=st.data(), with_state=st.booleans(), seed=st.integers(0, 2**16), steps=st.integers(1, 5))
def test_stepping_a_cell_through_a_sequence_is_calling_it_once_per_step(data, with_state, seed, steps):
    cfg = data.draw(family_configs().filter(lambda c: c.is_cell))
    cell = build(cfg, seed=seed)
    g = torch.Generator().manual_seed(seed)
    one_step = data.draw(valid_input_shapes(cfg))
    x = torch.randn((steps, *one_step), generator=g, dtype=torch.float64)  # (L, N, H_in) or (L, H_in)
    hx = random_state(cfg, expected_shapes(cell, one_step), g) if with_state else None
    with torch.no_grad():
        output, state = run_stepwise(cell, x, hx)
        carried, hs = hx, []
        for t in range(steps):
            carried = cell(x[t], carried)
            hs.append(carried[0] if cfg.has_cell_state else carried)
    torch.testing.assert_close(output, torch.stack(hs), **TOL)
    assert_same(cfg, state, carried)


@settings(max_examples=80, deadline=None)
@given(data=st.data(), enforce_sorted=st.booleans(), with_state=st.booleans(), seed=st.integers(0, 2**16))
def test_reference_matches_torch_on_packed_input(data, enforce_sorted, with_state, seed):
    cfg = data.draw(family_configs().filter(lambda c: not c.is_cell))
    lengths = data.draw(st.lists(st.integers(1, 6), min_size=1, max_size=5))
    if enforce_sorted:
        lengths = sorted(lengths, reverse=True)
    lstm = build(cfg, seed=seed)
    g = torch.Generator().manual_seed(seed)
    batch, longest = len(lengths), max(lengths)
    padded = torch.randn(longest, batch, cfg.input_size, generator=g, dtype=torch.float64)  # (L, N, H_in)
    if cfg.batch_first:
        padded = padded.transpose(0, 1)  # (N, L, H_in)
    packed = pack_padded_sequence(padded, torch.tensor(lengths), batch_first=cfg.batch_first, enforce_sorted=enforce_sorted)
    hx = random_state(cfg, expected_shapes(lstm, padded.shape), g) if with_state else None
    with torch.no_grad():
        ours, theirs = reference_forward(lstm, packed, hx), lstm(packed, hx)
    assert torch.equal(ours[0].batch_sizes, theirs[0].batch_sizes)
    torch.testing.assert_close(ours[0].data, theirs[0].data, **TOL)
    assert_same(cfg, (ours[0].data, ours[1]), (theirs[0].data, theirs[1]))


def test_gradients_flow_through_stepwise_bidirectional():
    lstm = nn.LSTM(3, 4, bidirectional=True, num_layers=2).double()
    x = torch.randn(5, 2, 3, dtype=torch.float64)
    out, _ = run_stepwise(lstm, x)
    out.sum().backward()
    assert lstm.weight_hh_l1_reverse.grad is not None and lstm.weight_hh_l1_reverse.grad.abs().sum() > 0


def test_reference_errors_are_worded_like_torch():
    lstm = nn.LSTM(3, 5)
    with pytest.raises(ValueError, match=r"input.size\(-1\) must be equal to input_size. Expected 3, got 4"):
        reference_forward(lstm, torch.randn(7, 2, 4))
    with pytest.raises(ValueError, match=r"Expected hidden\[0\] size \(1, 2, 5\), got \[2, 1, 5\]"):
        reference_forward(lstm, torch.randn(7, 2, 3), (torch.zeros(2, 1, 5), torch.zeros(1, 2, 5)))
    with pytest.raises(ValueError, match=r"hx and cx should also be 2-D but got \(3-D, 3-D\)"):
        reference_forward(lstm, torch.randn(7, 3), (torch.zeros(1, 1, 5), torch.zeros(1, 1, 5)))


@pytest.mark.parametrize("fn", [reference_forward, run_stepwise])
def test_4d_input_is_rejected(fn):
    with pytest.raises(ValueError, match="2D or 3D, got 4D"):
        fn(nn.LSTM(3, 5), torch.randn(1, 7, 2, 3))


def test_reference_rejects_float64_input_into_float32_module():
    """The message is the installed PyTorch's own (its wording changed after 2.2)."""
    lstm, x = nn.LSTM(3, 5), torch.randn(7, 2, 3, dtype=torch.float64)
    with pytest.raises(ValueError) as theirs:
        lstm(x, (torch.zeros(1, 2, 5), torch.zeros(1, 2, 5)))  # with a state, every version checks the dtype
    with pytest.raises(ValueError) as ours:
        reference_forward(lstm, x)
    assert str(ours.value) == str(theirs.value)


def test_reference_refuses_training_mode_dropout():
    with pytest.raises(ValueError, match="does not model dropout"):
        reference_forward(nn.LSTM(3, 5, num_layers=2, dropout=0.5), torch.randn(7, 2, 3))


@pytest.mark.parametrize("bidirectional", [False, True])
def test_stepwise_refuses_training_mode_dropout(bidirectional):
    lstm = nn.LSTM(3, 5, num_layers=2, dropout=0.5, bidirectional=bidirectional)
    with pytest.raises(ValueError, match="does not reproduce dropout"):
        run_stepwise(lstm, torch.randn(7, 2, 3))
    lstm.eval()  # dropout is off in evaluation mode: the loop then agrees with the module
    x = torch.randn(7, 2, 3)
    with torch.no_grad():
        assert torch.allclose(run_stepwise(lstm, x)[0], lstm(x)[0], atol=1e-6)


def test_stepwise_refuses_packed_input():
    packed = pack_padded_sequence(torch.randn(4, 2, 3), torch.tensor([4, 2]))
    with pytest.raises(TypeError, match="pad_packed_sequence"):
        run_stepwise(nn.LSTM(3, 5), packed)
