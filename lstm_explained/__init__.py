"""What PyTorch's ``nn.LSTM`` returns, and the shape of everything.

The public API:

- :func:`expected_shapes`: the shapes a call will return, without running it;
- :func:`reference_forward`: the forward pass in plain tensor operations;
- :func:`run_stepwise`: loop mode, one time step per call, carrying ``(h, c)``.
"""

from .config import LSTMConfig
from .diagnosis import Finding, diagnose
from .reference import reference_forward
from .shapes import Shapes, expected_shapes
from .stepwise import run_stepwise

__all__ = ["LSTMConfig", "Shapes", "expected_shapes", "reference_forward", "run_stepwise"]
__all__ += ["Finding", "diagnose"]
__version__ = "0.1.0"
