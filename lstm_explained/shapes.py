"""Which shapes a recurrent module returns for a given input shape, without running it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional, Sequence, Union

import torch
from torch import nn

from .config import RecurrentConfig
from .pytorch_errors import cell_input_size, empty_sequence, input_dims, input_size, message


@dataclass(frozen=True)
class Shapes:
    """The shapes of one call of a recurrent module: what goes in and what comes out.

    Every field is a ``torch.Size``, or None where the module has no such tensor: ``c_0`` and
    ``c_n`` for a module without a cell state (``nn.GRU``, ``nn.RNN`` and their cells), and
    ``output`` for a cell, which returns its new state alone (``h_n`` then stands for ``h'``).
    ``names`` gives, for each field, the meaning of each dimension, e.g.
    ``names["output"] == ("L", "N", "D*H_out")``.
    """

    input: torch.Size
    h_0: torch.Size
    c_0: Optional[torch.Size]
    output: Optional[torch.Size]
    h_n: torch.Size
    c_n: Optional[torch.Size]
    batched: bool
    names: dict = field(compare=False, repr=False)

    def as_dict(self) -> dict:
        """Returns the shapes this module has as lists of ints, keyed by field name (no key for a tensor it does not have)."""
        keys = ("input", "h_0", "c_0", "output", "h_n", "c_n")
        return {key: list(getattr(self, key)) for key in keys if getattr(self, key) is not None}


ModuleOrConfig = Union[nn.Module, RecurrentConfig]


def expected_shapes(lstm: ModuleOrConfig, input_shape: Sequence[int]) -> Shapes:
    """Returns the shapes a recurrent module gives for an input of ``input_shape``.

    ``lstm`` is a module of the family (``nn.LSTM``, ``nn.GRU``, ``nn.RNN`` or a cell) or a
    :class:`RecurrentConfig`. With ``L`` the sequence length, ``N`` the batch size, ``D`` 2 for a
    bidirectional module else 1, and ``H_out`` proj_size if set else hidden_size:

    - ``output`` is ``(L, N, D*H_out)``, or ``(N, L, D*H_out)`` with ``batch_first``;
    - ``h_n`` is ``(D*num_layers, N, H_out)`` and, for an LSTM alone, ``c_n`` is
      ``(D*num_layers, N, hidden_size)``, whatever ``batch_first`` says;
    - unbatched 2-D input ``(L, H_in)`` drops the ``N`` dimension everywhere;
    - a cell takes one time step ``(N, H_in)`` (or unbatched ``(H_in,)``) and returns its new
      state ``h'`` of ``(N, hidden_size)`` (and ``c'`` for an LSTMCell): ``output`` is None;
    - an empty batch (``N = 0``) is allowed, as in PyTorch; an empty sequence (``L = 0``) is not.

    Raises:
        ValueError: where the module would reject the input: not 2-D or 3-D (1-D or 2-D for a
            cell), a feature size other than ``input_size``, no time steps, or a dimension that is
            not a non-negative integer.

    Examples:
        >>> from torch import nn
        >>> from lstm_explained import expected_shapes
        >>> s = expected_shapes(nn.LSTM(3, 5, batch_first=True), (7, 1, 3))
        >>> s.output, s.h_n, s.c_n
        (torch.Size([7, 1, 5]), torch.Size([1, 7, 5]), torch.Size([1, 7, 5]))
        >>> s = expected_shapes(nn.GRU(3, 5, num_layers=2), (7, 1, 3))
        >>> s.output, s.h_n, s.c_n
        (torch.Size([7, 1, 5]), torch.Size([2, 1, 5]), None)
        >>> expected_shapes(nn.LSTM(3, 5), (7, 4))
        Traceback (most recent call last):
        ...
        ValueError: input.size(-1) must be equal to input_size. Expected 3, got 4
    """
    cfg = lstm if isinstance(lstm, RecurrentConfig) else RecurrentConfig.from_module(lstm)
    shape = _as_shape(input_shape)
    if cfg.is_cell:
        return _cell_shapes(cfg, shape)
    if len(shape) not in (2, 3):
        raise ValueError(message(input_dims(len(shape), cfg.module)))
    if shape[-1] != cfg.input_size:
        raise ValueError(message(input_size(cfg.input_size, shape[-1])))

    batched = len(shape) == 3
    if batched:
        seq_len, batch = (shape[1], shape[0]) if cfg.batch_first else (shape[0], shape[1])
    else:
        seq_len, batch = shape[0], None
    if seq_len == 0:  # an empty batch (N=0) is fine; a sequence with no steps is not
        raise ValueError(message(empty_sequence()))

    out_features = cfg.num_directions * cfg.h_out
    if not batched:
        output, out_names = (seq_len, out_features), ("L", "D*H_out")
    elif cfg.batch_first:
        output, out_names = (batch, seq_len, out_features), ("N", "L", "D*H_out")
    else:
        output, out_names = (seq_len, batch, out_features), ("L", "N", "D*H_out")

    batch_names = ("N",) if batched else ()
    h, c = cfg.state_shapes(batch)  # (D*num_layers, N, H_out), (D*num_layers, N, H_cell) or None; no N when unbatched
    h_names = ("D*num_layers", *batch_names, "H_out")
    c_names = ("D*num_layers", *batch_names, "H_cell")
    in_names = (("N", "L", "H_in") if cfg.batch_first else ("L", "N", "H_in")) if batched else ("L", "H_in")
    return _shapes(shape, h, c, output, batched, in_names, h_names, c_names, out_names)


def _cell_shapes(cfg: RecurrentConfig, shape: tuple[int, ...]) -> Shapes:
    """Returns the shapes of one step of a cell: input ``(N, H_in)`` or ``(H_in,)``, state ``(N, H)`` or ``(H,)``."""
    if len(shape) not in (1, 2):
        raise ValueError(message(input_dims(len(shape), cfg.module)))
    if shape[-1] != cfg.input_size:
        raise ValueError(message(cell_input_size(cfg.input_size, shape[-1])))
    batched = len(shape) == 2
    h, c = cfg.state_shapes(shape[0] if batched else None)  # (N, H), (N, H) or None
    names = ("N", "H") if batched else ("H",)
    return _shapes(shape, h, c, None, batched, ("N", "H_in") if batched else ("H_in",), names, names, None)


def _shapes(shape, h, c, output, batched, in_names, h_names, c_names, out_names) -> Shapes:
    """Returns the Shapes of these sizes, each a ``torch.Size`` (None stays None), and their dimensions' names."""
    size = lambda dims: None if dims is None else torch.Size(dims)
    names = {"input": in_names, "h_0": h_names, "c_0": c_names, "output": out_names, "h_n": h_names, "c_n": c_names}
    present = {"c_0": c, "c_n": c, "output": output}
    return Shapes(
        input=size(shape), h_0=size(h), c_0=size(c), output=size(output), h_n=size(h), c_n=size(c), batched=batched,
        names={key: value for key, value in names.items() if present.get(key, True) is not None},
    )


def _as_shape(input_shape: Sequence[int]) -> tuple[int, ...]:
    """Returns ``input_shape`` as a tuple of non-negative ints, or raises ValueError."""
    try:
        dims = tuple(input_shape)
    except TypeError:
        raise ValueError(f"input_shape must be a sequence of ints, got {input_shape!r}") from None
    for d in dims:
        if isinstance(d, bool) or not isinstance(d, int) or d < 0:
            raise ValueError(f"every dimension of input_shape must be a non-negative int, got {list(dims)!r}")
    return dims
