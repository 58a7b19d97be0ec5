"""Hypothesis strategies for configurations and inputs of the recurrent family, shared by the property tests."""

from __future__ import annotations

from typing import Optional

import torch
from hypothesis import strategies as st
from torch import Tensor, nn

from lstm_explained import RecurrentConfig
from lstm_explained.config import MODULES


@st.composite
def configs(draw, max_size: int = 5, modules: tuple[str, ...] = ("LSTM",)) -> RecurrentConfig:
    """Returns a random valid config of one of ``modules`` (nn.LSTM by default): every option, small sizes."""
    module = draw(st.sampled_from(modules))
    hidden = draw(st.integers(1, max_size))
    common = dict(input_size=draw(st.integers(1, max_size)), hidden_size=hidden, bias=draw(st.booleans()), module=module)
    if module in ("RNN", "RNNCell"):
        common["nonlinearity"] = draw(st.sampled_from(["tanh", "relu"]))
    if module.endswith("Cell"):
        return RecurrentConfig(**common)
    return RecurrentConfig(
        num_layers=draw(st.integers(1, 3)),
        bidirectional=draw(st.booleans()),
        proj_size=draw(st.integers(0, hidden - 1)) if module == "LSTM" else 0,
        batch_first=draw(st.booleans()),
        **common,
    )


def family_configs(max_size: int = 5) -> st.SearchStrategy[RecurrentConfig]:
    """Returns configs of every member of the family: the three layers and the three cells."""
    return configs(max_size, MODULES)


def build(cfg: RecurrentConfig, seed: int = 0, dtype=torch.float64) -> nn.Module:
    """Returns the torch module of the given config with seeded weights, in eval mode."""
    # The CPU generator is the one the weights (and a test's CPU tensors after them) draw from. torch.manual_seed
    # seeds it too, but also queues a seed for CUDA, XPU and MTIA, formatting the call stack each time: a
    # millisecond per example, deep in Hypothesis.
    torch.default_generator.manual_seed(seed)
    options = dict(bias=cfg.bias)
    if cfg.kind == "RNN":
        options["nonlinearity"] = cfg.nonlinearity
    if not cfg.is_cell:
        options.update(num_layers=cfg.num_layers, batch_first=cfg.batch_first, bidirectional=cfg.bidirectional)
    if cfg.module == "LSTM":
        options["proj_size"] = cfg.proj_size
    return getattr(nn, cfg.module)(cfg.input_size, cfg.hidden_size, **options).to(dtype).eval()


@st.composite
def valid_input_shapes(draw, cfg: RecurrentConfig) -> tuple[int, ...]:
    """Returns an input shape the module accepts: batched 3-D or unbatched 2-D; for a cell, (N, H_in) or (H_in,)."""
    batch = draw(st.integers(1, 4))
    if cfg.is_cell:
        return (batch, cfg.input_size) if draw(st.booleans()) else (cfg.input_size,)
    seq_len = draw(st.integers(1, 6))
    if draw(st.booleans()):
        return (seq_len, cfg.input_size)
    return (batch, seq_len, cfg.input_size) if cfg.batch_first else (seq_len, batch, cfg.input_size)


def unpack(cfg: RecurrentConfig, returned) -> tuple[Optional[Tensor], Tensor, Optional[Tensor]]:
    """Returns ``(output, h_n, c_n)`` of what a module returned: None where the module has no such tensor."""
    if cfg.is_cell:
        return (None, *returned) if cfg.has_cell_state else (None, returned, None)
    output, state = returned
    return (output, *state) if cfg.has_cell_state else (output, state, None)


def random_state(cfg: RecurrentConfig, shapes, generator, dtype=torch.float64):
    """Returns a random state of the shapes ``expected_shapes`` gives: ``(h_0, c_0)`` for an LSTM, else ``h_0``."""
    h = torch.randn(shapes.h_0, generator=generator, dtype=dtype)
    return (h, torch.randn(shapes.c_0, generator=generator, dtype=dtype)) if cfg.has_cell_state else h
