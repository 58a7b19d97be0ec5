"""The real call, for tests that hold diagnose to what PyTorch does: what it raises, and what it skips checking."""

from __future__ import annotations

import warnings
from typing import Any, Optional

import torch

from lstm_explained.pytorch_errors import checks_input_without_state, describe

# The findings whose check PyTorch before 2.3 makes only when a state is passed (pytorch/pytorch#114874).
UNCHECKED_WITHOUT_STATE = {"input-dtype", "input-size"}


def torch_raises(lstm, x, hx: Any = None) -> Optional[str]:
    """Returns what the real call raises, as "ExceptionType: message", or None when it runs."""
    try:
        with torch.no_grad(), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            lstm(x, hx)
    except Exception as exc:
        return describe(exc)
    return None


def unchecked_by_torch(code: str, hx: Any, module: Any = None) -> bool:
    """Returns whether the installed PyTorch skips the check behind the finding ``code`` for this call (nn.LSTM's alone)."""
    lstm = module is None or isinstance(module, torch.nn.LSTM) or getattr(module, "module", None) == "LSTM"
    return lstm and hx is None and code in UNCHECKED_WITHOUT_STATE and not checks_input_without_state()
