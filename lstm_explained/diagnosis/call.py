"""The parts of a recurrent module's call as ``diagnose`` sees them: module, input and state, described without running them.

Each part is read from a real object (``nn.LSTM``, ``nn.GRU``, a cell, a ``Tensor``) or from a
bare description (:class:`RecurrentConfig`, a tuple of ints for a shape), so that the
``lstm-explained diagnose`` command can check a call it only knows the shapes of.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Optional

import torch
from torch import Tensor

from .. import pytorch_errors
from ..config import RecurrentConfig

# What a check returns for each finding: (code, message, severity, the error PyTorch would raise or None), and
# a fifth element, the Fix its message proposes, where there is one.
Item = tuple


@dataclass(frozen=True)
class ModulePart:
    """The module's config, the dtype and device of its weights (None when only a config is known), its dropout and options."""

    cfg: RecurrentConfig
    dtype: Optional[torch.dtype] = None
    device: Optional[torch.device] = None
    dropout: float = 0.0
    options: tuple[tuple[str, Any], ...] = ()  # the options the kernel takes, as the module holds them


@dataclass(frozen=True)
class TensorPart:
    """A tensor's shape, dtype and device (None when only the shape is known), and its values when they can be read."""

    shape: tuple[int, ...]
    dtype: Optional[torch.dtype] = None
    device: Optional[torch.device] = None
    values: Optional[Tensor] = None
    contiguous: Optional[bool] = None  # the tensor's memory in its shape's order, without gaps (None for a shape)


@dataclass(frozen=True)
class StatePart:
    """``hx`` as the module's ``forward`` reads it: ``h = hx[0]`` and ``c = hx[1]`` for an LSTM, ``h = hx`` otherwise.

    ``problem`` names what is wrong with the container itself (``missing-cell-state``,
    ``state-type``, ``hx-type``), and ``error`` is what PyTorch raises while reading it;
    ``count`` is the number of tensors given, for the kernel's "two hidden states" check.
    """

    h: Optional[TensorPart]
    c: Optional[TensorPart]
    count: int = 2
    problem: Optional[str] = None
    error: Optional[str] = None
    given: str = ""
    whole: Optional[TensorPart] = None  # a lone tensor given where a pair is meant, as given

    @property
    def parts(self) -> tuple[TensorPart, ...]:
        """Returns the state's tensors: ``(h, c)``, or ``(h,)`` for a module without a cell state."""
        return tuple(part for part in (self.h, self.c) if part is not None)

    def copied(self) -> StatePart:
        """Returns the state as a copy of it reaches the kernel: the same shapes, each tensor contiguous.

        A batch packed with ``enforce_sorted=False`` has its state reordered by the module's
        ``permute_hidden`` (``index_select``), which copies it.
        """
        copy = lambda part: None if part is None else replace(part, contiguous=True)  # noqa: E731
        return replace(self, h=copy(self.h), c=copy(self.c))


def article(word: str) -> str:
    """Returns the indefinite article a word takes when read aloud: ``an`` before a vowel (``an ndarray``), else ``a``."""
    return "an" if word[:1].lower() in "aeiou" or word.startswith("nd") else "a"


def a_name(obj: Any) -> str:
    """Returns the name of an object's class with its article: ``a dict``, ``an int``."""
    name = type(obj).__name__
    return f"{article(name)} {name}"


def is_shape(obj: Any) -> bool:
    """Returns True for a tuple (or torch.Size) of non-negative ints: a shape standing in for a tensor."""
    return isinstance(obj, tuple) and all(isinstance(d, int) and not isinstance(d, bool) and d >= 0 for d in obj)


def is_state_shape(hx: Any) -> bool:
    """Returns True for a state given as a shape; ``hx=()`` is an empty tuple, as PyTorch reads it.

    (The shape of a 0-D state is ``torch.Size([])``; a 0-D input may be given as ``()``.)
    """
    return is_shape(hx) and not (type(hx) is tuple and not hx)


def type_name(obj: Any) -> str:
    """Returns the name of ``obj``'s type as a message shows it: "Tensor" for a shape, which stands for one."""
    return "Tensor" if is_state_shape(obj) else type(obj).__name__


def read_module(lstm: Any) -> ModulePart:
    """Returns the module part, or raises TypeError for anything but a module of the family or a :class:`RecurrentConfig`."""
    if isinstance(lstm, RecurrentConfig):
        return ModulePart(lstm)
    cfg = RecurrentConfig.from_module(lstm)  # TypeError for anything outside the family
    weight = lstm.weight_ih if cfg.is_cell else lstm.weight_ih_l0  # (gates*H, H_in)
    options = () if cfg.is_cell else tuple((name, getattr(lstm, name)) for name in ("num_layers", "bidirectional", "batch_first", "bias"))
    return ModulePart(cfg, weight.dtype, weight.device, float(getattr(lstm, "dropout", 0.0)), options)


def read_tensor(obj: Any) -> Optional[TensorPart]:
    """Returns the tensor part of a Tensor or a shape, or None for anything else."""
    if isinstance(obj, Tensor):
        readable = obj.device.type != "meta"
        return TensorPart(tuple(obj.shape), obj.dtype, obj.device, obj.detach() if readable else None, obj.is_contiguous())
    if is_shape(obj):
        return TensorPart(tuple(obj))
    return None


def index(obj: Any, i: int) -> tuple[Any, Optional[str]]:
    """Returns ``(obj[i], None)``, or ``(None, error)`` with what Python or PyTorch raises for it.

    A shape stands for a tensor: indexing it drops its first dimension.
    """
    if is_state_shape(obj):
        error = pytorch_errors.index_shape(obj, i)
        return (None, error) if error else (tuple(obj[1:]), None)
    try:
        return obj[i], None
    except Exception as exc:  # whatever the object raises is what nn.LSTM would raise
        return None, pytorch_errors.describe(exc)


def dim_error(obj: Any) -> Optional[str]:
    """Returns what ``obj.dim()`` raises for an object that is neither a tensor nor a shape, else None."""
    if isinstance(obj, Tensor) or is_state_shape(obj):
        return None
    try:
        obj.dim()
    except Exception as exc:
        return pytorch_errors.describe(exc)
    return None


def read_state(hx: Any, cfg: Optional[RecurrentConfig] = None) -> Optional[StatePart]:
    """Returns ``hx`` read the way the module's ``forward`` reads it (``nn.LSTM``'s without ``cfg``), or None when there is no state."""
    if hx is None:
        return None
    if cfg is not None and not cfg.has_cell_state:
        return _read_single(hx)
    if isinstance(hx, Tensor) or is_state_shape(hx):
        shape = tuple(hx.shape) if isinstance(hx, Tensor) else hx
        h, error = index(hx, 0)
        if error is None:
            _, error = index(hx, 1)
        view = read_tensor(h) if error is None else None  # torch reads hx[0] as h and hx[1] as c
        return StatePart(view, view, 1, "missing-cell-state", error, f"a single tensor of shape {shape}", read_tensor(hx))
    if not isinstance(hx, (tuple, list)):
        h, error = index(hx, 0)  # LSTM.forward: hx[0].dim() before hx[1] is read
        error = error or dim_error(h) or index(hx, 1)[1] or dim_error(index(hx, 1)[0])
        return StatePart(None, None, 0, "hx-type", error, a_name(hx))
    kind = type(hx).__name__
    if len(hx) < 2:
        # LSTM.forward: hx[0].dim(), then hx[1]: an empty container fails at hx[0], (None,) at its dim()
        error = index(hx, 0)[1] or dim_error(hx[0]) or index(hx, 1)[1]
        return StatePart(None, None, len(hx), "missing-cell-state", error, f"a {kind} of {len(hx)} tensor(s)")
    h, c = read_tensor(hx[0]), read_tensor(hx[1])
    error = dim_error(hx[0]) or dim_error(hx[1])
    if h is None or c is None:
        problem = "missing-cell-state" if hx[1] is None and h is not None else "state-type"
        given = f"({type_name(hx[0])}, {type_name(hx[1])})"
        return StatePart(None, None, len(hx), problem, error, given)
    return StatePart(h, c, len(hx))


def _read_single(hx: Any) -> StatePart:
    """Returns ``hx`` as ``nn.GRU``, ``nn.RNN`` and their cells read it: one tensor, ``h = hx``."""
    if isinstance(hx, Tensor) or is_state_shape(hx):
        return StatePart(read_tensor(hx), None, 1)
    count = len(hx) if isinstance(hx, (tuple, list)) else 0
    given = a_name(hx) + (f" of {count} item{'s' if count != 1 else ''}" if isinstance(hx, (tuple, list)) else "")
    return StatePart(None, None, count, "hx-type", dim_error(hx), given)  # forward calls hx.dim() first
