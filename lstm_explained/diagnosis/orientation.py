"""How PyTorch reads the batch and time dimensions of a call, against the batch the caller means.

From shapes alone ``(7, 1, 3)`` with ``batch_first=True`` is either one step of a batch of 7
(loop mode: sound) or one sequence of 7 steps read as 7 sequences (the seed notebook's
mistake). ``batch_size``, the number of sequences the caller means, settles it: these checks
warn when PyTorch's reading disagrees with it, and, without it, give both readings as a note.

Each check returns a list of ``(code, message, severity, pytorch_error)`` tuples.
"""

from __future__ import annotations

from typing import Any, Optional

from ..config import RecurrentConfig
from .call import Item, StatePart, TensorPart
from .fixes import Fix, zero_state


def reading(cfg: RecurrentConfig, shape: tuple[int, ...]) -> tuple[Optional[int], int]:
    """Returns ``(N, L)`` as PyTorch reads an input of ``shape``: N is None for unbatched 2-D input."""
    if len(shape) == 2:
        return None, shape[0]
    return (shape[0], shape[1]) if cfg.batch_first else (shape[1], shape[0])


def read_as(cfg: RecurrentConfig, shape: tuple[int, ...]) -> str:
    """Returns how PyTorch reads a 3-D input, e.g. ``N=7 sequences of L=1 time step``."""
    n, steps = reading(cfg, shape)
    if cfg.batch_first:
        return f"N={n} {_plural(n, 'sequence')} of L={steps} {_plural(steps, 'time step')}"
    return f"L={steps} {_plural(steps, 'time step')} of N={n} {_plural(n, 'sequence')}"


def _plural(count: int, word: str) -> str:
    """Returns ``word`` for a count of one, else its plural."""
    return word if count == 1 else word + "s"


def check_batch_size(batch_size: Any) -> list[Item]:
    """Returns a finding for a ``batch_size`` that is not a whole number of sequences (None is fine)."""
    if batch_size is None or (isinstance(batch_size, int) and not isinstance(batch_size, bool) and batch_size >= 0):
        return []
    message = f"batch_size is {batch_size!r}: pass the number of sequences you mean, a whole number, or leave it out."
    return [("batch-size", message, "warning", None)]


def packed_batch(batch_size: Optional[int], batch: int) -> list[Item]:
    """Returns a warning when a PackedSequence holds another number of sequences than ``batch_size``."""
    if batch_size is None or batch_size == batch:
        return []
    message = (
        f"batch_size={batch_size}, but the PackedSequence holds N={batch} sequences (its batch_sizes[0]): "
        "check the lengths given to pack_padded_sequence, and batch_first, which says which dimension of the padded batch is N."
    )
    return [("batch-size", message, "warning", None)]


def orientation(cfg: RecurrentConfig, x: TensorPart, state: Optional[StatePart], batch_size: Optional[int]) -> list[Item]:
    """Returns the finding about batch and time: a warning when ``batch_size`` disagrees with PyTorch, a note when ambiguous."""
    shape = x.shape
    if len(shape) == 2:
        if batch_size is None or batch_size == 1:
            return []
        message = (
            f"batch_size={batch_size}, but input {shape} is 2-D, which PyTorch reads as one unbatched sequence "
            f"of L={shape[0]} {_plural(shape[0], 'time step')} with H_in={shape[1]} features. "
            f"A batch has three dimensions: {_layout(cfg)} with batch_first={cfg.batch_first}."
        )
        fix = _batch_of_2d(cfg, shape, batch_size)
        if fix is not None and fix.input == (("unsqueeze", -1),):
            message += f" With input_size=1 these are {batch_size} series of one feature: {fix.input_code()}"
            message += f" and {fix.module_code()}." if fix.module else "."
        elif fix is not None:
            message += f" As one time step of {batch_size} sequences: {fix.input_code()}."
        return [("batch-size", message, "warning", None, fix)]
    n, steps = reading(cfg, shape)
    if batch_size is None:
        return _ambiguous(cfg, x, state) if steps == 1 and n > 1 else []
    if batch_size == n:
        return []
    if batch_size != steps:
        message = (
            f"batch_size={batch_size}, but with batch_first={cfg.batch_first} PyTorch reads input {shape} as "
            f"{read_as(cfg, shape)}, and no dimension holds {batch_size} sequences. Check how the batch was built "
            f"(a DataLoader's last batch is smaller unless drop_last=True): nn.{cfg.module} takes {_layout(cfg)}."
        )
        return [("batch-size", message, "warning", None)]
    message = (
        f"batch_size={batch_size}, but with batch_first={cfg.batch_first} PyTorch reads input {shape} as "
        f"{read_as(cfg, shape)}: {_effect(n, steps)}. {_fix(cfg, shape)}{_fits_misread(cfg, state, n)}"
    )
    return [(_code(cfg), message, "warning", None, swap_fix(cfg, shape, state))]


def swap_fix(cfg: RecurrentConfig, shape: tuple[int, ...], state: Optional[StatePart]) -> Fix:
    """Returns the fix for a swapped batch and time: the other batch_first, and a zero state for the batch it then reads."""
    module = (("batch_first", not cfg.batch_first),)
    meant = shape[1] if cfg.batch_first else shape[0]  # the dimension PyTorch reads as time holds the batch
    if state is None or _fits(cfg, state, meant):
        return Fix(module=module)
    return Fix(module=module, fresh_state=zero_state(cfg, 1 if cfg.batch_first else 0).fresh_state)  # the other layout's batch


def _batch_of_2d(cfg: RecurrentConfig, shape: tuple[int, ...], batch_size: int) -> Optional[Fix]:
    """Returns the fix that makes a 2-D input the batch of ``batch_size`` sequences it holds, where its shape says how."""
    if batch_size not in shape:
        return None
    if cfg.input_size == 1 and shape[1] != 1:  # series of one feature, missing that dimension
        batch_first = shape[0] == batch_size
        return Fix(input=(("unsqueeze", -1),), module=(("batch_first", batch_first),) if batch_first != cfg.batch_first else ())
    if shape[0] == batch_size and shape[1] == cfg.input_size:  # one time step of the batch
        return Fix(input=(("unsqueeze", 1 if cfg.batch_first else 0),))
    return None


def _code(cfg: RecurrentConfig) -> str:
    """Returns the code of a swap of batch and time: named after the module's batch_first."""
    return "batch-first-swap" if cfg.batch_first else "time-major-swap"


def _layout(cfg: RecurrentConfig) -> str:
    """Returns the layout of a batch the module takes: ``(N, L, H_in)`` or ``(L, N, H_in)``."""
    return "(N, L, H_in)" if cfg.batch_first else "(L, N, H_in)"


def _effect(n: int, steps: int) -> str:
    """Returns what reading the batch as time does, for PyTorch's reading of N sequences of L steps."""
    if steps == 1:
        return "every time step is its own sequence, starting from its own initial state, and never sees the step before it"
    if n == 1:
        return (
            f"the batch is read as time: the {steps} sequences run as the time steps of one sequence, "
            "each starting from the state the one before it left"
        )
    return (
        "the batch is read as time and time as the batch, "
        "so the state flows from one sequence to the next instead of along each sequence"
    )


def _fix(cfg: RecurrentConfig, shape: tuple[int, ...]) -> str:
    """Returns the fix for a swapped batch and time: the other batch_first or a transpose, and the state that goes with it."""
    a, b, features = shape
    meant = b if cfg.batch_first else a  # the dimension PyTorch reads as time holds the batch
    h, c = cfg.state_shapes(meant)
    state = f"h_0 of shape {h}" if c is None else f"h_0 and c_0 of shape {h}" if h == c else f"h_0 of shape {h} and c_0 of shape {c}"
    layout, last = ("(N, L, D*H_out)", "output[:, -1]") if not cfg.batch_first else ("(L, N, D*H_out)", "output[-1]")
    return (
        f"Set {Fix(module=(('batch_first', not cfg.batch_first),)).module_code()}, or pass "
        f"{Fix(input=(('transpose', 0, 1),)).input_code()}, shape ({b}, {a}, {features}); "
        f"a state then has {state}. With batch_first={not cfg.batch_first}, output is {layout}: "
        f"its last time step is {last}."
    )


def _fits(cfg: RecurrentConfig, state: Optional[StatePart], n: int) -> bool:
    """Returns whether ``h_0`` and ``c_0`` both have exactly the shapes PyTorch wants for a batch of ``n`` sequences."""
    if state is None or state.problem is not None:
        return False
    return tuple(tuple(part.shape) for part in state.parts) == tuple(s for s in cfg.state_shapes(n) if s is not None)


def _fits_misread(cfg: RecurrentConfig, state: Optional[StatePart], n: int) -> str:
    """Returns the sentence saying why PyTorch is silent, when the state is exactly the one for the misread batch."""
    if _fits(cfg, state, n):
        return f" The state {state.h.shape} fits the misread batch of {n}, which is why PyTorch raises nothing."
    return ""


def _ambiguous(cfg: RecurrentConfig, x: TensorPart, state: Optional[StatePart]) -> list[Item]:
    """Returns the note for an input PyTorch reads as N sequences of one time step: loop mode, or a swapped sequence."""
    h = state.h if state is not None and state.problem is None else None
    n, _ = reading(cfg, x.shape)
    if h is not None and (len(h.shape) != 3 or h.shape[1] != n):
        return []  # the state says the batch is not N: its own error says how to fix it
    fits = " The state fits the first reading, so PyTorch raises nothing either way." if _fits(cfg, state, n) else ""
    message = (
        f"with batch_first={cfg.batch_first}, PyTorch reads input {x.shape} as {read_as(cfg, x.shape)}. "
        f"That is right for one time step of a batch of {n} sequences (loop mode). It is wrong for one sequence "
        f"of {n} time steps: every time step is then its own sequence and never sees the step before it. "
        f"{_fix(cfg, x.shape)}{fits} To tell them apart: is {n} your number of sequences, or of time steps? "
        "Pass batch_size= (the number of sequences you mean) and diagnose says which."
    )
    return [(_code(cfg), message, "note", None)]
