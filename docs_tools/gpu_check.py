"""`make gpu-check`: every GPU-only statement on the pages, executed on a CUDA device, and the benchmark's GPU rows.

This site's checks run on a CPU. What only a GPU can show (cuDNN's messages, its rules, TF32's
tolerances) is stated on the pages beside a marker, ``<!-- gpu-claim: ID -->``, and each ID has a
check here that runs the statement on a GPU and says whether it holds. Where the page quotes
PyTorch's words (a ```` ```text ```` block after the marker), the check compares them line by line
with what the GPU prints. A run writes ``docs/performance/gpu-check.json``; the gpu_claims hook
reads it and shows, beside each claim, whether it has been executed and on what. The run then times the
benchmark's sweep on the GPU (``docs/performance/cuda.json``), which the Performance page shows.

Usage: python -m docs_tools.gpu_check [--no-bench]. Without CUDA it says so in one line and exits 0.
"""

from __future__ import annotations

import argparse
import copy
import json
import re
import sys
import time
import warnings
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Optional

from docs_tools.hooks.gpu_claims import CHECK_RESULTS, MARKER

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
RESULTS = DOCS / CHECK_RESULTS


@dataclass(frozen=True)
class Claim:
    id: str
    page: str  # under docs/
    statement: str  # what the page says, in a few words
    check: Callable[[list[str]], tuple[bool, str]]  # (the page's quoted lines) -> (holds, what the GPU did)
    quotes: bool = False  # the page quotes PyTorch's words in a ```text block after the marker


def quoted_lines(page: str, claim_id: str) -> list[str]:
    """Returns the lines of the first ```text block after the claim's marker on ``page``, in the same section.

    Raises ValueError when the section has none: a claim that quotes PyTorch must show the words it quotes.
    """
    text = (DOCS / page).read_text(encoding="utf-8")
    marker = text.index(f"<!-- gpu-claim: {claim_id} -->")
    section_end = re.compile(r"^#", re.M).search(text, marker)
    end = section_end.start() if section_end else len(text)
    block = re.compile(r"^[ \t]*```text\n(?P<body>.*?)^[ \t]*```", re.S | re.M).search(text, marker, end)
    if block is None:
        raise ValueError(f"{page}: no ```text block after <!-- gpu-claim: {claim_id} --> in its section")
    return [line.strip() for line in block["body"].splitlines() if line.strip()]


def markers() -> dict[str, str]:
    """Returns every claim marker on the pages: ID -> the page (under docs/) that holds it."""
    pages = {str(p.relative_to(DOCS)): p.read_text(encoding="utf-8") for p in sorted(DOCS.rglob("*.md"))}
    return {m["id"]: page for page, text in pages.items() for m in MARKER.finditer(text)}


# The checks. Each runs on cuda:0 and returns (holds, what it saw), comparing with the page's quoted lines.

def _raised(call: Callable[[], object]) -> Optional[str]:
    """Returns "ExceptionType: first line" for what ``call()`` raises, or None when it returns."""
    try:
        call()
    except Exception as exc:  # what PyTorch raises is the observation
        return f"{type(exc).__name__}: {str(exc).splitlines()[0]}"
    return None


def _warned(call: Callable[[], object]) -> list[str]:
    """Returns "WarningType: first line" for each warning ``call()`` issues."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        call()
    return [f"{w.category.__name__}: {str(w.message).splitlines()[0]}" for w in caught]


def _same_lines(quoted: list[str], seen: list[Optional[str]]) -> tuple[bool, str]:
    """Returns whether the GPU printed exactly the page's lines, and the lines it printed."""
    return quoted == seen, " | ".join(str(s) for s in seen)


def check_device_messages(quoted: list[str]) -> tuple[bool, str]:
    """Returns whether the three device messages are the page's, word for word, and what the GPU raised."""
    import torch
    from torch import nn

    x = torch.randn(4, 6, 3)  # (N, L, H_in)
    on_gpu = nn.LSTM(3, 5, batch_first=True).cuda()
    seen = [
        _raised(lambda: on_gpu(x)),  # the module moved, the input did not
        _raised(lambda: nn.LSTM(3, 5, batch_first=True)(x.cuda())),  # the input moved, the module did not
        _raised(lambda: on_gpu(x.cuda(), (torch.zeros(1, 4, 5), torch.zeros(1, 4, 5)))),  # a state built on the CPU
    ]
    return _same_lines(quoted, seen)


def check_eval_backward(quoted: list[str]) -> tuple[bool, str]:
    """Returns whether cuDNN's backward refuses eval mode and both fixes run, and what happened."""
    import torch
    from torch import nn

    lstm = nn.LSTM(3, 5, batch_first=True).cuda()
    x = torch.randn(4, 6, 3, device="cuda", requires_grad=True)  # (N, L, H_in)
    error = _raised(lambda: lstm.eval()(x)[0].sum().backward())
    train_fix = _raised(lambda: lstm.train()(x)[0].sum().backward())
    lstm.eval()

    def forward_inside_flags():
        with torch.backends.cudnn.flags(enabled=False):
            out = lstm(x)[0]
        out.sum().backward()  # backward outside the block: it follows the graph the forward built

    flags_fix = _raised(forward_inside_flags)
    holds = [error] == quoted and train_fix is None and flags_fix is None
    return holds, (f"eval: {error}; train() for the pass: {train_fix or 'runs'}; "
                   f"forward under cudnn.flags(enabled=False): {flags_fix or 'runs'}")


def check_flatten_warning(quoted: list[str]) -> tuple[bool, str]:
    """Returns whether only new memory behind a weight warns, and flatten_parameters() stops it, and what warned."""
    import torch
    from torch import nn

    lstm = nn.LSTM(3, 5, batch_first=True).cuda()
    x = torch.randn(4, 6, 3, device="cuda")  # (N, L, H_in)
    with torch.no_grad():
        moved = _warned(lambda: lstm(x))
        lstm.weight_hh_l0 = nn.Parameter(lstm.weight_hh_l0.detach().clone())  # a new object: forward flattens again
        assigned = _warned(lambda: lstm(x))
        lstm.weight_hh_l0.data = lstm.weight_hh_l0.detach().clone()  # new memory, the same object: forward cannot see it
        swapped = [w for w in _warned(lambda: lstm(x)) if "contiguous chunk" in w]
        lstm.flatten_parameters()
        flattened = _warned(lambda: lstm(x))
    holds = not moved and not assigned and swapped == quoted and not flattened
    return holds, (f"after .cuda(): {moved or 'no warning'}; a weight assigned: {assigned or 'no warning'}; "
                   f"its .data replaced: {swapped or 'no warning'}; after flatten_parameters(): {flattened or 'no warning'}")


def check_contiguous_state(quoted: list[str]) -> tuple[bool, str]:
    """Returns whether cuDNN refuses an expanded state and takes it once contiguous, and what happened."""
    import torch
    from torch import nn

    lstm = nn.LSTM(10, 20, num_layers=2).cuda()
    x = torch.randn(7, 3, 10, device="cuda")  # (L, N, H_in)
    h = torch.randn(3, 20, device="cuda").expand(2, 3, 20)  # (num_layers, N, H), a view of one (N, H)
    expanded = _raised(lambda: lstm(x, (h, torch.zeros_like(h))))
    copied = _raised(lambda: lstm(x, (h.contiguous(), torch.zeros(2, 3, 20, device="cuda"))))
    holds = expanded == "RuntimeError: rnn: hx is not contiguous" and copied is None
    return holds, f"expanded state: {expanded or 'runs'}; after .contiguous(): {copied or 'runs'}"


def check_state_dtype(quoted: list[str]) -> tuple[bool, str]:
    """Returns whether cuDNN refuses a float64 state beside a float32 input in the page's words, and a float32 state runs."""
    import torch
    from torch import nn

    lstm = nn.LSTM(3, 5).cuda()
    x = torch.randn(7, 2, 3, device="cuda")  # (L, N, H_in), float32
    double = torch.zeros(1, 2, 5, dtype=torch.float64, device="cuda")  # (num_layers, N, H), float64
    error = _raised(lambda: lstm(x, (double, double)))
    same = _raised(lambda: lstm(x, (double.float(), double.float())))
    return [error] == quoted and same is None, f"float64 state: {error or 'runs'}; float32 state: {same or 'runs'}"


def check_tf32_tolerance(quoted: list[str]) -> tuple[bool, str]:
    """Returns whether GPU vs CPU and bulk vs loop stay within the page's tolerances, and the gaps measured."""
    import torch
    from torch import nn

    from lstm_explained import run_stepwise

    torch.manual_seed(0)
    lstm = nn.LSTM(64, 128, num_layers=2).cuda()
    x = torch.randn(64, 8, 64, device="cuda")  # (L, N, H_in)

    def bulk_loop_gap() -> float:
        with torch.no_grad():
            bulk, _ = lstm(x)  # (L, N, H)
            loop, _ = run_stepwise(lstm, x)  # (L, N, H)
        return (bulk - loop).abs().max().item()

    rnn_precision = getattr(getattr(torch.backends.cudnn, "rnn", None), "fp32_precision", None)
    default_gap = bulk_loop_gap()
    with torch.no_grad():
        cpu_gap = (lstm(x)[0].cpu() - copy.deepcopy(lstm).cpu()(x.cpu())[0]).abs().max().item()  # (L, N, H)
    if rnn_precision is not None:
        torch.backends.cudnn.rnn.fp32_precision = "ieee"
    else:
        torch.backends.cudnn.allow_tf32 = False
    try:
        ieee_gap = bulk_loop_gap()
    finally:
        if rnn_precision is not None:
            torch.backends.cudnn.rnn.fp32_precision = rnn_precision
        else:
            torch.backends.cudnn.allow_tf32 = True
    holds = default_gap <= 1e-2 and cpu_gap <= 1e-2 and ieee_gap <= 1e-5
    return holds, (f"max |difference|: GPU vs CPU {cpu_gap:.1e} by default (fp32 precision {rnn_precision!r}); bulk vs loop "
                   f"{default_gap:.1e} by default, {ieee_gap:.1e} in IEEE float32")


def check_lengths_on_cpu(quoted: list[str]) -> tuple[bool, str]:
    """Returns whether pack_padded_sequence refuses lengths on the GPU and takes them on the CPU, and what happened."""
    import torch
    from torch.nn.utils.rnn import pack_padded_sequence

    x = torch.randn(3, 6, 4, device="cuda")  # (N, L, H_in), padded
    lengths = torch.tensor([6, 4, 2])
    on_gpu = _raised(lambda: pack_padded_sequence(x, lengths.cuda(), batch_first=True))
    on_cpu = _raised(lambda: pack_padded_sequence(x, lengths, batch_first=True))
    as_list = _raised(lambda: pack_padded_sequence(x, [6, 4, 2], batch_first=True))
    holds = on_gpu is not None and on_cpu is None and as_list is None
    return holds, f"lengths on the GPU: {on_gpu or 'runs'}; on the CPU: {on_cpu or 'runs'}; a list: {as_list or 'runs'}"


CLAIMS = [
    Claim("device-messages", "gpu-runtime-errors.md", "the three device messages, word for word", check_device_messages, True),
    Claim("state-dtype", "gpu-runtime-errors.md", "cuDNN names the state's dtype beside the input's",
          check_state_dtype, True),
    Claim("eval-backward", "gpu-runtime-errors.md", "cuDNN's backward refuses eval mode; train() or cudnn.flags fix it",
          check_eval_backward, True),
    Claim("flatten-warning", "gpu-runtime-errors.md", "new memory behind a weight warns, an assigned weight does not; "
          "flatten_parameters() stops it",
          check_flatten_warning, True),
    Claim("contiguous-state", "encoder-decoder.md", "cuDNN refuses an expanded state; .contiguous() fixes it", check_contiguous_state),
    Claim("tf32-tolerance", "bulk-vs-loop.md", "GPU vs CPU and bulk vs loop within atol=1e-2 by default; 1e-5 in IEEE float32",
          check_tf32_tolerance),
    Claim("lengths-on-cpu", "variable-length.md", "pack_padded_sequence takes lengths on the CPU or as a list", check_lengths_on_cpu),
]


def environment() -> dict:
    """Returns the GPU and the versions a run used."""
    import torch

    return {"gpu": torch.cuda.get_device_name(0), "torch": torch.__version__, "cuda": torch.version.cuda,
            "cudnn": torch.backends.cudnn.version()}


def main(argv: Optional[list[str]] = None) -> int:
    """Returns the exit status: 0 without CUDA (one line) or when every claim holds, 1 when one does not."""
    parser = argparse.ArgumentParser(prog="python -m docs_tools.gpu_check", description=__doc__.split("\n\n")[0])
    parser.add_argument("--no-bench", action="store_true", help="check the claims only, without the benchmark's GPU sweep")
    args = parser.parse_args(argv)
    import torch

    if not torch.cuda.is_available():
        build = f"built with CUDA {torch.version.cuda}" if torch.version.cuda else "a CPU-only build"
        print(f"gpu-check: no CUDA device here (torch {torch.__version__}, {build}): nothing to check, nothing written")
        return 0
    env = environment()
    print(f"gpu-check on {env['gpu']}: torch {env['torch']}, CUDA {env['cuda']}, cuDNN {env['cudnn']}")
    rows = []
    for claim in CLAIMS:
        start = time.perf_counter()
        try:
            holds, observed = claim.check(quoted_lines(claim.page, claim.id) if claim.quotes else [])
        except Exception as exc:  # a check that breaks is a claim not confirmed, with the reason
            holds, observed = False, f"the check itself raised {type(exc).__name__}: {exc}"
        rows.append({"id": claim.id, "page": claim.page, "statement": claim.statement, "holds": holds, "observed": observed})
        print(f"  {'confirmed   ' if holds else 'CONTRADICTED'} {claim.id:<17} {claim.page:<24} {time.perf_counter() - start:5.1f}s")
        print(f"      {observed}")
    document = {"date": datetime.now(timezone.utc).isoformat(timespec="seconds"), "environment": env, "claims": rows}
    tmp = RESULTS.with_suffix(".tmp")
    tmp.write_text(json.dumps(document, indent=1) + "\n", encoding="utf-8")
    tmp.replace(RESULTS)  # written whole or not at all
    print(f"wrote {RESULTS.relative_to(ROOT)}: {sum(r['holds'] for r in rows)} of {len(rows)} claims confirmed")
    if not args.no_bench:
        from benchmarks import bench

        print("the benchmark on the GPU (docs/performance/cuda.json and cuda.svg):")
        bench.main(["--device", "cuda", "--seq-lens", "1,16,128,512", "--at-seq-len", "128", "--repeats", "5"])
    return 0 if all(r["holds"] for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
