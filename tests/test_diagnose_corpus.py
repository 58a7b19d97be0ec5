"""A corpus of realistic calls, mistaken and sound, written from the error pages and the questions readers ask.

Each mistake names the codes diagnose must report and the words its advice must hold (the fix to
type); PyTorch itself confirms the kind of each one: an error raises, a warning or a note runs.
The sound calls must stay clean once the caller says how many sequences they mean.
"""

from __future__ import annotations

import contextlib
import io
import warnings
from dataclasses import dataclass, field
from typing import Callable, Optional

import numpy as np
import pytest
import torch
from hypothesis import example, given, settings
from hypothesis import strategies as st
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence
from torch_calls import UNCHECKED_WITHOUT_STATE, torch_raises

from lstm_explained import LSTMConfig, diagnose
from lstm_explained.cli import main
from lstm_explained.diagnosis import CODES
from lstm_explained.pytorch_errors import UNCHECKED_NOTE, checks_input_without_state


def zeros(*shape):
    return torch.zeros(*shape)


def state(*shape):
    """Returns (h_0, c_0), both zeros of ``shape``."""
    return torch.zeros(*shape), torch.zeros(*shape)


def quiet(make):
    """Returns ``make()`` with PyTorch's construction warnings (dropout on one layer) silenced."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return make()


def encoder_state(layers: int, batch: int, size: int):
    """Returns the (h_n, c_n) of a bidirectional encoder run on a time-major batch."""
    torch.manual_seed(0)
    encoder = nn.LSTM(16, size, num_layers=layers, bidirectional=True)
    with torch.no_grad():
        _, (h_n, c_n) = encoder(torch.randn(9, batch, 16))
    return h_n, c_n


def padded(batch_first: bool):
    """Returns a batch of 3 sequences of 6, 4 and 2 real steps, zero-padded to 6, in the given layout."""
    torch.manual_seed(0)
    x = torch.randn(3, 6, 4)  # (N, L, H_in)
    x[1, 4:] = 0
    x[2, 2:] = 0
    return x if batch_first else x.transpose(0, 1).contiguous()  # (L, N, H_in)


@dataclass
class Call:
    name: str
    make: Callable[[], tuple]  # () -> (lstm, input, hx)
    batch_size: Optional[int] = None
    codes: tuple[str, ...] = ()  # every code diagnose must report (empty: a sound call)
    words: tuple[str, ...] = ()  # what the advice must say, all of it
    absent: tuple[str, ...] = ()  # advice that would be wrong here
    severity: dict = field(default_factory=dict)  # code -> required severity, where it matters


MISTAKES = [
    # The seed's swap and its mirror, with batch_size saying what the caller means.
    Call("seed: one sequence of 7 steps as (7, 1, 3), batch_first=True, state for 7",
         lambda: (nn.LSTM(3, 5, batch_first=True), zeros(7, 1, 3), state(1, 7, 5)), 1,
         ("batch-first-swap",), ("batch_first=False", "x.transpose(0, 1)", "(1, 1, 5)", "which is why PyTorch raises nothing"),
         severity={"batch-first-swap": "warning"}),
    Call("seed without a state",
         lambda: (nn.LSTM(3, 5, batch_first=True), zeros(7, 1, 3), None), 1,
         ("batch-first-swap",), ("every time step is its own sequence", "batch_first=False")),
    Call("seed, batch_size not given: both readings",
         lambda: (nn.LSTM(3, 5, batch_first=True), zeros(7, 1, 3), state(1, 7, 5)), None,
         ("batch-first-swap",), ("loop mode", "batch_size=", "one sequence of 7 time steps"),
         severity={"batch-first-swap": "note"}),
    Call("a sentence of 12 word vectors as (12, 1, 300) into batch_first=True",
         lambda: (nn.LSTM(300, 128, batch_first=True), zeros(12, 1, 300), None), 1,
         ("batch-first-swap",), ("N=12 sequences of L=1 time step", "(1, 12, 300)")),
    Call("time-major data (100, 16, 8) into batch_first=True",
         lambda: (nn.LSTM(8, 32, batch_first=True), zeros(100, 16, 8), None), 16,
         ("batch-first-swap",), ("the batch is read as time and time as the batch", "batch_first=False", "(1, 16, 32)")),
    Call("DataLoader batch (32, 100, 8) into a time-major LSTM, no state",
         lambda: (nn.LSTM(8, 64), zeros(32, 100, 8), None), 32,
         ("time-major-swap",), ("batch_first=True", "L=32 time steps of N=100 sequences", "(1, 32, 64)"),
         severity={"time-major-swap": "warning"}),
    Call("DataLoader batch into a time-major LSTM, state sized for the misread batch",
         lambda: (nn.LSTM(8, 64), zeros(32, 100, 8), state(1, 100, 64)), 32,
         ("time-major-swap",), ("batch_first=True", "x.transpose(0, 1)", "which is why PyTorch raises nothing")),
    Call("Keras habit: (batch, timesteps, features) into a 2-layer time-major LSTM",
         lambda: (nn.LSTM(6, 20, num_layers=2), zeros(64, 30, 6), None), 64,
         ("time-major-swap",), ("batch_first=True", "(2, 64, 20)")),
    Call("one sequence as (1, 50, 4) into a time-major LSTM, state for 50 sequences",
         lambda: (nn.LSTM(4, 10), zeros(1, 50, 4), state(1, 50, 10)), 1,
         ("time-major-swap",), ("every time step is its own sequence", "batch_first=True", "(50, 1, 4)", "(1, 1, 10)")),
    Call("one sequence as (1, 50, 4) into a time-major LSTM, batch_size not given",
         lambda: (nn.LSTM(4, 10), zeros(1, 50, 4), None), None,
         ("time-major-swap",), ("batch_size=", "loop mode"), severity={"time-major-swap": "note"}),
    Call("batch-first data into a time-major LSTM, state sized for the real batch",
         lambda: (nn.LSTM(8, 64), zeros(32, 100, 8), state(1, 32, 64)), None,
         ("state-batch-size",), ("set batch_first=True",)),
    Call("batch_size that no dimension holds (a smaller last batch)",
         lambda: (nn.LSTM(3, 5, batch_first=True), zeros(16, 7, 3), None), 32,
         ("batch-size",), ("drop_last=True", "no dimension holds 32")),
    Call("a batch of 8 passed as unbatched 2-D input",
         lambda: (nn.LSTM(3, 5), zeros(8, 3), None), 8,
         ("batch-size",), ("one unbatched sequence", "three dimensions")),
    # The state.
    Call("state in batch-first order with batch_first=True",
         lambda: (nn.LSTM(10, 20, num_layers=2, batch_first=True), zeros(4, 15, 10), state(4, 2, 20)), 4,
         ("state-batch-first",), ("transpose(0, 1)", "applies to input and output only")),
    Call("a 2-D (N, H) state with batched input",
         lambda: (nn.LSTM(6, 12, batch_first=True), zeros(8, 20, 6), state(8, 12)), 8,
         ("state-dims",), ("h_0.unsqueeze(0)",), ("unsqueeze(1)",)),
    Call("a 2-D (N, H) state for a 2-layer LSTM",
         lambda: (nn.LSTM(6, 12, num_layers=2), zeros(20, 8, 6), state(8, 12)), 8,
         ("state-dims",), ("h_0.unsqueeze(0)", ".repeat(2, 1, 1)")),
    Call("a 3-D state with unbatched input",
         lambda: (nn.LSTM(3, 5), zeros(7, 3), state(1, 1, 5)), None,
         ("state-dims",), ("x.unsqueeze(1)",)),
    Call("h without c",
         lambda: (nn.LSTM(3, 5), zeros(7, 2, 3), zeros(1, 2, 5)), 2,
         ("missing-cell-state",), ("hx=(h_0, c_0)", "torch.zeros_like(h_0)")),
    Call("a state for 2 layers counting only the layers of a bidirectional LSTM",
         lambda: (nn.LSTM(3, 5, num_layers=2, bidirectional=True), zeros(7, 2, 3), state(2, 2, 5)), 2,
         ("state-layers",), ("a first dimension of 4", "not the two directions")),
    Call("a bidirectional encoder's state into a 2-layer decoder",
         lambda: (nn.LSTM(16, 32, num_layers=2), zeros(1, 4, 16), encoder_state(2, 4, 32)), 4,
         ("state-layers",), ("h_n.view(2, 2, 4, 32).sum(1)", "nn.Linear(64, 32)", "cannot use a backward direction"),
         ("set num_layers and bidirectional",)),
    Call("a one-layer bidirectional encoder's state into a decoder",
         lambda: (nn.LSTM(16, 24, batch_first=True), zeros(3, 1, 16), encoder_state(1, 3, 24)), 3,
         ("state-layers",), ("h_n.view(1, 2, 3, 24).sum(1)", "torch.cat([h_n[0::2], h_n[1::2]], dim=2)")),
    Call("h sized hidden_size with proj_size",
         lambda: (nn.LSTM(3, 8, proj_size=4), zeros(7, 2, 3), state(1, 2, 8)), 2,
         ("state-proj-size",), ("proj_size=4", "Only c_0 and c_n keep hidden_size")),
    Call("a stale state from a batch of 32 on a last batch of 10",
         lambda: (nn.LSTM(4, 8, batch_first=True), zeros(10, 5, 4), state(1, 32, 8)), 10,
         ("state-batch-size",), ("drop_last=True", "h_0[:, :10] and c_0[:, :10] keep the first 10"), ("x.size(",)),
    Call("a state of the wrong hidden size",
         lambda: (nn.LSTM(4, 8), zeros(5, 2, 4), state(1, 2, 16)), 2,
         ("state-size",), ("hidden_size=8",)),
    # The input.
    Call("a univariate series (N, L) with input_size=1, state for N sequences, batch_first=True",
         lambda: (nn.LSTM(1, 16, batch_first=True), zeros(32, 100), state(1, 32, 16)), 32,
         ("state-dims", "input-size"), ("x.unsqueeze(-1)", "(32, 100, 1)"), ("Set input_size=100 when building",)),
    Call("a univariate series (N, L), time-major LSTM, the state says the batch is dim 0",
         lambda: (nn.LSTM(1, 16), zeros(32, 100), state(1, 32, 16)), 32,
         ("input-size",), ("x.unsqueeze(-1)", "batch_first=True (the state says the batch is dim 0, N=32)")),
    Call("a univariate series (L, N) without a state",
         lambda: (nn.LSTM(1, 16), zeros(50, 24), None), None,
         ("input-size",), ("x.unsqueeze(-1)", "(50, 24, 1)")),
    Call("one series of scalars as 1-D input",
         lambda: (nn.LSTM(1, 16), zeros(50), None), None,
         ("input-dims",), ("x.unsqueeze(-1)",)),
    Call("an image-like (N, 1, L, F) input",
         lambda: (nn.LSTM(3, 5, batch_first=True), zeros(8, 1, 20, 3), None), 8,
         ("input-dims",), ("x.squeeze(1)",)),
    Call("features in dim 1 (N, F, L), as a Conv1d gives them",
         lambda: (nn.LSTM(3, 5, batch_first=True), zeros(2, 3, 7), None), 2,
         ("input-size",), ("movedim(1, -1)",)),
    Call("float64 from NumPy",
         lambda: (nn.LSTM(3, 5), torch.from_numpy(np.zeros((7, 2, 3))), None), 2,
         ("input-dtype",), ("x.float()",)),
    Call("token ids without an embedding",
         lambda: (nn.LSTM(3, 5, batch_first=True), torch.zeros(2, 7, 3, dtype=torch.long), None), 2,
         ("input-dtype",), ("nn.Embedding",)),
    Call("an empty sequence",
         lambda: (nn.LSTM(3, 5), zeros(0, 4, 3), None), 4,
         ("empty-sequence",), ("L=0",)),
    Call("a zero-padded batch, batch_first=True",
         lambda: (nn.LSTM(4, 6, batch_first=True), padded(True), None), 3,
         ("padded-input",), ("output[:, -1]", "pack_padded_sequence", "batch_first=True")),
    Call("a zero-padded batch, time-major",
         lambda: (nn.LSTM(4, 6), padded(False), None), 3,
         ("padded-input",), ("output[-1]", "batch_first=False"), ("output[:, -1]",)),
    # The module.
    Call("a packed last batch of 3 where 4 sequences were meant",
         lambda: (nn.LSTM(4, 6, batch_first=True), pack_padded_sequence(padded(True), [6, 4, 2], batch_first=True), None),
         4, ("batch-size",), ("PackedSequence holds N=3 sequences", "pack_padded_sequence")),
    Call("dropout on a one-layer LSTM",
         lambda: (quiet(lambda: nn.LSTM(4, 6, dropout=0.3, batch_first=True)), zeros(2, 5, 4), None), 2,
         ("dropout-one-layer",), ("dropout=0.3", "no effect", "num_layers=2")),
]

SOUND = [
    Call("loop step over a batch of 32, batch_first=True",
         lambda: (nn.LSTM(8, 16, batch_first=True), zeros(32, 1, 8), state(1, 32, 16)), 32),
    Call("loop step over a batch of 32, time-major",
         lambda: (nn.LSTM(8, 16), zeros(1, 32, 8), state(1, 32, 16)), 32),
    Call("a batch-first classifier batch",
         lambda: (nn.LSTM(8, 16, batch_first=True), zeros(32, 100, 8), None), 32),
    Call("a time-major batch with its state",
         lambda: (nn.LSTM(8, 16, num_layers=2), zeros(100, 32, 8), state(2, 32, 16)), 32),
    Call("one sequence, batch_first=True",
         lambda: (nn.LSTM(3, 5, batch_first=True), zeros(1, 7, 3), state(1, 1, 5)), 1),
    Call("one unbatched sequence with its 2-D state",
         lambda: (nn.LSTM(3, 5), zeros(7, 3), state(1, 5)), 1),
    Call("bidirectional, 2 layers, with its state",
         lambda: (nn.LSTM(3, 5, num_layers=2, bidirectional=True, batch_first=True), zeros(4, 9, 3), state(4, 4, 5)), 4),
    Call("proj_size with its state",
         lambda: (nn.LSTM(3, 8, proj_size=4), zeros(7, 2, 3), (zeros(1, 2, 4), zeros(1, 2, 8))), 2),
    Call("a merged encoder state into a decoder",
         lambda: (nn.LSTM(16, 32, num_layers=2), zeros(1, 4, 16),
                  tuple(t.view(2, 2, 4, 32).sum(1) for t in encoder_state(2, 4, 32))), 4),
    Call("a packed batch with its state",
         lambda: (nn.LSTM(4, 6, batch_first=True), pack_padded_sequence(padded(True), [6, 4, 2], batch_first=True),
                  state(1, 3, 6)), None),
    Call("dropout between two layers",
         lambda: (nn.LSTM(4, 6, num_layers=2, dropout=0.3), zeros(5, 2, 4), None), 2),
    Call("a square batch, 5 sequences of 5 steps",
         lambda: (nn.LSTM(3, 5), zeros(5, 5, 3), state(1, 5, 5)), 5),
]


# The advice applied as written: (the mistake's name, the fixed call). Each fixed call must run and be clean.
def _cat_and_linear():
    h_n, c_n = encoder_state(2, 4, 32)
    merge = nn.Linear(64, 32)
    with torch.no_grad():
        return tuple(merge(torch.cat([t[0::2], t[1::2]], dim=2)) for t in (h_n, c_n))  # (2, 4, 64) -> (2, 4, 32)


FIXES = [
    ("seed: one sequence of 7 steps as (7, 1, 3), batch_first=True, state for 7",
     lambda: (nn.LSTM(3, 5, batch_first=True), zeros(7, 1, 3).transpose(0, 1), state(1, 1, 5))),
    ("seed without a state", lambda: (nn.LSTM(3, 5, batch_first=False), zeros(7, 1, 3), None)),
    ("a sentence of 12 word vectors as (12, 1, 300) into batch_first=True",
     lambda: (nn.LSTM(300, 128, batch_first=True), zeros(12, 1, 300).transpose(0, 1), None)),
    ("time-major data (100, 16, 8) into batch_first=True", lambda: (nn.LSTM(8, 32, batch_first=False), zeros(100, 16, 8), None)),
    ("DataLoader batch (32, 100, 8) into a time-major LSTM, no state",
     lambda: (nn.LSTM(8, 64, batch_first=True), zeros(32, 100, 8), state(1, 32, 64))),
    ("DataLoader batch into a time-major LSTM, state sized for the misread batch",
     lambda: (nn.LSTM(8, 64), zeros(32, 100, 8).transpose(0, 1), state(1, 32, 64))),
    ("Keras habit: (batch, timesteps, features) into a 2-layer time-major LSTM",
     lambda: (nn.LSTM(6, 20, num_layers=2, batch_first=True), zeros(64, 30, 6), state(2, 64, 20))),
    ("one sequence as (1, 50, 4) into a time-major LSTM, state for 50 sequences",
     lambda: (nn.LSTM(4, 10), zeros(1, 50, 4).transpose(0, 1), state(1, 1, 10))),
    ("batch-first data into a time-major LSTM, state sized for the real batch",
     lambda: (nn.LSTM(8, 64, batch_first=True), zeros(32, 100, 8), state(1, 32, 64))),
    ("state in batch-first order with batch_first=True",
     lambda: (nn.LSTM(10, 20, num_layers=2, batch_first=True), zeros(4, 15, 10),
              tuple(t.transpose(0, 1).contiguous() for t in state(4, 2, 20)))),
    ("a 2-D (N, H) state with batched input",
     lambda: (nn.LSTM(6, 12, batch_first=True), zeros(8, 20, 6), tuple(t.unsqueeze(0) for t in state(8, 12)))),
    ("a 2-D (N, H) state for a 2-layer LSTM",
     lambda: (nn.LSTM(6, 12, num_layers=2), zeros(20, 8, 6), tuple(t.unsqueeze(0).repeat(2, 1, 1) for t in state(8, 12)))),
    ("a 3-D state with unbatched input", lambda: (nn.LSTM(3, 5), zeros(7, 3).unsqueeze(1), state(1, 1, 5))),
    ("h without c", lambda: (nn.LSTM(3, 5), zeros(7, 2, 3), (zeros(1, 2, 5), torch.zeros_like(zeros(1, 2, 5))))),
    ("a bidirectional encoder's state into a 2-layer decoder",
     lambda: (nn.LSTM(16, 32, num_layers=2), zeros(1, 4, 16), tuple(t.view(2, 2, 4, 32).sum(1) for t in encoder_state(2, 4, 32)))),
    ("a bidirectional encoder's state into a 2-layer decoder",
     lambda: (nn.LSTM(16, 32, num_layers=2), zeros(1, 4, 16), _cat_and_linear())),
    ("a bidirectional encoder's state into a 2-layer decoder",
     lambda: (nn.LSTM(16, 64, num_layers=2), zeros(1, 4, 16),
              tuple(torch.cat([t[0::2], t[1::2]], dim=2) for t in encoder_state(2, 4, 32)))),
    ("a univariate series (N, L) with input_size=1, state for N sequences, batch_first=True",
     lambda: (nn.LSTM(1, 16, batch_first=True), zeros(32, 100).unsqueeze(-1), state(1, 32, 16))),
    ("a univariate series (N, L), time-major LSTM, the state says the batch is dim 0",
     lambda: (nn.LSTM(1, 16, batch_first=True), zeros(32, 100).unsqueeze(-1), state(1, 32, 16))),
    ("a univariate series (L, N) without a state", lambda: (nn.LSTM(1, 16), zeros(50, 24).unsqueeze(-1), None)),
    ("one series of scalars as 1-D input", lambda: (nn.LSTM(1, 16), zeros(50).unsqueeze(-1), None)),
    ("an image-like (N, 1, L, F) input", lambda: (nn.LSTM(3, 5, batch_first=True), zeros(8, 1, 20, 3).squeeze(1), None)),
    ("features in dim 1 (N, F, L), as a Conv1d gives them",
     lambda: (nn.LSTM(3, 5, batch_first=True), zeros(2, 3, 7).movedim(1, -1), None)),
    ("float64 from NumPy", lambda: (nn.LSTM(3, 5), torch.from_numpy(np.zeros((7, 2, 3))).float(), None)),
    ("a zero-padded batch, batch_first=True",
     lambda: (nn.LSTM(4, 6, batch_first=True),
              pack_padded_sequence(padded(True), torch.tensor([6, 4, 2]), batch_first=True, enforce_sorted=False), None)),
    ("a zero-padded batch, time-major",
     lambda: (nn.LSTM(4, 6), pack_padded_sequence(padded(False), torch.tensor([6, 4, 2]), enforce_sorted=False), None)),
    ("dropout on a one-layer LSTM", lambda: (nn.LSTM(4, 6, dropout=0.3, num_layers=2, batch_first=True), zeros(2, 5, 4), None)),
]
BY_NAME = {call.name: call for call in MISTAKES}


@pytest.mark.parametrize("name, make_fixed", FIXES, ids=[f"{i}: {name}" for i, (name, _) in enumerate(FIXES)])
def test_the_advice_fixes_the_call(name, make_fixed):
    """The call rewritten as the advice says runs, and diagnose has nothing left to say about it."""
    mistake = BY_NAME[name]
    assert not flagged_right(mistake)
    lstm, x, hx = make_fixed()
    assert torch_raises(lstm, x, hx) is None
    assert diagnose(lstm, x, hx, batch_size=mistake.batch_size) == []




def flagged_right(call: Call) -> list[str]:
    """Returns what is wrong with diagnose's answer to a mistaken call: empty when it flags it right."""
    lstm, x, hx = call.make()
    findings = diagnose(lstm, x, hx, batch_size=call.batch_size)
    by_code = {f.code: f for f in findings}
    problems = [f"missing {code}" for code in call.codes if code not in by_code]
    advice = " ".join(f.message for f in findings if f.code in call.codes)
    problems += [f"advice lacks {word!r}" for word in call.words if word not in advice]
    problems += [f"advice says {word!r}" for word in call.absent if word in advice]
    problems += [
        f"{code} is not a {want}" for code, want in call.severity.items() if code in by_code and by_code[code].severity != want
    ]
    raised = torch_raises(lstm, x, hx)
    errors = [f for f in findings if f.severity == "error"]
    if errors and hx is None and not checks_input_without_state() and {f.code for f in errors} <= UNCHECKED_WITHOUT_STATE:
        # PyTorch < 2.3 skips these checks without a state (pytorch/pytorch#114874): it runs on garbage (oneDNN)
        # or fails in a matrix product. diagnose still calls it an error, quotes nothing and says why.
        problems += [f"{f.code} lacks the note on PyTorch < 2.3" for f in errors
                     if f.pytorch_error is not None or not f.message.endswith(UNCHECKED_NOTE)]
        if raised is not None and not (raised.startswith("RuntimeError: ") and "input" not in raised):  # a matrix product's
            problems.append(f"errors {[f.code for f in errors]} unchecked by PyTorch < 2.3, but it raises {raised}")
    elif bool(errors) != (raised is not None):
        problems.append(f"errors {[f.code for f in errors]} but PyTorch raises {raised}")
    return problems


# The codes PyTorch before 2.3 checks only when a state is passed (pytorch/pytorch#114874).


@pytest.mark.parametrize("call", MISTAKES, ids=[c.name for c in MISTAKES])
def test_each_mistake_is_flagged_with_advice_that_fixes_it(call):
    assert flagged_right(call) == []


@pytest.mark.parametrize("call", SOUND, ids=[c.name for c in SOUND])
def test_sound_calls_stay_clean(call):
    lstm, x, hx = call.make()
    assert torch_raises(lstm, x, hx) is None
    assert diagnose(lstm, x, hx, batch_size=call.batch_size) == []


def test_the_corpus_is_large_and_covers_both_orientations():
    assert len(MISTAKES) >= 25 and len(SOUND) >= 10
    right = sum(not flagged_right(call) for call in MISTAKES)
    assert right == len(MISTAKES), f"{right} of {len(MISTAKES)} flagged right"
    modules = [call.make()[0] for call in MISTAKES]
    assert {m.batch_first for m in modules if isinstance(m, nn.LSTM)} == {True, False}
    assert {"batch-first-swap", "time-major-swap"} <= {code for call in MISTAKES for code in call.codes}


# --- fuzz: diagnose and the command never fail, whatever batch_size and shapes they get ---

SHAPES = st.lists(st.integers(0, 6), max_size=4).map(tuple)
BATCH = st.one_of(st.none(), st.integers(-2, 9), st.booleans(), st.floats(allow_nan=True), st.text(max_size=2))


@st.composite
def configs(draw):
    hidden = draw(st.integers(1, 5))
    return LSTMConfig(
        draw(st.integers(1, 4)), hidden, draw(st.integers(1, 3)), draw(st.booleans()),
        draw(st.integers(0, hidden - 1)), draw(st.booleans()),
    )


@settings(max_examples=400, deadline=None, derandomize=True)
@given(cfg=configs(), x=SHAPES, hx=st.one_of(st.none(), SHAPES, st.tuples(SHAPES, SHAPES)), batch_size=BATCH)
@example(cfg=LSTMConfig(1, 3), x=(4, 6), hx=((1, 4, 3), (1, 4, 3)), batch_size=4)
@example(cfg=LSTMConfig(3, 5, batch_first=True), x=(7, 1, 3), hx=((1, 7, 5), (1, 7, 5)), batch_size=0)
def test_diagnose_never_fails(cfg, x, hx, batch_size):
    findings = diagnose(cfg, x, hx, batch_size=batch_size)
    assert all(f.code in CODES and f.code != "internal-error" for f in findings), findings
    assert all(f.severity in ("error", "warning", "note") for f in findings)


@settings(max_examples=150, deadline=None, derandomize=True)
@given(
    cfg=configs(), x=SHAPES.filter(bool), hx=SHAPES.filter(bool),
    batch=st.one_of(st.none(), st.integers(0, 9), st.just("-1"), st.just("x")),
)
def test_the_command_never_fails(cfg, x, hx, batch):
    argv = ["diagnose", "--input-size", str(cfg.input_size), "--hidden-size", str(cfg.hidden_size),
            "--num-layers", str(cfg.num_layers), "--proj-size", str(cfg.proj_size), "--input-shape", ",".join(map(str, x)),
            "--hx-shape", ",".join(map(str, hx)), "--cx-shape", ",".join(map(str, hx))]
    argv += ["--batch-first"] * cfg.batch_first + ["--bidirectional"] * cfg.bidirectional
    if batch is not None:
        argv += ["--batch-size", str(batch)]
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(argv)
    out, err = out.getvalue(), err.getvalue()
    assert "Traceback" not in out + err and "internal-error" not in out
    if isinstance(batch, str):
        assert status == 2 and err.count("\n") == 1
    else:
        findings = diagnose(cfg, x, (hx, hx), batch_size=batch)
        assert status == (1 if any(f.severity != "note" for f in findings) else 0)
