"""Holds each figure of the site to the examples beside it: same module options, same input shape.

A page declares a figure just before showing it::

    <!-- figure: layers-three-layers.svg module=deep input=x -->
    ![alt text](figures/layers-three-layers.svg)

``module`` and ``input`` name variables of the page's examples. The declaration is itself a
Sybil example, run in page order: it fails when the module the examples built (at that point of
the page) has other options than the figure's :class:`~lstm_explained.LSTMConfig`
(``batch_first``, sizes, layers, directions, ``proj_size``, ``bias``), or when the input has
another shape (and so another ``N`` or ``L``). The site's figures are listed by
:func:`lstm_explained.figures.site_figures`; ``tests/test_figures.py`` checks that every figure a
page shows is declared right before it.
"""

from __future__ import annotations

import re
from typing import Iterable

from sybil import Document, Example, Region

from lstm_explained import LSTMConfig
from lstm_explained.figures import Figure, site_figures

DECLARATION = re.compile(
    r"<!--\s*figure:\s*(?P<name>[a-z0-9-]+\.svg)\s+module=(?P<module>\w+)\s+input=(?P<input>\w+)\s*-->"
)


def figure_mismatch(figure: Figure, module, input) -> str | None:
    """Returns why ``figure`` does not show ``module`` called on ``input``, or None when it does."""
    problems = []
    try:
        cfg = LSTMConfig.from_module(module)
    except TypeError as error:
        return f"figures/{figure.name}: {error}"
    if cfg != figure.cfg:
        differ = [f"{name}={getattr(cfg, name)!r} (figure: {getattr(figure.cfg, name)!r})"
                  for name in figure.cfg.__dataclass_fields__ if getattr(cfg, name) != getattr(figure.cfg, name)]
        problems.append("the module has " + ", ".join(differ))
    shape = tuple(getattr(input, "shape", ()))
    if shape != tuple(figure.input_shape):
        problems.append(f"the input has shape {shape} (figure: {tuple(figure.input_shape)})")
    if not problems:
        return None
    return f"figures/{figure.name} does not draw the examples beside it: " + "; ".join(problems)


def _evaluate(example: Example) -> str | None:
    name, module_var, input_var = example.parsed
    figures = {figure.name: figure for figure in site_figures()}
    if name not in figures:
        return f"no figure is named {name} (lstm_explained/figures.py)"
    missing = [var for var in (module_var, input_var) if var not in example.namespace]
    if missing:
        return f"figures/{name}: the page's examples define no {', '.join(missing)} before the figure"
    return figure_mismatch(figures[name], example.namespace[module_var], example.namespace[input_var])


class FigureDeclarationParser:
    """Sybil parser: each ``<!-- figure: NAME module=VAR input=VAR -->`` is an example that checks the figure."""

    def __call__(self, document: Document) -> Iterable[Region]:
        for match in DECLARATION.finditer(document.text):
            parsed = (match["name"], match["module"], match["input"])
            yield Region(match.start(), match.end(), parsed, _evaluate)
