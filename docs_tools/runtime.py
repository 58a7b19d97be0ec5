"""The fixed runtime every checked example starts from: seed, print options, thread count."""

from __future__ import annotations

import os

import torch

from lstm_explained.pytorch_errors import torch_version

DEFAULT_THREADS = 1


def reset_runtime() -> None:
    """Returns nothing; puts torch back in the state every docs example assumes.

    Seed 0 (pages still set their own seed where they draw random numbers), the
    default print options, and one intra-op thread unless ``LSTM_EXPLAINED_THREADS``
    says otherwise. Called before and after each page, so pages cannot leak into
    each other.
    """
    torch.manual_seed(0)
    torch.set_printoptions(profile="default")
    torch.set_num_threads(int(os.environ.get("LSTM_EXPLAINED_THREADS", DEFAULT_THREADS)))
    torch.set_default_dtype(torch.float32)
    torch.set_grad_enabled(True)


def page_globals() -> dict:
    """Returns the names every docs page starts with: ``TORCH_VERSION``, for version-specific skips.

    A page shows behaviour that differs between torch versions with one checked example per
    version, each behind ``<!-- skip: start if(TORCH_VERSION < (2, 5), reason="...") -->``
    and ``<!-- skip: end -->``.
    """
    return {"TORCH_VERSION": torch_version()}
