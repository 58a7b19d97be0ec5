"""The corpus of real calls (tests/corpus/): every record is whole, links its source, and rebuilds as a real call."""

from __future__ import annotations

import warnings

import pytest
from corpus_calls import build_call, records
from torch_calls import torch_raises

KEYS = {"id", "source", "source_kind", "quote", "context", "module", "input", "hx", "intended_batch_size", "verdict",
        "torch_outcome_thread", "torch_outcome_2_13", "real_problem", "fix"}
ALL = [(name, r) for name in ("calls.jsonl", "calls-heldout.jsonl") for r in records(name)]


def test_the_corpus_has_at_least_100_mistaken_and_30_sound_calls_and_a_third_held_out():
    verdicts = [r["verdict"] for _, r in ALL]
    assert verdicts.count("mistaken") >= 100 and verdicts.count("correct") >= 30
    held = len(records("calls-heldout.jsonl"))
    assert abs(held - len(ALL) / 3) <= 2
    ids = [r["id"] for _, r in ALL]
    assert len(set(ids)) == len(ids)


@pytest.mark.parametrize("name, record", ALL, ids=[f"{n.split('.')[0]}-{r['id']}" for n, r in ALL])
def test_each_record_is_whole_and_rebuilds_as_a_call(name, record):
    assert KEYS <= set(record), KEYS - set(record)
    assert record["source"].startswith("https://") and record["verdict"] in ("mistaken", "correct")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # dropout on one layer, oneDNN's note on proj_size
        try:
            module, x, hx, _ = build_call(record)
        except RuntimeError as exc:  # the mistake is in pack_padded_sequence, before the recurrent module is called
            assert record["verdict"] == "mistaken" and record["input"].get("packed"), exc
            return
    if record["verdict"] == "correct":  # a mistaken call is not run here: some crash the process (an LSTMCell's kernel)
        assert torch_raises(module, x, hx) is None, "a sound call that PyTorch refuses"
