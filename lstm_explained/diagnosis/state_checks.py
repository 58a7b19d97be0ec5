"""The checks ``diagnose`` makes on the state of a layer: ``hx = (h_0, c_0)`` for an LSTM, ``hx = h_0`` for a GRU or an RNN.

Each check returns a list of ``(code, message, severity, pytorch_error)`` tuples.
"""

from __future__ import annotations

from typing import Optional

import torch

from .. import pytorch_errors
from ..config import RecurrentConfig
from . import state_advice
from .call import Item, ModulePart, StatePart, TensorPart
from .fixes import Fix, zero_state

NAMES = ("h_0", "c_0")


def expected_state(cfg: RecurrentConfig, x: TensorPart) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Returns the 3-D shapes PyTorch compares ``h_0`` and ``c_0`` with: ``(D*num_layers, N, H_out)`` and ``(..., hidden_size)``."""
    batched = len(x.shape) == 3
    batch = (x.shape[0] if cfg.batch_first else x.shape[1]) if batched else 1  # PyTorch unsqueezes unbatched states
    return cfg.state_shapes(batch)


def user_shape(shape: tuple[int, ...], batched: bool) -> tuple[int, ...]:
    """Returns a 3-D state shape as the user writes it: without the batch dimension for unbatched input."""
    return shape if batched else (shape[0], shape[2])


def container(module: ModulePart, x: TensorPart, state: Optional[StatePart]) -> list[Item]:
    """Returns the findings about ``hx`` itself: not a pair of tensors, or the wrong number of dimensions."""
    if state is None:
        return []
    batched = len(x.shape) == 3
    want = 3 if batched else 2
    if state.problem == "missing-cell-state":
        return [_missing_cell_state(module, x, state, want)]
    cfg = module.cfg
    if state.problem is not None and not cfg.has_cell_state:
        message = (
            f"hx is {state.given}: nn.{cfg.module} takes one tensor, hx=h_0 of shape {_wanted(cfg, x, 0)}, or hx=None "
            f"for zeros. A {cfg.kind} has no cell state c: where the (h, c) pair comes from an LSTM, or from code "
            "written for one, pass h alone."
        )
        return [(state.problem, message, "error", state.error)]
    if state.problem is not None:
        message = (
            f"hx is {state.given}: nn.LSTM takes hx=(h_0, c_0), a tuple of two tensors, "
            f"h_0 of shape {_wanted(module.cfg, x, 0)} and c_0 of shape {_wanted(module.cfg, x, 1)}, or hx=None for zeros."
        )
        return [(state.problem, message, "error", state.error)]
    if not cfg.has_cell_state:
        return _single_dims(cfg, x, state, batched, want)
    h_dims, c_dims = len(state.h.shape), len(state.c.shape)
    if h_dims == want and c_dims == want:
        return []
    kind = "batched 3-D input" if batched else "unbatched 2-D input"
    if batched:
        advice, fix = state_advice.dims_fix(expected_state(module.cfg, x)[0], state)
    else:
        advice, fix = state_advice.unbatched_fix(module.cfg, x, state)
    advice, fix = _or_zeros(cfg, x, advice, fix)
    message = (
        f"hx has ({h_dims}-D, {c_dims}-D) tensors, but {kind} {x.shape} takes {want}-D states, "
        f"h_0 of shape {_wanted(module.cfg, x, 0)} and c_0 of shape {_wanted(module.cfg, x, 1)}: {advice}."
    )
    return [("state-dims", message, "error", pytorch_errors.state_dims(batched, h_dims, c_dims), fix)]


def _single_dims(cfg: RecurrentConfig, x: TensorPart, state: StatePart, batched: bool, want: int) -> list[Item]:
    """Returns the finding for an ``h_0`` of a GRU or an RNN whose number of dimensions does not match the input's."""
    dims = len(state.h.shape)
    if dims == want:
        return []
    kind = "batched 3-D input" if batched else "unbatched 2-D input"
    advice, fix = _or_zeros(cfg, x, *(state_advice.dims_fix(expected_state(cfg, x)[0], state) if batched
                                      else state_advice.unbatched_fix(cfg, x, state)))
    message = f"h_0 has {dims} dimensions, but {kind} {x.shape} takes a {want}-D state of shape {_wanted(cfg, x, 0)}: {advice}."
    return [("state-dims", message, "error", pytorch_errors.single_state_dims(batched, dims), fix)]


def _or_zeros(cfg: RecurrentConfig, x: TensorPart, advice: str, fix: Optional[Fix]) -> tuple[str, Fix]:
    """Returns the advice and its fix; where the evidence points to no one change, a zero state of the right shape."""
    if fix is not None:
        return advice, fix
    fix = fresh_state(cfg, x)
    return f"{advice}; for a fresh start, {fix.state_code(cfg.has_cell_state)}", fix


def _wanted(cfg: RecurrentConfig, x: TensorPart, index: int) -> tuple[int, ...]:
    """Returns the shape ``h_0`` (index 0) or ``c_0`` (index 1) must have for this input, as the user writes it."""
    return user_shape(expected_state(cfg, x)[index], len(x.shape) == 3)


def _missing_cell_state(module: ModulePart, x: TensorPart, state: StatePart, want: int) -> Item:
    """Returns the finding for ``h`` given without ``c``, saying how PyTorch reads it."""
    fix = Fix(add_cell_state=True)
    message = (
        f"hx is {state.given}: nn.LSTM needs both states, hx=(h_0, c_0), with c_0 of shape "
        f"{_wanted(module.cfg, x, 1)} (when you carry the state, the c_n returned with that h_n; "
        f"{fix.state_code()} only for a fresh start)."
    )
    if state.error:
        return ("missing-cell-state", message, "error", state.error, fix)
    dims = len(state.h.shape)
    if dims != want:
        return ("missing-cell-state", message, "error", pytorch_errors.state_dims(want == 3, dims, dims), fix)
    pair = StatePart(state.h, state.c, 2)
    if sizes(module.cfg, x, pair) or device(x, pair) or dtype(module, x, pair):
        return ("missing-cell-state", message + " PyTorch reads hx[0] as h_0 and hx[1] as c_0, and rejects them.", "error", None, fix)
    if want == 3:  # only unbatched input rebuilds hx as the tuple (hx[0], hx[1]); the kernel takes nothing else
        return ("missing-cell-state", message + (
            " PyTorch checks hx[0] as h_0 and hx[1] as c_0, then its kernel raises TypeError: it takes a tuple, not one tensor."
        ), "error", None, fix)
    return ("missing-cell-state", message + " PyTorch runs, reading hx[0] as h_0 and hx[1] as c_0.", "warning", None, fix)


def sizes(cfg: RecurrentConfig, x: TensorPart, state: Optional[StatePart], batch_size: Optional[int] = None) -> list[Item]:
    """Returns the findings about the shapes of ``h_0`` and ``c_0``, one per kind of mistake.

    ``batch_size``: the number of sequences meant. Where the input holds that many, its layout is settled, and a state
    of another batch is not read as a sign of the wrong ``batch_first``.
    """
    if state is None or state.problem is not None:
        return []
    batched = len(x.shape) == 3
    want = 3 if batched else 2
    if any(len(part.shape) != want for part in state.parts):
        return []
    scattered = _scattered(cfg, x, state) if batched else None
    if scattered is not None:  # one root cause for both dimensions
        return [scattered]
    by_code: dict[str, list[tuple[int, tuple, str, str, Optional[Fix]]]] = {}
    agree = len({part.shape[1] if batched else 1 for part in state.parts}) == 1  # h_0 and c_0 hold as many sequences
    settled = batched and batch_size is not None and batch_size == x.shape[0 if cfg.batch_first else 1]
    agree = agree and not settled  # only then can the state's batch tell the input's layout
    wrong = [(index, part.shape if batched else (part.shape[0], 1, part.shape[1]), expected)  # PyTorch unsqueezes unbatched states
             for index, (part, expected) in enumerate(zip(state.parts, expected_state(cfg, x)))]
    wrong = [(index, got, expected) for index, got, expected in wrong if got != expected]
    parts: dict[str, tuple[int, ...]] = {}  # each mistake's state tensors, which its fix changes
    for index, got, expected in wrong:
        for code, _, _ in _size_mistakes(cfg, x, index, got, expected, agree):
            parts[code] = parts.get(code, ()) + (index,)
    for index, got, expected in wrong:
        subject = f"{NAMES[index]} is {user_shape(got, batched)} (expected {user_shape(expected, batched)})"
        values = state.parts[index].values
        kept = values is not None and values.numel() > 0 and bool(values.any())  # not a fresh zero state
        for code, why, fix in _size_mistakes(cfg, x, index, got, expected, agree, parts, kept):
            by_code.setdefault(code, []).append((index, got, subject, why, fix))
    items = []
    for code, entries in by_code.items():
        subjects = " and ".join(entry[2] for entry in entries)
        reasons = " ".join(dict.fromkeys(entry[3] for entry in entries))
        index, got, fix = entries[0][0], entries[0][1], entries[0][4]
        expected = expected_state(cfg, x)[index]
        error = _size_error(cfg, index, expected, got)
        items.append((code, f"{subjects}: {reasons}", "error", error, fix))
    return items


def _scattered(cfg: RecurrentConfig, x: TensorPart, state: StatePart) -> Optional[Item]:
    """Returns the finding for a state that nn.DataParallel cut along dim 0 for k GPUs: 1/k of the layers, k times the batch."""
    expected = expected_state(cfg, x)
    cuts = set()
    for part, (rows, batch, size) in zip(state.parts, expected):
        got = part.shape
        if not (0 < got[0] < rows and rows % got[0] == 0 and got[1] == rows // got[0] * batch and got[2] == size):
            return None
        cuts.add(rows // got[0])
    if len(cuts) != 1:
        return None
    gpus, got = cuts.pop(), state.h.shape
    rows, batch, _ = expected[0]
    fix = fresh_state(cfg, x)
    subjects = " and ".join(f"{NAMES[i]} is {part.shape} (expected {shape})" for i, (part, shape) in enumerate(zip(state.parts, expected)))
    message = (
        f"{subjects}: {gpus} times fewer entries and {gpus} times the sequences, as nn.DataParallel makes it on {gpus} GPUs. "
        f"It cuts every tensor argument along dim 0, and a state's dim 0 holds the D*num_layers = {rows} layer and direction "
        f"entries, not the batch: each GPU gets {got[0]} of them for all {got[1]} sequences, beside its {batch} of the input. "
        f"Build the state inside forward from the input each GPU gets, {fix.state_code(cfg.has_cell_state)}, or pass it "
        "batch-first, (N, D*num_layers, H), and .transpose(0, 1).contiguous() it inside forward."
    )
    return ("state-layers", message, "error", _size_error(cfg, 0, expected[0], got), fix)


def _size_error(cfg: RecurrentConfig, index: int, expected: tuple, got: tuple) -> str:
    """Returns what PyTorch raises for state ``index`` of shape ``got``: an LSTM names hidden[0] or hidden[1]."""
    return pytorch_errors.state_size(index, expected, got) if cfg.has_cell_state else pytorch_errors.hidden_size(expected, got)


def fresh_state(cfg: RecurrentConfig, x: TensorPart) -> Fix:
    """Returns the fix that builds a zero state of the right shape for this input, its batch read from the input."""
    return zero_state(cfg, (0 if cfg.batch_first else 1) if len(x.shape) == 3 else None)


def _size_mistakes(cfg: RecurrentConfig, x: TensorPart, index: int, got, expected, agree: bool = True,
                   parts: Optional[dict[str, tuple[int, ...]]] = None, kept: bool = False) -> list[tuple]:
    """Returns ``(code, reason, fix)`` for each way the 3-D state ``got`` differs from ``expected``.

    ``agree`` says whether h_0 and c_0 hold as many sequences: only then can their batch tell the input's layout.
    ``parts`` gives, for each code, the state tensors that have that mistake: a fix that changes a tensor changes those.
    ``kept``: the state holds values other than zeros, which a fix should keep.
    """
    parts = parts or {}
    rows, batch, size = expected
    if (got[1], got[0], got[2]) == expected and got[0] != got[1]:
        states = "h_0 and c_0 are" if cfg.has_cell_state else "h_0 is"
        fix = Fix(state=(("transpose", 0, 1), ("contiguous",)), parts=parts.get("state-batch-first", (0, 1)))
        return [("state-batch-first", (
            f"that is batch-first order (N, D*num_layers, H). batch_first={cfg.batch_first} applies to input and "
            f"output only: {states} always (D*num_layers, N, H). Pass {fix.state_code(cfg.has_cell_state)}."
        ), fix)]
    found = []
    if got[0] != rows:
        hint = ""
        fix = fresh_state(cfg, x)
        advice = (f"Build the state with a first dimension of {rows} ({fix.state_code(cfg.has_cell_state)} for zeros), "
                  "or set num_layers and bidirectional to match it.")
        if cfg.bidirectional and got[0] == cfg.num_layers:
            hint = " It counts the layers but not the two directions."
        elif cfg.bidirectional and cfg.num_layers > 1 and got[0] == cfg.num_directions:
            hint = f" It counts the directions but not the {cfg.num_layers} layers."
        elif not cfg.bidirectional and got[0] == 2 * rows and len(x.shape) == 3:
            advice, fix = state_advice.merge_directions(cfg, got, parts.get("state-layers", (0, 1)))
        if got[0] == 1 and len(x.shape) == 3:  # one entry, for several: a one-layer encoder's state, say, worth keeping
            zeros = fix.state_code(cfg.has_cell_state)
            fix = Fix(state=(("repeat", rows, 1, 1),), parts=parts.get("state-layers", (0, 1)))
            gives = "give" if cfg.has_cell_state and len(fix.parts) == 2 else "gives"
            advice = (f"If it is a state to keep (a one-layer encoder's, say), {fix.state_code(cfg.has_cell_state)} {gives} each "
                      f"layer and direction a copy; or build it with a first dimension of {rows} ({zeros} for zeros), "
                      "or set num_layers and bidirectional to match it.")
        if len(x.shape) == 2 and got[0] == x.shape[0] > 1:  # (N, H) beside (N, H_in): one time step, laid out for a cell
            advice, fix = state_advice.cell_layout_fix(cfg, x)
        found.append(("state-layers", (
            f"the first dimension is D*num_layers = {cfg.num_directions}*{cfg.num_layers} = {rows} "
            f"(bidirectional={cfg.bidirectional}, num_layers={cfg.num_layers}), one entry per layer and direction.{hint} {advice}"
        ), fix))
    if got[1] != batch:
        found.append(("state-batch-size", *_batch_reason(cfg, x, got[1], batch, agree, parts.get("state-batch-size", (0, 1)))))
    if got[2] != size:
        found.append(_last_dim_reason(cfg, x, index, got[2], kept))
    return found


def _batch_reason(cfg: RecurrentConfig, x: TensorPart, got: int, batch: int, agree: bool = True,
                  parts: tuple[int, ...] = (0, 1)) -> tuple[str, Fix]:
    """Returns why the state's batch dimension ``got`` is not the input's batch size, with the likely fix.

    ``parts`` are the state tensors whose batch is wrong: a slice changes those alone.
    """
    reason = f"dim 1 is the batch, and the input {x.shape} holds N={batch} sequences with batch_first={cfg.batch_first}."
    if agree and not cfg.batch_first and got == x.shape[0]:
        fix = Fix(module=(("batch_first", True),))
        return reason + f" The state's {got} is the input's dim 0: if the input is (N, L, H_in), set {fix.module_code()}.", fix
    if agree and cfg.batch_first and got == x.shape[1]:
        fix = Fix(module=(("batch_first", False),))
        return reason + f" The state's {got} is the input's dim 1: if the input is (L, N, H_in), set {fix.module_code()}.", fix
    fresh = fresh_state(cfg, x)
    if got < batch:  # slicing cannot grow it: h[:, :N] keeps at most the `got` sequences it has
        return reason + (
            f" The state holds {got} sequence{'s' if got != 1 else ''}, fewer than the input: one built for a fixed batch size "
            f"does this. Build it from the input's batch inside forward, {fresh.state_code(cfg.has_cell_state)}, "
            "or pass hx=None for zeros."
        ), fresh
    fix = Fix(state=(("batch", batch),) + ((("contiguous",),) if cfg.state_rows > 1 else ()), parts=parts)  # cuDNN needs it
    return reason + (
        f" The state holds {got} sequences, more than the input: one kept from a larger batch does this (a DataLoader's "
        f"smaller last batch, or a training state reused to predict). Start each new batch from zeros (hx=None) or pass "
        f"drop_last=True to the DataLoader; to go on with the same sequences, {fix.state_code(cfg.has_cell_state)} "
        f"keep{'' if cfg.has_cell_state and len(parts) == 2 else 's'} the first {batch}."
    ), fix


def _last_dim_reason(cfg: RecurrentConfig, x: TensorPart, index: int, got: int, kept: bool = False) -> tuple[str, str, Fix]:
    """Returns ``(code, reason, fix)`` for a state whose last dimension is wrong.

    ``kept``: the state holds values other than zeros (an encoder's, a state carried on), which a fix should keep.
    """
    fix = fresh_state(cfg, x)
    if cfg.proj_size and index == 0 and got == cfg.hidden_size:
        return "state-proj-size", (
            f"with proj_size={cfg.proj_size}, h is projected: h_0 and h_n end in proj_size={cfg.proj_size}, "
            f"not hidden_size={cfg.hidden_size}. Only c_0 and c_n keep hidden_size: {fix.state_code()}."
        ), fix
    if cfg.proj_size and index == 1 and got == cfg.proj_size:
        return "state-proj-size", (
            f"proj_size={cfg.proj_size} projects h only: c_0 and c_n end in hidden_size={cfg.hidden_size}, not proj_size: "
            f"{fix.state_code()}."
        ), fix
    name, value = ("proj_size", cfg.proj_size) if (index == 0 and cfg.proj_size) else ("hidden_size", cfg.hidden_size)
    if kept and not cfg.proj_size:  # a computed state: the module's size is the likelier mistake
        resize = Fix(module=(("hidden_size", got),))
        return "state-size", (
            f"the last dimension must be hidden_size={value}. This state holds values (an encoder's, or one carried on), "
            f"so to keep them, build the {cfg.kind} with {resize.module_code()}; or start from zeros, "
            f"{fix.state_code(cfg.has_cell_state)}."
        ), resize
    return "state-size", (
        f"{NAMES[index]}'s last dimension must be {name}={value}: build it with {value} feature{'s' if value != 1 else ''} "
        f"({fix.state_code(cfg.has_cell_state)} for zeros), or set {name} to match."
    ), fix


def count(x: TensorPart, state: Optional[StatePart]) -> list[Item]:
    """Returns the finding for a state of more than two tensors: an error, except for unbatched input.

    For unbatched input ``LSTM.forward`` rebuilds ``hx`` from its first two tensors, so
    the others are dropped without a word.
    """
    if state is None or state.problem is not None or state.count <= 2:
        return []
    message = f"hx has {state.count} tensors: nn.LSTM takes exactly two, hx=(h_0, c_0)."
    if len(x.shape) == 2:
        return [("hx-length", message + " With unbatched input PyTorch silently ignores the others.", "warning", None)]
    return [("hx-length", message, "error", pytorch_errors.state_count())]


def device(x: TensorPart, state: Optional[StatePart]) -> list[Item]:
    """Returns the finding for a state on another device than the input."""
    if state is None or state.problem is not None or x.device is None:
        return []
    for index, part in enumerate(state.parts):
        if part.device is not None and part.device != x.device:
            message = (
                f"{NAMES[index]} is on {part.device} but the input is on {x.device}: "
                f"move the state with {NAMES[index]}.to(x.device), or create it with device=x.device."
            )
            return [("state-device", message, "error", pytorch_errors.state_device(x.device, part.device))]
    return []


def contiguous(x: TensorPart, state: Optional[StatePart]) -> list[Item]:
    """Returns the finding for a state tensor that is not contiguous: cuDNN refuses it, the CPU takes it.

    On a GPU with cuDNN (MIOpen on ROCm), ``_cudnn_rnn`` checks ``hx.is_contiguous()`` and then ``cx``'s;
    other kernels read any strides, so there it is a note, for the day the call moves to a GPU.
    """
    if state is None or state.problem is not None:
        return []
    views = tuple(index for index, part in enumerate(state.parts) if part.contiguous is False)
    if not views:
        return []
    fix = Fix(state=(("contiguous",),), parts=views)
    names = " and ".join(NAMES[index] for index in views)
    made = (f"{names} {'are views' if len(views) > 1 else 'is a view'} that {'are' if len(views) > 1 else 'is'} not contiguous, "
            "as transpose, permute, a slice or expand make them, or nn.DataParallel's scatter of a state along dim 1.")
    error = pytorch_errors.state_not_contiguous(views[0])  # hx is checked before cx
    code = fix.state_code(len(state.parts) == 2)
    if x.device is not None and x.device.type == "cuda" and torch.backends.cudnn.enabled:
        return [("state-contiguous", f"{made} cuDNN (MIOpen on ROCm) refuses it: pass {code}.", "error", error, fix)]
    message = f"{made} It runs here, off cuDNN; on a GPU cuDNN (MIOpen on ROCm) refuses it ({error}): pass {code}."
    return [("state-contiguous", message, "note", None, fix)]


def dtype(module: ModulePart, x: TensorPart, state: Optional[StatePart]) -> list[Item]:
    """Returns the finding for a state whose dtype is not the weights' (or, without weights, the input's)."""
    if state is None or state.problem is not None:
        return []
    wanted = module.dtype or x.dtype
    for index, part in enumerate(state.parts):
        if wanted is not None and part.dtype is not None and part.dtype != wanted:
            fix = Fix(state=(("to", wanted),))
            message = (
                f"{NAMES[index]} is {part.dtype} but the {module.cfg.kind} computes in {wanted}: convert it with "
                f"{fix.state_code(len(state.parts) == 2)}. PyTorch fails inside its kernel, with a message that depends on the "
                "backend and does not name the state."
            )
            return [("state-dtype", message, "error", None, fix)]
    return []
