"""What ``pack_padded_sequence`` makes of the lengths given beside a padded batch: findings from before the module runs.

``pack_padded_sequence(x, lengths, batch_first, enforce_sorted)`` fails on lengths on a GPU, of
another count than the batch, with an empty sequence, or out of order; a length longer than the
padded batch passes unchecked, and the module's call on the packed batch fails instead. The
packing is made here on a stand-in of ``x`` with one feature (no check reads the features), so the
error quoted is the one the user's PyTorch raises; the advice is chosen by which check failed.
"""

from __future__ import annotations

from typing import Any, Optional

import torch
from torch import Tensor
from torch.nn.utils.rnn import pack_padded_sequence

from .. import pytorch_errors
from ..config import RecurrentConfig
from .call import Item, TensorPart


def lengths(cfg: RecurrentConfig, x: TensorPart, given: Any, enforce_sorted: bool) -> tuple[list[Item], Optional[Tensor]]:
    """Returns the finding about ``lengths`` for the padded batch ``x`` (what packing raises, or a length past its end),
    and the packed batch's ``batch_sizes`` when packing succeeds."""
    if len(x.shape) != 3:
        return [], None  # the input's own dimensions are the finding
    batch_dim, time_dim = (0, 1) if cfg.batch_first else (1, 0)
    on_cpu = not isinstance(given, Tensor) or given.device.type == "cpu"
    try:  # sorting lengths on a GPU would run there: PyTorch refuses them after sorting, with the same words
        stand_in = torch.zeros(*x.shape[:2], min(x.shape[2], 1))  # (L, N, 1) or (N, L, 1): the batch, not its values
        packed = pack_padded_sequence(stand_in, given, batch_first=cfg.batch_first,
                                      enforce_sorted=enforce_sorted or not on_cpu)
    except Exception as exc:  # what PyTorch raises is the finding
        error = pytorch_errors.describe(exc)
        return [("lengths", f"{_call(cfg, enforce_sorted)}: {_advice(error, given, x, batch_dim)}.", "error", error)], None
    values = torch.as_tensor(given).reshape(-1)
    longest, steps = int(values.max()), x.shape[time_dim]
    if longest > steps:
        message = (
            f"{_call(cfg, enforce_sorted)}: a length of {longest} is more than the padded batch's L={steps} (dim {time_dim}, "
            f"batch_first={cfg.batch_first}). Packing does not check it: its batch_sizes count {int(packed.batch_sizes.sum())} "
            f"steps where the data holds {packed.data.shape[0]}, and the {cfg.kind}'s call on the packed batch fails. Cut the "
            f"lengths to the batch, lengths.clamp(max={steps}), or pad to the longest sequence."
        )
        return [("lengths", message, "error", None)], None
    return [], packed.batch_sizes


def _call(cfg: RecurrentConfig, enforce_sorted: bool) -> str:
    """Returns the packing call the finding is about, as code."""
    return f"pack_padded_sequence(x, lengths, batch_first={cfg.batch_first}, enforce_sorted={enforce_sorted})"


def _advice(error: str, given: Any, x: TensorPart, batch_dim: int) -> str:
    """Returns what to do about the error packing raised, told apart by which of PyTorch's checks it is."""
    batch = x.shape[batch_dim]
    if "1D CPU int64 tensor" in error or "Index is supposed to be a vector" in error:  # the second: sorted first
        shape = tuple(given.shape)
        if given.dim() != 1:
            return (f"lengths has shape {shape}: packing takes one length per sequence, a list or a 1-D CPU tensor of "
                    f"N={batch} (a tensor of token or segment ids is not the lengths; count the real steps of each sequence)")
        return (f"the lengths are on {given.device}: packing reads them on the CPU, so pass lengths.cpu() (or a list); "
                "only the padded batch goes to the GPU")
    if error.startswith("RuntimeError: Cannot pack empty tensors"):
        return f"the padded batch {x.shape} holds no values: leave empty batches out"
    if "Expected `len(lengths)`" in error:
        count = len(given)
        other = 1 - batch_dim if x.shape[1 - batch_dim] == count else None
        advice = f"there are {count} lengths for N={batch} sequences (dim {batch_dim}): one length per sequence"
        if other is not None:
            advice += f"; the lengths match dim {other}: if that is the batch, set batch_first={other == 0}"
        elif not isinstance(given, Tensor) and count > batch:
            advice += ("; under nn.DataParallel a list of lengths is not cut with the batch: pass a tensor, which is, and "
                       ".cpu() it inside forward")
        return advice
    if "greater than 0" in error:
        return ("a sequence has length 0 or less: packing takes none, so leave empty sequences out of the batch (or give "
                "them length 1 and ignore their outputs)")
    if "sorted in decreasing order" in error:
        return ("the lengths are not in decreasing order: pass enforce_sorted=False, which sorts them and gives h_n and c_n "
                "back in the batch's own order (output too, once pad_packed_sequence unpacks it), or sort the batch by length first")
    return "packing the padded batch with these lengths fails"
