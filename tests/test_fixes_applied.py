"""Every fix diagnose proposes, applied and run: the corpus's mistaken calls and random broken ones.

A finding carries its fix as data (``Finding.fix``). Applying the first error's or warning's fix,
then the next one's, must end in a call that PyTorch runs and diagnose passes, and each step must
remove the finding it answered. The advice text quotes the same fix, so a wrong fix fails here
even where the words would pass a substring check.
"""

from __future__ import annotations

import warnings

import pytest
import torch
from corpus_calls import build_call, records
from hypothesis import assume, given, settings
from test_diagnose import broken_calls, broken_family_calls
from torch.nn.utils.rnn import PackedSequence
from torch_calls import torch_raises

from lstm_explained import diagnose
from lstm_explained.diagnosis.fixes import Fix

ROUNDS = 10  # each fix answers one finding, and a random call can hold several mistakes at once
# Findings no one change answers for sure: a device to choose, data to drop or pack, a container to rebuild by hand.
NO_FIX = {"state-device", "input-device", "empty-sequence", "padded-input", "hx-type", "state-type", "hx-length",
          "not-recurrent", "batch-size", "input-type"}


def actionable(module, x, hx, batch_size):
    """Returns the errors and warnings diagnose gives for the call: what a fix must answer."""
    return [f for f in diagnose(module, x, hx, batch_size=batch_size) if f.severity != "note"]


def apply_fixes(module, x, hx, batch_size=None) -> tuple[str, list[str]]:
    """Returns ``(outcome, the codes fixed in turn)``: "clean", or why the fixes stop short of a clean call."""
    fixed = []
    for _ in range(ROUNDS):
        found = actionable(module, x, hx, batch_size)
        if not found:
            raised = torch_raises(module, x, hx)
            return ("clean" if raised is None else f"diagnose is clean but PyTorch raises {raised}"), fixed
        first = found[0]
        if first.fix is None:
            return (f"no fix: {first.code}" if first.code in NO_FIX else f"{first.code} proposes no fix as data"), fixed
        try:
            module, x, hx = first.fix.apply(module, x, hx)
        except Exception as exc:  # a fix that cannot be made is wrong advice
            return f"the fix of {first.code} fails: {type(exc).__name__}: {exc}", fixed
        fixed.append(first.code)
        if any(f.code == first.code and f.message == first.message for f in actionable(module, x, hx, batch_size)):
            return f"the fix of {first.code} leaves it as it was", fixed
    return f"not clean after {ROUNDS} fixes", fixed


def wrong(outcome: str) -> bool:
    """Returns whether an outcome of apply_fixes is wrong advice: a fix that fails, changes nothing, or leads nowhere clean.

    A finding may propose no fix as data (a whole sequence into a cell: a loop or the layer); that stops the
    fixes short, and the share of calls fixed clean is held to its own bound below.
    """
    return not (outcome == "clean" or outcome.startswith("no fix: ") or outcome.endswith("proposes no fix as data"))


def corpus_calls(name):
    """Returns ``(id, module, x, hx, batch_size)`` for the corpus's mistaken calls that rebuild as tensors (not packed)."""
    calls = []
    for record in records(name):
        if record["verdict"] != "mistaken" or record["input"].get("packed"):
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            module, x, hx, batch_size = build_call(record)
        if x.device.type == "meta" or any(t.device.type == "meta" for t in _tensors(hx)) or next(module.parameters()).is_meta:
            continue  # a CUDA call, checked on a meta device: it cannot run here
        calls.append((record["id"], module, x, hx, batch_size))
    return calls


def _tensors(hx):
    """Returns the tensors inside a state."""
    return [t for t in (hx if isinstance(hx, (tuple, list)) else (hx,)) if isinstance(t, torch.Tensor)]


CORPUS = corpus_calls("calls.jsonl")


@pytest.mark.parametrize("call", CORPUS, ids=[c[0] for c in CORPUS])
def test_each_fix_of_a_corpus_call_removes_its_finding_and_ends_clean(call):
    _, module, x, hx, batch_size = call
    outcome, fixed = apply_fixes(module, x, hx, batch_size)
    assert not wrong(outcome), (outcome, fixed)


def test_most_corpus_calls_are_fixed_by_the_advice_alone():
    outcomes = [apply_fixes(*call[1:])[0] for call in CORPUS]
    clean = outcomes.count("clean")
    print(f"\nadvice applied, clean: {clean} of {len(CORPUS)} mistaken calls of the corpus")
    assert clean >= 0.8 * len(CORPUS), sorted(set(outcomes))


@settings(max_examples=300, deadline=None)
@given(call=broken_calls(), batch=__import__("hypothesis").strategies.booleans())
def test_the_fixes_of_random_broken_lstm_calls_end_clean(call, batch):
    lstm, x, hx = call
    assume(x.device.type != "meta" and not any(t.device.type == "meta" for t in _tensors(hx)))
    outcome, fixed = apply_fixes(lstm, x, hx)
    assert not wrong(outcome), (outcome, fixed)


@settings(max_examples=300, deadline=None)
@given(call=broken_family_calls())
def test_the_fixes_of_random_broken_family_calls_end_clean(call):
    module, x, hx = call
    outcome, fixed = apply_fixes(module, x, hx)
    assert not wrong(outcome), (outcome, fixed)


def test_a_fix_is_quoted_in_its_finding():
    lstm = torch.nn.LSTM(3, 5, num_layers=2)
    x, h = torch.zeros(7, 4, 3), torch.zeros(4, 5)
    (finding,) = diagnose(lstm, x, (h, h))
    assert finding.fix == Fix(state=(("unsqueeze", 0), ("repeat", 2, 1, 1)))
    assert finding.fix.state_code() in finding.message
    _, _, hx = finding.fix.apply(lstm, x, (h, h))
    assert [tuple(t.shape) for t in hx] == [(2, 4, 5), (2, 4, 5)]


def test_packed_input_gets_no_fix_to_apply_to_its_padded_tensor():
    from torch.nn.utils.rnn import pack_sequence

    x = pack_sequence([torch.zeros(3, 2), torch.zeros(2, 2)])
    assert isinstance(x, PackedSequence)
    assert all(f.fix is None for f in diagnose(torch.nn.LSTM(2, 4), x, (torch.zeros(1, 3, 4),) * 2))
