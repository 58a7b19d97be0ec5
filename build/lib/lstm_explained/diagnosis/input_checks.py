"""The checks ``diagnose`` makes on the module and the input.

Each check returns a list of ``(code, message, severity, pytorch_error)`` tuples
(or one tuple, for the checks after which nothing else can be said).
"""

from __future__ import annotations

from typing import Any, Optional

import torch

from .. import pytorch_errors
from .call import ModulePart, StatePart, TensorPart, dim_error
from ..config import LSTMConfig
from .state_checks import Item

MAX_VALUES_READ = 50_000_000  # the padding check reads the input's values up to this many elements


def not_an_lstm(lstm: Any) -> Item:
    """Returns the finding for a first argument that is not an ``nn.LSTM``."""
    name = type(lstm).__name__
    extra = " A GRU or an RNN has no cell state c, so its hx is one tensor." if name in ("GRU", "RNN") else ""
    message = f"lstm is a {name}: diagnose checks calls of torch.nn.LSTM (or an LSTMConfig), not this.{extra}"
    return ("not-an-lstm", message, "warning", None)  # the call may well run: it is just not ours to check


def not_a_tensor(input: Any) -> Item:
    """Returns the finding for an input that is not a Tensor, a PackedSequence or a shape."""
    name = type(input).__name__
    fix = "torch.as_tensor(input, dtype=torch.float32)"
    if type(input).__module__ == "numpy":
        fix = "torch.from_numpy(input).float() (NumPy arrays are float64 by default; the LSTM's weights are float32)"
    message = f"input is a {name}: nn.LSTM takes a torch.Tensor or a PackedSequence. Convert it with {fix}."
    return ("input-type", message, "error", dim_error(input))


def wrong_dims(cfg: LSTMConfig, x: TensorPart) -> Item:
    """Returns the finding for an input that is not 2-D or 3-D."""
    order = "(N, L, H_in)" if cfg.batch_first else "(L, N, H_in)"
    message = (
        f"input has shape {x.shape}, {len(x.shape)}-D: nn.LSTM takes a batch {order} (batch_first={cfg.batch_first}) "
        f"or one unbatched sequence (L, H_in), with H_in = input_size = {cfg.input_size}."
    )
    if len(x.shape) == 1:
        if cfg.input_size == 1:
            message += f" For one sequence of scalars use x.unsqueeze(-1), shape ({x.shape[0]}, 1)."
        elif x.shape[0] == cfg.input_size:
            message += f" As one step of {cfg.input_size} features, x.unsqueeze(0) makes it a sequence, shape (1, {cfg.input_size})."
        else:
            message += " Give it a feature dimension of size input_size."
    elif len(x.shape) > 3:
        ones = [i for i, d in enumerate(x.shape) if d == 1]
        message += f" Dimension {ones[0]} has size 1: x.squeeze({ones[0]}) removes it." if ones else (
            " Flatten the extra dimensions into the batch or the features first."
        )
    return ("input-dims", message, "error", pytorch_errors.input_dims(len(x.shape)))


def batch_first_swap(cfg: LSTMConfig, x: TensorPart, state: Optional[StatePart]) -> list[Item]:
    """Returns the seed notebook's mistake: ``batch_first=True`` with an input of shape ``(L, 1, H_in)``."""
    if not (cfg.batch_first and len(x.shape) == 3 and x.shape[1] == 1 and x.shape[0] > 1):
        return []
    n, _, features = x.shape
    message = (
        f"with batch_first=True, input {x.shape} reads as N={n} sequences of length L=1: each step starts from "
        f"its own initial state and never sees the step before it. If it is one sequence of {n} steps, "
        f"set batch_first=False, or pass x.transpose(0, 1), shape (1, {n}, {features})."
    )
    h = state.h if state is not None and state.problem is None else None
    if h is not None and len(h.shape) == 3 and h.shape[1] == n:
        message += f" The state {h.shape} fits that misread batch of {n}, which is why PyTorch raises nothing."
    return [("batch-first-swap", message, "warning", None)]


def dtype_and_size(module: ModulePart, x: TensorPart, checked: bool = True) -> list[Item]:
    """Returns the findings for an input of another dtype than the weights, and of the wrong feature size.

    ``checked`` says whether PyTorch makes these checks for this call (not before 2.3 without a state):
    where it does not, the findings quote no PyTorch error and say why.
    """
    items = []
    weights = module.dtype
    if weights is not None and x.dtype is not None and x.dtype != weights:
        if x.dtype == torch.float64:
            fix = "x.float() (NumPy arrays are float64, and torch.from_numpy keeps that)"
        elif not (x.dtype.is_floating_point or x.dtype.is_complex):
            fix = f"an nn.Embedding(num_embeddings, embedding_dim={module.cfg.input_size}) first if these are token ids, else x.float()"
        else:
            fix = f"x.to({weights})"
        message = f"input is {x.dtype} but the LSTM's weights are {weights}: convert the input with {fix}, or the module with lstm.to({x.dtype})."
        error = pytorch_errors.input_dtype(x.dtype, weights) if checked else None
        items.append(("input-dtype", message + ("" if checked else pytorch_errors.UNCHECKED_NOTE), "error", error))
    features, cfg = x.shape[-1], module.cfg
    if features != cfg.input_size:
        message = f"input {x.shape} has {features} features in its last dimension, but input_size={cfg.input_size}."
        elsewhere = [i for i, d in enumerate(x.shape[:-1]) if d == cfg.input_size]
        if elsewhere:
            message += f" Dimension {elsewhere[0]} has size {cfg.input_size}: if the features are there, move them last with x.movedim({elsewhere[0]}, -1)."
        message += f" {'Otherwise s' if elsewhere else 'S'}et input_size={features} when building the LSTM."
        error = pytorch_errors.input_size(cfg.input_size, features) if checked else None
        items.append(("input-size", message + ("" if checked else pytorch_errors.UNCHECKED_NOTE), "error", error))
    return items


def device(module: ModulePart, x: TensorPart) -> list[Item]:
    """Returns the finding for an input on another device than the module's parameters."""
    if module.device is None or x.device is None or module.device == x.device:
        return []
    message = (
        f"input is on {x.device} but the LSTM's parameters are on {module.device}: move one to the other, "
        f"x.to({str(module.device)!r}) or lstm.to({str(x.device)!r})."
    )
    return [("input-device", message, "error", pytorch_errors.parameter_device(x.device, module.device))]


def empty(cfg: LSTMConfig, x: TensorPart) -> list[Item]:
    """Returns the finding for an input with no time steps."""
    time_dim = 1 if (cfg.batch_first and len(x.shape) == 3) else 0
    if x.shape[time_dim] != 0:
        return []
    message = f"input {x.shape} has no time steps (L=0 in dim {time_dim}, batch_first={cfg.batch_first}): skip empty sequences before the call."
    return [("empty-sequence", message, "error", pytorch_errors.empty_sequence())]


def padding(cfg: LSTMConfig, x: TensorPart) -> list[Item]:
    """Returns a warning when some sequences of a batch end in all-zero steps and others do not: padding that is read."""
    values = x.values
    if values is None or len(x.shape) != 3 or values.numel() == 0 or values.numel() > MAX_VALUES_READ:
        return []
    steps = values if cfg.batch_first else values.transpose(0, 1)  # (N, L, H_in)
    real = (steps != 0).any(dim=2)  # (N, L): does step t of sequence n hold anything?
    if not bool(real.any()):
        return []
    length = steps.shape[1] - real.flip(1).int().argmax(dim=1)  # (N,): index of the last real step, plus one
    length = torch.where(real.any(dim=1), length, torch.zeros_like(length))
    if bool((length == steps.shape[1]).all()) or not bool((length == steps.shape[1]).any()):
        return []
    padded = [i for i, n in enumerate(length.tolist()) if n < steps.shape[1]]
    order = "batch_first=True" if cfg.batch_first else "batch_first=False"
    message = (
        f"sequences {padded[:5]}{'...' if len(padded) > 5 else ''} end in all-zero steps: zero padding. nn.LSTM reads the "
        "padding like data, so output[:, -1] and h_n are taken after it, not at each sequence's last real step. "
        f"Pack the batch with pack_padded_sequence(x, lengths, {order}, enforce_sorted=False) "
        "(h_n is then each sequence's last real step), or index output with each sequence's length."
    )
    return [("padded-input", message, "warning", None)]
