"""SVG figures of an LSTM's states and input layout, drawn from real shapes.

Every figure on the site comes from here: :func:`site_figures` lists them, each with the module
and input of the examples beside it, and the build draws them (``docs_tools/hooks/figures.py``).
The dimensions are those of an :class:`LSTMConfig` and of :func:`expected_shapes`, so a figure
cannot drift from what ``nn.LSTM`` returns. Each SVG is a plain string, carries a ``<title>``
and a ``<desc>`` for screen readers, and brings its own background, in a light or a dark
palette (the site shows the one its light/dark toggle picks).

Examples:
    >>> from lstm_explained import LSTMConfig
    >>> from lstm_explained.figures import state_grid_svg
    >>> svg = state_grid_svg(LSTMConfig(3, 5, num_layers=2), seq_len=4)
    >>> svg.count('class="cell state'), svg.count("h_n[")
    (8, 2)
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from typing import Sequence

from .config import LSTMConfig
from .shapes import expected_shapes

CELL_W, CELL_H = 96, 46  # one state cell
GAP_X = 30  # between time steps: room for the recurrent arrow
GAP_DIR = 10  # between the two directions of one layer
GAP_LAYER = 34  # between layers: room for the upward arrow
LEFT = 150  # row labels
SIDE = 56  # h_0 labels left and right of the grid
TOP = 104  # title and column headers
FONT = "font-family: ui-sans-serif, system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif"

# Two palettes: each figure is drawn twice, once per palette, and the pages show the one that
# matches the site's light/dark toggle (Material's ``#only-light`` / ``#only-dark`` images, see
# ``docs_tools/hooks/figures.py``), not only the operating system's colour scheme.
PALETTES = {
    "light": {
        "bg": "fill: #ffffff; stroke: #c8c8d0;", "ink": "fill: #1b1b1f;", "muted": "fill: #55555f;",
        "line": "stroke: #55555f; fill: none;", "arrowhead": "fill: #55555f;",
        "cell": "fill: #f4f4f6; stroke: #8a8a96; stroke-width: 1.2;",
        "cell.output": "fill: #c9ddff; stroke: #1f5fbf;", "cell.final": "stroke: #c2185b; stroke-width: 3.5;",
        "cell.input": "fill: #e8f5e9; stroke: #2e7d32;",
        "final-label": "fill: #ad1457; font-weight: 700;", "output-label": "fill: #1f4f9f; font-weight: 700;",
    },
    "dark": {
        "bg": "fill: #1e2029; stroke: #4a4d5a;", "ink": "fill: #ececf1;", "muted": "fill: #b4b6c2;",
        "line": "stroke: #b4b6c2; fill: none;", "arrowhead": "fill: #b4b6c2;",
        "cell": "fill: #2b2e3a; stroke: #8c8fa0; stroke-width: 1.2;",
        "cell.output": "fill: #21406e; stroke: #8ab4ff;", "cell.final": "stroke: #ff6fa5; stroke-width: 3.5;",
        "cell.input": "fill: #1f3d25; stroke: #81c784;",
        "final-label": "fill: #ff8fbb; font-weight: 700;", "output-label": "fill: #9cc2ff; font-weight: 700;",
    },
}


def _style(theme: str) -> str:
    """Returns the figure's CSS for one palette, ``light`` or ``dark``."""
    if theme not in PALETTES:
        raise ValueError(f"theme must be one of {sorted(PALETTES)}, got {theme!r}")
    rules = "\n".join(f"  .{selector} {{ {css} }}" for selector, css in PALETTES[theme].items())
    return f"\n  .fig {{ {FONT}; font-size: 14px; }}\n{rules}\n"


def state_grid_svg(cfg: LSTMConfig, seq_len: int, batch: int = 2, theme: str = "light") -> str:
    """Returns an SVG of the layers x time grid of hidden states, for one sequence of the batch.

    One row per layer and direction (bottom layer at the bottom), one column per time
    step. Filled cells are the top layer's states: together they are ``output``.
    Outlined cells are the last step of each layer and direction: they are ``h_n`` and
    ``c_n``, labelled ``h_n[k]`` with ``k = layer * D + direction``. Each cell is labelled
    with its layer and time step (``layer 1, t=3``), never with a bare index. A forward row runs left to right and ends
    at ``t = L-1``; a backward row runs right to left and ends at ``t = 0``. Each row
    starts from its own ``h_0[k], c_0[k]``.

    Each cell is a ``<rect class="cell state ...">`` with ``data-layer``, ``data-direction``
    and ``data-t`` attributes, so tests can check the drawing against a real ``nn.LSTM``.
    """
    if seq_len <= 0:
        raise ValueError(f"seq_len must be a positive integer, got {seq_len!r}")
    shapes = expected_shapes(cfg, _input_shape(cfg, seq_len, batch))
    D, K = cfg.num_directions, cfg.num_layers
    rows = [(layer, direction) for layer in range(K) for direction in range(D)]  # bottom to top

    grid_w = seq_len * CELL_W + (seq_len - 1) * GAP_X
    width = max(LEFT + SIDE + grid_w + SIDE + 20, 780)  # room for the legend

    def row_y(layer: int, direction: int) -> float:
        """Returns the top y of a state row: layers stack upwards, each with its D rows."""
        from_top = (K - 1 - layer) * (D * CELL_H + (D - 1) * GAP_DIR + GAP_LAYER) + (D - 1 - direction) * (CELL_H + GAP_DIR)
        return TOP + from_top

    input_y = row_y(0, 0) + CELL_H + GAP_LAYER
    legend_y = input_y + CELL_H + 34
    height = legend_y + 70 + 18 * (3 + (D == 2)) + 4

    def col_x(t: int) -> float:
        return LEFT + SIDE + t * (CELL_W + GAP_X)

    at = "output[:, t]" if cfg.batch_first else "output[t]"
    parts = [_text(width / 2, 28, cfg.as_code() + f", L = {seq_len}", "ink", anchor="middle", weight=700, size=15)]
    parts.append(_text(width / 2, 50, "which states make up output, and which make up h_n and c_n", "muted", anchor="middle"))
    for t in range(seq_len):  # column headers: the time step, and which slice of output holds it
        cx = col_x(t) + CELL_W / 2
        parts.append(_text(cx, TOP - 24, f"t = {t}", "ink", anchor="middle", weight=700))
        parts.append(_text(cx, TOP - 8, at.replace("t]", f"{t}]"), "output-label", anchor="middle", size=12))

    for layer, direction in rows:
        y = row_y(layer, direction)
        k = layer * D + direction
        arrow = "→" if direction == 0 else "←"
        name = f"layer {layer} {arrow}" if D == 2 else f"layer {layer}"
        parts.append(_text(LEFT - 10, y + CELL_H / 2 + 5, name, "ink", anchor="end", weight=700))
        if D == 2:
            parts.append(_text(LEFT - 10, y + CELL_H / 2 + 21, "forward" if direction == 0 else "backward", "muted", anchor="end", size=12))
        top = layer == K - 1
        last_t = seq_len - 1 if direction == 0 else 0
        for t in range(seq_len):
            x = col_x(t)
            final = t == last_t
            classes = "cell state" + (" output" if top else "") + (" final" if final else "")
            data = f'data-layer="{layer}" data-direction="{direction}" data-t="{t}"'
            parts.append(f'<rect class="{classes}" {data} x="{x}" y="{y}" width="{CELL_W}" height="{CELL_H}" rx="7"/>')
            label_y = y + (CELL_H / 2 - 2 if final else CELL_H / 2 + 5)
            parts.append(_text(x + CELL_W / 2, label_y, _state_name(layer, t), "ink", anchor="middle", size=12))
            if final:
                parts.append(_text(x + CELL_W / 2, y + CELL_H - 8, f"h_n[{k}]", "final-label", anchor="middle", size=12))
        for t in range(seq_len - 1):  # the recurrence: (h, c) carried to the next step in this direction
            x0, x1 = col_x(t) + CELL_W + 3, col_x(t + 1) - 3
            middle = y + CELL_H / 2
            parts.append(_arrow(x0, middle, x1, middle) if direction == 0 else _arrow(x1, middle, x0, middle))
        start_x = col_x(0) - SIDE if direction == 0 else col_x(seq_len - 1) + CELL_W + 6
        parts.append(_text(start_x + (SIDE - 6) / 2, y + CELL_H / 2 - 3, f"h_0[{k}]", "muted", anchor="middle", size=12))
        parts.append(_text(start_x + (SIDE - 6) / 2, y + CELL_H / 2 + 12, f"c_0[{k}]", "muted", anchor="middle", size=12))

    for t in range(seq_len):  # the input row, and what each layer reads from below
        x = col_x(t)
        parts.append(f'<rect class="cell input" data-t="{t}" x="{x}" y="{input_y}" width="{CELL_W}" height="{CELL_H}" rx="7"/>')
        parts.append(_text(x + CELL_W / 2, input_y + CELL_H / 2 + 5, f"x_{t}", "ink", anchor="middle"))
        cx = x + CELL_W / 2
        for layer in range(K):
            below = input_y if layer == 0 else row_y(layer - 1, D - 1)
            parts.append(_arrow(cx, below - 3, cx, row_y(layer, 0) + CELL_H + 3))
    parts.append(_text(LEFT - 10, input_y + CELL_H / 2 + 5, "input", "ink", anchor="end", weight=700))

    parts.extend(_legend(cfg, shapes, legend_y, width))
    title = f"The states of {cfg.as_code()} over {seq_len} time steps"
    desc = _grid_description(cfg, seq_len, shapes)
    return _svg(width, height, title, desc, parts, theme)


def input_layout_svg(cfg: LSTMConfig, input_shape: Sequence[int], theme: str = "light") -> str:
    """Returns an SVG of how ``nn.LSTM`` reads an input of ``input_shape``: one row per sequence.

    Each row is one of the ``N`` independent sequences, each column one of its ``L``
    time steps, and each cell one feature vector of ``H_in`` numbers, labelled with the
    index that picks it out of the input (``x[n, t]`` with ``batch_first``, else
    ``x[t, n]``). Arrows show the state carried along a row; no state crosses rows.
    Each row starts from its own ``h_0[:, n]``.

    Each cell is a ``<rect class="cell input">`` with ``data-n`` and ``data-t``.
    """
    shapes = expected_shapes(cfg, input_shape)
    if not shapes.batched:
        raise ValueError("input_layout_svg draws a batched 3-D input; an unbatched input is one row")
    first, second = shapes.input[0], shapes.input[1]
    batch, seq_len = (first, second) if cfg.batch_first else (second, first)
    cell_w, gap = 70, 26
    grid_w = seq_len * cell_w + (seq_len - 1) * gap
    left, side, right = 130, 88, 120
    width = max(left + side + grid_w + right, 560)
    top = 92
    row_h, row_gap = 36, 10
    height = top + batch * (row_h + row_gap) + 64

    names = shapes.names["input"]
    dims = ", ".join(f"{n}={d}" for n, d in zip(names, shapes.input))
    title = f"input of shape {tuple(shapes.input)}, batch_first={cfg.batch_first}"
    reading = f"read as ({dims}): {batch} sequence{'s' if batch != 1 else ''} of length {seq_len}"
    parts = [_text(width / 2, 28, title, "ink", anchor="middle", weight=700, size=15)]
    parts.append(_text(width / 2, 50, reading, "muted", anchor="middle"))
    for t in range(seq_len):
        parts.append(_text(left + side + t * (cell_w + gap) + cell_w / 2, top - 12, f"t = {t}", "ink", anchor="middle", weight=700))
    for n in range(batch):
        y = top + n * (row_h + row_gap)
        parts.append(_text(left - 10, y + row_h / 2 + 5, f"sequence {n}", "ink", anchor="end", weight=700))
        parts.append(_text(left + 4, y + row_h / 2 + 5, f"h_0[:, {n}]", "muted", size=12))
        parts.append(_arrow(left + side - 22, y + row_h / 2, left + side - 3, y + row_h / 2))
        end_x = left + side + grid_w
        parts.append(_arrow(end_x + 3, y + row_h / 2, end_x + 22, y + row_h / 2))
        parts.append(_text(end_x + 28, y + row_h / 2 + 5, f"h_n[:, {n}]", "final-label", size=12))
        for t in range(seq_len):
            x = left + side + t * (cell_w + gap)
            index = f"x[{n}, {t}]" if cfg.batch_first else f"x[{t}, {n}]"
            parts.append(f'<rect class="cell input" data-n="{n}" data-t="{t}" x="{x}" y="{y}" width="{cell_w}" height="{row_h}" rx="6"/>')
            parts.append(_text(x + cell_w / 2, y + row_h / 2 + 5, index, "ink", anchor="middle", size=13))
            if t < seq_len - 1:
                parts.append(_arrow(x + cell_w + 3, y + row_h / 2, x + cell_w + gap - 3, y + row_h / 2))
    note_y = top + batch * (row_h + row_gap) + 22
    note = f"each cell is {cfg.input_size} features; (h, c) flows along a row, never between rows"
    parts.append(_text(width / 2, note_y, note, "muted", anchor="middle"))
    title = f"How nn.LSTM reads an input of shape {tuple(shapes.input)} with batch_first={cfg.batch_first}"
    desc = (
        f"A grid of {batch} rows and {seq_len} columns. Each row is one sequence of the batch and "
        f"each column one time step; the cell in row n, column t is "
        f"{'x[n, t]' if cfg.batch_first else 'x[t, n]'}. Arrows carry the state along each row only, from h_0[:, n] to h_n[:, n]."
    )
    return _svg(width, height, title, desc, parts, theme)


@dataclass(frozen=True)
class Figure:
    """One figure of the site: its file name, what it draws, the module and input it draws, its alt text.

    ``cfg`` and ``input_shape`` are the module and the input of the examples beside the figure:
    the page declares the figure with ``<!-- figure: NAME module=VAR input=VAR -->``, naming
    the variables its examples use, and the docs check fails when they differ
    (``docs_tools/figure_check.py``).
    """

    name: str
    kind: str  # "state-grid" (layers x time steps) or "input-layout" (sequences x time steps)
    cfg: LSTMConfig
    input_shape: tuple[int, ...]
    alt: str

    def draw(self, theme: str = "light") -> str:
        """Returns the SVG of this figure in the ``light`` or ``dark`` palette."""
        if self.kind == "state-grid":
            shapes = expected_shapes(self.cfg, self.input_shape)
            names = dict(zip(shapes.names["input"], shapes.input))
            return state_grid_svg(self.cfg, seq_len=names["L"], batch=names.get("N", 1), theme=theme)
        if self.kind == "input-layout":
            return input_layout_svg(self.cfg, self.input_shape, theme=theme)
        raise ValueError(f"unknown figure kind {self.kind!r}")


def site_figures() -> list[Figure]:
    """Returns every figure the site uses, each with the module and input of the examples beside it.

    A page shows ``figures/NAME.svg`` (and, for the dark palette, ``figures/NAME-dark.svg``)
    after declaring it with ``<!-- figure: NAME.svg module=VAR input=VAR -->``.
    """
    return [
        Figure(
            "quick-start-two-layers.svg", "state-grid", LSTMConfig(3, 5, num_layers=2, batch_first=True), (2, 7, 3),
            "Two layers of seven hidden states each, t = 0 to 6, for one sequence n of the batch. Only layer 1, the "
            "top layer, is filled: its states are output[n, 0] to output[n, 6]. The last state of each layer is "
            "outlined: h_n[0, n] is layer 0 at t = 6, h_n[1, n] is layer 1 at t = 6.",
        ),
        Figure(
            "bulk-vs-loop-one-layer.svg", "state-grid", LSTMConfig(3, 5), (6, 2, 3),
            "One layer of six hidden states, t = 0 to 5, joined by arrows: each time step hands its (h, c) to the next, "
            "starting from h_0[0], c_0[0]. All six are filled: they are output[0] to output[5]. The last one is "
            "outlined and labelled h_n[0].",
        ),
        Figure(
            "layers-three-layers.svg", "state-grid", LSTMConfig(3, 4, num_layers=3), (5, 2, 3),
            "Three layers of five hidden states each, t = 0 to 4, with the input x_0 to x_4 at the bottom and arrows "
            "going up from each layer to the next. Only layer 2, the top layer, is filled: output is layer 2's states, "
            "output[0] to output[4]. The last state of each layer is outlined: h_n[0], h_n[1] and h_n[2], all at t = 4.",
        ),
        Figure(
            "layers-bidirectional.svg", "state-grid", LSTMConfig(3, 4, num_layers=2, bidirectional=True), (5, 2, 3),
            "Two layers, each with a forward and a backward direction, over five time steps. Both directions of "
            "layer 1 are filled: output holds them side by side. Forward directions run left to right and end at "
            "t = 4 (h_n[0], h_n[2]); backward directions run right to left and end at t = 0 (h_n[1], h_n[3]).",
        ),
        Figure(
            "seed-mistake-input.svg", "input-layout", LSTMConfig(3, 5, batch_first=True), (7, 1, 3),
            "The seed's input of shape (7, 1, 3) read with batch_first=True: seven sequences of one time step each. "
            "Each sequence starts from its own h_0[:, n] and ends in its own h_n[:, n]; no arrow connects one "
            "sequence to the next.",
        ),
        Figure(
            "seed-fix-batch-first.svg", "input-layout", LSTMConfig(3, 5, batch_first=True), (1, 7, 3),
            "The sentence as an input of shape (1, 7, 3) with batch_first=True: one sequence of seven time steps, "
            "cells labelled x[0, t]; the state flows along the sequence from h_0[:, 0] to h_n[:, 0].",
        ),
        Figure(
            "seed-fix-time-major.svg", "input-layout", LSTMConfig(3, 5), (7, 1, 3),
            "The same sentence as a time-major input of shape (7, 1, 3) with the default batch_first=False: "
            "the same one sequence of seven time steps, but each cell is picked out as x[t, 0].",
        ),
    ]


def dark_name(name: str) -> str:
    """Returns the file name of a figure's dark version: ``NAME-dark.svg`` for ``NAME.svg``."""
    return name.removesuffix(".svg") + "-dark.svg"


def draw_all() -> dict[str, str]:
    """Returns the SVG of every figure of the site, light and dark, by file name."""
    return {name: figure.draw(theme) for figure in site_figures()
            for name, theme in ((figure.name, "light"), (dark_name(figure.name), "dark"))}


def _input_shape(cfg: LSTMConfig, seq_len: int, batch: int) -> tuple[int, int, int]:
    """Returns the 3-D input shape of ``batch`` sequences of ``seq_len`` steps, in the config's order."""
    return (batch, seq_len, cfg.input_size) if cfg.batch_first else (seq_len, batch, cfg.input_size)


def _state_name(layer: int, t: int) -> str:
    """Returns the label of one state cell, e.g. ``layer 1, t=3``: it cannot be read as an index."""
    return f"layer {layer}, t={t}"


def _legend(cfg: LSTMConfig, shapes, y: float, width: float) -> list[str]:
    """Returns the legend: what the fill and the outline mean, and the three shapes."""
    parts = [
        f'<rect class="cell output" x="24" y="{y}" width="26" height="18" rx="4"/>',
        _text(58, y + 14, "in output: the top layer, every time step", "ink"),
        f'<rect class="cell final" x="24" y="{y + 28}" width="26" height="18" rx="4"/>',
        _text(58, y + 42, "in h_n and c_n: the last step of each layer and direction (index = layer × D + direction)", "ink"),
    ]
    y += 70
    if cfg.bidirectional:
        h = cfg.h_out
        parts.append(_text(24, y, f"output's last dimension: forward in [..., :{h}], backward in [..., {h}:]", "muted", size=13))
        y += 18
    for key in ("output", "h_n", "c_n"):
        parts.append(_text(24, y, f"{key} {_shape_text(shapes.names[key], getattr(shapes, key))}", "muted", size=13))
        y += 18
    return parts


def _shape_text(names: tuple, size) -> str:
    """Returns e.g. ``(N, L, D*H_out) = (2, 5, 10)``."""
    return f"({', '.join(names)}) = {tuple(size)}"


def _grid_description(cfg: LSTMConfig, seq_len: int, shapes) -> str:
    """Returns the long text alternative of a state grid."""
    D, K = cfg.num_directions, cfg.num_layers
    text = (
        f"{K * D} rows of {seq_len} hidden states, one row per layer and direction. "
        f"The top layer's {D * seq_len} states are filled: they make up output, of shape {tuple(shapes.output)}. "
    )
    if D == 2:
        text += "Forward rows end at the last time step; backward rows run right to left and end at t = 0. "
    return text + f"The last state of each row is outlined: those {K * D} make up h_n and c_n, of shape {tuple(shapes.h_n)}."


def _text(x: float, y: float, content: str, cls: str, anchor: str = "start", weight: int = 400, size: int = 14) -> str:
    weight_attr = f' font-weight="{weight}"' if weight != 400 else ""
    return f'<text class="{cls}" x="{x:g}" y="{y:g}" text-anchor="{anchor}" font-size="{size}"{weight_attr}>{escape(content)}</text>'


def _arrow(x0: float, y0: float, x1: float, y1: float) -> str:
    return f'<line class="line" x1="{x0:g}" y1="{y0:g}" x2="{x1:g}" y2="{y1:g}" stroke-width="1.6" marker-end="url(#arrow)"/>'


def _svg(width: float, height: float, title: str, desc: str, parts: list[str], theme: str = "light") -> str:
    """Returns the complete SVG document: header, title and description, style, background, body."""
    body = "\n  ".join(parts)
    size = f'width="{width:g}" height="{height:g}" viewBox="0 0 {width:g} {height:g}"'
    return f"""<svg xmlns="http://www.w3.org/2000/svg" class="fig" {size} role="img" aria-labelledby="fig-title fig-desc">
  <title id="fig-title">{escape(title)}</title>
  <desc id="fig-desc">{escape(desc)}</desc>
  <style>{_style(theme)}</style>
  <defs>
    <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
      <path class="arrowhead" d="M 0 0 L 10 5 L 0 10 z"/>
    </marker>
  </defs>
  <rect class="bg" x="0.5" y="0.5" width="{width - 1:g}" height="{height - 1:g}" rx="10"/>
  {body}
</svg>
"""
