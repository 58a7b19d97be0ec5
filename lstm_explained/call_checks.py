"""What each module refuses, checked in its order and its words before ``reference_forward`` or ``run_stepwise`` compute anything."""

from __future__ import annotations

from typing import Optional

from torch import Tensor, nn

from .config import RecurrentConfig
from .pytorch_errors import (
    cell_batch,
    cell_hidden_size,
    cell_input_size,
    cell_state_dims,
    checks_input_without_state,
    empty_sequence,
    input_dims,
    input_dtype,
    input_size,
    message,
    parameter_device,
    state_count,
)
from .state import State, check_state, read_state, zero_state


def refuse_dropout(module: nn.Module, cfg: RecurrentConfig, what: str) -> None:
    """Raises ValueError, saying ``what``, for a module in training mode whose dropout between layers would apply."""
    if module.training and getattr(module, "dropout", 0) > 0 and cfg.num_layers > 1:
        raise ValueError(f"{what}: call {cfg.kind.lower()}.eval() first, or set dropout=0")


def checked_call(module: nn.Module, cfg: RecurrentConfig, input: Tensor, hx) -> tuple[Tensor, bool, State]:
    """Returns ``(x, batched, state)``: the input time-major ``(L, N, H_in)`` and the state as a tuple of 3-D tensors.

    The state is zeros if ``hx`` is None. Raises what the module raises for this call, in its
    order and words: the input's dimensions, the state's, the input's dtype and size, the
    state's shapes, then the kernel's checks (more than two states, devices, no time steps).
    Shape and dtype errors are ValueError, the kernel's RuntimeError. Before PyTorch 2.3 without
    a state, nn.LSTM alone skips the dtype and size checks (pytorch/pytorch#114874): the kernel's
    checks come first, then we refuse the dtype or size where PyTorch fails in a matrix product
    or runs on garbage.
    """
    if input.dim() not in (2, 3):
        raise ValueError(message(input_dims(input.dim(), cfg.module)))
    batched = input.dim() == 3
    if hx is not None:
        read_state(cfg, hx, batched)  # forward checks the state's dimensions before the input's dtype and size
    weights = module.weight_ih_l0  # (gates*H, H_in)
    checked_first = hx is not None or cfg.module != "LSTM" or checks_input_without_state()
    if checked_first:
        _check_input(cfg, input, weights)
    x = input if batched else input.unsqueeze(0 if cfg.batch_first else 1)
    if cfg.batch_first:
        x = x.transpose(0, 1)  # (L, N, H_in)
    state = zero_state(cfg, x.size(1), x) if hx is None else check_state(cfg, hx, x.size(1), batched, device=x.device)
    if x.device != weights.device:
        raise RuntimeError(message(parameter_device(x.device, weights.device)))
    if x.size(0) == 0:
        raise RuntimeError(message(empty_sequence()))
    if not checked_first:
        _check_input(cfg, input, weights)  # PyTorch fails in a matrix product or runs on garbage: we refuse
    return x, batched, state


def checked_cell_call(cfg: RecurrentConfig, input: Tensor, hx) -> tuple[Tensor, bool, Optional[State]]:
    """Returns ``(x, batched, state)`` for a cell: the input ``(N, H_in)``, and the given state as a tuple of 2-D tensors or None.

    Raises what the cell raises, in its order and words: the input's dimensions, the state's
    (ValueError); then the kernel's: an LSTMCell's two states, the input's size, each state's
    batch and size (RuntimeError).
    """
    if input.dim() not in (1, 2):
        raise ValueError(message(input_dims(input.dim(), cfg.module)))
    state = None
    if hx is not None:
        state = tuple(hx) if cfg.has_cell_state and isinstance(hx, (tuple, list)) else (hx,)
        if not all(isinstance(part, Tensor) for part in state) or (cfg.has_cell_state and not isinstance(hx, (tuple, list))):
            want = "a tuple (h_0, c_0) of two tensors" if cfg.has_cell_state else "one tensor h_0"
            raise ValueError(f"hx of nn.{cfg.module} must be {want}")
        for index, part in enumerate(state):
            if part.dim() not in (1, 2):
                raise ValueError(message(cell_state_dims(cfg.module, part.dim(), index)))
    batched = input.dim() == 2
    x = input if batched else input.unsqueeze(0)  # (N, H_in)
    if state is not None and not batched:
        if len(state) < 2 and cfg.has_cell_state:
            raise IndexError("tuple index out of range")  # forward reads hx[1]
        state = tuple(part.unsqueeze(0) for part in state[:2])  # (1, H): forward unsqueezes hx[0] and hx[1] alone
    if cfg.has_cell_state and state is not None and len(state) != 2:
        raise RuntimeError(message(state_count(cell=True)))
    if x.size(1) != cfg.input_size:
        raise RuntimeError(message(cell_input_size(cfg.input_size, x.size(1))))
    for index, part in enumerate(state or ()):
        if part.size(0) != x.size(0):
            raise RuntimeError(message(cell_batch(x.size(0), index, part.size(0))))
        if part.size(1) != cfg.hidden_size:
            raise RuntimeError(message(cell_hidden_size(index, part.size(1), cfg.hidden_size)))
    return x, batched, state


def _check_input(cfg: RecurrentConfig, input: Tensor, weights: Tensor) -> None:
    """Raises what ``RNNBase.check_input`` raises for an input of another dtype or size than the weights'."""
    if input.dtype != weights.dtype:
        raise ValueError(message(input_dtype(input.dtype, weights.dtype)))
    if input.size(-1) != cfg.input_size:
        raise ValueError(message(input_size(cfg.input_size, input.size(-1))))
