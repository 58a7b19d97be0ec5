"""The change a finding proposes, as data: what to do to the input, to the state and to the module's arguments.

A finding's advice quotes its :class:`Fix` as code (:meth:`Fix.input_code`, :meth:`Fix.state_code`,
:meth:`Fix.module_code`), and :meth:`Fix.apply` makes the same change to a real call, so that the
advice can be run: the tests apply every fix and run the fixed call.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional

import torch
from torch import Tensor, nn

from ..config import RecurrentConfig

# One method call on a tensor, as (name, *arguments): ("unsqueeze", 0) is .unsqueeze(0). Two are not methods:
# ("batch", n) is the slice [:, :n] of a state's batch dimension, ("index", i) the entry [i] of its first dimension,
# ("embed", size) an nn.Embedding(..., size) in front.
Step = tuple


@dataclass(frozen=True)
class Fix:
    """One change to a call of a recurrent module.

    Attributes:
        input: the steps applied to the input, in order (``(("unsqueeze", 0),)`` for ``x.unsqueeze(0)``).
        state: the steps applied to each state tensor, ``h_0`` and, for an LSTM, ``c_0``.
        fresh_state: a new zero state for the fixed input's batch, ``(dim, h_0's shape, c_0's shape)``
            with None where the batch goes: ``x.new_zeros(1, x.size(0), 5)`` (on x's device, in its dtype);
            c_0's shape is None for a module without a cell state.
        no_state: pass ``hx=None`` (zeros) instead of the state.
        add_cell_state: an LSTM's ``h_0`` given alone gets ``c_0 = torch.zeros_like(h_0)``.
        module: the module's arguments to set, ``(("batch_first", True),)``.
        parts: which state tensors the ``state`` steps change: 0 for ``h_0``, 1 for ``c_0``.
    """

    input: tuple[Step, ...] = ()
    state: tuple[Step, ...] = ()
    fresh_state: Optional[tuple[int, tuple, Optional[tuple]]] = None
    no_state: bool = False
    add_cell_state: bool = False
    module: tuple[tuple[str, Any], ...] = ()
    parts: tuple[int, ...] = (0, 1)

    def input_code(self) -> str:
        """Returns the fixed input as code, e.g. ``x.unsqueeze(0)``."""
        code = "x"
        for step in self.input:
            code = f"nn.Embedding(num_embeddings, embedding_dim={step[1]})({code})" if step[0] == "embed" else code + _step_code(step)
        return code

    def state_code(self, has_cell_state: bool = True) -> str:
        """Returns the fixed state as code: ``h_0.unsqueeze(0) and c_0.unsqueeze(0)``, ``x.new_zeros(...)`` or ``hx=None``."""
        if self.no_state:
            return "hx=None"
        if self.add_cell_state:
            return "hx=(h_0, torch.zeros_like(h_0))"
        if self.fresh_state is not None:
            dim, h, c = self.fresh_state
            zeros = [f"x.new_zeros({', '.join(f'x.size({dim})' if d is None else str(d) for d in shape)})"
                     for shape in (h, c) if shape is not None]
            return " and ".join(zeros) if len(zeros) == 1 or zeros[0] != zeros[1] else f"{zeros[0]} each"
        if self.state == (("unbind", 0),):
            return "hx.unbind(0)"  # one tensor holding h and c stacked: the pair
        steps = "".join(_step_code(step) for step in self.state)
        return " and ".join(f"{name}{steps}" for i, name in enumerate(("h_0", "c_0")[: 1 + has_cell_state]) if i in self.parts)

    def module_code(self) -> str:
        """Returns the module's arguments to set, e.g. ``batch_first=True``."""
        return ", ".join(f"{name}={value!r}" for name, value in self.module)

    def as_code(self, has_cell_state: bool = True) -> dict[str, str]:
        """Returns the parts this fix changes, each as code: ``{"input": "x.unsqueeze(0)"}``, and "state", "module"."""
        parts = {"input": self.input_code() if self.input else None,
                 "state": self.state_code(has_cell_state) if self.changes_state else None,
                 "module": self.module_code() or None}
        return {part: code for part, code in parts.items() if code is not None}

    @property
    def changes_state(self) -> bool:
        """Returns whether this fix changes the state passed with the input."""
        return bool(self.state) or self.fresh_state is not None or self.no_state or self.add_cell_state

    def apply(self, module: nn.Module, x: Tensor, hx: Any = None) -> tuple[nn.Module, Tensor, Any]:
        """Returns ``(module, x, hx)`` with this fix made: a new module where its arguments change (fresh weights)."""
        cfg = RecurrentConfig.from_module(module)
        if self.module:
            module = _rebuilt(module, cfg, dict(self.module))
        for step in self.input:
            if step[0] == "embed":
                x = nn.Embedding(int(x.max()) + 1 if x.numel() else 1, step[1]).to(_weights_dtype(module))(x)
            else:
                x = _apply_steps(x, (step,))
        if self.no_state:
            return module, x, None
        if self.fresh_state is not None:
            dim, h, c = self.fresh_state
            parts = [x.new_zeros([x.size(dim) if d is None else d for d in shape]) for shape in (h, c) if shape]
            return module, x, tuple(parts) if cfg.has_cell_state else parts[0]
        if self.add_cell_state:
            h = hx[0] if isinstance(hx, (tuple, list)) else hx
            return module, x, (h, torch.zeros_like(h))
        if self.state:
            pairs = isinstance(hx, (tuple, list))
            fixed = [_apply_steps(part, self.state) if i in self.parts else part for i, part in enumerate(hx if pairs else (hx,))]
            hx = type(hx)(fixed) if pairs else fixed[0]
        return module, x, hx


def zero_state(cfg: RecurrentConfig, batch_dim: Optional[int]) -> Fix:
    """Returns the fix that passes a zero state of the module's shape, its batch read from ``x.size(batch_dim)``.

    ``batch_dim`` None: unbatched input, whose state has no batch dimension.
    """
    h, c = cfg.state_shapes(None)  # unbatched: (D*num_layers, H) for a layer, (H,) for a cell
    if batch_dim is not None:  # the batch goes before the last dimension
        h, c = (*h[:-1], None, h[-1]), ((*c[:-1], None, c[-1]) if c else None)
    return Fix(fresh_state=(batch_dim or 0, h, c))


def _step_code(step: Step) -> str:
    """Returns one step as code: ``.unsqueeze(0)``, or ``[:, :4]`` for a slice of the batch."""
    if step[0] == "batch":
        return f"[:, :{step[1]}]"
    if step[0] == "index":
        return f"[{step[1]}]"
    return f".{step[0]}({', '.join(map(str, step[1:]))})"


def _apply_steps(t: Tensor, steps: tuple[Step, ...]) -> Tensor:
    """Returns ``t`` with each step applied in turn."""
    for step in steps:
        t = t[:, : step[1]] if step[0] == "batch" else t[step[1]] if step[0] == "index" else getattr(t, step[0])(*step[1:])
    return t


def _weights_dtype(module: nn.Module) -> torch.dtype:
    """Returns the dtype of the module's first weight."""
    return next(module.parameters()).dtype


def _rebuilt(module: nn.Module, cfg: RecurrentConfig, changes: dict) -> nn.Module:
    """Returns a new module of the same class and dtype as ``module``, with ``changes`` made to its arguments."""
    args = dict(input_size=cfg.input_size, hidden_size=cfg.hidden_size, bias=cfg.bias)
    if cfg.kind == "RNN":
        args["nonlinearity"] = cfg.nonlinearity
    if not cfg.is_cell:
        args.update(num_layers=cfg.num_layers, batch_first=cfg.batch_first, bidirectional=cfg.bidirectional,
                    dropout=module.dropout)
    if cfg.module == "LSTM":
        args["proj_size"] = cfg.proj_size
    args.update(changes)
    return type(module)(**args).to(_weights_dtype(module)).train(module.training)
