"""A recurrent forward pass in plain tensor operations, from the module's own parameters: nn.LSTM, nn.GRU, nn.RNN and their cells."""

from __future__ import annotations

from typing import Optional

import torch
from torch import Tensor, nn
from torch.nn.utils.rnn import PackedSequence

from .call_checks import checked_call, checked_cell_call, refuse_dropout
from .config import LayerDirection, RecurrentConfig, time_steps
from .pytorch_errors import input_dtype, message
from .state import State, as_tuple, check_state, zero_state


def reference_forward(lstm: nn.Module, input, hx=None):
    """Returns what ``lstm(input, hx)`` returns, computed by hand: ``(output, (h_n, c_n))`` for an ``nn.LSTM``.

    ``lstm`` is any member of the family, and the result has the module's own form:
    ``(output, h_n)`` for an ``nn.GRU`` or an ``nn.RNN``, ``(h', c')`` for an ``nn.LSTMCell``,
    ``h'`` for an ``nn.GRUCell`` or an ``nn.RNNCell``. The equations are those of the PyTorch
    documentation:

    - LSTM, gate order i, f, g, o: ``i = σ(W_ii x + b_ii + W_hi h + b_hi)``, and likewise ``f``,
      ``o``; ``g = tanh(W_ig x + b_ig + W_hg h + b_hg)``; ``c' = f ⊙ c + i ⊙ g`` and
      ``h' = o ⊙ tanh(c')``, then ``h' = W_hr h'`` when proj_size > 0;
    - GRU, gate order r, z, n: ``r = σ(W_ir x + b_ir + W_hr h + b_hr)``, and likewise ``z``;
      ``n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn))``; ``h' = (1 − z) ⊙ n + z ⊙ h``;
    - RNN: ``h' = tanh(W_ih x + b_ih + W_hh h + b_hh)``, or ``relu`` with ``nonlinearity="relu"``.

    Every option is covered: ``bias=False``, ``proj_size``, ``bidirectional``, several
    layers, ``batch_first``, unbatched input, and a ``PackedSequence`` (sorted or made with
    ``enforce_sorted=False``). Dropout between layers is not modelled: in training mode with
    ``dropout > 0`` this raises ``ValueError``; call ``.eval()``. A call the module refuses is
    refused with PyTorch's own message (see :func:`lstm_explained.call_checks.checked_call`).

    Examples:
        >>> import torch
        >>> from torch import nn
        >>> from lstm_explained import reference_forward
        >>> _ = torch.manual_seed(0)
        >>> lstm = nn.LSTM(3, 4, num_layers=2, bidirectional=True).double()
        >>> x = torch.randn(6, 2, 3, dtype=torch.float64)
        >>> ours, (h_ours, c_ours) = reference_forward(lstm, x)
        >>> theirs, (h_theirs, c_theirs) = lstm(x)
        >>> torch.allclose(ours, theirs), torch.allclose(h_ours, h_theirs), torch.allclose(c_ours, c_theirs)
        (True, True, True)
        >>> gru = nn.GRU(3, 4, batch_first=True).double()
        >>> ours, h_ours = reference_forward(gru, x)
        >>> theirs, h_theirs = gru(x)
        >>> torch.allclose(ours, theirs), torch.allclose(h_ours, h_theirs)
        (True, True)
    """
    cfg = RecurrentConfig.from_module(lstm)
    if cfg.is_cell:
        return _cell_forward(lstm, cfg, input, hx)
    refuse_dropout(lstm, cfg, "reference_forward does not model dropout")
    weight_dtype = lstm.weight_ih_l0.dtype

    if isinstance(input, PackedSequence):
        x, lengths = _unpack(input)  # (T, N, H_in) in sorted order, (N,)
        if x.dtype != weight_dtype:
            raise ValueError(message(input_dtype(x.dtype, weight_dtype)))
        state = zero_state(cfg, x.size(1), x) if hx is None else check_state(cfg, hx, x.size(1), batched=True)
        if input.sorted_indices is not None and hx is not None:
            state = tuple(part.index_select(1, input.sorted_indices) for part in state)
        out, state = _run_layers(lstm, cfg, x, lengths, state)  # (T, N, D*H_out)
        out_packed = PackedSequence(_repack(out, input.batch_sizes), input.batch_sizes, input.sorted_indices, input.unsorted_indices)
        if input.unsorted_indices is not None:
            state = tuple(part.index_select(1, input.unsorted_indices) for part in state)
        return out_packed, as_tuple(cfg, state)

    if not isinstance(input, Tensor):
        raise TypeError(f"input must be a Tensor or a PackedSequence, got {type(input).__name__}")
    x, batched, state = checked_call(lstm, cfg, input, hx)  # (L, N, H_in), ((D*num_layers, N, H_out), ...)
    seq_len, batch = x.size(0), x.size(1)
    lengths = torch.full((batch,), seq_len, dtype=torch.long)
    out, state = _run_layers(lstm, cfg, x, lengths, state)  # (L, N, D*H_out)
    if cfg.batch_first:
        out = out.transpose(0, 1)  # (N, L, D*H_out)
    if not batched:
        out = out.squeeze(0 if cfg.batch_first else 1)  # (L, D*H_out)
        state = tuple(part.squeeze(1) for part in state)  # (D*num_layers, H_out), (D*num_layers, H_cell)
    return out, as_tuple(cfg, state)


def _cell_forward(cell: nn.Module, cfg: RecurrentConfig, input, hx):
    """Returns what a cell returns for one time step: ``(h', c')`` for an LSTMCell, else ``h'``."""
    if not isinstance(input, Tensor):
        raise TypeError(f"input must be a Tensor, got {type(input).__name__}")
    x, batched, state = checked_cell_call(cfg, input, hx)  # (N, H_in), ((N, H), ...) or None
    if state is None:
        state = tuple(x.new_zeros(x.size(0), cfg.hidden_size) for _ in range(2 if cfg.has_cell_state else 1))  # (N, H)
    x_proj = x @ cell.weight_ih.T  # (N, gates*H) = W_ih x
    if cell.bias:
        x_proj = x_proj + cell.bias_ih  # (N, gates*H)
    state = step(cfg, x_proj, state, cell.weight_hh, cell.bias_hh if cell.bias else None, None)
    if not batched:
        state = tuple(part.squeeze(0) for part in state)  # (H,)
    return as_tuple(cfg, state)


def step(cfg: RecurrentConfig, x_proj: Tensor, state: State, w_hh: Tensor, b_hh: Optional[Tensor], w_hr: Optional[Tensor]) -> State:
    """Returns the state after one time step of the module's cell: ``(h', c')`` for an LSTM, ``(h',)`` otherwise."""
    if cfg.kind == "LSTM":
        return lstm_cell(x_proj, *state, w_hh, b_hh, w_hr)
    if cfg.kind == "GRU":
        return (gru_cell(x_proj, state[0], w_hh, b_hh),)
    return (rnn_cell(x_proj, state[0], w_hh, b_hh, cfg.nonlinearity),)


# --8<-- [start:cell]
def lstm_cell(x_proj: Tensor, h: Tensor, c: Tensor, w_hh: Tensor, b_hh: Optional[Tensor], w_hr: Optional[Tensor]) -> State:
    """Returns ``(h', c')`` for one time step, given ``x_proj = W_ih x + b_ih`` already computed."""
    gates = x_proj + h @ w_hh.T  # (N, 4*H) = W_ih x + b_ih + W_hh h
    if b_hh is not None:
        gates = gates + b_hh  # (N, 4*H)    + b_hh
    i, f, g, o = gates.chunk(4, dim=1)  # 4 x (N, H), in the order i, f, g, o
    i, f, o = torch.sigmoid(i), torch.sigmoid(f), torch.sigmoid(o)  # input, forget, output gates
    g = torch.tanh(g)  # (N, H)  candidate cell
    c_next = f * c + i * g  # (N, H)  c' = f ⊙ c + i ⊙ g
    h_next = o * torch.tanh(c_next)  # (N, H)  h' = o ⊙ tanh(c')
    if w_hr is not None:
        h_next = h_next @ w_hr.T  # (N, P)  h' = W_hr h'
    return h_next, c_next
# --8<-- [end:cell]


# --8<-- [start:gru]
def gru_cell(x_proj: Tensor, h: Tensor, w_hh: Tensor, b_hh: Optional[Tensor]) -> Tensor:
    """Returns ``h'`` for one time step of a GRU, given ``x_proj = W_ih x + b_ih`` already computed."""
    h_proj = h @ w_hh.T  # (N, 3*H) = W_hh h
    if b_hh is not None:
        h_proj = h_proj + b_hh  # (N, 3*H)   + b_hh
    x_r, x_z, x_n = x_proj.chunk(3, dim=1)  # 3 x (N, H), in the order r, z, n
    hp_r, hp_z, hp_n = h_proj.chunk(3, dim=1)  # 3 x (N, H)
    r = torch.sigmoid(x_r + hp_r)  # (N, H)  r = σ(W_ir x + b_ir + W_hr h + b_hr)   reset gate
    z = torch.sigmoid(x_z + hp_z)  # (N, H)  z = σ(W_iz x + b_iz + W_hz h + b_hz)   update gate
    n = torch.tanh(x_n + r * hp_n)  # (N, H)  n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn))
    return (1 - z) * n + z * h  # (N, H)  h' = (1 − z) ⊙ n + z ⊙ h
# --8<-- [end:gru]


# --8<-- [start:rnn]
def rnn_cell(x_proj: Tensor, h: Tensor, w_hh: Tensor, b_hh: Optional[Tensor], nonlinearity: str = "tanh") -> Tensor:
    """Returns ``h'`` for one time step of an Elman RNN, given ``x_proj = W_ih x + b_ih`` already computed."""
    pre = x_proj + h @ w_hh.T  # (N, H) = W_ih x + b_ih + W_hh h
    if b_hh is not None:
        pre = pre + b_hh  # (N, H)   + b_hh
    return torch.tanh(pre) if nonlinearity == "tanh" else torch.relu(pre)  # (N, H)  h' = tanh(...) or relu(...)
# --8<-- [end:rnn]


def _run_layers(module: nn.Module, cfg: RecurrentConfig, x: Tensor, lengths: Tensor, state: State) -> tuple[Tensor, State]:
    """Returns ``(output, final state)``: the top layer's output and every layer's last state, for time-major ``x``."""
    finals = []
    layer_input, outputs = x, []  # (L, N, H_in)
    for part in cfg.layers_and_directions():
        out, last = _run_direction(module, cfg, part, layer_input, lengths, tuple(s[part.row] for s in state))
        outputs.append(out)  # (L, N, H_out)
        finals.append(last)
        if part.direction == cfg.num_directions - 1:  # the layer is complete: it feeds the next one
            layer_input, outputs = torch.cat(outputs, dim=2), []  # (L, N, D*H_out)
    return layer_input, tuple(torch.stack(parts) for parts in zip(*finals))  # (D*num_layers, N, H_out), ...


# --8<-- [start:direction]
def _run_direction(module: nn.Module, cfg: RecurrentConfig, part: LayerDirection, x: Tensor, lengths: Tensor, state: State):
    """Returns ``(output, last state)`` of one layer in one direction; the state is ``(h, c)`` for an LSTM, ``(h,)`` otherwise.

    A sequence shorter than the batch's longest one (packed input) only moves while
    ``t < length``: forwards, its state then stays put; backwards, it starts from
    ``h_0`` at its own last step. Its padded output positions are zero.
    """
    suffix = part.suffix  # _l{layer}, plus _reverse for the backward direction
    w_ih = getattr(module, "weight_ih" + suffix)  # (gates*H, H_in): 4*H for an LSTM, 3*H for a GRU, H for an RNN
    w_hh = getattr(module, "weight_hh" + suffix)  # (gates*H, H_out)
    b_ih = getattr(module, "bias_ih" + suffix) if module.bias else None  # (gates*H,)
    b_hh = getattr(module, "bias_hh" + suffix) if module.bias else None  # (gates*H,)
    w_hr = getattr(module, "weight_hr" + suffix) if cfg.proj_size > 0 else None  # (P, H)

    x_proj = x @ w_ih.T  # (L, N, gates*H) = W_ih x for every step at once
    if b_ih is not None:
        x_proj = x_proj + b_ih  # (L, N, gates*H)
    outputs = [None] * x.size(0)
    for t in time_steps(x.size(0), part.direction):  # backwards: from the last step to the first
        active = (lengths > t).to(x.device).unsqueeze(1)  # (N, 1): does sequence n have a step t?
        new = step(cfg, x_proj[t], state, w_hh, b_hh, w_hr)  # (h', c') or (h',)
        state = tuple(torch.where(active, n, s) for n, s in zip(new, state))  # (N, H_out), (N, H)
        outputs[t] = torch.where(active, new[0], torch.zeros_like(new[0]))  # (N, H_out)
    return torch.stack(outputs), state  # (L, N, H_out), state
# --8<-- [end:direction]


def _unpack(packed: PackedSequence):
    """Returns ``(x, lengths)``: the padded time-major data in sorted order, and each sequence's length."""
    batch_sizes = packed.batch_sizes.tolist()
    steps, offset = [], 0
    full = batch_sizes[0]
    for b in batch_sizes:
        step = packed.data[offset : offset + b]  # (b, H_in)
        steps.append(torch.cat([step, step.new_zeros(full - b, step.size(1))]))  # (N, H_in)
        offset += b
    lengths = (torch.arange(full).unsqueeze(0) < packed.batch_sizes.unsqueeze(1)).sum(0)  # (N,)
    return torch.stack(steps), lengths  # (T, N, H_in), (N,)


def _repack(out: Tensor, batch_sizes: Tensor) -> Tensor:
    """Returns the packed ``data`` of a padded time-major ``out``: step t keeps its first batch_sizes[t] rows."""
    return torch.cat([out[t, :b] for t, b in enumerate(batch_sizes.tolist())])  # (sum of lengths, D*H_out)
