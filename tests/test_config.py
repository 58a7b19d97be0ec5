"""LSTMConfig: what it accepts, and the rules it gives (state shapes, layers and directions, the module as code)."""

from __future__ import annotations

import re

import pytest
import torch
from hypothesis import given, settings
from strategies import build, configs
from torch import nn

from lstm_explained import LSTMConfig, RecurrentConfig, expected_shapes
from lstm_explained.config import MODULES, time_steps


@pytest.mark.parametrize(
    "args, kwargs, message",
    [
        ((True, 5), {}, "input_size must be a positive integer, got True"),
        ((3, True), {}, "hidden_size must be a positive integer, got True"),
        ((3, 5), {"num_layers": True}, "num_layers must be a positive integer, got True"),
        ((3.0, 5), {}, "input_size must be a positive integer, got 3.0"),
        ((3, 0), {}, "hidden_size must be a positive integer, got 0"),
        ((3, 5), {"num_layers": -1}, "num_layers must be a positive integer, got -1"),
        ((3, 5), {"proj_size": -1}, "proj_size should be a positive integer or zero to disable projections, got -1"),
        ((3, 5), {"proj_size": 2.0}, "proj_size should be a positive integer or zero to disable projections, got 2.0"),
        ((3, 5), {"proj_size": 5}, "proj_size has to be smaller than hidden_size, got proj_size=5 and hidden_size=5"),
    ],
)
def test_invalid_configs_are_refused_with_the_reason(args, kwargs, message):
    with pytest.raises(ValueError) as raised:
        LSTMConfig(*args, **kwargs)
    assert str(raised.value) == message


@pytest.mark.parametrize("kwargs", [{"input_size": 1, "hidden_size": 1}, {"input_size": 3, "hidden_size": 5, "proj_size": 4},
                                    {"input_size": 3, "hidden_size": 5, "proj_size": 0, "num_layers": 1}])
def test_the_smallest_valid_values_are_accepted(kwargs):
    cfg = LSTMConfig(**kwargs)
    assert LSTMConfig.from_module(nn.LSTM(**kwargs)) == cfg


def test_the_proj_size_bound_is_pytorchs():
    """nn.LSTM itself refuses proj_size >= hidden_size with the same words; ours adds the two values."""
    with pytest.raises(ValueError) as theirs:
        nn.LSTM(3, 5, proj_size=5)
    with pytest.raises(ValueError) as ours:
        LSTMConfig(3, 5, proj_size=5)
    assert str(ours.value).startswith(str(theirs.value) + ", got proj_size=5")


@settings(max_examples=60, deadline=None)
@given(cfg=configs())
def test_as_code_builds_the_same_module(cfg):
    code = cfg.as_code()
    module = eval(code, {"nn": nn})  # the line the command prints, run as Python
    assert LSTMConfig.from_module(module) == cfg
    assert code.startswith(f"nn.LSTM({cfg.input_size}, {cfg.hidden_size}")
    defaults = {"num_layers=1", "bias=True", "batch_first=False", "bidirectional=False", "proj_size=0"}
    assert not any(part in defaults for part in code[len("nn.LSTM("):-1].split(", ")), "only non-default options"


@settings(max_examples=60, deadline=None)
@given(cfg=configs())
def test_state_shapes_and_layers_match_the_module(cfg):
    lstm = build(cfg, dtype=torch.float32)
    assert cfg.state_shapes(2) == ((cfg.state_rows, 2, cfg.h_out), (cfg.state_rows, 2, cfg.hidden_size))
    assert cfg.state_shapes(None) == ((cfg.state_rows, cfg.h_out), (cfg.state_rows, cfg.hidden_size))
    with torch.no_grad():
        _, (h_n, c_n) = lstm(torch.zeros(4, 2, cfg.input_size) if not cfg.batch_first else torch.zeros(2, 4, cfg.input_size))
    assert (tuple(h_n.shape), tuple(c_n.shape)) == cfg.state_shapes(2)
    parts = list(cfg.layers_and_directions())
    assert [p.row for p in parts] == list(range(cfg.state_rows)), "bottom layer first, forward before backward"
    assert [(p.layer, p.direction) for p in parts] == [(k, d) for k in range(cfg.num_layers) for d in range(cfg.num_directions)]
    names = {name for name, _ in lstm.named_parameters()}
    for part in parts:
        assert f"weight_ih{part.suffix}" in names and f"weight_hh{part.suffix}" in names
        assert part.suffix.endswith("_reverse") == (part.direction == 1)
    assert len(names) == len(parts) * (2 + 2 * cfg.bias + (cfg.proj_size > 0)), "every parameter has its part"


def test_the_derived_sizes():
    cfg = LSTMConfig(3, 5, num_layers=3, bidirectional=True, proj_size=2)
    assert (cfg.num_directions, cfg.h_out, cfg.state_rows) == (2, 2, 6)
    assert (LSTMConfig(3, 5).num_directions, LSTMConfig(3, 5).h_out, LSTMConfig(3, 5).state_rows) == (1, 5, 1)


def test_time_steps_in_each_direction():
    assert list(time_steps(4, 0)) == [0, 1, 2, 3]
    assert list(time_steps(4, 1)) == [3, 2, 1, 0]
    assert list(time_steps(1, 1)) == [0]


def test_from_module_reads_every_option():
    lstm = nn.LSTM(3, 6, num_layers=2, bias=False, batch_first=True, bidirectional=True, proj_size=4)
    assert LSTMConfig.from_module(lstm) == LSTMConfig(3, 6, 2, True, 4, True, False)
    assert LSTMConfig is RecurrentConfig, "the first release's name is the same class"


@pytest.mark.parametrize("module, expected", [
    (nn.GRU(3, 6, num_layers=2, bias=False, batch_first=True, bidirectional=True),
     RecurrentConfig(3, 6, 2, True, 0, True, False, module="GRU")),
    (nn.RNN(3, 6, nonlinearity="relu", num_layers=3), RecurrentConfig(3, 6, num_layers=3, module="RNN", nonlinearity="relu")),
    (nn.RNN(3, 6), RecurrentConfig(3, 6, module="RNN")),
    (nn.LSTMCell(3, 6, bias=False), RecurrentConfig(3, 6, bias=False, module="LSTMCell")),
    (nn.GRUCell(3, 6), RecurrentConfig(3, 6, module="GRUCell")),
    (nn.RNNCell(3, 6, nonlinearity="relu"), RecurrentConfig(3, 6, module="RNNCell", nonlinearity="relu")),
])
def test_from_module_reads_every_member_of_the_family(module, expected):
    cfg = RecurrentConfig.from_module(module)
    assert cfg == expected
    rebuilt = eval(cfg.as_code(), {"nn": nn})  # the code it prints builds the same module
    assert RecurrentConfig.from_module(rebuilt) == cfg and type(rebuilt) is type(module)


@pytest.mark.parametrize("kwargs, error, message", [
    (dict(module="GRU", proj_size=2), ValueError, "proj_size argument is only supported for LSTM, not RNN or GRU"),
    (dict(module="GRU", nonlinearity="relu"), ValueError, "nonlinearity is an option of nn.RNN and nn.RNNCell, not of nn.GRU"),
    (dict(module="RNN", nonlinearity="sigmoid"), ValueError, "Unknown nonlinearity 'sigmoid'. Select from 'tanh' or 'relu'."),
    (dict(module="LSTMCell", num_layers=2), ValueError, "nn.LSTMCell takes one time step: it has no num_layers"),
    (dict(module="GRUCell", batch_first=True), ValueError, "nn.GRUCell takes one time step: it has no batch_first"),
    (dict(module="RNNCell", bidirectional=True), ValueError, "nn.RNNCell takes one time step: it has no bidirectional"),
    (dict(module="Transformer"), ValueError, "module must be one of LSTM, GRU, RNN, LSTMCell, GRUCell, RNNCell, got 'Transformer'"),
])
def test_options_outside_a_module_are_refused_in_one_sentence(kwargs, error, message):
    with pytest.raises(error, match=re.escape(message)):
        RecurrentConfig(3, 5, **kwargs)


def test_what_each_member_carries():
    table = {m: (RecurrentConfig(3, 5, module=m).gates, RecurrentConfig(3, 5, module=m).has_cell_state) for m in MODULES}
    assert table == {"LSTM": (4, True), "GRU": (3, False), "RNN": (1, False),
                     "LSTMCell": (4, True), "GRUCell": (3, False), "RNNCell": (1, False)}
    for m in MODULES:  # weight_ih has gates * hidden_size rows in torch too
        module = getattr(nn, m)(3, 5)
        weight = module.weight_ih if m.endswith("Cell") else module.weight_ih_l0
        assert weight.shape[0] == 5 * table[m][0]


@pytest.mark.parametrize("batch_first", [False, True])
@pytest.mark.parametrize("unbatched", [False, True])
def test_each_name_is_matched_with_its_size(batch_first, unbatched):
    """Every dimension's name in Shapes.names is the size it names: all sizes distinct, so no swap goes unseen."""
    cfg = LSTMConfig(input_size=3, hidden_size=7, num_layers=2, bidirectional=True, proj_size=5, batch_first=batch_first)
    seq_len, batch = 11, 13
    shape = (seq_len, 3) if unbatched else ((batch, seq_len, 3) if batch_first else (seq_len, batch, 3))
    sizes = {"L": seq_len, "N": batch, "H_in": 3, "H_out": 5, "H_cell": 7, "D*num_layers": 4, "D*H_out": 10}
    shapes = expected_shapes(cfg, shape)
    for key, names in shapes.names.items():
        assert tuple(sizes[name] for name in names) == tuple(getattr(shapes, key)), key
    assert ("N" in shapes.names["output"]) == (not unbatched)
    assert shapes.batched == (not unbatched)
    order = shapes.names["input"]
    assert order == (("L", "H_in") if unbatched else (("N", "L", "H_in") if batch_first else ("L", "N", "H_in")))
    assert shapes.as_dict() == {key: list(getattr(shapes, key)) for key in ("input", "h_0", "c_0", "output", "h_n", "c_n")}


# Fixed cases behind the property tests, so that what they catch never hangs on the draw: every option,
# alone and together, batched both ways and unbatched, with and without a state.
FIXED = [
    LSTMConfig(3, 5), LSTMConfig(3, 5, batch_first=True), LSTMConfig(3, 5, bias=False), LSTMConfig(3, 5, proj_size=2),
    LSTMConfig(3, 5, num_layers=3), LSTMConfig(3, 5, bidirectional=True),
    LSTMConfig(2, 4, num_layers=2, bidirectional=True, proj_size=3, batch_first=True, bias=False),
    LSTMConfig(4, 3, num_layers=2, bidirectional=True, proj_size=1),
]


@pytest.mark.parametrize("cfg", FIXED, ids=[c.as_code() for c in FIXED])
@pytest.mark.parametrize("layout", ["batched", "unbatched"])
@pytest.mark.parametrize("with_state", [False, True])
def test_fixed_cases_match_torch(cfg, layout, with_state):
    from lstm_explained import reference_forward, run_stepwise

    lstm = build(cfg, seed=1)
    g = torch.Generator().manual_seed(2)
    shape = (6, cfg.input_size) if layout == "unbatched" else ((2, 6, cfg.input_size) if cfg.batch_first else (6, 2, cfg.input_size))
    x = torch.randn(shape, generator=g, dtype=torch.float64)
    shapes = expected_shapes(lstm, shape)
    hx = (torch.randn(shapes.h_0, generator=g, dtype=torch.float64), torch.randn(shapes.c_0, generator=g, dtype=torch.float64))
    hx = hx if with_state else None
    with torch.no_grad():
        output, (h_n, c_n) = lstm(x, hx)
        for fn in (reference_forward, run_stepwise):
            out, (h, c) = fn(lstm, x, hx)
            for ours, theirs in ((out, output), (h, h_n), (c, c_n)):
                assert ours.shape == theirs.shape
                torch.testing.assert_close(ours, theirs, rtol=1e-10, atol=1e-12)
    assert (shapes.output, shapes.h_n, shapes.c_n) == (output.shape, h_n.shape, c_n.shape)


@pytest.mark.parametrize("shape, batch_first, message", [
    ((7, 2, 4), False, "input.size(-1) must be equal to input_size. Expected 3, got 4"),
    ((7, 2, 1, 3), False, "LSTM: Expected input to be 2D or 3D, got 4D instead"),
    ((3,), False, "LSTM: Expected input to be 2D or 3D, got 1D instead"),
    ((0, 2, 3), False, "Expected sequence length to be larger than 0 in RNN"),
    ((2, 0, 3), True, "Expected sequence length to be larger than 0 in RNN"),
    ((0, 3), True, "Expected sequence length to be larger than 0 in RNN"),
])
def test_expected_shapes_refuses_in_torchs_words(shape, batch_first, message):
    lstm = nn.LSTM(3, 5, batch_first=batch_first)
    with pytest.raises(ValueError) as ours:
        expected_shapes(lstm, shape)
    assert str(ours.value) == message
    with pytest.raises((RuntimeError, ValueError)) as theirs:
        lstm(torch.zeros(shape), (torch.zeros(1, 2, 5), torch.zeros(1, 2, 5)) if len(shape) == 3 and 0 not in shape else None)
    assert str(theirs.value) == message


@pytest.mark.parametrize("shape, batch_first", [((7, 0, 3), False), ((0, 7, 3), True)])
def test_an_empty_batch_has_shapes(shape, batch_first):
    got = expected_shapes(LSTMConfig(3, 5, batch_first=batch_first), shape)
    assert got.h_n == torch.Size([1, 0, 5]) and got.output.numel() == 0


@pytest.mark.parametrize("bad, message", [
    (7, "input_shape must be a sequence of ints, got 7"),
    ((7, -1, 3), "every dimension of input_shape must be a non-negative int, got [7, -1, 3]"),
    ((7, True, 3), "every dimension of input_shape must be a non-negative int, got [7, True, 3]"),
    ((7.0, 1, 3), "every dimension of input_shape must be a non-negative int, got [7.0, 1, 3]"),
])
def test_malformed_shapes_are_refused_with_the_reason(bad, message):
    with pytest.raises(ValueError) as raised:
        expected_shapes(LSTMConfig(3, 5), bad)
    assert str(raised.value) == message
    assert expected_shapes(LSTMConfig(3, 5), [7, 0, 3]).input == torch.Size([7, 0, 3]), "a list and a zero are fine"
