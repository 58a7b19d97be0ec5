"""What to do about a state of the wrong shape: the fixes ``state_checks`` puts in its findings.

Each function returns ``(advice, fix)``: the advice as a phrase or sentences, worded to follow the finding's
description and quoting the :class:`Fix` it proposes first, as code.
"""

from __future__ import annotations

from typing import Optional

from ..config import RecurrentConfig
from .call import StatePart, TensorPart
from .fixes import Fix


def dims_fix(expected: tuple[int, ...], state: StatePart) -> tuple[str, Optional[Fix]]:
    """Returns the fix for a 2-D or 4-D state with batched input, given the 3-D shape ``expected`` of h_0."""
    rows, batch, _ = expected
    both = len(state.parts) == 2  # an LSTM's (h_0, c_0), else h_0 alone
    names = "h_0 and c_0" if both else "h_0"
    if all(len(part.shape) == 4 for part in state.parts):  # a size-1 dimension too many, as a stray unsqueeze adds
        for i in range(4):
            if all(part.shape[i] == 1 and (part.shape[:i] + part.shape[i + 1:])[:2] == (rows, batch) for part in state.parts):
                fix = Fix(state=(("squeeze", i),))
                return f"dimension {i} has size 1, as a stray unsqueeze adds: {fix.state_code(both)} remove{'' if both else 's'} it", fix
    if any(len(part.shape) != 2 for part in state.parts):
        return f"build {names} with three dimensions, (D*num_layers, N, H)", None
    if state.h.shape[0] == batch:  # (N, H): the layer dimension is missing
        fix = Fix(state=(("unsqueeze", 0),) + ((("repeat", rows, 1, 1),) if rows > 1 else ()))
        advice = f"add the dimension of layers and directions in front: {fix.state_code(both)}"
        if rows > 1:
            advice += ", the same state for each layer and direction (or build one for each)"
        return advice, fix
    if state.h.shape[0] == rows:  # (D*num_layers, H): the state of one unbatched sequence
        fix = Fix(state=(("unsqueeze", 1),) + ((("repeat", 1, batch, 1),) if batch != 1 else ()))
        advice = f"add the batch dimension: {fix.state_code(both)}"
        if batch != 1:
            advice += f", the same state for each of the N={batch} sequences (or build one for each)"
        return advice, fix
    return f"build {names} with three dimensions, (D*num_layers, N, H)", None


def unbatched_fix(cfg: RecurrentConfig, x: TensorPart, state: StatePart) -> tuple[str, Optional[Fix]]:
    """Returns the fix for a 3-D state with unbatched 2-D input, by which reading of the input the state's batch fits.

    A 2-D input ``(a, H_in)`` is one sequence of ``a`` time steps, or one time step of ``a`` sequences
    (loop mode). A state built for ``a`` sequences says it is the time step; one built for one, the sequence.
    """
    if cfg.input_size == 1 and x.shape[-1] != 1:
        fix = Fix(input=(("unsqueeze", -1),))
        return (
            "with input_size=1, the input is most likely a batch of series missing its feature dimension: "
            f"{fix.input_code()} makes it a 3-D batch, which a 3-D state fits"
        ), fix
    first, features = x.shape
    batch = state.h.shape[1] if len(state.h.shape) == 3 else None
    if batch == first and first > 1:  # one time step of `first` sequences
        dim, shape = (1, (first, 1, features)) if cfg.batch_first else (0, (1, first, features))
        fix = Fix(input=(("unsqueeze", dim),))
        cell = f", or step with nn.{cfg.kind}Cell, which takes one time step (N, H_in)" if cfg.state_rows == 1 else ""
        return (
            f"the state holds {batch} sequences, as many as the input's first dimension: the input is one time step of "
            f"{batch} sequences. Give it its time dimension, {fix.input_code()}, shape {shape}{cell}"
        ), fix
    dim, shape = (0, (1, first, features)) if cfg.batch_first else (1, (first, 1, features))
    fix = Fix(input=(("unsqueeze", dim),))
    if batch == 1:  # one sequence of `first` time steps, with a state for a batch of one
        return f"the state is for one sequence: give the input its batch dimension, {fix.input_code()}, shape {shape}", fix
    return f"drop the batch dimension from the state, or give the input one, {fix.input_code()}, shape {shape}", None


def cell_layout_fix(cfg: RecurrentConfig, x: TensorPart) -> tuple[str, Fix]:
    """Returns the fix for a 2-D state ``(N, H)`` beside a 2-D input ``(N, H_in)``: one time step, laid out as a cell takes it."""
    n, features = x.shape
    dim, shape = (1, (n, 1, features)) if cfg.batch_first else (0, (1, n, features))
    rows = cfg.state_rows
    grow = (("unsqueeze", 0),) + ((("repeat", rows, 1, 1),) if rows > 1 else ())  # one entry per layer and direction
    fix = Fix(input=(("unsqueeze", dim),), state=grow)
    advice = (
        f"This state has the input's first dimension, {n}: the two look like one time step of {n} sequences, laid out as "
        f"a cell takes them. For nn.{cfg.module}, give each its missing dimension: {fix.input_code()}, shape {shape}, and "
        f"{fix.state_code(cfg.has_cell_state)}, shape ({rows}, {n}, H)"
    )
    if cfg.state_rows == 1:
        advice += f"; or step with nn.{cfg.kind}Cell({cfg.input_size}, {cfg.hidden_size}), which takes them as they are"
    return advice + ".", fix


def merge_directions(cfg: RecurrentConfig, got: tuple[int, ...], parts: tuple[int, ...] = (0, 1)) -> tuple[str, Fix]:
    """Returns the fix for a bidirectional encoder's state fed to a one-direction module: merge its two directions.

    ``parts`` are the state tensors with twice the entries (0 for h, 1 for c): the merge changes those.
    """
    layers, batch, size = cfg.num_layers, got[1], got[2]
    states = " and ".join(name for i, name in enumerate(("h_n", "c_n")[: 1 + cfg.has_cell_state]) if i in parts)
    differ = cfg.proj_size > 0 and len(parts) == 2  # h_n and c_n of other widths: one view for both, its last size -1
    fix = Fix(state=(("view", layers, 2, batch, -1 if differ else size), ("sum", 1)), parts=parts)
    merged = fix.state_code(cfg.has_cell_state).replace("h_0", "h_n").replace("c_0", "c_n")
    return (
        f"A first dimension twice that size is what a bidirectional encoder returns, or an encoder with twice the layers; "
        f"the shape alone cannot tell which. From a bidirectional encoder: a decoder that generates one step at a time "
        f"cannot use a backward direction (it would need the steps it has not generated yet), so merge the two directions of {states}: "
        f"{merged}, shape ({layers}, {batch}, {size}), or "
        f"torch.cat([h_n[0::2], h_n[1::2]], dim=2), shape ({layers}, {batch}, {2 * size}), "
        f"then an nn.Linear({2 * size}, {size}) (or a decoder with hidden_size={2 * size}). "
        f"From a one-direction encoder of {2 * layers} layers: keep its last {layers}, h_n[-{layers}:], or give both "
        f"num_layers={2 * layers}."
    ), fix
