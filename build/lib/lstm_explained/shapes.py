"""Which shapes ``nn.LSTM`` returns for a given input shape, without running it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence, Union

import torch
from torch import nn

from .config import LSTMConfig
from .pytorch_errors import empty_sequence, input_dims, input_size, message


@dataclass(frozen=True)
class Shapes:
    """The shapes of one ``nn.LSTM`` call: what goes in and what comes out.

    Every field is a ``torch.Size``. ``names`` gives, for each field, the meaning of
    each dimension, e.g. ``names["output"] == ("L", "N", "D*H_out")``.
    """

    input: torch.Size
    h_0: torch.Size
    c_0: torch.Size
    output: torch.Size
    h_n: torch.Size
    c_n: torch.Size
    batched: bool
    names: dict = field(compare=False, repr=False)

    def as_dict(self) -> dict:
        """Returns the six shapes as lists of ints, keyed by field name."""
        return {key: list(getattr(self, key)) for key in ("input", "h_0", "c_0", "output", "h_n", "c_n")}


ModuleOrConfig = Union[nn.LSTM, LSTMConfig]


def expected_shapes(lstm: ModuleOrConfig, input_shape: Sequence[int]) -> Shapes:
    """Returns the shapes ``nn.LSTM`` gives for an input of ``input_shape``.

    ``lstm`` is an ``nn.LSTM`` or an :class:`LSTMConfig`. With ``L`` the sequence
    length, ``N`` the batch size, ``D`` 2 for a bidirectional LSTM else 1, and
    ``H_out`` proj_size if set else hidden_size:

    - ``output`` is ``(L, N, D*H_out)``, or ``(N, L, D*H_out)`` with ``batch_first``;
    - ``h_n`` is ``(D*num_layers, N, H_out)`` and ``c_n`` is ``(D*num_layers, N, hidden_size)``,
      whatever ``batch_first`` says;
    - unbatched 2-D input ``(L, H_in)`` drops the ``N`` dimension everywhere;
    - an empty batch (``N = 0``) is allowed, as in PyTorch; an empty sequence (``L = 0``) is not.

    Raises:
        ValueError: where ``nn.LSTM`` would reject the input: not 2-D or 3-D, a
            feature size other than ``input_size``, no time steps, or a dimension
            that is not a non-negative integer.

    Examples:
        >>> from torch import nn
        >>> from lstm_explained import expected_shapes
        >>> s = expected_shapes(nn.LSTM(3, 5, batch_first=True), (7, 1, 3))
        >>> s.output, s.h_n, s.c_n
        (torch.Size([7, 1, 5]), torch.Size([1, 7, 5]), torch.Size([1, 7, 5]))
        >>> expected_shapes(nn.LSTM(3, 5), (7, 4))
        Traceback (most recent call last):
        ...
        ValueError: input.size(-1) must be equal to input_size. Expected 3, got 4
    """
    cfg = lstm if isinstance(lstm, LSTMConfig) else LSTMConfig.from_module(lstm)
    shape = _as_shape(input_shape)
    if len(shape) not in (2, 3):
        raise ValueError(message(input_dims(len(shape))))
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
    h, c = cfg.state_shapes(batch)  # (D*num_layers, N, H_out), (D*num_layers, N, H_cell); no N when unbatched
    h_names = ("D*num_layers", *batch_names, "H_out")
    c_names = ("D*num_layers", *batch_names, "H_cell")
    in_names = (("N", "L", "H_in") if cfg.batch_first else ("L", "N", "H_in")) if batched else ("L", "H_in")

    size = torch.Size
    return Shapes(
        input=size(shape),
        h_0=size(h),
        c_0=size(c),
        output=size(output),
        h_n=size(h),
        c_n=size(c),
        batched=batched,
        names={
            "input": in_names,
            "h_0": h_names,
            "c_0": c_names,
            "output": out_names,
            "h_n": h_names,
            "c_n": c_names,
        },
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
