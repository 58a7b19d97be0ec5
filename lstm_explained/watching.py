"""``watch``: ``diagnose`` every recurrent module inside a model, during a real forward pass.

Real code rarely calls an ``nn.LSTM`` at the top level: the LSTM sits inside a model, behind
``nn.DataParallel`` or ``torch.compile``. ``watch(model)`` registers a forward pre-hook on every
module of the family inside ``model`` (``nn.LSTM``, ``nn.GRU``, ``nn.RNN`` and the cells), and
each call is diagnosed with the input and state it really receives. Each finding names the
submodule's path in the model (``encoder.rnn``). The hooks read the call and change nothing: no
input, output or gradient; they are removed when the block exits, even when it raises.
"""

from __future__ import annotations

import html
import warnings
from dataclasses import dataclass
from typing import Any, Optional

import torch
from torch import nn

from .config import FAMILY_NAMES, MODULES
from .diagnosis import Finding, diagnose

ACTIONS = ("warn", "raise", "collect")
# The names under which wrappers hold the model they wrap: nn.DataParallel's and DistributedDataParallel's
# ``module``, and the submodule torch.compile registers. A path reads as in the model itself without them.
WRAPPER_PREFIXES = ("module.", "_orig_mod.")


class WatchWarning(UserWarning):
    """A finding ``watch`` reports as a warning (``on="warn"``): the submodule's path, then the finding."""


class CallError(ValueError):
    """Raised by ``watch(..., on="raise")`` before a call the recurrent module would refuse, or that almost surely misleads."""


@dataclass(frozen=True)
class Watched:
    """One finding about a call made during the block: where in the model, and what.

    Attributes:
        path: the submodule's path in the model, e.g. ``"encoder.rnn"`` (``""`` for the model itself).
        module: the submodule's class name, e.g. ``"LSTM"``.
        finding: the :class:`~lstm_explained.Finding`, as ``diagnose`` gives it.
    """

    path: str
    module: str
    finding: Finding

    def __str__(self) -> str:
        return f"{self.path or '(the model)'} ({self.module}): {self.finding}"


class Findings(list):
    """The findings of a ``watch`` block: a list of :class:`Watched`, shown as a table in Jupyter."""

    def _repr_html_(self) -> str:
        """Returns an HTML table of the findings, one row each (Jupyter shows it for a cell's last expression)."""
        if not self:
            return "<p>No findings.</p>"
        rows = "".join(
            f"<tr><td><code>{html.escape(w.path or '(the model)')}</code></td><td>{html.escape(w.module)}</td>"
            f"<td>{html.escape(w.finding.severity)}</td><td><code>{html.escape(w.finding.code)}</code></td>"
            f"<td>{html.escape(w.finding.message)}</td></tr>"
            for w in self
        )
        head = "<tr><th>submodule</th><th>module</th><th>severity</th><th>code</th><th>message</th></tr>"
        return f"<table><thead>{head}</thead><tbody>{rows}</tbody></table>"


def display_path(path: str) -> str:
    """Returns a submodule's path as it reads in the model itself: without DataParallel's or torch.compile's prefix."""
    for prefix in WRAPPER_PREFIXES:
        if path.startswith(prefix):
            return display_path(path[len(prefix):])
    return path


class watch:  # noqa: N801 (a context manager used as a function, like warnings.catch_warnings)
    """Returns a context manager that diagnoses every call of a recurrent module inside ``model``.

    Within ``with watch(model) as w:``, each call of an ``nn.LSTM``, ``nn.GRU``, ``nn.RNN`` or
    cell inside ``model`` is checked by :func:`~lstm_explained.diagnose` with what it receives,
    through ``nn.DataParallel``, ``DistributedDataParallel`` and ``torch.compile``. Each distinct
    finding is reported once, and ``w.findings`` lists them all (a table in Jupyter).

    Args:
        model: an ``nn.Module``: a whole model, or one recurrent module.
        batch_size: the number of sequences you mean to pass, as ``diagnose`` takes it: it settles
            whether a dimension is the batch or time. Without it, shapes alone decide, and the
            leading dimension of the first tensor the model receives is taken as a hint: a
            DataLoader's batch is ``(N, ...)``. What only the hint suggests is a note, never a
            warning, as a time-major model's input leads with time. Neither applies inside
            ``nn.DataParallel``'s replicas, each of which gets a share of the batch.
        on: ``"warn"`` (the default) issues a :class:`WatchWarning` per finding; ``"raise"`` raises
            :class:`CallError` before a call with an error or a warning runs; ``"collect"`` only
            records them in ``w.findings``.

    Examples:
        >>> import torch
        >>> from torch import nn
        >>> from lstm_explained import watch
        >>> model = nn.Sequential(nn.Linear(3, 3), nn.GRU(3, 5))  # the GRU is time-major
        >>> x = torch.zeros(4, 7, 3)  # a DataLoader's batch: N=4 sequences of L=7 time steps
        >>> with watch(model, batch_size=4, on="collect") as w:
        ...     output, h_n = model(x)
        >>> [(f.path, f.finding.code) for f in w.findings]
        [('1', 'time-major-swap')]
    """

    def __init__(self, model: Any, *, batch_size: Optional[int] = None, on: str = "warn"):
        if not isinstance(model, nn.Module):
            raise TypeError(f"watch takes an nn.Module (a model, or one of {FAMILY_NAMES}), got {type(model).__name__}")
        if on not in ACTIONS:
            raise ValueError(f"on must be one of {', '.join(repr(a) for a in ACTIONS)}, got {on!r}")
        self.model, self.batch_size, self.on = model, batch_size, on
        self.findings = Findings()
        self._seen: set[tuple[str, str, str]] = set()
        self._handles: list = []
        self._hint: Optional[int] = None  # dim 0 of the first tensor the model received in its latest call

    def __enter__(self) -> watch:
        family = tuple(getattr(nn, name) for name in MODULES)
        targets = [(display_path(path), module) for path, module in self.model.named_modules() if isinstance(module, family)]
        if not targets:
            warnings.warn(
                f"watch: {type(self.model).__name__} holds no {FAMILY_NAMES}: nothing is watched", WatchWarning, stacklevel=2
            )
        if self.batch_size is None and not isinstance(self.model, family):  # a lone module's hint would be its own input
            self._handles.append(self.model.register_forward_pre_hook(self._read_hint, with_kwargs=True))
        for path, module in targets:
            self._handles.append(module.register_forward_pre_hook(self._hook(path), with_kwargs=True))
        return self

    def _read_hint(self, model: nn.Module, args: tuple, kwargs: dict) -> None:
        """Keeps the leading dimension of the first tensor the model receives: the batch size it likely means."""
        first = next((a for a in (*args, *kwargs.values()) if isinstance(a, torch.Tensor) and a.dim() > 0), None)
        self._hint = None if first is None else int(first.shape[0])
        return None

    def __exit__(self, *exc_info) -> bool:
        for handle in self._handles:
            handle.remove()
        self._handles.clear()
        return False  # an exception of the block goes on as it was

    def _hook(self, path: str):
        """Returns the forward pre-hook of the submodule at ``path``: diagnose the call, change nothing."""

        def check(module: nn.Module, args: tuple, kwargs: dict) -> None:
            input = args[0] if args else kwargs.get("input")
            hx = args[1] if len(args) > 1 else kwargs.get("hx")
            # nn.DataParallel's replicas share these hooks, and each gets N/k of the batch's N sequences: there,
            # neither batch_size nor the hint (the whole batch's N) says how many sequences the call holds.
            replica = getattr(module, "_is_replica", False)
            with torch.no_grad():
                found = diagnose(module, input, hx, batch_size=None if replica else self.batch_size)  # never raises
                if self.batch_size is None and self._hint is not None and not replica:
                    found = found + self._hinted(module, input, hx, found)
            self._report(path, type(module).__name__, found)
            return None

        # Under torch.compile the hook runs as plain Python, outside the traced graph: diagnose reads real tensors.
        return torch.compiler.disable(check)

    def _hinted(self, module: nn.Module, input: Any, hx: Any, found: list[Finding]) -> list[Finding]:
        """Returns, as notes, what diagnose says only when told the batch is the model's leading dimension."""
        known = {f.code for f in found}
        hinted = [f for f in diagnose(module, input, hx, batch_size=self._hint) if f.code not in known and f.severity == "warning"]
        lead = (
            f"The model's input has {self._hint} in its first dimension. If that is the number of sequences (a "
            f"DataLoader's batch), this is a mistake: "
        )
        tail = " If the first dimension is time, all is well: pass watch(model, batch_size=N) to say how many sequences you mean."
        return [Finding(f.code, lead + f.message + tail, "note", f.pytorch_error) for f in hinted]

    def _report(self, path: str, module: str, found: list[Finding]) -> None:
        """Records each new finding, then warns or raises as ``on`` says."""
        new = []
        for finding in found:
            key = (path, finding.code, finding.message)
            if key not in self._seen:
                self._seen.add(key)
                new.append(Watched(path, module, finding))
        self.findings.extend(new)
        if self.on == "warn":
            for watched in new:
                warnings.warn(str(watched), WatchWarning, stacklevel=3)
        elif self.on == "raise":
            stopping = [Watched(path, module, f) for f in found if f.severity != "note"]
            if stopping:
                raise CallError("\n".join(str(w) for w in stopping))
