"""The calls of tests/corpus/, rebuilt as real calls: a module, an input, a state and the batch size meant."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Optional

import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence

CORPUS = Path(__file__).resolve().parent / "corpus"
MODULE_ARGS = ("num_layers", "bidirectional", "batch_first", "proj_size", "nonlinearity", "bias", "dropout")


def records(name: str = "calls.jsonl") -> list[dict]:
    """Returns the records of one corpus file."""
    return [json.loads(line) for line in (CORPUS / name).read_text(encoding="utf-8").splitlines() if line.strip()]


def device(name: Optional[str]) -> str:
    """Returns where to build a tensor: a CUDA device becomes ``meta``, which PyTorch checks the same way on a CPU."""
    return "meta" if name and name.startswith("cuda") else (name or "cpu")


def build_call(record: dict) -> tuple[nn.Module, Any, Any, Optional[int]]:
    """Returns ``(module, input, hx, batch_size)`` for a record: the call as the thread made it."""
    torch.manual_seed(0)
    spec = record["module"]
    kind = getattr(nn, spec["type"])
    kwargs = {k: spec[k] for k in MODULE_ARGS if k in spec and not (spec["type"].endswith("Cell") and k not in ("bias", "nonlinearity"))}
    module = kind(spec["input_size"], spec["hidden_size"], **kwargs)
    module = module.to(dtype=getattr(torch, spec.get("dtype", "float32")), device=device(spec.get("device")))
    given = record["input"]
    x = torch.randn(given["shape"]).to(dtype=getattr(torch, given.get("dtype", "float32")), device=device(given.get("device")))
    if given.get("packed"):
        lengths = torch.tensor(given["lengths"], device=device(given.get("lengths_device")))
        x = pack_padded_sequence(x, lengths, batch_first=given.get("batch_first", False), enforce_sorted=given.get("enforce_sorted", True))
    hx = None
    state = record.get("hx")
    if state:
        dtype, where = getattr(torch, state.get("dtype", "float32")), device(state.get("device"))
        h = torch.zeros(state["h"], dtype=dtype, device=where)
        c = torch.zeros(state["c"], dtype=dtype, device=where) if "c" in state else None
        container = state.get("container", "tuple")
        if container == "non-contiguous":
            h = h.transpose(0, -1).contiguous().transpose(0, -1) if h.dim() > 1 else h
            c = c.transpose(0, -1).contiguous().transpose(0, -1) if c is not None and c.dim() > 1 else c
        if c is None:
            hx = (h,) if container == "tuple-of-1" else h
        elif container == "list":
            hx = [h, c]
        else:
            hx = (h, c)
    return module, x, hx, record.get("intended_batch_size")
