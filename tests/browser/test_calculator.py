"""The shape calculator: window.lstmShapes against real calls of every module of the family, and the page around it."""

from __future__ import annotations

import random
from urllib.parse import parse_qs, urlsplit

import pytest
import torch
from torch import nn

from docs_tools.browser.pageload import visit
from docs_tools.runtime import reset_runtime
from lstm_explained import LSTMConfig, RecurrentConfig, expected_shapes
from lstm_explained.config import MODULES

CONFIGURATIONS = 600


def random_config(rng: random.Random) -> dict:
    """Returns a configuration of one module of the family and an input shape, valid or not, mostly small.

    Half are nn.LSTM's (the calculator's default); the rest spread over the other five. Only the
    options a module's constructor takes are set: a cell takes input_size and hidden_size alone, and
    nn.GRU or nn.RNN get proj_size only when it is not 0 (PyTorch refuses the keyword itself).
    """

    def size(low: int, high: int):
        roll = rng.random()
        if roll < 0.06:
            return rng.choice([0, -1, -3])
        if roll < 0.09:
            return rng.choice([2.5, 0.5])  # JSON cannot tell 1.0 from 1, so only non-whole floats
        return rng.randint(low, high)

    hidden_size = size(1, 6)
    top = hidden_size + 1 if isinstance(hidden_size, int) and hidden_size > 0 else 3
    proj_size = 0 if rng.random() < 0.6 else rng.choice([-1, 1.5, *range(1, top + 1)])
    config = {
        "input_size": size(1, 5),
        "hidden_size": hidden_size,
        "num_layers": size(1, 4),
        "bidirectional": rng.random() < 0.5,
        "proj_size": proj_size,
        "batch_first": rng.random() < 0.5,
    }
    ndim = rng.choices([0, 1, 2, 3, 4], weights=[2, 3, 25, 65, 5])[0]
    shape = [0 if rng.random() < 0.08 else rng.randint(1, 6) for _ in range(ndim)]
    if shape:
        roll = rng.random()
        features = config["input_size"] if isinstance(config["input_size"], int) else 3
        shape[-1] = features if roll < 0.8 else rng.choice([features + 1, 0, max(features - 1, 0)])
        if rng.random() < 0.03:
            shape[rng.randrange(ndim)] = -rng.randint(1, 3)
    module = "LSTM" if rng.random() < 0.5 else rng.choice(MODULES[1:])
    config["module"] = module
    if module in ("RNN", "RNNCell"):
        config["nonlinearity"] = rng.choice(["tanh", "relu"])
    if module.endswith("Cell"):
        for name in ("num_layers", "bidirectional", "proj_size", "batch_first"):
            del config[name]
        if rng.random() < 0.7 and len(shape) == 3:
            shape.pop(0)  # mostly one step: (N, H_in)
    elif module != "LSTM" and rng.random() < 0.8:
        config["proj_size"] = 0
    config["input_shape"] = shape
    return config


def torch_result(config: dict) -> dict:
    """Returns what PyTorch does with the configuration: the shapes, or the exception's type and message.

    Built the way a user meets it: the module, then the input tensor, then the call.
    """
    module = config["module"]
    arguments = {key: value for key, value in config.items() if key not in ("input_shape", "module")}
    if module != "LSTM" and arguments.get("proj_size", 1) == 0:
        del arguments["proj_size"]
    size = lambda t: None if t is None else list(t.shape)
    try:
        lstm = getattr(nn, module)(**arguments)
        x = torch.empty(config["input_shape"]).normal_()
        with torch.no_grad():
            returned = lstm(x)
    except (ValueError, RuntimeError, TypeError) as error:
        return {"error": str(error), "type": type(error).__name__}
    if module.endswith("Cell"):
        output, (h_n, c_n) = None, (returned if module == "LSTMCell" else (returned, None))
    else:
        output, state = returned
        h_n, c_n = state if module == "LSTM" else (state, None)
    return {"output": size(output), "h_n": size(h_n), "c_n": size(c_n), "lstm": lstm, "x": x}


@pytest.fixture(autouse=True)
def one_thread():
    """Runs torch on one thread, as the docs do: hundreds of tiny calls crawl when threads fight over busy cores."""
    reset_runtime()
    yield
    reset_runtime()


def test_lstm_shapes_agrees_with_torch(calculator):
    rng = random.Random(20260611)
    configs = [random_config(rng) for _ in range(CONFIGURATIONS)]
    answers = calculator.page.evaluate("configs => configs.map(c => window.lstmShapes(c))", configs)
    assert calculator.errors == []

    mismatches, valid, kinds, modules = [], 0, set(), set()
    for config, answer in zip(configs, answers):
        expected = torch_result(config)
        if "error" in expected:
            kinds.add(expected["error"].split(".")[0].split(":")[0])
            got = {"error": answer.get("error"), "type": answer.get("type")}
            if got != expected:
                mismatches.append((config, expected, answer))
            continue
        valid += 1
        got = {key: answer.get(key) for key in ("output", "h_n", "c_n")}
        want = {key: expected[key] for key in ("output", "h_n", "c_n")}
        if got != want:
            mismatches.append((config, want, answer))
            continue
        # The h_0 and c_0 it shows are the shapes the module accepts as an initial state.
        lstm, x = expected["lstm"], expected["x"]
        state = torch.zeros(answer["h_0"])
        if answer["c_0"] is not None:
            state = (state, torch.zeros(answer["c_0"]))
        with torch.no_grad():
            lstm(x, state)
        # It names the dimensions as expected_shapes does (which rejects empty dimensions).
        if all(d > 0 for d in config["input_shape"]):
            names = expected_shapes(RecurrentConfig.from_module(lstm), config["input_shape"]).names
            assert {k: list(v) for k, v in names.items()} == answer["names"], config
        modules.add(config["module"])

    assert not mismatches, "\n".join(f"{c}\n  torch: {w}\n  js:    {a}" for c, w, a in mismatches[:10])
    # The sample covers both sides, and many kinds of refusal.
    assert valid >= CONFIGURATIONS // 4 and CONFIGURATIONS - valid >= CONFIGURATIONS // 4, valid
    assert len(kinds) >= 12, kinds
    assert modules == set(MODULES), "every module of the family answered at least once"


def read_calculator(page) -> dict:
    """Returns {tensor: shape text} from the calculator's table, or {"error": text}."""
    if page.locator("#lstm-calc-error").count():
        return {"error": page.locator("#lstm-calc-error").inner_text()}
    rows = page.locator("#lstm-calc-table tbody tr")
    return {rows.nth(i).get_attribute("data-tensor"): rows.nth(i).locator(".lstm-calc__shape").inner_text() for i in range(rows.count())}


def shape_text(size) -> str:
    return "(" + ", ".join(map(str, size)) + ("," if len(size) == 1 else "") + ")"


def test_calculator_shows_shapes_draws_them_and_keeps_state_in_the_url(tabs, site):
    query = "input_size=3&hidden_size=5&num_layers=2&proj_size=0&bidirectional=true&batch_first=true&input_shape=2,7,3"
    config = LSTMConfig(3, 5, num_layers=2, bidirectional=True, batch_first=True)

    def use(page):
        want = expected_shapes(config, (2, 7, 3))
        shown = read_calculator(page)
        assert shown["output"] == shape_text(want.output) and shown["h_n"] == shape_text(want.h_n), shown
        assert shown["c_n"] == shape_text(want.c_n) and shown["h_0"] == shape_text(want.h_0), shown
        # the picture: one box per layer, direction and time step; each row's final state labelled
        assert page.locator("#lstm-calc-picture svg rect").count() == 2 * 2 * 7
        labels = page.locator("#lstm-calc-picture svg text").all_text_contents()
        assert {f"h_n[{row}]" for row in range(4)} <= set(labels), labels

        # change a field: the shapes follow, and so does the URL
        page.fill('input[name="proj_size"]', "2")
        want = expected_shapes(LSTMConfig(3, 5, num_layers=2, bidirectional=True, proj_size=2, batch_first=True), (2, 7, 3))
        assert read_calculator(page)["output"] == shape_text(want.output)
        assert parse_qs(urlsplit(page.url).query)["proj_size"] == ["2"]
        page.reload(wait_until="load")
        assert page.input_value('input[name="proj_size"]') == "2"
        assert read_calculator(page)["c_n"] == shape_text(want.c_n)

        # where PyTorch refuses, PyTorch's words
        page.fill('input[name="proj_size"]', "5")
        with pytest.raises(ValueError) as refused:
            nn.LSTM(3, 5, proj_size=5)
        shown = read_calculator(page)["error"]
        assert "ValueError" in shown and str(refused.value) in shown, shown
        page.fill('input[name="proj_size"]', "0")
        page.fill('input[name="input_shape"]', "2, 7, 4")
        with pytest.raises(RuntimeError) as refused:
            nn.LSTM(3, 5, batch_first=True)(torch.zeros(2, 7, 4))
        assert str(refused.value) in read_calculator(page)["error"]
        page.fill('input[name="input_shape"]', "two")
        assert "whole numbers" in read_calculator(page)["error"]

    v = visit(tabs, site.url("calculator/?" + query), action=use)
    assert v.console_errors == []


def test_the_module_selector_shows_each_module_s_own_tensors_and_stays_in_the_url(tabs, site):
    """A GRU has no c_0 or c_n; a cell takes one time step and returns h' (and c'); the options a module does not take are off."""

    def use(page):
        page.select_option('select[name="module"]', "GRU")
        want = expected_shapes(RecurrentConfig(3, 5, module="GRU"), (7, 2, 3))
        shown = read_calculator(page)
        assert set(shown) == {"input", "h_0", "output", "h_n"} and shown["h_n"] == shape_text(want.h_n), shown
        assert parse_qs(urlsplit(page.url).query)["module"] == ["GRU"]
        assert page.is_disabled('input[name="proj_size"]') and page.is_disabled('select[name="nonlinearity"]')
        assert "gru = nn.GRU(3, 5)" in page.inner_text("#lstm-calc-python")
        labels = page.locator("#lstm-calc-picture svg text").all_text_contents()
        assert "h_n[0]" in labels and not any(label.startswith("c_n") for label in labels), labels

        page.select_option('select[name="module"]', "LSTMCell")
        page.fill('input[name="input_shape"]', "4, 3")
        shown = read_calculator(page)
        assert shown == {"input": "(4, 3)", "h_0": "(4, 5)", "c_0": "(4, 5)", "h_n": "(4, 5)", "c_n": "(4, 5)"}, shown
        assert page.is_disabled('input[name="num_layers"]') and page.is_disabled('input[name="batch_first"]')
        assert page.locator("#lstm-calc-picture svg").count() == 0, "one time step: nothing to draw"
        page.fill('input[name="input_shape"]', "7, 4, 3")
        with pytest.raises(ValueError) as refused:
            nn.LSTMCell(3, 5)(torch.zeros(7, 4, 3))
        assert str(refused.value) in read_calculator(page)["error"]

        page.select_option('select[name="module"]', "RNNCell")
        page.select_option('select[name="nonlinearity"]', "relu")
        page.fill('input[name="input_shape"]', "3")
        assert read_calculator(page) == {"input": "(3,)", "h_0": "(5,)", "h_n": "(5,)"}
        assert "cell = nn.RNNCell(3, 5, nonlinearity='relu')" in page.inner_text("#lstm-calc-python")
        page.reload(wait_until="load")
        assert page.input_value('select[name="module"]') == "RNNCell" and page.input_value('select[name="nonlinearity"]') == "relu"
        assert "nn.RNNCell" in page.inner_text("#lstm-calc-findings"), "the findings say where to check other modules"

    v = visit(tabs, site.url("calculator/"), action=use)
    assert v.console_errors == []
