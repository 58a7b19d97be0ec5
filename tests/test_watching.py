"""watch(model): every recurrent module inside a model diagnosed during a real forward pass, changing nothing."""

from __future__ import annotations

import warnings

import pytest
import torch
from torch import nn

from lstm_explained import CallError, Watched, WatchWarning, diagnose, watch


class Seq2Seq(nn.Module):
    """An encoder LSTM and a decoder GRU cell, the way real models nest them."""

    def __init__(self):
        super().__init__()
        self.encoder = nn.Module()
        self.encoder.rnn = nn.LSTM(3, 5, batch_first=True)
        self.decoder = nn.GRUCell(3, 5)

    def forward(self, x, h0=None):
        output, (h_n, _) = self.encoder.rnn(x, h0)
        h = h_n[-1]  # (N, H)
        for t in range(2):
            h = self.decoder(x[:, t], h)
        return output, h


def hooks_of(model: nn.Module) -> int:
    return sum(len(m._forward_pre_hooks) for m in model.modules())


def test_each_finding_names_the_submodule_and_the_call_is_unchanged():
    torch.manual_seed(0)
    model = Seq2Seq()
    x = torch.randn(4, 6, 3, requires_grad=True)
    h0 = (torch.zeros(4, 1, 5), torch.zeros(4, 1, 5))  # batch-first order: PyTorch refuses it
    with watch(model, on="collect") as w, pytest.raises(RuntimeError, match=r"Expected hidden\[0\] size"):
        model(x, h0)
    assert [(f.path, f.module, f.finding.code) for f in w.findings] == [("encoder.rnn", "LSTM", "state-batch-first")]
    assert str(w.findings[0]).startswith("encoder.rnn (LSTM): error [state-batch-first] h_0 is (4, 1, 5)")
    assert hooks_of(model) == 0, "every hook removed on exit, the block having raised"

    plain = model(x)
    (plain[0].sum() + plain[1].sum()).backward()
    grads = [p.grad.clone() for p in model.parameters()]
    model.zero_grad()
    with watch(model, on="collect") as w:
        watched = model(x)
        (watched[0].sum() + watched[1].sum()).backward()
    assert w.findings == []
    assert all(torch.equal(a, b) for a, b in zip(plain, watched)), "the outputs are the same"
    assert all(torch.equal(a, p.grad) for a, p in zip(grads, model.parameters())), "and so are the gradients"


def test_through_data_parallel_and_torch_compile_the_path_reads_as_in_the_model():
    model = nn.Sequential(nn.Linear(3, 3), nn.GRU(3, 5))
    x = torch.zeros(4, 7, 3)  # batch-first data for a time-major GRU
    for wrapped in (nn.DataParallel(model), torch.compile(model, backend="eager")):
        with watch(wrapped, batch_size=4, on="collect") as w:
            wrapped(x)
        assert [(f.path, f.finding.code) for f in w.findings] == [("1", "time-major-swap")], type(wrapped).__name__
        assert hooks_of(wrapped) == 0


def test_each_distinct_finding_is_warned_once():
    gru = nn.GRU(3, 5)
    with pytest.warns(WatchWarning) as caught, watch(gru, batch_size=4):
        for _ in range(3):
            gru(torch.zeros(4, 7, 3))
    assert len(caught) == 1 and str(caught[0].message).startswith("(the model) (GRU): warning [time-major-swap]")


def test_raise_stops_the_call_before_pytorch_would():
    gru = nn.GRU(3, 5)
    with pytest.raises(CallError) as stopped, watch(gru, on="raise"):
        gru(torch.zeros(7, 2, 3), (torch.zeros(1, 2, 5), torch.zeros(1, 2, 5)))  # PyTorch: AttributeError
    assert "error [hx-type]" in str(stopped.value) and "nn.GRU takes one tensor" in str(stopped.value)
    with watch(gru, on="raise") as w:  # a note does not stop a call
        gru(torch.zeros(1, 7, 3))
    assert [f.finding.severity for f in w.findings] == ["note"]


def test_findings_are_a_table_in_jupyter():
    cell = nn.LSTMCell(3, 5)
    with watch(cell, on="collect") as w:
        cell(torch.zeros(3), torch.zeros(2, 5))  # runs: PyTorch reads hx[0] as h, hx[1] as c
    table = w.findings._repr_html_()
    assert table.startswith("<table><thead><tr><th>submodule</th>") and "<code>missing-cell-state</code>" in table
    assert isinstance(w.findings[0], Watched) and w.findings[0].finding == diagnose(cell, torch.zeros(3), torch.zeros(2, 5))[0]
    with watch(cell, on="collect") as clean:
        cell(torch.zeros(2, 3))
    assert clean.findings._repr_html_() == "<p>No findings.</p>"


def test_what_watch_refuses_and_what_it_says_when_nothing_is_watched():
    with pytest.raises(TypeError, match="watch takes an nn.Module"):
        watch("model")
    with pytest.raises(ValueError, match="on must be one of 'warn', 'raise', 'collect', got 'print'"):
        watch(nn.GRU(3, 5), on="print")
    with pytest.warns(WatchWarning, match="watch: Linear holds no nn.LSTM"), watch(nn.Linear(3, 5)):
        pass
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with watch(nn.LSTM(3, 5)):  # a recurrent module alone: watched, nothing to say
            nn.LSTM(3, 5)(torch.zeros(7, 2, 3))


class Classifier(nn.Module):
    """An LSTM then a linear layer on the last time step: the model a DataLoader's (N, L, H_in) batch goes into."""

    def __init__(self, batch_first: bool):
        super().__init__()
        self.rnn = nn.LSTM(3, 5, batch_first=batch_first)
        self.head = nn.Linear(5, 2)

    def forward(self, x):
        output, _ = self.rnn(x)
        return self.head(output[:, -1] if self.rnn.batch_first else output[-1])


def test_without_batch_size_the_models_leading_dimension_is_a_hint_worth_a_note():
    x = torch.randn(4, 7, 3)  # a DataLoader's batch: N=4 sequences of L=7 time steps
    model = Classifier(batch_first=False)  # the silent mistake: it reads 4 time steps of 7 sequences
    assert diagnose(model.rnn, x) == [], "shapes alone cannot tell"
    with watch(model, on="raise") as w:  # a note never stops the call
        model(x)
    (note,) = w.findings
    (told,) = diagnose(model.rnn, x, batch_size=4)
    assert (note.path, note.finding.code, note.finding.severity) == ("rnn", "time-major-swap", "note")
    assert note.finding.message == (
        "The model's input has 4 in its first dimension. If that is the number of sequences (a DataLoader's batch), this is a "
        f"mistake: {told.message} If the first dimension is time, all is well: pass watch(model, batch_size=N) to say how "
        "many sequences you mean."
    )
    with watch(model, batch_size=4, on="collect") as w:  # said outright, it is a warning, as diagnose says
        model(x)
    assert [(f.finding.code, f.finding.severity) for f in w.findings] == [("time-major-swap", "warning")]


def test_the_hint_never_warns_a_correct_model():
    for model, x in ((Classifier(batch_first=True), torch.randn(4, 7, 3)), (Classifier(batch_first=False), torch.randn(7, 4, 3))):
        with watch(model, on="raise") as w:  # raise stops a call with an error or a warning: none here
            model(x)
        assert all(f.finding.severity == "note" for f in w.findings)
    lone = nn.LSTM(3, 5)  # watched alone, its input is the model's: no hint beyond what diagnose sees
    with watch(lone, on="collect") as w:
        lone(torch.randn(4, 7, 3))
    assert w.findings == [] and hooks_of(lone) == 0


def test_data_parallels_replicas_get_a_share_of_the_batch_and_no_batch_size_check():
    """nn.DataParallel gives each of k replicas N/k sequences; the replicas share the watched module's hooks."""

    def replicate(module):  # what torch.nn.parallel.replicate does for one GPU, less the copy to it
        replica = module._replicate_for_data_parallel()
        for name, param in module._parameters.items():
            setattr(replica, name, param.detach())
        return replica

    model = Classifier(batch_first=True)
    x = torch.randn(8, 20, 3)  # (N=8, L=20, H_in=3): 4 sequences for each of 2 GPUs
    with watch(model, batch_size=8, on="raise") as w:
        replica = replicate(model.rnn)  # what nn.DataParallel runs on each GPU
        replica(x[:4])  # GPU 0's share: right, though it holds 4 sequences, not 8
        with pytest.raises(CallError, match=r"\[batch-size\]"):
            model.rnn(x[:4])  # the module itself, given 4 when 8 were meant: a short batch
    assert [(f.path, f.finding.code) for f in w.findings] == [("rnn", "batch-size")]
    with watch(model, on="collect") as w:  # no batch_size: the hint (8, from the model's input) is not a replica's
        model(x)
        replicate(model.rnn)(x[:4])  # a replica's findings come from its own call alone: here none
    assert w.findings == []
