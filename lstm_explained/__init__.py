"""What PyTorch's ``nn.LSTM`` returns, and the shape of everything: for ``nn.GRU``, ``nn.RNN`` and the cells too.

The public API, for every member of the family (``nn.LSTM``, ``nn.GRU``, ``nn.RNN``, ``nn.LSTMCell``,
``nn.GRUCell``, ``nn.RNNCell``):

- :class:`RecurrentConfig` (also named ``LSTMConfig``): the shape-deciding options of one module,
  and the rules that follow from them (state shapes, the walk over layers and directions);
- :func:`expected_shapes`: the :class:`Shapes` a call will return, without running it;
- :func:`reference_forward`: the forward pass in plain tensor operations;
- :func:`run_stepwise`: loop mode, one time step per call, carrying the state;
- :func:`diagnose`: what is wrong with a call, as a list of :class:`Finding`, each with the
  :class:`Fix` it proposes as data;
  :data:`CODES` lists every finding's code with its meaning;
- :func:`watch`: a context manager that diagnoses every recurrent module inside a model during a
  real forward pass, each finding with the submodule's path.

The ``lstm-explained`` command (:mod:`lstm_explained.cli`) gives ``shapes`` and ``diagnose``
in a terminal; :mod:`lstm_explained.figures` draws the site's SVG figures from real shapes.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # for type checkers and editors; at run time each name is imported when first used
    from .config import LSTMConfig, RecurrentConfig
    from .diagnosis import CODES, Finding, Fix, diagnose
    from .reference import reference_forward
    from .shapes import Shapes, expected_shapes
    from .stepwise import run_stepwise
    from .watching import CallError, Watched, WatchWarning, watch

# Each public name and the module that holds it. They are imported on first use (PEP 562), so that
# `lstm-explained --help`, `--version` and a mistyped argument answer without importing torch.
_HOME = {
    "CODES": "diagnosis",
    "CallError": "watching",
    "Finding": "diagnosis",
    "Fix": "diagnosis",
    "LSTMConfig": "config",
    "RecurrentConfig": "config",
    "Shapes": "shapes",
    "diagnose": "diagnosis",
    "expected_shapes": "shapes",
    "reference_forward": "reference",
    "run_stepwise": "stepwise",
    "watch": "watching",
    "Watched": "watching",
    "WatchWarning": "watching",
}

__all__ = [
    "CODES",
    "CallError",
    "Finding",
    "Fix",
    "LSTMConfig",
    "RecurrentConfig",
    "Shapes",
    "diagnose",
    "expected_shapes",
    "reference_forward",
    "run_stepwise",
    "watch",
    "Watched",
    "WatchWarning",
]
__version__ = "0.3.0"


def __getattr__(name: str):
    """Returns the public object `name`, importing its module the first time it is asked for."""
    if name not in _HOME:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{_HOME[name]}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    """Returns the module's names, the public ones included before they are imported."""
    return sorted(set(globals()) | set(__all__))
