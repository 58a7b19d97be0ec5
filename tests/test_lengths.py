"""diagnose(..., lengths=): what pack_padded_sequence makes of the lengths beside a padded batch, against real torch."""

from __future__ import annotations

import pytest
import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence
from torch_calls import torch_raises

from lstm_explained import diagnose
from lstm_explained.pytorch_errors import describe

X = torch.randn(3, 5, 2)  # (N=3, L=5, H_in=2), batch first

# (name, lengths, enforce_sorted, the words the advice must hold)
REFUSED = [
    ("out of order", [3, 5, 2], True, "the lengths are not in decreasing order: pass enforce_sorted=False, which sorts them "
     "and gives h_n and c_n back in the batch's own order (output too, once pad_packed_sequence unpacks it)"),
    ("a zero length", [5, 3, 0], True, "a sequence has length 0 or less"),
    ("a zero length, unsorted allowed", [0, 5, 3], False, "a sequence has length 0 or less"),
    ("too few", [5, 3], True, "there are 2 lengths for N=3 sequences (dim 0): one length per sequence."),
    ("a list for the whole batch under DataParallel", [5, 3, 2, 5, 4, 1], True,
     "under nn.DataParallel a list of lengths is not cut with the batch: pass a tensor"),
    ("on a GPU (meta here)", torch.tensor([5, 3, 2], device="meta"), True,
     "the lengths are on meta: packing reads them on the CPU, so pass lengths.cpu() (or a list)"),
    ("segment ids", torch.tensor([[5, 3, 2]]), False, "lengths has shape (1, 3): packing takes one length per sequence"),
]


def raised(lengths, enforce_sorted, batch_first=True, x=X):
    """Returns what pack_padded_sequence raises for the real batch, or None."""
    try:
        pack_padded_sequence(x, lengths, batch_first=batch_first, enforce_sorted=enforce_sorted)
    except Exception as exc:  # the observation
        return describe(exc)
    return None


@pytest.mark.parametrize("name, lengths, enforce_sorted, advice", REFUSED, ids=[r[0] for r in REFUSED])
def test_each_refusal_is_quoted_as_pytorch_raises_it_with_its_advice(name, lengths, enforce_sorted, advice):
    found = diagnose(nn.LSTM(2, 4, batch_first=True), X, lengths=lengths, enforce_sorted=enforce_sorted)
    assert [(f.code, f.severity) for f in found] == [("lengths", "error")], found
    assert found[0].pytorch_error == raised(lengths, enforce_sorted) is not None
    assert advice in found[0].message
    assert found[0].message.startswith(f"pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted={enforce_sorted}): ")


def test_lengths_that_match_the_other_dimension_say_batch_first():
    x = torch.randn(5, 3, 2)  # (L=5, N=3, H_in): but 5 lengths, so the batch is dim 0
    (found,) = diagnose(nn.LSTM(2, 4), x, lengths=[3] * 5)
    assert "the lengths match dim 0: if that is the batch, set batch_first=True" in found.message
    assert found.pytorch_error == raised([3] * 5, True, batch_first=False, x=x)
    assert raised([3] * 5, True, batch_first=True, x=x) is None, "the advice packs"


@pytest.mark.parametrize("lengths, enforce_sorted", [([5, 3, 2], True), ([3, 5, 2], False), (torch.tensor([5, 3, 2]), True),
                                                     (torch.tensor([2, 5, 3], dtype=torch.int32), False)])
def test_lengths_packing_takes_give_no_finding(lengths, enforce_sorted):
    assert raised(lengths, enforce_sorted) is None
    assert diagnose(nn.LSTM(2, 4, batch_first=True), X, lengths=lengths, enforce_sorted=enforce_sorted) == []


def test_a_length_past_the_batch_packs_unchecked_and_the_call_then_fails():
    assert raised([7, 3, 2], True) is None, "pack_padded_sequence does not check it"
    lstm = nn.LSTM(2, 4, batch_first=True)
    assert torch_raises(lstm, pack_padded_sequence(X, [7, 3, 2], batch_first=True)) is not None, "the call on it fails"
    (found,) = diagnose(lstm, X, lengths=[7, 3, 2])
    assert (found.code, found.severity) == ("lengths", "error")
    assert found.message.startswith(CALL.format(True) + "a length of 7 is more than the padded batch's L=5 (dim 1, "
                                    "batch_first=True). Packing does not check it: its batch_sizes count 12 steps where the "
                                    "data holds 10, and the LSTM's call on the packed batch fails.")
    assert "lengths.clamp(max=5)" in found.message
    clamped = torch.tensor([7, 3, 2]).clamp(max=5)
    assert raised(clamped, True) is None and diagnose(nn.LSTM(2, 4, batch_first=True), X, lengths=clamped) == []


def test_once_packed_the_call_is_checked_as_the_packed_batch():
    stale = (torch.zeros(1, 4, 4), torch.zeros(1, 4, 4))  # a state for 4 sequences, the batch holds 3
    (found,) = diagnose(nn.LSTM(2, 4, batch_first=True), X, stale, lengths=[5, 3, 2])
    assert found.code == "state-batch-size" and "holds N=3 sequences" in found.message
    packed = pack_padded_sequence(X, [5, 3, 2], batch_first=True)
    assert [f.code for f in diagnose(nn.LSTM(2, 4, batch_first=True), packed, stale)] == ["state-batch-size"]


@pytest.mark.parametrize("kind", [nn.GRU, nn.RNN])
def test_a_packed_gru_or_rnn_is_checked_as_a_tensor_is_and_quoted(kind):

    packed = pack_padded_sequence(torch.randn(5, 3, 3), [5, 3, 2])  # (L, N=3, H_in=3), time-major
    for module, hx in [(kind(4, 5), None), (kind(3, 5), torch.zeros(1, 4, 5))]:  # the features, then a state for 4
        (found,) = diagnose(module, packed, hx)
        assert found.pytorch_error == torch_raises(module, packed, hx) is not None, found
        assert "checks none of this" not in found.message


def _packing_refused(record) -> bool:
    """Returns whether the record's own pack_padded_sequence call fails (before its module is called)."""
    from corpus_calls import build_call

    try:
        build_call(record)
    except Exception:  # the packing raised: what lengths= is for
        return True
    return False


def test_the_corpus_calls_whose_packing_fails_get_a_lengths_error_first():
    import json

    from corpus_calls import build_call, device, records

    refused = [r for r in records("calls.jsonl") if r["input"].get("packed") and _packing_refused(r)]
    assert len(refused) >= 10, "the corpus keeps its packing mistakes"
    for record in refused:
        padded = json.loads(json.dumps(record))
        padded["input"]["packed"] = False
        module, x, hx, batch_size = build_call(padded)
        given = record["input"]
        lengths = torch.tensor(given["lengths"], device=device(given.get("lengths_device")))
        found = [f for f in diagnose(module, x, hx, batch_size=batch_size, lengths=lengths,
                                     enforce_sorted=given.get("enforce_sorted", True)) if f.severity != "note"]
        assert found and (found[0].code, found[0].severity) == ("lengths", "error"), (record["id"], found)


CALL = "pack_padded_sequence(x, lengths, batch_first={}, enforce_sorted=True): "
WHOLE = [
    ([5, 3, 2, 5, 4, 1], X, True, "there are 6 lengths for N=3 sequences (dim 0): one length per sequence; under nn.DataParallel a "
     "list of lengths is not cut with the batch: pass a tensor, which is, and .cpu() it inside forward."),
    (torch.tensor([5, 3, 2, 5, 4, 1]), X, True, "there are 6 lengths for N=3 sequences (dim 0): one length per sequence."),
    (torch.tensor([5, 3, 2], device="meta"), X, True, "the lengths are on meta: packing reads them on the CPU, so pass "
     "lengths.cpu() (or a list); only the padded batch goes to the GPU."),
    ([5, 3, 0], X, True, "a sequence has length 0 or less: packing takes none, so leave empty sequences out of the batch (or "
     "give them length 1 and ignore their outputs)."),
    ([3] * 5, torch.randn(5, 3, 2), False, "there are 5 lengths for N=3 sequences (dim 1): one length per sequence; the lengths "
     "match dim 0: if that is the batch, set batch_first=True."),
    ([1, 1, 1], torch.zeros(0, 3, 2), False, "the padded batch (0, 3, 2) holds no values: leave empty batches out."),
]


@pytest.mark.parametrize("lengths, x, batch_first, says", WHOLE)
def test_the_whole_advice_for_each_refusal(lengths, x, batch_first, says):
    (found,) = diagnose(nn.LSTM(2, 4, batch_first=batch_first), x, lengths=lengths)
    assert found.message == CALL.format(batch_first) + says + f" PyTorch raises {found.pytorch_error}"
    assert found.pytorch_error == raised(lengths, True, batch_first=batch_first, x=x)


def test_a_length_past_a_time_major_batch_names_dim_0():
    (found,) = diagnose(nn.GRU(2, 4), torch.randn(5, 3, 2), lengths=[7, 3, 2])
    assert found.message == CALL.format(False) + (
        "a length of 7 is more than the padded batch's L=5 (dim 0, batch_first=False). Packing does not check it: its "
        "batch_sizes count 12 steps where the data holds 10, and the GRU's call on the packed batch fails. Cut the lengths to "
        "the batch, lengths.clamp(max=5), or pad to the longest sequence.")
