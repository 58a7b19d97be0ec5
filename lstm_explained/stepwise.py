"""Loop mode: a recurrent module called one time step at a time, carrying its state."""

from __future__ import annotations

import torch
from torch import Tensor, nn
from torch.func import functional_call
from torch.nn.utils.rnn import PackedSequence

from .call_checks import checked_call, refuse_dropout
from .config import RecurrentConfig, time_steps
from .pytorch_errors import input_dims, message
from .state import State, as_tuple


def run_stepwise(lstm: nn.Module, input: Tensor, hx=None):
    """Returns what ``lstm(input, hx)`` returns, by feeding ``input`` to ``lstm`` one time step at a time.

    This is loop mode: each call sees a sequence of length 1 and the state that the previous
    call returned: ``(output, (h_n, c_n))`` for an ``nn.LSTM``, ``(output, h_n)`` for an ``nn.GRU``
    or an ``nn.RNN``. For a one-direction module the module itself is called, all layers at once.
    A bidirectional module cannot be stepped as a whole (its backward direction runs from the
    last step to the first), so each layer and direction is stepped on its own, through
    ``torch.func.functional_call`` with the module's own parameters: the result is still the
    module's, and gradients reach its parameters.

    A cell (``nn.LSTMCell``, ``nn.GRUCell``, ``nn.RNNCell``) is what loop mode is made of: given a
    whole sequence, time-major ``(L, N, H_in)`` or unbatched ``(L, H_in)``, it is called once per
    step, and the result has a layer's form: ``(output, (h_n, c_n))`` for an LSTMCell, ``(output,
    h_n)`` otherwise, with ``output`` every step's ``h`` and ``h_n`` the last, as a one-layer
    ``nn.LSTM`` with the same weights would return them but without its ``D*num_layers`` dimension.

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
    cfg = RecurrentConfig.from_module(lstm)
    if cfg.is_cell:
        return _step_cell(lstm, cfg, input, hx)
    refuse_dropout(lstm, cfg, "run_stepwise does not reproduce dropout")
    if input.dim() not in (2, 3):
        raise ValueError(message(input_dims(input.dim(), cfg.module)))
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

    x, batched, state = checked_call(lstm, cfg, input, hx)  # (L, N, H_in), 3-D state: refused as the module refuses
    out, state = _step_layers(lstm, cfg, x, state)  # (L, N, D*H_out)
    if batched and cfg.batch_first:
        out = out.transpose(0, 1)  # (N, L, D*H_out)
    if not batched:
        out, state = out.squeeze(1), tuple(part.squeeze(1) for part in state)
    return out, as_tuple(cfg, state)


def _step_cell(cell: nn.Module, cfg: RecurrentConfig, input: Tensor, hx):
    """Returns ``(output, state)`` of a cell called once per time step of a time-major sequence."""
    if input.dim() not in (2, 3):
        raise ValueError(f"run_stepwise steps a cell through a sequence: input must be (L, N, H_in) or (L, H_in), got {input.dim()}-D")
    steps, state = [], hx
    for t in range(input.size(0)):
        state = cell(input[t], state)  # (N, H) or ((N, H), (N, H)): the cell's own checks and messages
        steps.append(state[0] if cfg.has_cell_state else state)
    if not steps:
        raise ValueError("run_stepwise needs at least one time step")
    return torch.stack(steps), state  # (L, N, H), state


def _one_direction(cfg: RecurrentConfig, input_size: int, x: Tensor) -> nn.Module:
    """Returns a one-layer, one-direction module of cfg's kind, to run one layer and direction's parameters through."""
    options = dict(bias=cfg.bias, device=x.device, dtype=x.dtype)
    if cfg.module == "LSTM":
        options["proj_size"] = cfg.proj_size
    if cfg.module == "RNN":
        options["nonlinearity"] = cfg.nonlinearity
    return getattr(nn, cfg.module)(input_size, cfg.hidden_size, **options)


def _step_layers(module: nn.Module, cfg: RecurrentConfig, x: Tensor, state0: State) -> tuple[Tensor, State]:
    """Returns ``(output, final state)``, stepping each layer and direction through a one-direction module."""
    single = _one_direction(cfg, layer_input_size := cfg.input_size, x)
    finals = []
    layer_input, outputs = x, []  # (L, N, H_in)
    for part in cfg.layers_and_directions():
        params = {name + "_l0": getattr(module, name + part.suffix) for name in _param_names(cfg)}
        state = tuple(s[part.row : part.row + 1] for s in state0)  # (1, N, H_out), (1, N, H)
        steps = [None] * x.size(0)
        for t in time_steps(x.size(0), part.direction):
            carried = state if cfg.has_cell_state else state[0]
            steps[t], carried = functional_call(single, params, (layer_input[t : t + 1], carried))  # (1, N, H_out)
            state = carried if cfg.has_cell_state else (carried,)
        outputs.append(torch.cat(steps))  # (L, N, H_out)
        finals.append(state)
        if part.direction == cfg.num_directions - 1:  # the layer is complete: it feeds the next one
            layer_input, outputs = torch.cat(outputs, dim=2), []  # (L, N, D*H_out)
            if part.layer == 0 and layer_input_size != layer_input.size(2):
                single = _one_direction(cfg, layer_input.size(2), x)
    return layer_input, tuple(torch.cat(parts) for parts in zip(*finals))  # (D*num_layers, N, H_out), ...


def _param_names(cfg: RecurrentConfig) -> list[str]:
    """Returns the parameter names of one layer in one direction, without their ``_l{k}`` suffix."""
    names = ["weight_ih", "weight_hh"]
    if cfg.bias:
        names += ["bias_ih", "bias_hh"]
    if cfg.proj_size > 0:
        names.append("weight_hr")
    return names
