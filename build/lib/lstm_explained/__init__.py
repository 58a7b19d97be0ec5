"""What PyTorch's ``nn.LSTM`` returns, and the shape of everything.

The public API:

- :class:`LSTMConfig`: the shape-deciding options of an ``nn.LSTM``, and the rules that follow from
  them (state shapes, the walk over layers and directions);
- :func:`expected_shapes`: the :class:`Shapes` a call will return, without running it;
- :func:`reference_forward`: the forward pass in plain tensor operations;
- :func:`run_stepwise`: loop mode, one time step per call, carrying ``(h, c)``;
- :func:`diagnose`: what is wrong with a call, as a list of :class:`Finding`;
  :data:`CODES` lists every finding's code with its meaning.

The ``lstm-explained`` command (:mod:`lstm_explained.cli`) gives ``shapes`` and ``diagnose``
in a terminal; :mod:`lstm_explained.figures` draws the site's SVG figures from real shapes.
"""

from .config import LSTMConfig
from .diagnosis import CODES, Finding, diagnose
from .reference import reference_forward
from .shapes import Shapes, expected_shapes
from .stepwise import run_stepwise

__all__ = [
    "CODES",
    "Finding",
    "LSTMConfig",
    "Shapes",
    "diagnose",
    "expected_shapes",
    "reference_forward",
    "run_stepwise",
]
__version__ = "0.1.0"
