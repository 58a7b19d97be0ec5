"""Loop mode: an ``nn.LSTM`` called one time step at a time, carrying ``(h, c)``."""

from __future__ import annotations

from typing import Optional, Tuple

import torch
from torch import Tensor, nn
from torch.func import functional_call
from torch.nn.utils.rnn import PackedSequence

from .call_checks import checked_call, refuse_dropout
from .config import LSTMConfig, time_steps
from .pytorch_errors import input_dims, message

State = Tuple[Tensor, Tensor]


def run_stepwise(lstm: nn.LSTM, input: Tensor, hx: Optional[State] = None):
    """Returns ``(output, (h_n, c_n))`` by feeding ``input`` to ``lstm`` one time step at a time.

    This is loop mode: each call sees a sequence of length 1 and the ``(h, c)`` that
    the previous call returned. For a one-direction LSTM the module itself is called,
    all layers at once. A bidirectional LSTM cannot be stepped as a whole (its
    backward direction runs from the last step to the first), so each layer and
    direction is stepped on its own, through ``torch.func.functional_call`` with the
    module's own parameters: the result is still the module's, and gradients reach
    its parameters.

    Packed sequences are not accepted: pad them first. Dropout between layers is not
    reproduced, so in training mode with ``dropout > 0`` (and more than one layer) this
    raises ``ValueError``; call ``lstm.eval()`` first. (Stepping would not give the
    module's result there: each one-step call of the module draws new dropout masks, and
    the layer-by-layer path of a bidirectional LSTM applies none.)

    Examples:
        >>> import torch
        >>> from torch import nn
        >>> from lstm_explained import run_stepwise
        >>> _ = torch.manual_seed(0)
        >>> lstm = nn.LSTM(3, 5, batch_first=True)
        >>> x = torch.randn(2, 7, 3)  # (N, L, H_in)
        >>> bulk, (h_bulk, c_bulk) = lstm(x)
        >>> loop, (h_loop, c_loop) = run_stepwise(lstm, x)
        >>> torch.allclose(bulk, loop, atol=1e-6), torch.allclose(h_bulk, h_loop, atol=1e-6)
        (True, True)
    """
    if isinstance(input, PackedSequence):
        raise TypeError("run_stepwise takes a padded Tensor, not a PackedSequence: use pad_packed_sequence first")
    if not isinstance(input, Tensor):
        raise TypeError(f"input must be a Tensor, got {type(input).__name__}")
    cfg = LSTMConfig.from_module(lstm)
    refuse_dropout(lstm, cfg, "run_stepwise does not reproduce dropout")
    if input.dim() not in (2, 3):
        raise ValueError(message(input_dims(input.dim())))
    batched = input.dim() == 3
    time_dim = 1 if (batched and cfg.batch_first) else 0

    if not cfg.bidirectional:
        if input.size(time_dim) == 0:  # no step to feed: the module raises for this call what it raises
            lstm(input, hx)
        steps = []
        state = hx
        for t in range(input.size(time_dim)):
            x_t = input.narrow(time_dim, t, 1)  # one step: (1, N, H_in), (N, 1, H_in) or (1, H_in)
            out_t, state = lstm(x_t, state)  # (h, c) carried to the next call
            steps.append(out_t)
        return torch.cat(steps, dim=time_dim), state

    x, batched, h0, c0 = checked_call(lstm, cfg, input, hx)  # (L, N, H_in), 3-D state: refused as nn.LSTM refuses
    out, h_n, c_n = _step_layers(lstm, cfg, x, h0, c0)  # (L, N, D*H_out)
    if batched and cfg.batch_first:
        out = out.transpose(0, 1)  # (N, L, D*H_out)
    if not batched:
        out, h_n, c_n = out.squeeze(1), h_n.squeeze(1), c_n.squeeze(1)
    return out, (h_n, c_n)


def _step_layers(lstm: nn.LSTM, cfg: LSTMConfig, x: Tensor, h0: Tensor, c0: Tensor):
    """Returns ``(output, h_n, c_n)``, stepping each layer and direction through a one-direction LSTM."""
    single = nn.LSTM(
        layer_input_size := cfg.input_size, cfg.hidden_size, bias=cfg.bias, proj_size=cfg.proj_size,
        device=x.device, dtype=x.dtype,
    )
    h_n, c_n = [], []
    layer_input, outputs = x, []  # (L, N, H_in)
    for part in cfg.layers_and_directions():
        params = {name + "_l0": getattr(lstm, name + part.suffix) for name in _param_names(cfg)}
        state = (h0[part.row : part.row + 1], c0[part.row : part.row + 1])  # (1, N, H_out), (1, N, H)
        steps = [None] * x.size(0)
        for t in time_steps(x.size(0), part.direction):
            steps[t], state = functional_call(single, params, (layer_input[t : t + 1], state))  # (1, N, H_out)
        outputs.append(torch.cat(steps))  # (L, N, H_out)
        h_n.append(state[0])
        c_n.append(state[1])
        if part.direction == cfg.num_directions - 1:  # the layer is complete: it feeds the next one
            layer_input, outputs = torch.cat(outputs, dim=2), []  # (L, N, D*H_out)
            if part.layer == 0 and layer_input_size != layer_input.size(2):
                single = nn.LSTM(layer_input.size(2), cfg.hidden_size, bias=cfg.bias, proj_size=cfg.proj_size,
                                 device=x.device, dtype=x.dtype)
    return layer_input, torch.cat(h_n), torch.cat(c_n)  # (D*num_layers, N, H_out), (D*num_layers, N, H)


def _param_names(cfg: LSTMConfig) -> list[str]:
    """Returns the parameter names of one layer in one direction, without their ``_l{k}`` suffix."""
    names = ["weight_ih", "weight_hh"]
    if cfg.bias:
        names += ["bias_ih", "bias_hh"]
    if cfg.proj_size > 0:
        names.append("weight_hr")
    return names
