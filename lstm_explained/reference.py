"""An LSTM forward pass in plain tensor operations, from an ``nn.LSTM``'s own parameters."""

from __future__ import annotations

from typing import Optional, Tuple

import torch
from torch import Tensor, nn
from torch.nn.utils.rnn import PackedSequence

from .call_checks import checked_call, refuse_dropout
from .config import LayerDirection, LSTMConfig, time_steps
from .pytorch_errors import input_dtype, message
from .state import check_state, zero_state

State = Tuple[Tensor, Tensor]


def reference_forward(lstm: nn.LSTM, input, hx: Optional[State] = None):
    """Returns ``(output, (h_n, c_n))`` as ``lstm(input, hx)`` would, computed by hand.

    The equations are those of the ``nn.LSTM`` documentation, gate order i, f, g, o:

    - ``i = σ(W_ii x + b_ii + W_hi h + b_hi)``, and likewise ``f``, ``o``;
    - ``g = tanh(W_ig x + b_ig + W_hg h + b_hg)``;
    - ``c' = f ⊙ c + i ⊙ g`` and ``h' = o ⊙ tanh(c')``, then ``h' = W_hr h'`` when proj_size > 0.

    Every option is covered: ``bias=False``, ``proj_size``, ``bidirectional``, several
    layers, ``batch_first``, unbatched 2-D input, and a ``PackedSequence`` (sorted or
    made with ``enforce_sorted=False``). Dropout between layers is not modelled: in
    training mode with ``dropout > 0`` this raises ``ValueError``; call ``lstm.eval()``.
    A call ``nn.LSTM`` refuses is refused with PyTorch's own message (see :func:`lstm_explained.call_checks.checked_call`).

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
    """
    cfg = LSTMConfig.from_module(lstm)
    refuse_dropout(lstm, cfg, "reference_forward does not model dropout")
    weight_dtype = lstm.weight_ih_l0.dtype

    if isinstance(input, PackedSequence):
        x, lengths = _unpack(input)  # (T, N, H_in) in sorted order, (N,)
        if x.dtype != weight_dtype:
            raise ValueError(message(input_dtype(x.dtype, weight_dtype)))
        h0, c0 = zero_state(cfg, x.size(1), x) if hx is None else check_state(cfg, hx, x.size(1), batched=True)
        if input.sorted_indices is not None and hx is not None:
            h0, c0 = h0.index_select(1, input.sorted_indices), c0.index_select(1, input.sorted_indices)
        out, h_n, c_n = _run_layers(lstm, cfg, x, lengths, h0, c0)  # (T, N, D*H_out)
        out_packed = PackedSequence(_repack(out, input.batch_sizes), input.batch_sizes, input.sorted_indices, input.unsorted_indices)
        if input.unsorted_indices is not None:
            h_n, c_n = h_n.index_select(1, input.unsorted_indices), c_n.index_select(1, input.unsorted_indices)
        return out_packed, (h_n, c_n)

    if not isinstance(input, Tensor):
        raise TypeError(f"input must be a Tensor or a PackedSequence, got {type(input).__name__}")
    x, batched, h0, c0 = checked_call(lstm, cfg, input, hx)  # (L, N, H_in), (D*num_layers, N, H_out), (..., H_cell)
    seq_len, batch = x.size(0), x.size(1)
    lengths = torch.full((batch,), seq_len, dtype=torch.long)
    out, h_n, c_n = _run_layers(lstm, cfg, x, lengths, h0, c0)  # (L, N, D*H_out)
    if cfg.batch_first:
        out = out.transpose(0, 1)  # (N, L, D*H_out)
    if not batched:
        out = out.squeeze(0 if cfg.batch_first else 1)  # (L, D*H_out)
        h_n, c_n = h_n.squeeze(1), c_n.squeeze(1)  # (D*num_layers, H_out), (D*num_layers, H_cell)
    return out, (h_n, c_n)


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


def _run_layers(lstm: nn.LSTM, cfg: LSTMConfig, x: Tensor, lengths: Tensor, h0: Tensor, c0: Tensor):
    """Returns ``(output, h_n, c_n)`` of the top layer and all layers, for time-major ``x``."""
    h_n, c_n = [], []
    layer_input, outputs = x, []  # (L, N, H_in)
    for part in cfg.layers_and_directions():
        out, h, c = _run_direction(lstm, part, layer_input, lengths, h0[part.row], c0[part.row])
        outputs.append(out)  # (L, N, H_out)
        h_n.append(h)
        c_n.append(c)
        if part.direction == cfg.num_directions - 1:  # the layer is complete: it feeds the next one
            layer_input, outputs = torch.cat(outputs, dim=2), []  # (L, N, D*H_out)
    return layer_input, torch.stack(h_n), torch.stack(c_n)  # (D*num_layers, N, H_out), (D*num_layers, N, H)


# --8<-- [start:direction]
def _run_direction(lstm: nn.LSTM, part: LayerDirection, x: Tensor, lengths: Tensor, h: Tensor, c: Tensor):
    """Returns ``(output, h_last, c_last)`` of one layer in one direction.

    A sequence shorter than the batch's longest one (packed input) only moves while
    ``t < length``: forwards, its state then stays put; backwards, it starts from
    ``h_0`` at its own last step. Its padded output positions are zero.
    """
    suffix = part.suffix  # _l{layer}, plus _reverse for the backward direction
    w_ih = getattr(lstm, "weight_ih" + suffix)  # (4*H, H_in)
    w_hh = getattr(lstm, "weight_hh" + suffix)  # (4*H, H_out)
    b_ih = getattr(lstm, "bias_ih" + suffix) if lstm.bias else None  # (4*H,)
    b_hh = getattr(lstm, "bias_hh" + suffix) if lstm.bias else None  # (4*H,)
    w_hr = getattr(lstm, "weight_hr" + suffix) if lstm.proj_size > 0 else None  # (P, H)

    x_proj = x @ w_ih.T  # (L, N, 4*H) = W_ih x for every step at once
    if b_ih is not None:
        x_proj = x_proj + b_ih  # (L, N, 4*H)
    outputs = [None] * x.size(0)
    for t in time_steps(x.size(0), part.direction):  # backwards: from the last step to the first
        active = (lengths > t).to(x.device).unsqueeze(1)  # (N, 1): does sequence n have a step t?
        h_next, c_next = lstm_cell(x_proj[t], h, c, w_hh, b_hh, w_hr)
        h = torch.where(active, h_next, h)  # (N, H_out)
        c = torch.where(active, c_next, c)  # (N, H)
        outputs[t] = torch.where(active, h_next, torch.zeros_like(h_next))  # (N, H_out)
    return torch.stack(outputs), h, c  # (L, N, H_out), (N, H_out), (N, H)
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
