"""What differs between PyTorch 2.2 and 2.3 and later, tested by patching the version, not only under the installed torch."""

from __future__ import annotations

import inspect

import pytest
import torch
from torch import nn

from lstm_explained import LSTMConfig, diagnose, pytorch_errors
from lstm_explained.pytorch_errors import UNCHECKED_NOTE, checks_input_without_state, index_shape, input_dtype, torch_version


@pytest.mark.parametrize("version, parsed, checks", [
    ("2.2.2", (2, 2), False), ("2.2.0+cpu", (2, 2), False), ("2.3.0", (2, 3), True), ("2.10.1+cu121", (2, 10), True),
    ("2.13.0a0+git1234", (2, 13), True), ("1.13.1", (1, 13), False), ("3.0.0", (3, 0), True),
])
def test_the_version_gate(monkeypatch, version, parsed, checks):
    monkeypatch.setattr(torch, "__version__", version)
    assert torch_version() == parsed
    assert checks_input_without_state() is checks


@pytest.mark.parametrize("code, shape", [("input-size", (7, 2, 4)), ("input-dtype", None)])
def test_before_2_3_without_a_state_nothing_is_quoted(monkeypatch, code, shape):
    lstm = nn.LSTM(3, 5)
    x = torch.zeros(shape) if shape else torch.zeros(7, 2, 3, dtype=torch.float64)
    state = (torch.zeros(1, 2, 5), torch.zeros(1, 2, 5))
    monkeypatch.setattr(torch, "__version__", "2.2.2")
    (unchecked,) = diagnose(lstm, x)
    assert (unchecked.code, unchecked.severity, unchecked.pytorch_error) == (code, "error", None)
    assert unchecked.message.endswith(UNCHECKED_NOTE)
    (with_state,) = diagnose(lstm, x, state)
    assert with_state.pytorch_error is not None and UNCHECKED_NOTE not in with_state.message
    monkeypatch.setattr(torch, "__version__", "2.3.0")
    (checked,) = diagnose(lstm, x)
    assert checked.pytorch_error == with_state.pytorch_error and checked.message == with_state.message


def test_the_two_wordings_of_the_dtype_error(monkeypatch):
    monkeypatch.setattr(pytorch_errors, "_names_both_dtypes", lambda: True)
    assert input_dtype(torch.float64, torch.float32) == (
        "ValueError: RNN input dtype (torch.float64) does not match weight dtype (torch.float32). "
        "Convert input: input.to(torch.float32), or convert model: model.to(torch.float64)"
    )
    monkeypatch.setattr(pytorch_errors, "_names_both_dtypes", lambda: False)
    assert input_dtype(torch.float64, torch.float32) == "ValueError: input must have the type torch.float32, got type torch.float64"


def test_the_installed_wording_is_read_from_check_input(monkeypatch):
    lstm, x = nn.LSTM(3, 5), torch.zeros(7, 2, 3, dtype=torch.float64)
    with pytest.raises(ValueError) as raised:
        lstm(x, (torch.zeros(1, 2, 5), torch.zeros(1, 2, 5)))
    assert input_dtype(torch.float64, torch.float32) == f"ValueError: {raised.value}"
    read = pytorch_errors._names_both_dtypes.__wrapped__
    assert read() == ("does not match weight dtype" in str(raised.value))

    def no_source(obj):
        raise OSError("could not get source code")

    monkeypatch.setattr(inspect, "getsource", no_source)
    assert read() is True, "without source, a current release is assumed"


@pytest.mark.parametrize("shape, index", [((), 0), ((1, 5), 1), ((0,), 0), ((3, 5), 3)])
def test_index_errors_are_torchs(shape, index):
    with pytest.raises(IndexError) as raised:
        torch.zeros(shape)[index]
    assert index_shape(shape, index) == f"IndexError: {raised.value}"


def test_indexing_that_works_is_no_error():
    assert index_shape((2, 5), 1) is None and index_shape((1,), 0) is None


def test_a_shape_stands_for_a_state_as_a_tensor_does():
    """A shape where a state is expected reads as the tensor it describes: (h_0 shape, c_0 shape) is a sound state."""
    cfg, module = LSTMConfig(3, 5), nn.LSTM(3, 5)
    assert diagnose(cfg, (7, 2, 3), ((1, 2, 5), (1, 2, 5))) == []
    assert diagnose(module, torch.zeros(7, 2, 3), ((1, 2, 5), (1, 2, 5))) == []
    (none_pair,) = diagnose(module, torch.zeros(7, 2, 3), (None, None))
    assert (none_pair.code, none_pair.severity) == ("state-type", "error")
    assert none_pair.pytorch_error == "AttributeError: 'NoneType' object has no attribute 'dim'"
    with pytest.raises(AttributeError, match="'NoneType' object has no attribute 'dim'"):
        module(torch.zeros(7, 2, 3), (None, None))
