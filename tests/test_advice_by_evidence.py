"""Advice chosen by the evidence, word for word, with the fix it quotes applied: a 2-D input beside batch_size=,
a swap with and without a state, a 4-D input read by batch_size=, a series of one feature beside its state."""

from __future__ import annotations

import pytest
import torch
from test_fixes_applied import apply_fixes
from torch import nn
from torch_calls import torch_raises

from lstm_explained import diagnose


def z(*shape):
    return torch.zeros(shape)


def first(module, x, hx=None, **kw):
    """Returns the first error or warning diagnose gives for the call."""
    return [f for f in diagnose(module, x, hx, **kw) if f.severity != "note"][0]


# (module, x, batch_size, the sentence the warning ends with, the fix's input and module)
SERIES = [
    (nn.LSTM(1, 4), (8, 20), 8, "With input_size=1 these are 8 series of one feature: x.unsqueeze(-1) and batch_first=True.",
     (("unsqueeze", -1),), (("batch_first", True),)),
    (nn.LSTM(1, 4), (20, 8), 8, "With input_size=1 these are 8 series of one feature: x.unsqueeze(-1).", (("unsqueeze", -1),), ()),
    (nn.LSTM(1, 4, batch_first=True), (20, 8), 8,
     "With input_size=1 these are 8 series of one feature: x.unsqueeze(-1) and batch_first=False.",
     (("unsqueeze", -1),), (("batch_first", False),)),
    (nn.LSTM(1, 4, batch_first=True), (8, 20), 8, "With input_size=1 these are 8 series of one feature: x.unsqueeze(-1).",
     (("unsqueeze", -1),), ()),
    (nn.LSTM(3, 4), (5, 3), 5, "As one time step of 5 sequences: x.unsqueeze(0).", (("unsqueeze", 0),), ()),
    (nn.LSTM(3, 4, batch_first=True), (5, 3), 5, "As one time step of 5 sequences: x.unsqueeze(1).", (("unsqueeze", 1),), ()),
]


@pytest.mark.parametrize("module, shape, batch_size, ends, input, change", SERIES)
def test_a_2d_input_beside_batch_size_gets_the_reading_its_shape_allows(module, shape, batch_size, ends, input, change):
    found = first(module, z(*shape), batch_size=batch_size)
    assert (found.code, found.severity) == ("batch-size", "warning") and found.message.endswith(ends)
    assert (found.fix.input, found.fix.module) == (input, change)
    assert apply_fixes(module, z(*shape), None, batch_size)[0] == "clean"  # from this first finding's fix on


def test_a_2d_input_whose_shape_holds_no_batch_size_gets_no_fix():
    found = first(nn.LSTM(3, 4), z(5, 3), batch_size=2)
    assert found.code == "batch-size" and found.fix is None
    assert found.message.endswith("A batch has three dimensions: (L, N, H_in) with batch_first=False.")


def test_a_swap_is_fixed_by_the_other_batch_first_and_a_state_for_the_batch_it_then_reads():
    lstm, x = nn.LSTM(3, 5, batch_first=True), z(7, 1, 3)
    alone = first(lstm, x, batch_size=1)
    assert alone.code == "batch-first-swap" and alone.fix.module == (("batch_first", False),) and alone.fix.fresh_state is None
    misread = (z(1, 7, 5), z(1, 7, 5))  # fits the 7 sequences PyTorch reads, not the one meant
    with_state = first(lstm, x, misread, batch_size=1)
    assert with_state.fix.fresh_state == (1, (1, None, 5), (1, None, 5)), "the batch is then dim 1"
    assert with_state.message.endswith("The state (1, 7, 5) fits the misread batch of 7, which is why PyTorch raises nothing.")
    assert apply_fixes(lstm, x, misread, 1)[0] == "clean"
    time_major = first(nn.LSTM(3, 5), x, batch_size=7)
    assert time_major.code == "time-major-swap" and time_major.fix.module == (("batch_first", True),)
    assert apply_fixes(nn.LSTM(3, 5), x, None, 7)[0] == "clean"


FOUR_D = [
    (nn.LSTM(10, 20, batch_first=True), (5, 100, 10, 10), 5,
     "Dimension 0 holds your batch of 5: if each time step is the 10-by-10 grid after dimension 1, x.flatten(2) makes it one "
     "vector of 100 features, with input_size=100; if dimension 2 is more time steps, x.flatten(1, 2) instead.", (5, 100, 100)),
    (nn.LSTM(10, 20), (100, 5, 10, 10), 5, "Dimension 1 holds your batch of 5: if each time step is the 10-by-10 grid", (100, 5, 100)),
    (nn.LSTM(1, 50, num_layers=2, batch_first=True), (2, 64, 100, 1), 64,
     "Your batch of 64 is dimension 1, so dimension 0 is extra: a model summary tool adds a batch of its own in front of an "
     "input_size that already holds one (torchsummary's summary(model, input_size) does), so give the tool the shape without "
     "the batch; in your own code, x[0] removes it, keeping its first entry.", (64, 100, 1)),
    (nn.LSTM(1, 20), (2, 100, 64, 1), 64, "Your batch of 64 is dimension 2, so dimension 0 is extra", (100, 64, 1)),
]


@pytest.mark.parametrize("module, shape, batch_size, says, fixed_shape", FOUR_D)
def test_a_4d_input_is_read_by_where_batch_size_is(module, shape, batch_size, says, fixed_shape):
    found = first(module, z(*shape), batch_size=batch_size)
    assert found.code == "input-dims" and says in found.message
    fixed_module, x, _ = found.fix.apply(module, z(*shape))
    assert x.shape == fixed_shape and diagnose(fixed_module, x, batch_size=batch_size) == []


@pytest.mark.parametrize("shape", [(7, 2, 2, 3), (7, 2, 2, 2, 3)])
def test_an_input_of_more_dimensions_without_evidence_gets_words_and_no_fix(shape):
    found = first(nn.LSTM(3, 5), z(*shape))
    assert found.message.split(" PyTorch raises")[0].endswith("Flatten the extra dimensions into the batch or the features first.")
    assert found.fix is None


def test_a_series_of_one_feature_is_laid_out_as_its_state_says():
    lstm, x, state = nn.LSTM(1, 16), z(32, 100), (z(1, 32, 16), z(1, 32, 16))
    found = [f for f in diagnose(lstm, x, state) if f.code == "input-size"][0]
    assert "add it with x.unsqueeze(-1), shape (32, 100, 1), with batch_first=True (the state says the batch is dim 0, N=32)" in (
        found.message)
    assert found.fix.input == (("unsqueeze", -1),) and found.fix.module == (("batch_first", True),)
    module, fixed, _ = found.fix.apply(lstm, x)
    assert diagnose(module, fixed, state) == [] and torch_raises(module, fixed, state) is None
    plain = [f for f in diagnose(lstm, x) if f.code == "input-size"][0]
    assert "which batch_first=False reads as (L, N, H_in)" in plain.message and plain.fix.module == ()
