"""What the ``lstm-explained`` command prints: the shapes table, the findings, and their JSON forms."""

from __future__ import annotations

import json
import textwrap
from typing import Optional, Sequence

from .config import RecurrentConfig
from .diagnosis import Finding
from .shapes import Shapes

WIDTH = 88
LETTERS = {
    "L": "sequence length",
    "N": "batch size",
    "H_in": "input_size",
    "H_out": "proj_size if set, else hidden_size",
    "H_cell": "hidden_size",
    "H": "hidden_size",
    "D": "2 if bidirectional, else 1",
}
ROWS = ("input", "h_0", "c_0", "output", "h_n", "c_n")


def _meaning(names: Sequence[str], dims: Sequence[int]) -> str:
    """Returns each dimension with its name, e.g. ``N=7, L=1, H_in=3``."""
    return ", ".join(f"{name}={dim}" for name, dim in zip(names, dims))


def shapes_table(cfg: RecurrentConfig, shapes: Shapes) -> str:
    """Returns the readable table of the shapes the module has, what each dimension means, and a legend of the letters."""
    present = [key for key in ROWS if getattr(shapes, key) is not None]
    rows = [("tensor", "shape", "dimensions")]
    rows += [(key, str(tuple(getattr(shapes, key))), _meaning(shapes.names[key], getattr(shapes, key))) for key in present]
    widths = [max(len(row[i]) for row in rows) for i in range(2)]
    lines = [cfg.as_code(), ""]
    lines += [f"{a:<{widths[0]}}  {b:<{widths[1]}}  {c}".rstrip() for a, b, c in rows]
    used = {part for key in present for name in shapes.names[key] for part in name.split("*")}
    lines.append("")
    if cfg.is_cell:
        lines.append("A cell takes one time step and returns its new state: h_n is h'" + (", c_n is c'." if cfg.has_cell_state else "."))
    lines += [f"{letter:<6} {meaning}" for letter, meaning in LETTERS.items() if letter in used]
    return "\n".join(lines)


def shapes_json(cfg: RecurrentConfig, shapes: Shapes) -> str:
    """Returns one JSON object: each shape as a list of ints, the names of its dimensions, and the config."""
    payload = shapes.as_dict()
    payload["names"] = {key: list(names) for key, names in shapes.names.items()}
    payload["config"] = dict(cfg.__dict__)
    return json.dumps(payload)


def call_line(
    input_shape: Sequence[int],
    hx_shape: Optional[Sequence[int]],
    cx_shape: Optional[Sequence[int]],
    batch_size: Optional[int],
    name: str,
) -> str:
    """Returns the call being checked, e.g. ``lstm(x (7, 1, 3), (h_0 (1, 7, 5), c_0 (1, 7, 5)))``, and the batch size meant.

    ``name`` is the module's variable in the call: ``lstm``, ``gru``, ``rnn`` or ``cell``.
    """
    state = ""
    if hx_shape is not None and cx_shape is not None:
        state = f", (h_0 {tuple(hx_shape)}, c_0 {tuple(cx_shape)})"
    elif hx_shape is not None:
        state = f", h_0 {tuple(hx_shape)}"
    meant = "" if batch_size is None else f", meaning {batch_size} sequence{'s' * (batch_size != 1)}"
    return f"{name}(x {tuple(input_shape)}{state}){meant}"


def findings_text(cfg: RecurrentConfig, call: str, findings: Sequence[Finding], input_shape: Sequence[int] = (), hx=None) -> str:
    """Returns the findings as wrapped paragraphs under the module and the call, with a count at the end.

    When nothing is wrong (notes aside), it says how PyTorch reads the call, and what shapes cannot show.
    """
    lines = [cfg.as_code(), call, ""]
    for finding in findings:
        head = f"{finding.severity} [{finding.code}] "
        lines += textwrap.wrap(head + finding.message, WIDTH, subsequent_indent="    ", break_on_hyphens=False)
    counts = {severity: sum(f.severity == severity for f in findings) for severity in ("error", "warning", "note")}
    if findings:
        lines.append(", ".join(f"{n} {severity}{'s' * (n != 1)}" for severity, n in counts.items()))
    if not counts["error"] and not counts["warning"] and len(input_shape) in ((1, 2) if cfg.is_cell else (2, 3)):
        lines += textwrap.wrap(("" if findings else "No findings. ") + reading_text(cfg, input_shape, hx), WIDTH)
    return "\n".join(lines)


def reading_text(cfg: RecurrentConfig, input_shape: Sequence[int], hx) -> str:
    """Returns how PyTorch reads a call it accepts: N, L, H_in and the state's rows, then what shapes cannot show."""
    shape = tuple(input_shape)
    states, plural = ("h_0 and c_0", True) if cfg.has_cell_state else ("h_0", False)
    tail = "Shapes alone cannot show devices, dtypes or values: padding, NaN, a state carried from another batch."
    if cfg.is_cell:
        what = f"one time step of N={shape[0]} sequence{'s' * (shape[0] != 1)}" if len(shape) == 2 else "one unbatched time step"
        state = ("start" if plural else "starts") + " as zeros of shape" if hx is None else ("have" if plural else "has") + " shape"
        size = (*shape[:-1], cfg.hidden_size)
        return f"PyTorch accepts this call and reads x {shape} as {what}; {states} {state} {size}. {tail}"
    if len(shape) == 3:
        n, steps = (shape[0], shape[1]) if cfg.batch_first else (shape[1], shape[0])
        what = f"N={n} sequence{'s' * (n != 1)} of L={steps} time step{'s' * (steps != 1)}, H_in={shape[2]} features each"
    else:
        n, steps = None, shape[0]
        what = f"one unbatched sequence of L={steps} time step{'s' * (steps != 1)}, H_in={shape[1]} features each"
    rows = f"D*num_layers={cfg.state_rows} entr{'ies' if cfg.state_rows != 1 else 'y'} (one per layer and direction)"
    state = ("start" if plural else "starts") + " as zeros with" if hx is None else ("have" if plural else "has")
    per = f" for each of the N={n} sequence{'s' * (n != 1)}" if n is not None else ""
    return f"PyTorch accepts this call and reads x {shape} as {what}; {states} {state} {rows}{per}. {tail}"


def findings_json(cfg: RecurrentConfig, findings: Sequence[Finding]) -> str:
    """Returns one JSON object with the config and the findings, each with its code, severity, message and fix as code."""
    shown = [{**f.__dict__, "fix": f.fix and f.fix.as_code(cfg.has_cell_state)} for f in findings]
    return json.dumps({"config": dict(cfg.__dict__), "findings": shown})
