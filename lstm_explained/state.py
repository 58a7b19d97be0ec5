"""The initial state ``(h_0, c_0)``: its zero default and its checks, made in ``nn.LSTM``'s order and words."""

from __future__ import annotations

from typing import Optional, Tuple

import torch
from torch import Tensor

from .config import LSTMConfig
from .pytorch_errors import message, state_count, state_device, state_dims, state_size


def zero_state(cfg: LSTMConfig, batch: int, like: Tensor) -> Tuple[Tensor, Tensor]:
    """Returns zero ``(h_0, c_0)`` of shapes ``(D*num_layers, N, H_out)`` and ``(D*num_layers, N, hidden_size)``."""
    h_shape, c_shape = cfg.state_shapes(batch)
    return like.new_zeros(h_shape), like.new_zeros(c_shape)  # (D*num_layers, N, H_out), (D*num_layers, N, H)


def state_pair(hx, batched: bool) -> Tuple[Tensor, Tensor]:
    """Returns ``(hx[0], hx[1])`` after ``LSTM.forward``'s first check, their number of dimensions; else raises.

    ``nn.LSTM`` reads any indexable ``hx`` this way; here anything but a tuple or list of
    tensors is refused with a ValueError that says what ``hx`` must be.
    """
    if not isinstance(hx, (tuple, list)) or len(hx) < 2 or not all(isinstance(t, Tensor) for t in hx[:2]):
        raise ValueError("hx must be a tuple (h_0, c_0) of two tensors: nn.LSTM needs both the hidden and the cell state")
    h0, c0 = hx[0], hx[1]
    want = 3 if batched else 2
    if h0.dim() != want or c0.dim() != want:
        raise ValueError(message(state_dims(batched, h0.dim(), c0.dim())))
    return h0, c0


def check_state(cfg: LSTMConfig, hx, batch: int, batched: bool, device: Optional[torch.device] = None) -> Tuple[Tensor, Tensor]:
    """Returns ``hx`` as 3-D ``(h_0, c_0)``, or raises as ``nn.LSTM`` does, in its order and its words.

    The order: dimensions, then ``hidden[0]``'s and ``hidden[1]``'s shapes, then the kernel's
    checks, more than two tensors (batched input only: unbatched input drops the others) and
    a state on another ``device`` than the input. Errors of shape are ValueError; the
    kernel's are RuntimeError, as PyTorch raises them.
    """
    h0, c0 = state_pair(hx, batched)
    if not batched:
        h0, c0 = h0.unsqueeze(1), c0.unsqueeze(1)  # (D*num_layers, 1, H_out), (D*num_layers, 1, H)
    expected_h, expected_c = cfg.state_shapes(batch)
    if tuple(h0.shape) != expected_h:
        raise ValueError(message(state_size(0, expected_h, h0.shape)))
    if tuple(c0.shape) != expected_c:
        raise ValueError(message(state_size(1, expected_c, c0.shape)))
    if batched and len(hx) > 2:
        raise RuntimeError(message(state_count()))
    for part in (h0, c0):
        if device is not None and part.device != device:
            raise RuntimeError(message(state_device(device, part.device)))
    return h0, c0
