"""Hypothesis strategies for nn.LSTM configurations and inputs, shared by the property tests."""

from __future__ import annotations

import torch
from hypothesis import strategies as st
from torch import nn

from lstm_explained import LSTMConfig


@st.composite
def configs(draw, max_size: int = 5) -> LSTMConfig:
    """Returns a random valid LSTMConfig: every option, small sizes."""
    hidden = draw(st.integers(1, max_size))
    return LSTMConfig(
        input_size=draw(st.integers(1, max_size)),
        hidden_size=hidden,
        num_layers=draw(st.integers(1, 3)),
        bidirectional=draw(st.booleans()),
        proj_size=draw(st.integers(0, hidden - 1)),
        batch_first=draw(st.booleans()),
        bias=draw(st.booleans()),
    )


def build(cfg: LSTMConfig, seed: int = 0, dtype=torch.float64) -> nn.LSTM:
    """Returns an nn.LSTM of the given config with seeded weights, in eval mode."""
    # The CPU generator is the one the weights (and a test's CPU tensors after them) draw from. torch.manual_seed
    # seeds it too, but also queues a seed for CUDA, XPU and MTIA, formatting the call stack each time: a
    # millisecond per example, deep in Hypothesis.
    torch.default_generator.manual_seed(seed)
    lstm = nn.LSTM(
        cfg.input_size, cfg.hidden_size, num_layers=cfg.num_layers, bias=cfg.bias,
        batch_first=cfg.batch_first, bidirectional=cfg.bidirectional, proj_size=cfg.proj_size,
    )
    return lstm.to(dtype).eval()


@st.composite
def valid_input_shapes(draw, cfg: LSTMConfig) -> tuple[int, ...]:
    """Returns an input shape nn.LSTM accepts for cfg: batched 3-D or unbatched 2-D."""
    seq_len = draw(st.integers(1, 6))
    if draw(st.booleans()):
        return (seq_len, cfg.input_size)
    batch = draw(st.integers(1, 4))
    return (batch, seq_len, cfg.input_size) if cfg.batch_first else (seq_len, batch, cfg.input_size)
