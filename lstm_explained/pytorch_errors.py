"""What the recurrent modules say when they reject a call: their messages, worded exactly as PyTorch words them.

The Python-level checks are in ``torch/nn/modules/rnn.py`` (each module's ``forward``,
``RNNBase.check_input``, ``RNNBase.check_hidden_size``); the others come from the kernel's own
checks (``aten/src/ATen/native/RNN.cpp``: the layers' ``lstm expects two hidden states``, devices and
empty sequences; the cells' ``check_rnn_cell_forward_input`` and ``check_rnn_cell_forward_hidden``).
Each function returns the line PyTorch prints, ``"ExceptionType: message"``. The tests compare every
one of them with what the installed torch really raises.
"""

from __future__ import annotations

import functools
import inspect
from typing import Sequence

import torch

# Before PyTorch 2.3, LSTM.forward ran check_input (dtype and input size) only when a state was
# passed (pytorch/pytorch#114874); without one, the kernel fails later, or runs on the wrong size.
UNCHECKED_NOTE = (
    " PyTorch before 2.3 makes this check only when a state is passed (pytorch/pytorch#114874): "
    "without one, the call fails later in a matrix product, or runs and gives garbage."
)


def torch_version() -> tuple[int, int]:
    """Returns the installed torch's (major, minor) version, e.g. (2, 13)."""
    major, minor = torch.__version__.split(".")[:2]
    return int(major), int(minor)


def checks_cell_state_dims() -> bool:
    """Returns whether a cell's kernel refuses a state that is not 2-D before it compares sizes (PyTorch 2.15 and later)."""
    return torch_version() >= (2, 15)


def checks_input_without_state() -> bool:
    """Returns whether the installed PyTorch checks the input's dtype and size when no state is passed (2.3 and later)."""
    return torch_version() >= (2, 3)


def message(line: str) -> str:
    """Returns the message of one of these lines, without its ``ExceptionType: `` prefix."""
    return line.split(": ", 1)[1]


def input_dims(dims: int, module: str) -> str:
    """Returns the error for an input that is neither 2-D nor 3-D (1-D nor 2-D for a cell), in ``module``'s words."""
    if module.endswith("Cell"):
        return f"ValueError: {module}: Expected input to be 1D or 2D, got {dims}D instead"
    tensor = " tensor" if module == "RNN" else ""  # nn.RNN alone says "got 4D tensor instead"
    return f"ValueError: {module}: Expected input to be 2D or 3D, got {dims}D{tensor} instead"


def single_state_dims(batched: bool, dims: int) -> str:
    """Returns nn.GRU's and nn.RNN's error for a state ``hx`` whose number of dimensions does not match the input's."""
    if batched:
        return f"RuntimeError: For batched 3-D input, hx should also be 3-D but got {dims}-D tensor"
    return f"RuntimeError: For unbatched 2-D input, hx should also be 2-D but got {dims}-D tensor"


def cell_state_dims(module: str, dims: int, index: int) -> str:
    """Returns a cell's error for a state that is neither 1-D nor 2-D: ``hidden`` for a GRUCell or an RNNCell, ``hx[i]`` for an LSTMCell."""
    what = f"hx[{index}]" if module == "LSTMCell" else "hidden"
    return f"ValueError: {module}: Expected {what} to be 1D or 2D, got {dims}D instead"


def state_dims(batched: bool, h_dims: int, c_dims: int) -> str:
    """Returns the error for a state whose number of dimensions does not match the input's."""
    if batched:
        return f"RuntimeError: For batched 3-D input, hx and cx should also be 3-D but got ({h_dims}-D, {c_dims}-D) tensors"
    return f"RuntimeError: For unbatched 2-D input, hx and cx should also be 2-D but got ({h_dims}-D, {c_dims}-D) tensors"


def input_dtype(got, weights) -> str:
    """Returns the error for an input whose dtype is not the weights' dtype, in the installed PyTorch's wording."""
    if _names_both_dtypes():
        return (
            f"ValueError: RNN input dtype ({got}) does not match weight dtype ({weights}). "
            f"Convert input: input.to({weights}), or convert model: model.to({got})"
        )
    return f"ValueError: input must have the type {weights}, got type {got}"


@functools.cache
def _names_both_dtypes() -> bool:
    """Returns whether the installed PyTorch words the dtype check with both dtypes and both fixes.

    That wording (pytorch/pytorch#166946) replaced ``input must have the type ...`` in a
    release between 2.3 and 2.13; reading ``check_input``'s source tells which one is installed.
    """
    try:
        return "does not match weight dtype" in inspect.getsource(torch.nn.modules.rnn.RNNBase.check_input)
    except (OSError, TypeError):  # no source shipped: assume a current release
        return True


def input_size(expected: int, got: int) -> str:
    """Returns the error for an input whose last dimension is not ``input_size``."""
    return f"RuntimeError: input.size(-1) must be equal to input_size. Expected {expected}, got {got}"


def state_size(index: int, expected: Sequence[int], got: Sequence[int]) -> str:
    """Returns the error for ``hx[index]`` of the wrong shape (both shapes 3-D, as PyTorch compares them)."""
    return f"RuntimeError: Expected hidden[{index}] size {tuple(expected)}, got {list(got)}"


def state_count(cell: bool = False) -> str:
    """Returns the kernel's error for an LSTM state tuple of other than two tensors (an LSTMCell's with ``cell``)."""
    return f"RuntimeError: {'lstm_cell' if cell else 'lstm'} expects two hidden states"


def hidden_size(expected: Sequence[int], got: Sequence[int]) -> str:
    """Returns nn.GRU's and nn.RNN's error for a state ``hx`` of the wrong shape (both 3-D, as PyTorch compares them)."""
    return f"RuntimeError: Expected hidden size {tuple(expected)}, got {list(got)}"


def cell_input_size(expected: int, got: int) -> str:
    """Returns a cell's error (the kernel's) for an input whose last dimension is not ``input_size``."""
    return f"RuntimeError: input has inconsistent input_size: got {got} expected {expected}"


def cell_batch(input_batch: int, index: int, state_batch: int) -> str:
    """Returns a cell's error (the kernel's) for a state ``hidden{index}`` whose first dimension is not the input's."""
    return f"RuntimeError: Input batch size {input_batch} doesn't match hidden{index} batch size {state_batch}"


def cell_state_not_2d(index: int, dims: int) -> str:
    """Returns a cell's error (the kernel's, PyTorch 2.15 and later) for a state ``hidden{index}`` that is not 2-D after ``forward``."""
    return f"RuntimeError: Expected 2D hidden{index} (batch x hidden_size), but got {dims}D tensor"


def cell_hidden_size(index: int, got: int, expected: int) -> str:
    """Returns a cell's error (the kernel's) for a state ``hidden{index}`` whose last dimension is not ``hidden_size``."""
    return f"RuntimeError: hidden{index} has inconsistent hidden_size: got {got}, expected {expected}"


def state_device(input_device, state_device_) -> str:
    """Returns the kernel's error for a state on another device than the input."""
    return (
        "RuntimeError: Input and hidden tensors are not at the same device, "
        f"found input tensor at {input_device} and hidden tensor at {state_device_}"
    )


def state_not_contiguous(index: int) -> str:
    """Returns cuDNN's error for a state tensor that is not contiguous, ``h`` (index 0) checked before ``c``.

    A ROCm build runs MIOpen on its ``cuda`` devices, which words it ``miopen_rnn : hx is not contiguous.``
    """
    name = ("hx", "cx")[index]
    return f"RuntimeError: miopen_rnn : {name} is not contiguous." if torch.version.hip else f"RuntimeError: rnn: {name} is not contiguous"


def parameter_device(input_device, parameter_device_) -> str:
    """Returns the kernel's error for an input on another device than the module's parameters."""
    return (
        "RuntimeError: Input and parameter tensors are not at the same device, "
        f"found input tensor at {input_device} and parameter tensor at {parameter_device_}"
    )


def empty_sequence() -> str:
    """Returns the kernel's error for an input with no time steps."""
    return "RuntimeError: Expected sequence length to be larger than 0 in RNN"


def index_shape(shape: Sequence[int], index: int) -> str | None:
    """Returns the error of ``tensor[index]`` for a tensor of ``shape``, or None where indexing works."""
    if len(shape) == 0:
        return (
            "IndexError: invalid index of a 0-dim tensor. Use `tensor.item()` in Python or "
            "`tensor.item<T>()` in C++ to convert a 0-dim tensor to a number"
        )
    if index >= shape[0]:
        return f"IndexError: index {index} is out of bounds for dimension 0 with size {shape[0]}"
    return None


def dimension_out_of_range(dims: int, index: int) -> str:
    """Returns the error of reading dimension ``index`` of a tensor of ``dims`` dimensions, e.g. ``size(1)`` of a 1-D state."""
    return f"IndexError: Dimension out of range (expected to be in range of [{-dims}, {dims - 1}], but got {index})"


def describe(exc: BaseException) -> str:
    """Returns an exception as Python prints its last line: ``"ExceptionType: message"``."""
    return f"{type(exc).__name__}: {exc}"
