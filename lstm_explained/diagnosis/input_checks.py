"""The checks ``diagnose`` makes on the module and the input.

Each check returns a list of ``(code, message, severity, pytorch_error)`` tuples
(or one tuple, for the checks after which nothing else can be said).
"""

from __future__ import annotations

from typing import Any, Optional

import torch

from .. import pytorch_errors
from ..config import FAMILY_NAMES, MODULES, RecurrentConfig, type_path
from .call import Item, ModulePart, StatePart, TensorPart, article, dim_error
from .fixes import Fix

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


def _what(module: Any) -> str:
    """Returns what an object is, with the path of its class: ``a torch.nn.modules.container.Sequential``."""
    name = type(module).__name__
    path = type_path(module)
    if name in MODULES:  # a class of the same name as ours, defined elsewhere
        return f"{article(path)} {path}, a class named {name} that is not torch.nn.{name}"
    return f"{article(path)} {path}"


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
    message = f"input is {article(name)} {name}: nn.{cfg.module} takes {takes}. Convert it with {fix}."
    return ("input-type", message, "error", dim_error(input))


def wrong_dims(cfg: RecurrentConfig, x: TensorPart, batch_size: Optional[int] = None) -> Item:
    """Returns the finding for an input that is not 2-D or 3-D; ``batch_size`` says where a 4-D input's batch is."""
    order = "(N, L, H_in)" if cfg.batch_first else "(L, N, H_in)"
    message = (
        f"input has shape {x.shape}, {len(x.shape)}-D: nn.{cfg.module} takes a batch {order} (batch_first={cfg.batch_first}) "
        f"or one unbatched sequence (L, H_in), with H_in = input_size = {cfg.input_size}."
    )
    fix = None
    if len(x.shape) == 1:
        if cfg.input_size == 1:
            fix = Fix(input=(("unsqueeze", -1),))
            message += f" For one sequence of scalars use {fix.input_code()}, shape ({x.shape[0]}, 1)."
        elif x.shape[0] == cfg.input_size:
            fix = Fix(input=(("unsqueeze", 0),))
            message += f" As one step of {cfg.input_size} features, {fix.input_code()} makes it a sequence, shape (1, {cfg.input_size})."
        else:
            message += " Give it a feature dimension of size input_size."
    elif len(x.shape) > 3:
        ones = [i for i, d in enumerate(x.shape[:-1]) if d == 1]  # never the features: squeezing them cannot help
        if ones:
            fix = Fix(input=(("squeeze", ones[0]),))
            why = (" an extra leading dimension, as a model summary tool's input_size or a stray unsqueeze(0) adds:"
                   if ones[0] == 0 else "")
            message += f" Dimension {ones[0]} has size 1,{why} {fix.input_code()} removes it."
        elif len(x.shape) == 4 and batch_size is not None and _four_d_by_batch(cfg, x, batch_size) is not None:
            advice, fix = _four_d_by_batch(cfg, x, batch_size)
            message += advice
        elif len(x.shape) == 4 and x.shape[-1] == cfg.input_size and cfg.batch_first:
            fix = Fix(input=(("flatten", 0, 1),))
            message += (
                f" If dimension 0 is extra (a model summary tool adds a batch of its own in front of an input_size that "
                f"already holds one, as torchsummary's summary(model, input_size) does), give the tool the shape without "
                f"the batch; in your own code, {fix.input_code()} makes the first two dimensions one batch, "
                f"shape ({x.shape[0] * x.shape[1]}, {x.shape[2]}, {x.shape[3]})."
            )
        else:
            message += " Flatten the extra dimensions into the batch or the features first."
    return ("input-dims", message, "error", pytorch_errors.input_dims(len(x.shape), cfg.module), fix)


def _four_d_by_batch(cfg: RecurrentConfig, x: TensorPart, batch_size: int) -> Optional[tuple[str, Fix]]:
    """Returns the advice for a 4-D input whose batch ``batch_size`` tells which dimension is extra, or None."""
    batch_dim = 0 if cfg.batch_first else 1
    if x.shape[batch_dim] == batch_size:  # (N, L, a, b) or (L, N, a, b): each step is an a-by-b grid
        fix = Fix(input=(("flatten", 2),), module=(("input_size", x.shape[2] * x.shape[3]),))
        return (
            f" Dimension {batch_dim} holds your batch of {batch_size}: if each time step is the {x.shape[2]}-by-{x.shape[3]} "
            f"grid after dimension 1, {fix.input_code()} makes it one vector of {x.shape[2] * x.shape[3]} features, "
            f"with {fix.module_code()}; if dimension 2 is more time steps, x.flatten(1, 2) instead."
        ), fix
    if x.shape[batch_dim + 1] == batch_size and x.shape[0] != batch_size:  # an extra dimension in front
        fix = Fix(input=(("index", 0),))
        return (
            f" Your batch of {batch_size} is dimension {batch_dim + 1}, so dimension 0 is extra: a model summary tool adds "
            f"a batch of its own in front of an input_size that already holds one (torchsummary's summary(model, input_size) "
            f"does), so give the tool the shape without the batch; in your own code, {fix.input_code()} removes it, "
            "keeping its first entry."
        ), fix
    return None


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
        fix = Fix(input=(("float",) if weights == torch.float32 else ("to", weights),))
        how = fix.input_code()
        if x.dtype == torch.float64 and weights == torch.float32:
            how += " (NumPy float arrays are float64 by default, and torch.from_numpy keeps that)"
        module_too = f", or the module with {module.cfg.kind.lower()}.to({x.dtype})" if x.dtype.is_floating_point else ""
        message = f"input is {x.dtype} but the {module.cfg.kind}'s weights are {weights}: convert the input with {how}{module_too}."
        if not x.dtype.is_floating_point and not x.dtype.is_complex and x.dtype != torch.bool:
            message += (" If the values are token ids (indices into a vocabulary) rather than amounts, put "
                        f"nn.Embedding(num_embeddings, embedding_dim={module.cfg.input_size}) in front instead.")
        error = pytorch_errors.input_dtype(x.dtype, weights) if checked else None
        items.append(("input-dtype", message + ("" if checked else pytorch_errors.UNCHECKED_NOTE), "error", error, fix))
    features, cfg = x.shape[-1], module.cfg
    if features != cfg.input_size:
        message = f"input {x.shape} has {features} features in its last dimension, but input_size={cfg.input_size}."
        elsewhere = [i for i, d in enumerate(x.shape[:-1]) if d == cfg.input_size]
        fix = Fix(module=(("input_size", features),))
        if cfg.input_size == 1 and len(x.shape) == 2:
            advice, fix = _univariate(cfg, x, state)
            message += advice
        else:
            if elsewhere:
                fix = Fix(input=(("movedim", elsewhere[0], -1),))
                message += (
                    f" Dimension {elsewhere[0]} has size {cfg.input_size}: if the features are there, "
                    f"move them last with {fix.input_code()}."
                )
            message += f" {'Otherwise s' if elsewhere else 'S'}et input_size={features} when building the {cfg.kind}."
        error = pytorch_errors.input_size(cfg.input_size, features) if checked else None
        items.append(("input-size", message + ("" if checked else pytorch_errors.UNCHECKED_NOTE), "error", error, fix))
    return items


def token_ids(module: ModulePart, x: TensorPart, state: Optional[StatePart], found: list[Item]) -> Optional[Item]:
    """Returns the one finding for integer input that looks like token ids, its consequences folded in; None otherwise.

    Integer input whose last dimension is not ``input_size`` is most likely token ids, which need an
    ``nn.Embedding`` first: the dtype, the input size and the state's dimensions PyTorch complains about
    all follow from that. ``found`` are the findings the call gets otherwise; the first error among
    them is what PyTorch raises, and this finding quotes it.
    """
    cfg = module.cfg
    if x.dtype is None or x.dtype.is_floating_point or x.dtype.is_complex or x.dtype == torch.bool:
        return None
    if not x.shape or x.shape[-1] == cfg.input_size or module.dtype is None:
        return None
    if x.values is not None and x.values.numel() and bool((x.values < 0).any()):
        return None  # a negative value is no token id
    h = state.h if state is not None and state.problem is None else None
    flip = (len(x.shape) == 2 and h is not None and len(h.shape) == 3 and h.shape[1] == x.shape[0] != x.shape[1]
            and not cfg.batch_first)  # ids (N, L) and a state for N sequences: batch first once embedded
    state_dtype = h is not None and h.dtype is not None and h.dtype != module.dtype
    fix = Fix(input=(("embed", cfg.input_size),), module=(("batch_first", True),) if flip else (),
              state=(("to", module.dtype),) if state_dtype else ())
    ids = "(N, L)" if len(x.shape) == 2 else f"{x.shape}"
    message = (
        f"input is {x.dtype} of shape {x.shape}, and its last dimension is not input_size={cfg.input_size}: these look like "
        f"token ids, which nn.{cfg.module} cannot take as they are. Put an nn.Embedding in front: {fix.input_code()} "
        f"(num_embeddings: the size of your vocabulary) turns the ids {ids} into vectors of {cfg.input_size} features each."
    )
    if flip:
        message += f" The state holds {h.shape[1]} sequences, the ids' dim 0: they are (N, L), so set {fix.module_code()}."
    elif len(x.shape) == 2:
        message += " If the ids are (N, L), as a DataLoader gives them, set batch_first=True."
    if state_dtype:
        message += f" The state must be {module.dtype} too: {fix.state_code(len(state.parts) == 2)}."
    errors = [item for item in found if item[2] == "error"]
    if errors:
        message += f" What else PyTorch would report (the {errors[0][0]} first) follows from the missing embedding."
    return ("input-dtype", message, "error", errors[0][3] if errors else None, fix)


def _univariate(cfg: RecurrentConfig, x: TensorPart, state: Optional[StatePart]) -> tuple[str, Fix]:
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
    swap = batch_dim is not None and batch_dim != (0 if cfg.batch_first else 1)
    fix = Fix(input=(("unsqueeze", -1),), module=(("batch_first", batch_dim == 0),) if swap else ())
    return (
        f" With input_size=1 this is most likely a batch of series of one feature each, missing its feature dimension: "
        f"add it with {fix.input_code()}, shape ({a}, {b}, 1){layout}. Setting input_size={b} instead would read "
        f"{b} time steps as the features of one step; do that only if each step really has {b} features."
    ), fix


def options(module: ModulePart) -> list[Item]:
    """Returns the finding for a module option of a type its kernel refuses: ``bidirectional=0`` where a bool is meant.

    ``nn.LSTM(..., bidirectional=0)`` builds, and the forward pass then fails in argument parsing,
    with a ``TypeError`` that lists every argument of the kernel and names none.
    """
    wrong = [(name, value) for name, value in module.options
             if (name == "num_layers") == (isinstance(value, bool) or not isinstance(value, int))]
    if not wrong:
        return []
    fix = Fix(module=tuple((name, int(value) if name == "num_layers" else bool(value)) for name, value in wrong))
    given = ", ".join(f"{name}={value!r}" for name, value in wrong)
    message = (
        f"nn.{module.cfg.module} was built with {given}: its kernel takes {'an int' if wrong[0][0] == 'num_layers' else 'a bool'} "
        f"there, and the call fails in argument parsing with a TypeError that lists the kernel's arguments without naming "
        f"this one. Build it with {fix.module_code()}."
    )
    return [("module-option", message, "error", None, fix)]


def dropout(module: ModulePart) -> list[Item]:
    """Returns a warning for ``dropout > 0`` on a one-layer LSTM, where PyTorch applies it nowhere."""
    if not (module.dropout > 0 and module.cfg.num_layers == 1):
        return []
    message = (
        f"dropout={module.dropout} with num_layers=1 has no effect: nn.{module.cfg.module} applies dropout to the outputs of every "
        "layer but the last, and one layer has no other. Apply nn.Dropout to output yourself, or set num_layers=2 or more."
    )
    return [("dropout-one-layer", message, "warning", None, Fix(module=(("dropout", 0.0),)))]


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
