"""``diagnose``: what is wrong with a call of ``nn.LSTM``, ``nn.GRU``, ``nn.RNN`` or a cell, in plain words, without running it."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Optional

from torch.nn.utils.rnn import PackedSequence

from .. import pytorch_errors
from . import cell_checks, input_checks, orientation, packing_checks, state_checks
from .call import ModulePart, StatePart, TensorPart, read_module, read_state, read_tensor
from .fixes import Fix

PACKED_NOTE = (
    " (With a PackedSequence, nn.LSTM checks none of this itself: its kernel fails with a message "
    "that does not name the cause, or, for some shapes, does not fail at all.)"
)

# Every code diagnose can report, with what it means. The codes are stable: scripts may match on them.
CODES = {
    "not-recurrent": "the module is not one of nn.LSTM, nn.GRU, nn.RNN and their cells: what it holds, and how to check those",
    "input-type": "the input is not a Tensor or a PackedSequence",
    "input-dims": "the input is not 2-D or 3-D",
    "batch-first-swap": "batch_first=True with time-major data, the batch read as time: the seed's (L, 1, H_in)",
    "time-major-swap": "batch_first=False with batch-first data (N, L, H_in): the batch read as time",
    "batch-size": "the batch_size you mean is in no dimension of the input, or is not a whole number",
    "missing-cell-state": "an LSTM's h given without c",
    "state-type": "an LSTM's hx holds something other than two tensors",
    "hx-type": "hx is not what the module takes: None or a pair (h_0, c_0) of tensors for an LSTM, one tensor h_0 for the others",
    "state-dims": "a state whose dimensions do not match the input's",
    "input-dtype": "the input's dtype is not the weights' dtype",
    "input-size": "the input's last dimension is not input_size",
    "state-batch-first": "the state in batch-first order",
    "state-layers": "the state's first dimension is not D*num_layers",
    "state-batch-size": "the state's batch dimension is not the input's",
    "state-proj-size": "an LSTM's h sized hidden_size, or c sized proj_size, with proj_size set",
    "state-size": "the state's last dimension is wrong",
    "hx-length": "an LSTM's state of more than two tensors (an LSTMCell's of other than two)",
    "state-device": "the state is on another device than the input",
    "input-device": "the input is on another device than the module",
    "empty-sequence": "an input with no time steps",
    "state-dtype": "the state's dtype is not the weights' dtype",
    "state-contiguous": "a state tensor that is not contiguous: an error on a GPU with cuDNN, a note elsewhere",
    "padded-input": "zero-padded sequences read through their padding",
    "dropout-one-layer": "dropout > 0 with num_layers=1, where it has no effect",
    "lengths": "the lengths given for packing: what pack_padded_sequence refuses, or a length past the padded batch's end",
    "module-option": "an option of the module has a type its kernel refuses: bidirectional=0 where a bool is meant",
    "internal-error": "diagnose itself failed: please report the call",
}


@dataclass(frozen=True)
class Finding:
    """One thing wrong with a call.

    Attributes:
        code: a short stable slug, e.g. ``"batch-first-swap"``.
        message: what is wrong and how to fix it, naming the argument to change.
        severity: ``"error"`` when PyTorch raises (for a PackedSequence: should
            raise, as its kernel does not always notice), ``"warning"`` when the call
            runs but almost certainly does not compute what was meant, ``"note"`` when
            the call runs and shapes alone cannot tell whether it means what the caller
            meant: the note gives both readings, and ``batch_size=`` settles it (a
            note is not a mistake: the command exits 0 on notes alone).
        pytorch_error: for an error, the line PyTorch raises for this problem,
            ``"ExceptionType: message"``, where its wording does not depend on the
            backend; else None.
        fix: the change the message proposes first, as data (:class:`Fix`): ``fix.apply(lstm, x, hx)``
            returns the call with it made. None where no one change is sure to be right (a note's
            two readings, padding to pack, a device to choose).
    """

    code: str
    message: str
    severity: str = "error"
    pytorch_error: Optional[str] = None
    fix: Optional[Fix] = None

    def __str__(self) -> str:
        return f"{self.severity} [{self.code}] {self.message}"


def diagnose(
    lstm: Any, input: Any, hx: Any = None, *, batch_size: Optional[int] = None, lengths: Any = None, enforce_sorted: bool = True
) -> list[Finding]:
    """Returns the findings about the call ``lstm(input, hx)``: an empty list for a sound call.

    Nothing is run and nothing is raised, whatever the arguments. ``lstm`` is a module of the
    family (``nn.LSTM``, ``nn.GRU``, ``nn.RNN``, ``nn.LSTMCell``, ``nn.GRUCell``, ``nn.RNNCell``)
    or a :class:`RecurrentConfig`; anything else (a whole model, an ``nn.Sequential``, a wrapper)
    gets a ``not-recurrent`` finding that names it and lists the recurrent modules inside.
    ``input`` is a Tensor, a ``PackedSequence`` or a shape (a tuple of ints); ``hx`` None,
    ``(h_0, c_0)`` for an LSTM, ``h_0`` for the others, or anything a user might pass instead.
    Tensors may be replaced by their shapes, to check a call before building it.
    ``batch_size`` is the number of sequences you mean to pass: shapes alone cannot
    tell one time step of a batch of 7 from one sequence of 7 steps laid out the
    wrong way, and ``batch_size`` settles it. ``lengths`` (and ``enforce_sorted``) are what
    you pass to ``pack_padded_sequence`` with the padded ``input``: its refusals come first
    (code ``lengths``), as they come before the module's call.

    Errors come in the order PyTorch checks them, so the first one's ``pytorch_error``
    is what the call raises. Warnings flag calls that run but mislead: batch and time
    swapped against ``batch_size`` (``batch-first-swap``, the seed notebook's mistake,
    and its mirror ``time-major-swap``), a state given without its cell state that
    PyTorch happens to accept (``missing-cell-state``), zero-padded input read through
    its padding (``padded-input``), and ``dropout`` on a one-layer LSTM. Without
    ``batch_size``, an input PyTorch reads as one time step of several sequences gets a
    note giving both readings.

    Examples:
        >>> import torch
        >>> from torch import nn
        >>> from lstm_explained import diagnose
        >>> lstm = nn.LSTM(input_size=3, hidden_size=5, batch_first=True)
        >>> x, hx = torch.zeros(7, 1, 3), (torch.zeros(1, 7, 5), torch.zeros(1, 7, 5))
        >>> [(f.code, f.severity) for f in diagnose(lstm, x, hx)]
        [('batch-first-swap', 'note')]
        >>> [(f.code, f.severity) for f in diagnose(lstm, x, hx, batch_size=1)]
        [('batch-first-swap', 'warning')]
        >>> diagnose(lstm, x, hx, batch_size=7)
        []
        >>> diagnose(lstm, torch.zeros(1, 7, 3))
        []
    """
    try:
        return [_as_finding(item) for item in _diagnose(lstm, input, hx, batch_size, lengths, enforce_sorted)]
    except Exception as exc:  # the promise is "never raises": a bug of ours becomes a finding
        message = f"diagnose could not finish ({pytorch_errors.describe(exc)}); please report this call."
        return [Finding("internal-error", message)]


def _diagnose(lstm: Any, input: Any, hx: Any, batch_size: Any, lengths: Any = None, enforce_sorted: bool = True) -> list[tuple]:
    """Returns the findings as ``(code, message, severity, pytorch_error[, fix])``, in PyTorch's order of checks."""
    try:
        module = read_module(lstm)
    except (TypeError, ValueError, AttributeError):
        return [input_checks.not_recurrent(lstm)]
    settled = orientation.check_batch_size(batch_size)
    if settled:
        return settled
    if isinstance(input, PackedSequence) and not module.cfg.is_cell:
        return _diagnose_packed(module, input, hx, batch_size) + input_checks.dropout(module)
    x = read_tensor(input)
    if x is None:
        return [input_checks.not_a_tensor(module.cfg, input)]
    if module.cfg.is_cell:
        return cell_checks.check_cell(module, x, read_state(hx, module.cfg), hx)
    if len(x.shape) not in (2, 3):
        return [input_checks.wrong_dims(module.cfg, x, batch_size)]
    if lengths is not None:  # packed before the call: packing's refusals first, then the call as the packed batch makes it
        packing, batch_sizes = packing_checks.lengths(module.cfg, x, lengths, enforce_sorted)
        if batch_sizes is None:
            return packing + input_checks.dropout(module)
        return packing + _packed_checks(module, batch_sizes, x, hx, batch_size, not enforce_sorted) + input_checks.dropout(module)
    state = read_state(hx, module.cfg)
    found = _check_call(module, x, state, batch_size)
    ids = input_checks.token_ids(module, x, state, found)
    if ids is not None:  # the root cause: every other finding follows from it
        return [ids] + input_checks.dropout(module)
    return (
        orientation.orientation(module.cfg, x, state, batch_size)
        + found
        + input_checks.padding(module.cfg, x)
        + input_checks.dropout(module)
    )


def _check_call(module: ModulePart, x: TensorPart, state: Optional[StatePart], batch_size: Optional[int] = None) -> list[tuple]:
    """Returns the error findings for a 2-D or 3-D input, in the order the module makes its checks.

    ``batch_size``, when given, is the number of sequences meant: where the input holds that many, its layout is settled.
    """
    checked = state is not None or module.cfg.module != "LSTM" or pytorch_errors.checks_input_without_state()
    return (
        state_checks.container(module, x, state)  # LSTM.forward: hx and cx dimensions
        + input_checks.dtype_and_size(module, x, checked, state)  # check_input
        + state_checks.sizes(module.cfg, x, state, batch_size)  # check_hidden_size, hidden[0] then hidden[1]
        + input_checks.options(module)  # the kernel's arguments, parsed before it runs
        + state_checks.count(x, state)  # from here on the kernel's own checks, in its order
        + state_checks.device(x, state)
        + input_checks.device(module, x)
        + input_checks.empty(module.cfg, x)
        + state_checks.dtype(module, x, state)
        + state_checks.contiguous(x, state)  # cuDNN's, last: after the weights are flattened
    )


def _diagnose_packed(module: ModulePart, input: PackedSequence, hx: Any, batch_size: Optional[int]) -> list[tuple]:
    """Returns the findings for a PackedSequence: checked as the time-major batch it packs, whose N is not in doubt."""
    data = input.data  # (sum of lengths, H_in)
    if data.dim() != 2:
        message = f"the PackedSequence's data is {data.dim()}-D: build it with pack_padded_sequence or pack_sequence."
        return [("input-dims", message, "error", None)]
    data_part = TensorPart(tuple(data.shape), data.dtype, data.device)
    return _packed_checks(module, input.batch_sizes, data_part, hx, batch_size, input.sorted_indices is not None)


def _packed_checks(module: ModulePart, batch_sizes: Any, data: TensorPart, hx: Any, batch_size: Optional[int],
                   permuted: bool = False) -> list[tuple]:
    """Returns the findings for a packed batch: ``batch_sizes`` as packing makes it, and ``data``'s features, dtype and device.

    ``permuted``: packed with enforce_sorted=False, so the module reorders the state before its kernel sees it.
    """
    steps, batch = len(batch_sizes), int(batch_sizes[0]) if len(batch_sizes) else 0
    x = TensorPart((steps, batch, data.shape[-1]), data.dtype, data.device)  # (L, N, H_in), whatever batch_first says
    time_major = ModulePart(replace(module.cfg, batch_first=False), module.dtype, module.device)
    state = read_state(hx, module.cfg)
    if permuted and state is not None:  # the module reorders the state for the sorted batch: its kernel gets a copy
        state = state.copied()
    found = _check_call(time_major, x, state)
    if module.cfg.module == "LSTM":  # nn.LSTM.forward skips its shape checks for a packed input; GRU and RNN make them
        found = [item if item[0] == "state-contiguous" else (item[0], item[1] + PACKED_NOTE, item[2], None) for item in found]
    found = [item[:4] for item in found]  # no fix as data: the input is packed
    return orientation.packed_batch(batch_size, x.shape[1]) + found


def _as_finding(item: tuple) -> Finding:
    """Returns a Finding from a check's ``(code, message, severity, pytorch_error[, fix])``, quoting PyTorch in the message."""
    code, message, severity, error, fix = (*item, None)[:5]
    if error:
        message = f"{message} PyTorch raises {error}"
    return Finding(code, message, severity, error, fix)
