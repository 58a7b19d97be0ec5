"""The hyper-parameters of an ``nn.LSTM`` that decide every shape it returns.

Also the rules that follow from them alone, written once here: the shapes of the state
for a batch, the walk over (layer, direction) with each one's parameter suffix, the order
of time steps in each direction, and how the module is written as code.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator, NamedTuple, Optional

from torch import nn


class LayerDirection(NamedTuple):
    """One layer in one direction: its row in ``h_n`` and ``c_n``, and its parameters' name suffix."""

    layer: int
    direction: int  # 0 forward, 1 backward
    row: int  # layer * D + direction: the index in h_0, c_0, h_n, c_n
    suffix: str  # "_l{layer}", plus "_reverse" for the backward direction: weight_ih_l1_reverse


@dataclass(frozen=True)
class LSTMConfig:
    """The shape-deciding arguments of ``nn.LSTM``, without any weights.

    Build one from a module with :meth:`from_module`, or directly when there is no
    module at hand (the ``lstm-explained`` command does this).

    Examples:
        >>> from torch import nn
        >>> from lstm_explained import LSTMConfig
        >>> cfg = LSTMConfig.from_module(nn.LSTM(3, 5, num_layers=2, bidirectional=True))
        >>> cfg.num_directions, cfg.h_out, cfg.state_rows
        (2, 5, 4)
    """

    input_size: int
    hidden_size: int
    num_layers: int = 1
    bidirectional: bool = False
    proj_size: int = 0
    batch_first: bool = False
    bias: bool = True

    def __post_init__(self) -> None:
        for name in ("input_size", "hidden_size", "num_layers"):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
                raise ValueError(f"{name} must be a positive integer, got {value!r}")
        if not isinstance(self.proj_size, int) or self.proj_size < 0:
            raise ValueError(f"proj_size should be a positive integer or zero to disable projections, got {self.proj_size!r}")
        if self.proj_size >= self.hidden_size:
            raise ValueError(
                f"proj_size has to be smaller than hidden_size, got proj_size={self.proj_size} "
                f"and hidden_size={self.hidden_size}"
            )

    @classmethod
    def from_module(cls, lstm: nn.LSTM) -> LSTMConfig:
        """Returns the config of an existing ``nn.LSTM``."""
        if not isinstance(lstm, nn.LSTM):
            raise TypeError(f"expected an nn.LSTM, got {type(lstm).__name__}")
        return cls(
            input_size=lstm.input_size,
            hidden_size=lstm.hidden_size,
            num_layers=lstm.num_layers,
            bidirectional=lstm.bidirectional,
            proj_size=lstm.proj_size,
            batch_first=lstm.batch_first,
            bias=lstm.bias,
        )

    @property
    def num_directions(self) -> int:
        """Returns D: 2 for a bidirectional LSTM, else 1."""
        return 2 if self.bidirectional else 1

    @property
    def h_out(self) -> int:
        """Returns H_out, the size of ``h`` and of each direction in ``output``: proj_size if set, else hidden_size."""
        return self.proj_size if self.proj_size > 0 else self.hidden_size

    @property
    def state_rows(self) -> int:
        """Returns D * num_layers, the first dimension of ``h_0``, ``c_0``, ``h_n`` and ``c_n``."""
        return self.num_directions * self.num_layers

    def state_shapes(self, batch: Optional[int]) -> tuple[tuple[int, ...], tuple[int, ...]]:
        """Returns the shapes of ``h`` and ``c``: ``(D*num_layers, N, H_out)`` and ``(D*num_layers, N, hidden_size)``.

        For unbatched input (``batch=None``) the ``N`` dimension is left out.
        """
        batch_dims = () if batch is None else (batch,)
        return (self.state_rows, *batch_dims, self.h_out), (self.state_rows, *batch_dims, self.hidden_size)

    def layers_and_directions(self) -> Iterator[LayerDirection]:
        """Returns an iterator over every layer and direction, bottom layer first, forward before backward."""
        for layer in range(self.num_layers):
            for direction in range(self.num_directions):
                suffix = f"_l{layer}" + ("_reverse" if direction == 1 else "")
                yield LayerDirection(layer, direction, layer * self.num_directions + direction, suffix)

    def as_code(self) -> str:
        """Returns the call that builds this module, non-default options only, e.g. ``nn.LSTM(3, 5, batch_first=True)``."""
        args = [str(self.input_size), str(self.hidden_size)]
        for name, default in (("num_layers", 1), ("bias", True), ("batch_first", False), ("bidirectional", False), ("proj_size", 0)):
            value = getattr(self, name)
            if value != default:
                args.append(f"{name}={value}")
        return f"nn.LSTM({', '.join(args)})"


def time_steps(seq_len: int, direction: int) -> range:
    """Returns the time steps in the order one direction reads them: 0 to L-1 forward, L-1 down to 0 backward."""
    return range(seq_len - 1, -1, -1) if direction == 1 else range(seq_len)
