"""What ``nn.LSTM`` refuses, checked in its order and its words before ``reference_forward`` or ``run_stepwise`` compute anything."""

from __future__ import annotations

from typing import Optional, Tuple

from torch import Tensor, nn

from .config import LSTMConfig
from .pytorch_errors import checks_input_without_state, empty_sequence, input_dims, input_dtype, input_size, message, parameter_device
from .state import check_state, state_pair, zero_state

State = Tuple[Tensor, Tensor]


def refuse_dropout(lstm: nn.LSTM, cfg: LSTMConfig, what: str) -> None:
    """Raises ValueError, saying ``what``, for a module in training mode whose dropout between layers would apply."""
    if lstm.training and lstm.dropout > 0 and cfg.num_layers > 1:
        raise ValueError(f"{what}: call lstm.eval() first, or set dropout=0")


def checked_call(lstm: nn.LSTM, cfg: LSTMConfig, input: Tensor, hx: Optional[State]):
    """Returns ``(x, batched, h_0, c_0)``: the input time-major ``(L, N, H_in)`` and the state 3-D, zeros if ``hx`` is None.

    Raises what ``nn.LSTM`` raises for this call, in its order and words: the input's
    dimensions, the state's, the input's dtype and size, the state's shapes, then the
    kernel's checks (more than two states, devices, no time steps). Shape and dtype errors
    are ValueError, the kernel's RuntimeError. Before PyTorch 2.3 without a state, nn.LSTM
    skips the dtype and size checks (pytorch/pytorch#114874): the kernel's checks come first,
    then we refuse the dtype or size where PyTorch fails in a matrix product or runs on garbage.
    """
    if input.dim() not in (2, 3):
        raise ValueError(message(input_dims(input.dim())))
    batched = input.dim() == 3
    if hx is not None:
        state_pair(hx, batched)  # LSTM.forward checks the state's dimensions before the input's dtype and size
    weights = lstm.weight_ih_l0  # (4*H, H_in)
    # Before 2.3, LSTM.forward checks the input's dtype and size only with a state (pytorch/pytorch#114874):
    # without one, the kernel's checks come first, and we refuse the dtype or size only after them.
    checked_first = hx is not None or checks_input_without_state()
    if checked_first:
        _check_input(cfg, input, weights)
    x = input if batched else input.unsqueeze(0 if cfg.batch_first else 1)
    if cfg.batch_first:
        x = x.transpose(0, 1)  # (L, N, H_in)
    if hx is None:
        h0, c0 = zero_state(cfg, x.size(1), x)  # (D*num_layers, N, H_out), (D*num_layers, N, H_cell)
    else:
        h0, c0 = check_state(cfg, hx, x.size(1), batched, device=x.device)
    if x.device != weights.device:
        raise RuntimeError(message(parameter_device(x.device, weights.device)))
    if x.size(0) == 0:
        raise RuntimeError(message(empty_sequence()))
    if not checked_first:
        _check_input(cfg, input, weights)  # PyTorch fails in a matrix product or runs on garbage: we refuse
    return x, batched, h0, c0


def _check_input(cfg: LSTMConfig, input: Tensor, weights: Tensor) -> None:
    """Raises what ``RNNBase.check_input`` raises for an input of another dtype or size than the weights'."""
    if input.dtype != weights.dtype:
        raise ValueError(message(input_dtype(input.dtype, weights.dtype)))
    if input.size(-1) != cfg.input_size:
        raise ValueError(message(input_size(cfg.input_size, input.size(-1))))
