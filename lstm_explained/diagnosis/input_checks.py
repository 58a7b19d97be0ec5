"""The checks ``diagnose`` makes on the module and the input.

Each check returns a list of ``(code, message, severity, pytorch_error)`` tuples
(or one tuple, for the checks after which nothing else can be said).
"""

from __future__ import annotations

from typing import Any, Optional

import torch

from .. import pytorch_errors
from ..config import FAMILY_NAMES, MODULES, RecurrentConfig, type_path
from .call import Item, ModulePart, StatePart, TensorPart, dim_error

MAX_VALUES_READ = 50_000_000  # the padding check reads the input's values up to this many elements
RARE_ZEROS = 0.05  # below this share of exact zeros among real steps' values, trailing zero steps are padding


def not_recurrent(module: Any) -> Item:
    """Returns the finding for a first argument outside the family: what it is, and the recurrent modules inside it."""
    inner = recurrent_submodules(module)
    message = f"lstm is {_what(module)}: diagnose checks one call of {FAMILY_NAMES} (or a RecurrentConfig), not this."
    if inner:
        listed = ", ".join(f"{path} ({type(sub).__name__})" for path, sub in inner[:8]) + (
            f", and {len(inner) - 8} more" if len(inner) > 8 else "")
        first = "model" + "".join(f"[{part}]" if part.isdigit() else f".{part}" for part in inner[0][0].split("."))
        message += (
            f" It holds {len(inner)} recurrent module{'s' if len(inner) > 1 else ''}: {listed}. Check them all during a real "
            "forward pass, each with what it receives: with lstm_explained.watch(model): model(x). Or diagnose one with "
            f"the input and state the model passes to it, e.g. diagnose({first}, x, hx)."
        )
    elif hasattr(module, "parameters"):
        message += " It holds no nn.LSTM, nn.GRU, nn.RNN or cell."
    return ("not-recurrent", message, "warning", None)  # the call may well run: it is just not ours to check


def _article(word: str) -> str:
    """Returns the indefinite article a word takes when read aloud: ``an`` before a vowel (``an ndarray``), else ``a``."""
    return "an" if word[:1].lower() in "aeiou" or word.startswith("nd") else "a"


def _what(module: Any) -> str:
    """Returns what an object is, with the path of its class: ``a torch.nn.modules.container.Sequential``."""
    name = type(module).__name__
    path = type_path(module)
    if name in MODULES:  # a class of the same name as ours, defined elsewhere
        return f"{_article(path)} {path}, a class named {name} that is not torch.nn.{name}"
    return f"{_article(path)} {path}"


def recurrent_submodules(module: Any) -> list[tuple[str, Any]]:
    """Returns ``(path, module)`` for every module of the family inside ``module`` (through wrappers such as DataParallel)."""
    named = getattr(module, "named_modules", None)
    if named is None:
        return []
    family = tuple(getattr(torch.nn, name) for name in MODULES)
    return [(path, sub) for path, sub in named() if path and isinstance(sub, family)]


def not_a_tensor(cfg: RecurrentConfig, input: Any) -> Item:
    """Returns the finding for an input that is not a Tensor, a PackedSequence or a shape."""
    name = type(input).__name__
    fix = "torch.as_tensor(input, dtype=torch.float32)"
    if type(input).__module__ == "numpy":
        fix = f"torch.from_numpy(input).float() (NumPy float arrays are float64 by default; the {cfg.kind}'s weights are float32)"
    takes = "a torch.Tensor" if cfg.is_cell else "a torch.Tensor or a PackedSequence"
    message = f"input is {_article(name)} {name}: nn.{cfg.module} takes {takes}. Convert it with {fix}."
    return ("input-type", message, "error", dim_error(input))


def wrong_dims(cfg: RecurrentConfig, x: TensorPart) -> Item:
    """Returns the finding for an input that is not 2-D or 3-D."""
    order = "(N, L, H_in)" if cfg.batch_first else "(L, N, H_in)"
    message = (
        f"input has shape {x.shape}, {len(x.shape)}-D: nn.{cfg.module} takes a batch {order} (batch_first={cfg.batch_first}) "
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
    return ("input-dims", message, "error", pytorch_errors.input_dims(len(x.shape), cfg.module))


def dtype_and_size(
    module: ModulePart, x: TensorPart, checked: bool = True, state: Optional[StatePart] = None
) -> list[Item]:
    """Returns the findings for an input of another dtype than the weights, and of the wrong feature size.

    ``checked`` says whether PyTorch makes these checks for this call (not before 2.3 without a state):
    where it does not, the findings quote no PyTorch error and say why. ``state`` tells, for a
    series of one feature, which dimension holds the batch.
    """
    items = []
    weights = module.dtype
    if weights is not None and x.dtype is not None and x.dtype != weights:
        if x.dtype == torch.float64:
            fix = "x.float() (NumPy float arrays are float64 by default, and torch.from_numpy keeps that)"
        elif not (x.dtype.is_floating_point or x.dtype.is_complex):
            fix = f"an nn.Embedding(num_embeddings, embedding_dim={module.cfg.input_size}) first if these are token ids, else x.float()"
        else:
            fix = f"x.to({weights})"
        message = (
            f"input is {x.dtype} but the {module.cfg.kind}'s weights are {weights}: convert the input with {fix}, "
            f"or the module with {module.cfg.kind.lower()}.to({x.dtype})."
        )
        error = pytorch_errors.input_dtype(x.dtype, weights) if checked else None
        items.append(("input-dtype", message + ("" if checked else pytorch_errors.UNCHECKED_NOTE), "error", error))
    features, cfg = x.shape[-1], module.cfg
    if features != cfg.input_size:
        message = f"input {x.shape} has {features} features in its last dimension, but input_size={cfg.input_size}."
        elsewhere = [i for i, d in enumerate(x.shape[:-1]) if d == cfg.input_size]
        if cfg.input_size == 1 and len(x.shape) == 2:
            message += _univariate(cfg, x, state)
        else:
            if elsewhere:
                message += (
                    f" Dimension {elsewhere[0]} has size {cfg.input_size}: if the features are there, "
                    f"move them last with x.movedim({elsewhere[0]}, -1)."
                )
            message += f" {'Otherwise s' if elsewhere else 'S'}et input_size={features} when building the {cfg.kind}."
        error = pytorch_errors.input_size(cfg.input_size, features) if checked else None
        items.append(("input-size", message + ("" if checked else pytorch_errors.UNCHECKED_NOTE), "error", error))
    return items


def _univariate(cfg: RecurrentConfig, x: TensorPart, state: Optional[StatePart]) -> str:
    """Returns the advice for a 2-D input to an LSTM with input_size=1: a batch of series missing its feature dimension."""
    a, b = x.shape
    h = state.h if state is not None and state.problem is None else None
    batch_dim = None
    if h is not None and len(h.shape) == 3 and h.shape[1] in (a, b) and a != b:
        batch_dim = 0 if h.shape[1] == a else 1  # the state says which dimension is the batch
    layout = (
        f", which batch_first={cfg.batch_first} reads as {'(N, L, H_in)' if cfg.batch_first else '(L, N, H_in)'}"
        if batch_dim is None or batch_dim == (0 if cfg.batch_first else 1)
        else f", with batch_first={batch_dim == 0} (the state says the batch is dim {batch_dim}, N={x.shape[batch_dim]})"
    )
    return (
        f" With input_size=1 this is most likely a batch of series of one feature each, missing its feature dimension: "
        f"add it with x.unsqueeze(-1), shape ({a}, {b}, 1){layout}. Setting input_size={b} instead would read "
        f"{b} time steps as the features of one step; do that only if each step really has {b} features."
    )


def dropout(module: ModulePart) -> list[Item]:
    """Returns a warning for ``dropout > 0`` on a one-layer LSTM, where PyTorch applies it nowhere."""
    if not (module.dropout > 0 and module.cfg.num_layers == 1):
        return []
    message = (
        f"dropout={module.dropout} with num_layers=1 has no effect: nn.{module.cfg.module} applies dropout to the outputs of every "
        "layer but the last, and one layer has no other. Apply nn.Dropout to output yourself, or set num_layers=2 or more."
    )
    return [("dropout-one-layer", message, "warning", None)]


def device(module: ModulePart, x: TensorPart) -> list[Item]:
    """Returns the finding for an input on another device than the module's parameters."""
    if module.device is None or x.device is None or module.device == x.device:
        return []
    message = (
        f"input is on {x.device} but the {module.cfg.kind}'s parameters are on {module.device}: move one to the other, "
        f"x.to({str(module.device)!r}) or {module.cfg.kind.lower()}.to({str(x.device)!r})."
    )
    return [("input-device", message, "error", pytorch_errors.parameter_device(x.device, module.device))]


def empty(cfg: RecurrentConfig, x: TensorPart) -> list[Item]:
    """Returns the finding for an input with no time steps."""
    time_dim = 1 if (cfg.batch_first and len(x.shape) == 3) else 0
    if x.shape[time_dim] != 0:
        return []
    message = (
        f"input {x.shape} has no time steps (L=0 in dim {time_dim}, batch_first={cfg.batch_first}): "
        "skip empty sequences before the call."
    )
    return [("empty-sequence", message, "error", pytorch_errors.empty_sequence())]


def padding(cfg: RecurrentConfig, x: TensorPart) -> list[Item]:
    """Returns a finding when some sequences of a batch end in all-zero steps and others do not: padding that is read.

    A warning only on strong evidence: the all-zero steps are all at the ends of sequences (none among
    a sequence's real steps), and exact zeros are rare in the real steps (under ``RARE_ZEROS`` of
    their values). Data whose zeros are real (counts with zero days, features after a ReLU, one-hot
    vectors) has zero values, or whole zero steps, elsewhere too: such a batch gets a note at most.
    """
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
    inside = torch.arange(steps.shape[1]).unsqueeze(0) < length.unsqueeze(1)  # (N, L): up to each sequence's last real step
    zero_steps_inside = bool((inside & ~real).any())  # an all-zero step among real ones: zeros are data here
    zero_share = float((steps[inside] == 0).float().mean())  # exact zeros among the real steps' values
    padded = [i for i, n in enumerate(length.tolist()) if n < steps.shape[1]]
    which = f"sequences {padded[:5]}{'...' if len(padded) > 5 else ''} end in all-zero steps"
    if zero_steps_inside or zero_share >= RARE_ZEROS:
        why = "all-zero steps occur inside sequences too" if zero_steps_inside else f"{zero_share:.0%} of the other values are exact zeros"
        message = (
            f"{which}, but {why}, so they may be real data (counts, ReLU features, one-hot vectors), not padding. "
            "If they are padding, pack the batch with pack_padded_sequence and the true lengths."
        )
        return [("padded-input", message, "note", None)]
    order = "batch_first=True" if cfg.batch_first else "batch_first=False"
    last = "output[:, -1]" if cfg.batch_first else "output[-1]"  # the last time step, in the module's own layout
    message = (
        f"{which}: zero padding. nn.{cfg.module} reads the "
        f"padding like data, so {last} and h_n are taken after it, not at each sequence's last real step. "
        f"Pack the batch with pack_padded_sequence(x, lengths, {order}, enforce_sorted=False) "
        "(h_n is then each sequence's last real step), or take each sequence's last real step from output, "
        f"at lengths - 1: {'output[torch.arange(N), lengths - 1]' if cfg.batch_first else 'output[lengths - 1, torch.arange(N)]'}."
    )
    return [("padded-input", message, "warning", None)]
