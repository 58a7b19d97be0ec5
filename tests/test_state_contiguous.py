"""A state that is not contiguous: cuDNN refuses it on a GPU (``rnn: hx is not contiguous``), every other kernel runs it.

On the CPU diagnose notes it with its fix; on a GPU with cuDNN it is an error in PyTorch's words, checked against a
real call where CUDA is present.
"""

from __future__ import annotations

import pytest
import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence

from lstm_explained import diagnose


def views(layers: int, batch: int, size: int) -> dict[str, torch.Tensor]:
    """Returns states of shape (layers, batch, size) as people make them without copying, each not contiguous."""
    _ = torch.manual_seed(0)
    return {
        "transpose": torch.randn(batch, layers, size).transpose(0, 1),  # kept batch-first, turned at the call
        "permute": torch.randn(batch, size, layers).permute(2, 0, 1),
        "expand": torch.randn(1, batch, size).expand(layers, batch, size),  # one learned h_0 for every layer
        "slice": torch.randn(layers, 2 * batch, size)[:, :batch],  # kept from a larger batch
        "chunk": torch.randn(layers, 2 * batch, size).chunk(2, dim=1)[0],  # nn.DataParallel(dim=1)'s piece
    }


@pytest.mark.parametrize("kind", ["transpose", "permute", "expand", "slice", "chunk"])
@pytest.mark.parametrize("module", [nn.LSTM(3, 5, num_layers=2), nn.GRU(3, 5, num_layers=2), nn.RNN(3, 5, num_layers=2)],
                         ids=["LSTM", "GRU", "RNN"])
def test_a_state_view_is_a_note_on_the_cpu_and_its_fix_makes_it_contiguous(module, kind):
    x = torch.randn(7, 4, 3)  # (L, N, H_in)
    h = views(2, 4, 5)[kind]  # (2, 4, 5), a view
    assert not h.is_contiguous()
    hx = (h, h.contiguous()) if isinstance(module, nn.LSTM) else h
    module(x, hx)  # the CPU kernel runs it
    found = diagnose(module, x, hx)
    assert [(f.code, f.severity, f.pytorch_error) for f in found] == [("state-contiguous", "note", None)]
    assert found[0].fix.as_code(isinstance(module, nn.LSTM)) == {"state": "h_0.contiguous()"}
    _, _, fixed = found[0].fix.apply(module, x, hx)
    parts = fixed if isinstance(fixed, tuple) else (fixed,)
    assert all(part.is_contiguous() for part in parts) and diagnose(module, x, fixed) == []
    assert torch.equal(parts[0], h), "the same values, copied"


def test_the_message_word_for_word_for_both_states_and_for_c_alone():
    lstm, x = nn.LSTM(3, 5, num_layers=2), torch.zeros(7, 4, 3)
    h = views(2, 4, 5)["transpose"]
    both = diagnose(lstm, x, (h, h))
    assert [f.message for f in both] == [
        "h_0 and c_0 are views that are not contiguous, as transpose, permute, a slice or expand make them, or "
        "nn.DataParallel's scatter of a state along dim 1. It runs here, off cuDNN; on a GPU cuDNN (MIOpen on ROCm) refuses it "
        "(RuntimeError: rnn: hx is not contiguous): pass h_0.contiguous() and c_0.contiguous()."
    ]
    c_alone = diagnose(lstm, x, (h.contiguous(), h))
    assert c_alone[0].message.startswith("c_0 is a view that is not contiguous, as transpose")
    assert "(RuntimeError: rnn: cx is not contiguous): pass c_0.contiguous()." in c_alone[0].message


def test_contiguous_states_and_single_layer_turns_are_not_reported():
    lstm, x = nn.LSTM(3, 5), torch.zeros(7, 4, 3)
    turned = torch.zeros(4, 1, 5).transpose(0, 1)  # (1, 4, 5): a size-1 dimension moved, still contiguous
    assert turned.is_contiguous() and diagnose(lstm, x, (turned, turned)) == []
    assert diagnose(lstm, x, None) == [] and diagnose(lstm, x, (torch.zeros(1, 4, 5),) * 2) == []


def test_a_packed_batch_with_a_state_view_gets_the_note_without_the_packed_caveat():
    lstm, x = nn.LSTM(3, 5, num_layers=2), torch.zeros(7, 4, 3)
    packed = pack_padded_sequence(x, [7, 5, 3, 2])
    h = views(2, 4, 5)["expand"]
    found = diagnose(lstm, packed, (h, h.contiguous()))
    assert [f.code for f in found] == ["state-contiguous"] and "PackedSequence" not in found[0].message
    lstm(packed, (h, h.contiguous()))  # the CPU kernel runs it


def test_a_batch_packed_unsorted_reorders_the_state_into_a_copy_so_a_view_is_not_reported():
    # enforce_sorted=False: LSTM.permute_hidden index_selects the state, a contiguous copy, before the kernel
    lstm, x = nn.LSTM(3, 5, num_layers=2), torch.zeros(7, 4, 3)
    h = views(2, 4, 5)["transpose"]
    assert h.index_select(1, torch.tensor([2, 0, 1, 3])).is_contiguous()
    packed = pack_padded_sequence(x, [3, 7, 5, 2], enforce_sorted=False)
    assert diagnose(lstm, packed, (h, h)) == []
    assert diagnose(lstm, x, (h, h), lengths=[3, 7, 5, 2], enforce_sorted=False) == []
    assert [f.code for f in diagnose(lstm, x, (h, h), lengths=[7, 5, 3, 2])] == ["state-contiguous"]


def test_a_state_view_after_a_shape_error_comes_after_it():
    lstm, x = nn.LSTM(3, 5, num_layers=2), torch.zeros(7, 4, 3)
    h = views(2, 4, 6)["transpose"]  # (2, 4, 6): hidden_size is 5
    assert [f.code for f in diagnose(lstm, x, (h, h))] == ["state-size", "state-contiguous"]


@pytest.mark.skipif(not (torch.cuda.is_available() and torch.backends.cudnn.is_available()),
                    reason="needs CUDA and cuDNN: the error is cuDNN's")
@pytest.mark.parametrize("part", [0, 1])
def test_on_a_gpu_it_is_an_error_in_cudnns_words(part):
    lstm, x = nn.LSTM(3, 5, num_layers=2).cuda(), torch.zeros(7, 4, 3, device="cuda")
    good, view = torch.zeros(2, 4, 5, device="cuda"), torch.zeros(4, 2, 5, device="cuda").transpose(0, 1)
    hx = (view, good) if part == 0 else (good, view)
    with pytest.raises(RuntimeError) as raised:
        lstm(x, hx)
    found = diagnose(lstm, x, hx)
    assert [(f.code, f.severity) for f in found] == [("state-contiguous", "error")]
    assert found[0].pytorch_error == f"RuntimeError: {raised.value}"
