"""The hyper-parameters of a recurrent module of ``torch.nn`` that decide every shape it returns.

The family: ``nn.LSTM``, ``nn.GRU``, ``nn.RNN`` (tanh or relu) and their cells ``nn.LSTMCell``,
``nn.GRUCell``, ``nn.RNNCell``. Also the rules that follow from the options alone, written once
here: the shapes of the state for a batch, the walk over (layer, direction) with each one's
parameter suffix, the order of time steps in each direction, and how the module is written as code.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterator, NamedTuple, Optional

from torch import nn

MODULES = ("LSTM", "GRU", "RNN", "LSTMCell", "GRUCell", "RNNCell")
NONLINEARITIES = ("tanh", "relu")
# Rows of weight_ih and weight_hh per hidden unit: the gates i, f, g, o; r, z, n; or the one tanh/relu.
GATES = {"LSTM": 4, "GRU": 3, "RNN": 1}
LAYER_ONLY = {"num_layers": 1, "bidirectional": False, "proj_size": 0, "batch_first": False}  # a cell's value of each
FAMILY_NAMES = "nn.LSTM, nn.GRU, nn.RNN, nn.LSTMCell, nn.GRUCell or nn.RNNCell"


class LayerDirection(NamedTuple):
    """One layer in one direction: its row in ``h_n`` and ``c_n``, and its parameters' name suffix."""

    layer: int
    direction: int  # 0 forward, 1 backward
    row: int  # layer * D + direction: the index in h_0, c_0, h_n, c_n
    suffix: str  # "_l{layer}", plus "_reverse" for the backward direction: weight_ih_l1_reverse; "" for a cell


def type_path(obj: Any) -> str:
    """Returns where an object's class is defined, e.g. ``torch.nn.modules.rnn.GRU`` or ``mypkg.models.LSTM``."""
    cls = type(obj)
    return f"{cls.__module__}.{cls.__qualname__}"


@dataclass(frozen=True)
class RecurrentConfig:
    """The shape-deciding arguments of one recurrent module of ``torch.nn``, without any weights.

    ``module`` says which: ``"LSTM"`` (the default), ``"GRU"``, ``"RNN"``, ``"LSTMCell"``,
    ``"GRUCell"`` or ``"RNNCell"``; ``nonlinearity`` (``"tanh"`` or ``"relu"``) is an option of
    ``nn.RNN`` and ``nn.RNNCell`` alone, and ``proj_size`` of ``nn.LSTM`` alone. A cell takes one
    time step, so it has one layer, one direction and no ``batch_first``. Build one from a module
    with :meth:`from_module`, or directly when there is no module at hand (the ``lstm-explained``
    command does this). ``LSTMConfig`` is the same class.

    Examples:
        >>> from torch import nn
        >>> from lstm_explained import RecurrentConfig
        >>> cfg = RecurrentConfig.from_module(nn.LSTM(3, 5, num_layers=2, bidirectional=True))
        >>> cfg.num_directions, cfg.h_out, cfg.state_rows
        (2, 5, 4)
        >>> gru = RecurrentConfig.from_module(nn.GRU(3, 5, batch_first=True))
        >>> gru.module, gru.gates, gru.has_cell_state, gru.as_code()
        ('GRU', 3, False, 'nn.GRU(3, 5, batch_first=True)')
    """

    input_size: int
    hidden_size: int
    num_layers: int = 1
    bidirectional: bool = False
    proj_size: int = 0
    batch_first: bool = False
    bias: bool = True
    module: str = "LSTM"
    nonlinearity: str = "tanh"

    def __post_init__(self) -> None:
        if self.module not in MODULES:
            raise ValueError(f"module must be one of {', '.join(MODULES)}, got {self.module!r}")
        for name in ("input_size", "hidden_size", "num_layers"):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
                raise ValueError(f"{name} must be a positive integer, got {value!r}")
        if self.nonlinearity not in NONLINEARITIES:
            raise ValueError(f"Unknown nonlinearity '{self.nonlinearity}'. Select from 'tanh' or 'relu'.")
        if self.nonlinearity != "tanh" and self.kind != "RNN":
            raise ValueError(f"nonlinearity is an option of nn.RNN and nn.RNNCell, not of nn.{self.module}")
        if self.is_cell:
            for name, value in LAYER_ONLY.items():
                if getattr(self, name) != value:
                    raise ValueError(f"nn.{self.module} takes one time step: it has no {name} (a cell's is {value!r})")
        if not isinstance(self.proj_size, int) or self.proj_size < 0:
            raise ValueError(f"proj_size should be a positive integer or zero to disable projections, got {self.proj_size!r}")
        if self.proj_size and self.module != "LSTM":
            raise ValueError("proj_size argument is only supported for LSTM, not RNN or GRU")
        if self.proj_size >= self.hidden_size:
            raise ValueError(
                f"proj_size has to be smaller than hidden_size, got proj_size={self.proj_size} "
                f"and hidden_size={self.hidden_size}"
            )

    @classmethod
    def from_module(cls, module: nn.Module) -> RecurrentConfig:
        """Returns the config of an existing recurrent module; TypeError for anything outside the family."""
        for name in MODULES:
            if isinstance(module, getattr(nn, name)):
                break
        else:
            raise TypeError(f"expected {FAMILY_NAMES}, got {type_path(module)}")
        common = dict(input_size=module.input_size, hidden_size=module.hidden_size, bias=module.bias, module=name)
        if name == "RNN" or name == "RNNCell":
            common["nonlinearity"] = module.nonlinearity
        if name.endswith("Cell"):
            return cls(**common)
        # nn.LSTM builds with num_layers=True (a bool is an int) and its call then fails: diagnose's module-option says why.
        layers = int(module.num_layers) if isinstance(module.num_layers, bool) else module.num_layers
        return cls(num_layers=layers, bidirectional=module.bidirectional, proj_size=getattr(module, "proj_size", 0),
                   batch_first=module.batch_first, **common)

    @property
    def kind(self) -> str:
        """Returns the family member without ``Cell``: ``"LSTM"``, ``"GRU"`` or ``"RNN"``."""
        return self.module.removesuffix("Cell")

    @property
    def is_cell(self) -> bool:
        """Returns whether this is one of the cells, which take one time step."""
        return self.module.endswith("Cell")

    @property
    def has_cell_state(self) -> bool:
        """Returns whether the module carries a cell state ``c`` beside ``h``: only ``nn.LSTM`` and ``nn.LSTMCell`` do."""
        return self.kind == "LSTM"

    @property
    def gates(self) -> int:
        """Returns how many blocks of ``hidden_size`` rows ``weight_ih`` has: 4 (i, f, g, o), 3 (r, z, n) or 1."""
        return GATES[self.kind]

    @property
    def num_directions(self) -> int:
        """Returns D: 2 for a bidirectional module, else 1."""
        return 2 if self.bidirectional else 1

    @property
    def h_out(self) -> int:
        """Returns H_out, the size of ``h`` and of each direction in ``output``: proj_size if set, else hidden_size."""
        return self.proj_size if self.proj_size > 0 else self.hidden_size

    @property
    def state_rows(self) -> int:
        """Returns D * num_layers, the first dimension of ``h_0`` and ``h_n`` (and ``c_0``, ``c_n``) of a layer."""
        return self.num_directions * self.num_layers

    def state_shapes(self, batch: Optional[int]) -> tuple[tuple[int, ...], Optional[tuple[int, ...]]]:
        """Returns the shapes of ``h`` and ``c`` for a batch of ``batch`` sequences; ``c`` is None without a cell state.

        A layer's are ``(D*num_layers, N, H_out)`` and ``(D*num_layers, N, hidden_size)``; a cell's
        are ``(N, hidden_size)``. For unbatched input (``batch=None``) the ``N`` dimension is left out.
        """
        batch_dims = () if batch is None else (batch,)
        rows = () if self.is_cell else (self.state_rows,)
        h = (*rows, *batch_dims, self.h_out)
        return h, ((*rows, *batch_dims, self.hidden_size) if self.has_cell_state else None)

    def layers_and_directions(self) -> Iterator[LayerDirection]:
        """Returns an iterator over every layer and direction, bottom layer first, forward before backward."""
        if self.is_cell:
            yield LayerDirection(0, 0, 0, "")
            return
        for layer in range(self.num_layers):
            for direction in range(self.num_directions):
                suffix = f"_l{layer}" + ("_reverse" if direction == 1 else "")
                yield LayerDirection(layer, direction, layer * self.num_directions + direction, suffix)

    def as_code(self) -> str:
        """Returns the call that builds this module, non-default options only, e.g. ``nn.LSTM(3, 5, batch_first=True)``."""
        args = [str(self.input_size), str(self.hidden_size)]
        options = (("num_layers", 1), ("bias", True), ("batch_first", False), ("bidirectional", False), ("proj_size", 0))
        for name, default in options + (("nonlinearity", "tanh"),):
            value = getattr(self, name)
            if value != default:
                args.append(f"{name}={value!r}")
        return f"nn.{self.module}({', '.join(args)})"


LSTMConfig = RecurrentConfig  # the name of the first release; every call of it keeps working


def time_steps(seq_len: int, direction: int) -> range:
    """Returns the time steps in the order one direction reads them: 0 to L-1 forward, L-1 down to 0 backward."""
    return range(seq_len - 1, -1, -1) if direction == 1 else range(seq_len)
