"""The hyper-parameters of an ``nn.LSTM`` that decide every shape it returns."""

from __future__ import annotations

from dataclasses import dataclass

from torch import nn


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
    def from_module(cls, lstm: nn.LSTM) -> "LSTMConfig":
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
