"""The checks ``diagnose`` makes on one step of a cell: ``nn.LSTMCell``, ``nn.GRUCell`` or ``nn.RNNCell``.

A cell takes one time step: input ``(N, H_in)`` or unbatched ``(H_in,)``, and a state ``h`` of
``(N, H)`` (or ``(H,)``), with ``c`` beside it for an LSTMCell. The checks follow the cell's own
order: its ``forward`` checks the dimensions, then the kernel checks an LSTMCell's two states, the
input's size and each state's batch and size. PyTorch stops at the first; these checks do too,
and then look at dtypes and devices.

Each check returns a list of ``(code, message, severity, pytorch_error)`` tuples.
"""

from __future__ import annotations

from typing import Any, Optional

import torch
from torch import Tensor

from .. import pytorch_errors
from ..config import RecurrentConfig
from .call import Item, ModulePart, StatePart, TensorPart, a_name, dim_error, is_shape, is_state_shape
from .fixes import Fix, zero_state

NAMES = ("h", "c")


def check_cell(module: ModulePart, x: TensorPart, state: Optional[StatePart], hx: Any = None) -> list[Item]:
    """Returns the findings for one call of a cell, the first error PyTorch raises first, then dtypes and devices.

    ``hx`` is the state as given, for an LSTMCell's first check: its ``forward`` checks the dimensions of
    every item of ``hx`` before anything else.
    """
    cfg = module.cfg
    first = (_dims(cfg, x) or _items_dims(cfg, x, hx) or _container(cfg, x, state) or _state_dims(cfg, x, state)
             or _sizes(cfg, x, state))
    if first:
        return [first]
    return _dtype(module, x, state) + _device(module, x, state)


def _layer(cfg: RecurrentConfig) -> str:
    """Returns the layer that takes a whole sequence at once, e.g. ``nn.GRU(3, 5)`` for ``nn.GRUCell(3, 5)``."""
    return RecurrentConfig(cfg.input_size, cfg.hidden_size, bias=cfg.bias, module=cfg.kind, nonlinearity=cfg.nonlinearity).as_code()


def _state_shape(cfg: RecurrentConfig, x: TensorPart) -> tuple[int, ...]:
    """Returns the shape of ``h`` (and ``c``) for this input: ``(N, H)``, or ``(H,)`` for an unbatched step."""
    return (x.shape[0], cfg.hidden_size) if len(x.shape) == 2 else (cfg.hidden_size,)


def _dims(cfg: RecurrentConfig, x: TensorPart) -> Optional[Item]:
    """Returns the finding for an input that is not one time step, 1-D or 2-D."""
    dims = len(x.shape)
    if dims in (1, 2):
        return None
    message = (
        f"input has shape {x.shape}, {dims}-D: nn.{cfg.module} takes one time step, (N, H_in) or (H_in,) "
        f"unbatched, with H_in = input_size = {cfg.input_size}."
    )
    if dims == 3:
        message += (
            f" A whole sequence (L, N, H_in) goes through the cell one step at a time: for t in range(x.size(0)): "
            f"{'h, c = cell(x[t], (h, c))' if cfg.has_cell_state else 'h = cell(x[t], h)'}. "
            f"Or use {_layer(cfg)}, which takes the whole sequence at once (its weights have the same shapes)."
        )
    return ("input-dims", message, "error", pytorch_errors.input_dims(dims, cfg.module))


def _items_dims(cfg: RecurrentConfig, x: TensorPart, hx: Any) -> Optional[Item]:
    """Returns the finding for an LSTMCell's ``hx`` holding an item that is not 1-D or 2-D, as its ``forward`` checks them all first."""
    if hx is None or not cfg.has_cell_state:
        return None
    if isinstance(hx, Tensor) or is_state_shape(hx):
        shape = tuple(hx.shape) if isinstance(hx, Tensor) else hx
        items = [shape[1:]] * shape[0] if shape else []  # forward iterates over a tensor's first dimension
    elif isinstance(hx, (tuple, list)):
        items = [tuple(t.shape) if isinstance(t, Tensor) else t if is_shape(t) else None for t in hx]
    else:  # forward iterates hx (enumerate) and calls each item's dim(): an int fails there, a dict gives its keys
        try:
            error = next(filter(None, map(dim_error, list(hx))), None)
        except Exception as exc:
            error = pytorch_errors.describe(exc)
        return ("hx-type", _pair_message(cfg, x, a_name(hx)), "error", error) if error else None
    for index, shape in enumerate(items):
        if shape is None:
            return None  # not a tensor: forward fails on its .dim(), which the container's finding quotes
        if len(shape) not in (1, 2):
            message = f"hx[{index}] has shape {shape}: nn.LSTMCell takes hx=(h, c), each of shape {_state_shape(cfg, x)}."
            return ("state-dims", message, "error", pytorch_errors.cell_state_dims(cfg.module, len(shape), index))
    return None


def _container(cfg: RecurrentConfig, x: TensorPart, state: Optional[StatePart]) -> Optional[Item]:
    """Returns the finding for a state that is not what the cell takes: one tensor, or an LSTMCell's pair."""
    if state is None or state.problem is None:
        return None
    shape = _state_shape(cfg, x)
    if cfg.has_cell_state:
        message = _pair_message(cfg, x, state.given)
        if state.count == 1 and len(x.shape) == 1 and state.error is None and state.h is not None and len(state.h.shape) == 1:
            # One unbatched time step: forward reads a 2-D tensor's hx[0] and hx[1] as h and c, and the kernel checks them.
            error = _kernel_error(cfg, x, state)
            if error is None:  # h and c stacked in one tensor, maybe on purpose: no change proposed
                return (state.problem, message + " PyTorch runs, reading hx[0] as h and hx[1] as c.", "warning", None)
            fix = zero_state(cfg, None)
            message += f" For a fresh start, h and c are {fix.state_code()}."
            return (state.problem, message, "error", error, fix)
        fix = None
        alone = state.whole if state.whole is not None else state.h if state.count == 1 else None  # h given alone?
        if alone is not None and len(alone.shape) == len(x.shape) + 1 and alone.shape[0] == 2 and alone.shape[1:] == shape:
            fix = Fix(state=(("unbind", 0),))  # (2, N, H): h and c stacked in one tensor
            message += " If it holds h and c stacked, hx.unbind(0) makes them the pair."
        elif alone is not None and len(alone.shape) == len(x.shape):
            fix = Fix(add_cell_state=True)
            message += f" For a fresh start, {fix.state_code().replace('_0', '')}."
        if len(x.shape) == 2 and state.given.startswith("a single tensor"):
            return (state.problem, message, "error", None, fix)  # the kernel's TypeError names an argument position that varies
        if len(x.shape) == 2 and state.count != 2 and state.error is not None and state.error.startswith("IndexError"):
            return (state.problem, message, "error", pytorch_errors.state_count(cell=True), fix)  # forward passes the tuple on
        return (state.problem, message, "error", state.error, fix)
    message = (
        f"hx is {state.given}: nn.{cfg.module} takes one tensor, hx=h of shape {shape}, or hx=None for zeros. "
        f"A {cfg.module} has no cell state c, and returns h alone: carry that to the next step."
    )
    return (state.problem, message, "error", state.error)


def _pair_message(cfg: RecurrentConfig, x: TensorPart, given: str) -> str:
    """Returns what an LSTMCell takes as hx, for a state given as ``given`` (e.g. "a dict")."""
    return (
        f"hx is {given}: nn.LSTMCell takes hx=(h, c), a tuple of two tensors of shape {_state_shape(cfg, x)}, or hx=None for "
        "zeros. It returns the pair (h, c): carry both to the next step."
    )


def _state_dims(cfg: RecurrentConfig, x: TensorPart, state: Optional[StatePart]) -> Optional[Item]:
    """Returns the finding for a state that is not 1-D or 2-D, or whose dimensions do not match the input's."""
    if state is None or state.problem is not None:
        return None
    for index, part in enumerate(state.parts):
        if len(part.shape) not in (1, 2):
            advice, fix = "", None
            if len(part.shape) == 3:
                fix = Fix(state=(("index", -1),))
                advice = (
                    f" A layer's state (D*num_layers, N, H) holds one entry per layer and direction: a cell takes one of "
                    f"them, e.g. the top layer's last entry, {fix.state_code(cfg.has_cell_state).replace('_0', '_n')}, "
                    f"shape {part.shape[1:]}."
                )
            message = f"{NAMES[index]} has shape {part.shape}: nn.{cfg.module} takes a state of shape {_state_shape(cfg, x)}.{advice}"
            error = pytorch_errors.cell_state_dims(cfg.module, len(part.shape), index)
            return ("state-dims", message, "error", error, fix)
    batched = len(x.shape) == 2
    mismatched = [index for index, part in enumerate(state.parts) if (len(part.shape) == 2) != batched]
    if not mismatched:
        return None
    if batched:
        n = x.shape[0]
        fix = Fix(state=(("unsqueeze", 0), ("expand", n, -1)), parts=tuple(mismatched))  # the 1-D ones alone
        advice = (
            f"one time step of N={n} sequence{'s' if n != 1 else ''} takes a 2-D state of shape ({n}, {cfg.hidden_size}): "
            f"{fix.state_code(cfg.has_cell_state).replace('_0', '')} gives each sequence the same state"
        )
    else:
        fix = Fix(input=(("unsqueeze", 0),))
        advice = f"one unbatched step takes a 1-D state (H,): give the input its batch dimension, {fix.input_code()}, shape (1, H_in)"
    message = f"input {x.shape} and state {state.parts[mismatched[0]].shape} differ in dimensions: {advice}."
    return ("state-dims", message, "error", _kernel_error(cfg, x, state), fix)


def _sizes(cfg: RecurrentConfig, x: TensorPart, state: Optional[StatePart]) -> Optional[Item]:
    """Returns the first finding of the kernel's checks: an LSTMCell's two states, the input's size, each state's batch and size."""
    error = _kernel_error(cfg, x, state)
    if error is None:
        return None
    features = x.shape[-1]
    if features != cfg.input_size:
        fix = Fix(module=(("input_size", features),))
        message = f"input {x.shape} has {features} features, but input_size={cfg.input_size}: set {fix.module_code()}, or fix the input."
        return ("input-size", message, "error", error, fix)
    if cfg.has_cell_state and state.count != 2:
        message = f"hx has {state.count} tensors: nn.LSTMCell takes exactly two, hx=(h, c)."
        return ("hx-length", message, "error", error)
    index, part = next((i, p) for i, p in enumerate(state.parts) if f"hidden{i}" in error)
    want = _state_shape(cfg, x)
    fix = zero_state(cfg, 0 if len(x.shape) == 2 else None)
    zeros = fix.state_code(cfg.has_cell_state)
    if "batch size" in error:
        message = (
            f"{NAMES[index]} has shape {part.shape} but the input holds N={x.shape[0]} sequences: a state of shape {want}. "
            f"A state kept from a batch of another size does this (often a DataLoader's smaller last batch): start each "
            f"batch from zeros (hx=None) or from {zeros}."
        )
        return ("state-batch-size", message, "error", error, fix)
    message = (f"{NAMES[index]} has shape {part.shape}: its last dimension must be hidden_size={cfg.hidden_size}, shape {want} "
               f"({zeros} for zeros).")
    return ("state-size", message, "error", error, fix)


def _kernel_error(cfg: RecurrentConfig, x: TensorPart, state: Optional[StatePart]) -> Optional[str]:
    """Returns what the cell's kernel raises for these shapes (after ``forward`` adds the batch dimension), or None."""
    step = x.shape if len(x.shape) == 2 else (1, *x.shape)  # (N, H_in)
    parts = [] if state is None else [part.shape if len(x.shape) == 2 else (1, *part.shape) for part in state.parts]
    if cfg.has_cell_state and state is not None and state.count != 2 and len(x.shape) == 2:
        return pytorch_errors.state_count(cell=True)
    if step[1] != cfg.input_size:
        return pytorch_errors.cell_input_size(cfg.input_size, step[1])
    for index, shape in enumerate(parts):
        if len(shape) != 2 and pytorch_errors.checks_cell_state_dims():
            return pytorch_errors.cell_state_not_2d(index, len(shape))
        if shape[0] != step[0]:
            return pytorch_errors.cell_batch(step[0], index, shape[0])
        if len(shape) < 2:
            return pytorch_errors.dimension_out_of_range(len(shape), 1)  # the kernel reads the state's size(1)
        if shape[1] != cfg.hidden_size:
            return pytorch_errors.cell_hidden_size(index, shape[1], cfg.hidden_size)
    return None


def _dtype(module: ModulePart, x: TensorPart, state: Optional[StatePart]) -> list[Item]:
    """Returns the finding for an input or a state of another dtype than the weights: the kernel's message depends on the backend."""
    wanted = module.dtype
    if wanted is None:
        return []
    if x.dtype is not None and x.dtype != wanted:
        fix = Fix(input=(("to", wanted),))
        cell = f", or the cell with cell.to({x.dtype}) if it should compute in {x.dtype}" if x.dtype.is_floating_point else ""
        message = (
            f"input is {x.dtype} but the {module.cfg.module}'s weights are {wanted}: convert the input with {fix.input_code()}"
            f"{cell}. PyTorch fails in a matrix product."
        )
        return [("input-dtype", message, "error", None, fix)]
    for index, part in enumerate(state.parts if state is not None else ()):
        if part.dtype is not None and part.dtype != wanted:
            fix = Fix(state=(("to", wanted),))
            message = f"{NAMES[index]} is {part.dtype} but the cell computes in {wanted}: convert it with {NAMES[index]}.to({wanted})."
            if index == 0:
                return [("state-dtype", message + " PyTorch fails in a matrix product.", "error", None, fix)]
            # c enters elementwise products alone: the step runs, in the dtype both promote to.
            promoted = torch.promote_types(part.dtype, wanted)
            message += f" PyTorch runs this step, since c enters only elementwise products, and returns h' and c' in {promoted}"
            message += ": the next step then fails in a matrix product." if promoted != wanted else "."
            return [("state-dtype", message, "warning", None, fix)]
    return []


def _device(module: ModulePart, x: TensorPart, state: Optional[StatePart]) -> list[Item]:
    """Returns the finding for an input or a state on another device than the cell's parameters."""
    wanted = module.device
    if wanted is None:
        return []
    tensors = [("input", "x", x)] + [(NAMES[i], NAMES[i], p) for i, p in enumerate(state.parts if state is not None else ())]
    for name, variable, part in tensors:
        if part.device is not None and part.device != wanted:
            message = (
                f"{name} is on {part.device} but the {module.cfg.module}'s parameters are on {wanted}: move it with "
                f"{variable}.to({str(wanted)!r}), or the cell with cell.to({str(part.device)!r})."
            )
            return [("input-device" if name == "input" else "state-device", message, "error", None)]
    return []
