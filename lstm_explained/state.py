"""The initial state: its zero default and its checks, made in each module's order and words.

A state is handled here as a tuple: ``(h, c)`` for an LSTM, ``(h,)`` for a module without a cell
state. What the user passes is ``(h_0, c_0)`` to an ``nn.LSTM`` and ``h_0`` alone to the others.
"""

from __future__ import annotations

from typing import Optional, Tuple

import torch
from torch import Tensor

from .config import RecurrentConfig
from .pytorch_errors import hidden_size, message, single_state_dims, state_count, state_device, state_dims, state_size

State = Tuple[Tensor, ...]  # (h, c) or (h,)


def zero_state(cfg: RecurrentConfig, batch: int, like: Tensor) -> State:
    """Returns the zero state of a layer: ``h`` of ``(D*num_layers, N, H_out)``; for an LSTM, ``c`` of ``(D*num_layers, N, H)``."""
    h_shape, c_shape = cfg.state_shapes(batch)
    return tuple(like.new_zeros(shape) for shape in (h_shape, c_shape) if shape is not None)


def as_tuple(cfg: RecurrentConfig, state: State):
    """Returns a state as the module returns it: ``(h, c)`` for an LSTM, ``h`` alone otherwise."""
    return state if cfg.has_cell_state else state[0]


def state_pair(hx, batched: bool) -> Tuple[Tensor, Tensor]:
    """Returns ``(hx[0], hx[1])`` of an LSTM after ``LSTM.forward``'s first check, their number of dimensions; else raises.

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


def state_single(cfg: RecurrentConfig, hx, batched: bool) -> Tensor:
    """Returns the ``h_0`` of an ``nn.GRU`` or ``nn.RNN`` after its ``forward``'s first check, its number of dimensions; else raises."""
    if not isinstance(hx, Tensor):
        raise ValueError(f"hx must be one tensor h_0: nn.{cfg.module} has no cell state, so no (h_0, c_0) pair")
    if hx.dim() != (3 if batched else 2):
        raise ValueError(message(single_state_dims(batched, hx.dim())))
    return hx


def read_state(cfg: RecurrentConfig, hx, batched: bool) -> State:
    """Returns the state the user passed as a tuple, after the module's check of its dimensions; else raises."""
    return state_pair(hx, batched) if cfg.has_cell_state else (state_single(cfg, hx, batched),)


def check_state(cfg: RecurrentConfig, hx, batch: int, batched: bool, device: Optional[torch.device] = None) -> State:
    """Returns ``hx`` as a tuple of 3-D tensors, or raises as the module does, in its order and its words.

    The order: dimensions, then the shapes (``hidden[0]``, then ``hidden[1]`` for an LSTM), then
    the kernel's checks, more than two tensors (an LSTM's batched input only: unbatched input drops
    the others) and a state on another ``device`` than the input. Errors of shape are ValueError;
    the kernel's are RuntimeError, as PyTorch raises them.
    """
    state = read_state(cfg, hx, batched)
    if not batched:
        state = tuple(part.unsqueeze(1) for part in state)  # (D*num_layers, 1, H_out), (D*num_layers, 1, H)
    expected = cfg.state_shapes(batch)
    if not cfg.has_cell_state and tuple(state[0].shape) != expected[0]:
        raise ValueError(message(hidden_size(expected[0], state[0].shape)))
    for index, part in enumerate(state if cfg.has_cell_state else ()):
        if tuple(part.shape) != expected[index]:
            raise ValueError(message(state_size(index, expected[index], part.shape)))
    if batched and cfg.has_cell_state and len(hx) > 2:
        raise RuntimeError(message(state_count()))
    for part in state:
        if device is not None and part.device != device:
            raise RuntimeError(message(state_device(device, part.device)))
    return state
