"""The four ways the benchmark runs the same LSTM over the same sequence.

Each builder returns a callable that takes no argument and returns the top layer's
output for the whole sequence, ``(L, N, H)``: the benchmark times the callable, and
the tests check that all four return the same numbers, so the timings compare like
with like.
"""

from __future__ import annotations

from typing import Callable

import torch
from torch import Tensor, nn

from lstm_explained import reference_forward, run_stepwise

Runner = Callable[[], Tensor]

# What each method is, as the JSON and the page name it.
DESCRIPTIONS = {
    "bulk": "nn.LSTM called once on the whole sequence (one fused kernel per layer)",
    "loop": "lstm_explained.run_stepwise: nn.LSTM called once per time step",
    "cell": "a Python loop over nn.LSTMCell, one cell per layer, weights copied from the nn.LSTM",
    "reference": "lstm_explained.reference_forward: the equations in plain tensor operations",
}
METHODS = tuple(DESCRIPTIONS)


def bulk(lstm: nn.LSTM, x: Tensor) -> Runner:
    """Returns a runner for bulk mode: one ``nn.LSTM`` call over all ``L`` steps."""
    return lambda: lstm(x)[0]  # (L, N, H)


def loop(lstm: nn.LSTM, x: Tensor) -> Runner:
    """Returns a runner for loop mode: ``run_stepwise``, one ``nn.LSTM`` call per step."""
    return lambda: run_stepwise(lstm, x)[0]  # (L, N, H)


def reference(lstm: nn.LSTM, x: Tensor) -> Runner:
    """Returns a runner for ``reference_forward``, the LSTM equations written out."""
    return lambda: reference_forward(lstm, x)[0]  # (L, N, H)


def cells_from(lstm: nn.LSTM) -> list[nn.LSTMCell]:
    """Returns one ``nn.LSTMCell`` per layer of ``lstm``, holding copies of that layer's weights."""
    cells = []
    for layer in range(lstm.num_layers):
        in_size = lstm.input_size if layer == 0 else lstm.hidden_size
        cell = nn.LSTMCell(in_size, lstm.hidden_size, bias=lstm.bias, device=lstm.weight_ih_l0.device,
                           dtype=lstm.weight_ih_l0.dtype)
        with torch.no_grad():
            cell.weight_ih.copy_(getattr(lstm, f"weight_ih_l{layer}"))  # (4*H, H_in)
            cell.weight_hh.copy_(getattr(lstm, f"weight_hh_l{layer}"))  # (4*H, H)
            if lstm.bias:
                cell.bias_ih.copy_(getattr(lstm, f"bias_ih_l{layer}"))  # (4*H,)
                cell.bias_hh.copy_(getattr(lstm, f"bias_hh_l{layer}"))  # (4*H,)
        cells.append(cell)
    return cells


def cell(lstm: nn.LSTM, x: Tensor) -> Runner:
    """Returns a runner for an ``nn.LSTMCell`` loop: one cell call per layer and time step."""
    cells = cells_from(lstm)

    def run() -> Tensor:
        n, h_size = x.size(1), lstm.hidden_size
        state = [(x.new_zeros(n, h_size), x.new_zeros(n, h_size)) for _ in cells]  # (N, H) each
        outputs = []
        for x_t in x:  # (N, H_in), one time step
            for k, layer_cell in enumerate(cells):
                state[k] = layer_cell(x_t, state[k])  # (h, c) carried to the next step
                x_t = state[k][0]  # (N, H): this layer's h feeds the next layer
            outputs.append(x_t)
        return torch.stack(outputs)  # (L, N, H)

    return run


BUILDERS = {"bulk": bulk, "loop": loop, "cell": cell, "reference": reference}
