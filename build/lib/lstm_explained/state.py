"""The initial state ``(h_0, c_0)``: its zero default and its shape checks."""

from __future__ import annotations

from typing import Tuple

from torch import Tensor

from .config import LSTMConfig
from .pytorch_errors import message, state_dims, state_size


def zero_state(cfg: LSTMConfig, batch: int, like: Tensor) -> Tuple[Tensor, Tensor]:
    """Returns zero ``(h_0, c_0)`` of shapes ``(D*num_layers, N, H_out)`` and ``(D*num_layers, N, hidden_size)``."""
    h_shape, c_shape = cfg.state_shapes(batch)
    return like.new_zeros(h_shape), like.new_zeros(c_shape)  # (D*num_layers, N, H_out), (D*num_layers, N, H)


def check_state(cfg: LSTMConfig, hx, batch: int, batched: bool) -> Tuple[Tensor, Tensor]:
    """Returns ``hx`` as 3-D ``(h_0, c_0)``, or raises ValueError worded as ``nn.LSTM`` words it."""
    if not isinstance(hx, (tuple, list)) or len(hx) != 2 or not all(isinstance(t, Tensor) for t in hx):
        raise ValueError("hx must be a tuple (h_0, c_0) of two tensors: nn.LSTM needs both the hidden and the cell state")
    h0, c0 = hx
    want = 3 if batched else 2
    if h0.dim() != want or c0.dim() != want:
        raise ValueError(message(state_dims(batched, h0.dim(), c0.dim())))
    if not batched:
        h0, c0 = h0.unsqueeze(1), c0.unsqueeze(1)  # (D*num_layers, 1, H_out), (D*num_layers, 1, H)
    expected_h, expected_c = cfg.state_shapes(batch)
    if tuple(h0.shape) != expected_h:
        raise ValueError(message(state_size(0, expected_h, h0.shape)))
    if tuple(c0.shape) != expected_c:
        raise ValueError(message(state_size(1, expected_c, c0.shape)))
    return h0, c0
