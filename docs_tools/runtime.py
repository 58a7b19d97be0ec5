"""The fixed runtime every checked example starts from: seed, print options, thread count."""

from __future__ import annotations

import atexit
import gc
import linecache
import os
import sys
import warnings

import torch

from lstm_explained.pytorch_errors import torch_version

DEFAULT_THREADS = 1


def threads() -> int:
    """Returns the intra-op thread count checked runs use: ``LSTM_EXPLAINED_THREADS``, else one."""
    return int(os.environ.get("LSTM_EXPLAINED_THREADS", DEFAULT_THREADS))


def reset_runtime() -> None:
    """Returns nothing; puts torch back in the state every docs example assumes.

    Seed 0 (pages still set their own seed where they draw random numbers), the
    default print options, and one intra-op thread unless ``LSTM_EXPLAINED_THREADS``
    says otherwise. Called before and after each page, so pages cannot leak into
    each other.
    """
    torch.manual_seed(0)
    torch.set_printoptions(profile="default")
    torch.set_num_threads(threads())
    torch.set_default_dtype(torch.float32)
    torch.set_grad_enabled(True)


def page_globals() -> dict:
    """Returns the names every docs page starts with: ``TORCH_VERSION``, for version-specific skips.

    A page shows behaviour that differs between torch versions with one checked example per
    version, each behind ``<!-- skip: start if(TORCH_VERSION < (2, 5), reason="...") -->``
    and ``<!-- skip: end -->``.
    """
    return {"TORCH_VERSION": torch_version()}


def warm_up() -> None:
    """Returns nothing; pays torch's one-time lazy imports before any page runs.

    The first ``torch.optim`` optimizer imports ``torch._dynamo`` (about 800 modules; its
    ``add_param_group`` is wrapped by ``torch._disable_dynamo``), and so, in recent releases, does
    the first ``addmm`` on the meta device, as an ``nn.LSTM`` makes there (its decomposition calls
    a meta ``mm`` wrapped the same way; in torch 2.13 a plain ``mm`` or ``@`` imports nothing). The
    import sets an environment variable and adds a warning filter: side effects of torch's, not
    leaks of the page that happens to be first. Paying them here keeps the leak check exact.

    The import runs with the cyclic garbage collector paused, and what it leaves is then frozen
    (:func:`gc.freeze`): the 370,000 objects of torch's modules live as long as the process, so
    scanning them again in every full collection, during the import and during the pages, finds
    nothing. Pages still run with the collector on, as any program does.

    The import also reads the source of two dozen of torch's modules (its config modules parse
    their own comments), and :mod:`linecache` keeps them. doctest's runner checks every file in
    that cache against the disk, one stat each, before each example (``bdb.Bdb.reset``), so the
    cache is emptied here: a file a traceback needs is read again.
    """
    if "torch._dynamo" in sys.modules:
        return
    collecting = gc.isenabled()
    gc.disable()
    try:
        weight = torch.zeros(1, requires_grad=True)
        weight.sum().backward()
        torch.optim.SGD([weight], lr=0.1).step()
    finally:
        if collecting:
            gc.enable()
    gc.freeze()
    # Frozen objects are never freed, not even at exit; on CUDA builds torch._dynamo imports triton, whose
    # nanobind bindings then print "nanobind: leaked ..." for each object still alive when the process ends.
    atexit.register(gc.unfreeze)
    linecache.clearcache()


def global_state() -> dict:
    """Returns the process-wide settings a page could change and a later page would see.

    ``reset_runtime`` restores the seed, print options, threads, dtype and grad mode after
    every page; everything else here a page must leave as it found it.
    """
    state = {
        "threads": torch.get_num_threads(),
        "default dtype": torch.get_default_dtype(),
        "grad enabled": torch.is_grad_enabled(),
        "print options": dict(vars(torch._tensor_str.PRINT_OPTS)),
        "deterministic algorithms": torch.are_deterministic_algorithms_enabled(),
        "anomaly detection": torch.is_anomaly_enabled(),
        "oneDNN enabled": torch.backends.mkldnn.enabled,
        "float32 matmul precision": torch.get_float32_matmul_precision(),
        "random state": torch.get_rng_state(),
        "environment": dict(os.environ),
        "working directory": os.getcwd(),
        "warning filters": list(warnings.filters),
    }
    if hasattr(torch, "get_default_device"):  # torch >= 2.3
        state["default device"] = torch.get_default_device()
    return state


def leaks(before: dict, after: dict) -> list[str]:
    """Returns the names of the settings that differ between two :func:`global_state` snapshots."""
    differ = lambda a, b: not torch.equal(a, b) if isinstance(a, torch.Tensor) else a != b  # noqa: E731
    return [key for key in before if differ(before[key], after.get(key))]
