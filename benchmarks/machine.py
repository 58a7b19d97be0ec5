"""A description of the machine a benchmark ran on, for the JSON beside the results."""

from __future__ import annotations

import os
import platform
from datetime import datetime, timezone

import torch


def cpu_model() -> str:
    """Returns the CPU's model name from /proc/cpuinfo, or what ``platform`` knows elsewhere."""
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def describe(device: torch.device, threads: int) -> dict:
    """Returns the machine, software and device a run measured, as JSON-ready values."""
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    info = {
        "date": datetime.now(timezone.utc).replace(microsecond=0).isoformat(),
        "machine": {
            "cpu": cpu_model(),
            "cores": os.cpu_count(),
            "usable_cores": usable,
            "platform": platform.platform(),
            "python": platform.python_version(),
        },
        "torch": {
            "version": torch.__version__,
            "num_threads": threads,
            "mkldnn": torch.backends.mkldnn.is_available(),
        },
        "device": {"type": device.type, "name": cpu_model()},
    }
    if device.type == "cuda":
        info["device"] = {
            "type": "cuda",
            "name": torch.cuda.get_device_name(device),
            "cuda": torch.version.cuda,
            "cudnn": torch.backends.cudnn.version(),
            "cudnn_enabled": torch.backends.cudnn.enabled,
        }
    return info
