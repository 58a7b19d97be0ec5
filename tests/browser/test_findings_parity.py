"""The calculator's findings (window.lstmFindings) against Python's diagnose, word for word, and on the page."""

from __future__ import annotations

import random

from docs_tools.browser.pageload import visit
from lstm_explained import LSTMConfig, diagnose

CALLS = 600


def random_call(rng: random.Random) -> dict:
    """Returns a random call from shapes alone, sound or not: module, input, state and batch size, near the usual ones."""
    hidden = rng.randint(1, 6)
    cfg = LSTMConfig(
        input_size=rng.randint(1, 4), hidden_size=hidden, num_layers=rng.randint(1, 3), bidirectional=rng.random() < 0.4,
        proj_size=0 if rng.random() < 0.6 else rng.randint(0, hidden - 1), batch_first=rng.random() < 0.5,
    )
    ndim = rng.choices([0, 1, 2, 3, 4], weights=[1, 3, 20, 71, 5])[0]
    x = [rng.choice([1, 1, 2, 3, 5, 7]) if rng.random() > 0.04 else 0 for _ in range(ndim)]
    if x and rng.random() < 0.8:
        x[-1] = cfg.input_size
    batched = len(x) == 3
    batch = (x[0] if cfg.batch_first else x[1]) if batched else None
    h, c = cfg.state_shapes(batch)
    roll = rng.random()
    if roll < 0.3:
        hx = cx = None
    elif roll < 0.5:  # the right state, or the misread one, or a typical mistake
        h, c = list(h), list(c)
        for part in (h, c):
            if rng.random() < 0.5:
                i = rng.randrange(len(part))
                part[i] = rng.choice([1, 2, 3, 4, 5, 7, 2 * part[i]])
        hx, cx = h, c
    elif roll < 0.65:  # batch-first order, or a dimension dropped or added
        hx = list(h)
        if len(hx) == 3 and rng.random() < 0.5:
            hx = [hx[1], hx[0], hx[2]]
        elif rng.random() < 0.5:
            hx = hx[1:]
        else:
            hx = [1] + hx
        cx = list(c) if rng.random() < 0.5 else hx
    elif roll < 0.8:  # h without c
        hx, cx = [rng.randint(0, 4) for _ in range(rng.randint(0, 4))], None
    else:
        hx = [rng.randint(1, 7) for _ in range(rng.randint(1, 4))]
        cx = [rng.randint(1, 7) for _ in range(rng.randint(1, 4))]
    roll = rng.random()  # no batch size, the one PyTorch reads, another dimension, or anything
    other = rng.choice(x) if x else 1
    batch_size = None if roll < 0.4 else batch if roll < 0.7 else other if roll < 0.85 else rng.randint(0, 8)
    return {"config": dict(cfg.__dict__), "x": x, "hx": hx, "cx": cx, "batch_size": batch_size}


def python_findings(call: dict) -> list[dict]:
    """Returns what diagnose says about the call, as the calculator returns it."""
    hx = None if call["hx"] is None else (tuple(call["hx"]) if call["cx"] is None else (tuple(call["hx"]), tuple(call["cx"])))
    found = diagnose(LSTMConfig(**call["config"]), tuple(call["x"]), hx, batch_size=call["batch_size"])
    return [{"code": f.code, "severity": f.severity, "message": f.message, "pytorch_error": f.pytorch_error} for f in found]


def test_the_calculator_says_what_diagnose_says(calculator):
    rng = random.Random(20261129)
    calls = [random_call(rng) for _ in range(CALLS)]
    script = "calls => calls.map(c => window.lstmFindings(c.config, c.x, c.hx, c.cx, c.batch_size))"
    answers = calculator.page.evaluate(script, calls)  # one evaluation for every call
    assert calculator.errors == []
    expected = [python_findings(call) for call in calls]
    mismatches = [(c, e, a) for c, e, a in zip(calls, expected, answers, strict=True) if e != a]
    assert not mismatches, "\n".join(f"{c}\n  python: {e}\n  js:     {a}" for c, e, a in mismatches[:5])
    # The sample covers sound calls, notes, warnings and errors, and most codes.
    kinds = {f["severity"] for found in expected for f in found}
    codes = {f["code"] for found in expected for f in found}
    assert sum(not found for found in expected) >= CALLS // 10
    assert kinds == {"error", "warning", "note"}, kinds
    assert len(codes) >= 13, codes


def test_the_calculator_shows_the_findings_of_the_call(tabs, site):
    query = "input_size=3&hidden_size=5&batch_first=true&input_shape=7,1,3&h0_shape=1,7,5&c0_shape=1,7,5"
    cfg = LSTMConfig(3, 5, batch_first=True)

    def use(page):
        box = page.locator("#lstm-calc-findings")
        (note,) = diagnose(cfg, (7, 1, 3), ((1, 7, 5), (1, 7, 5)))
        assert box.locator("li").count() == 1
        assert " ".join(box.locator("li").inner_text().split()) == f"note [batch-first-swap] {note.message}"
        page.fill('input[name="batch_size"]', "1")
        (warning,) = diagnose(cfg, (7, 1, 3), ((1, 7, 5), (1, 7, 5)), batch_size=1)
        assert box.locator("li").inner_text().startswith("warning [batch-first-swap] batch_size=1")
        assert warning.message in box.locator("li").inner_text()
        page.fill('input[name="batch_size"]', "7")
        assert box.locator("li").count() == 0 and "No findings." in box.inner_text()
        page.fill('input[name="h0_shape"]', "7, 1, 5")
        codes = box.locator("li").evaluate_all("items => items.map(i => i.dataset.code)")
        assert codes == [f.code for f in diagnose(cfg, (7, 1, 3), ((7, 1, 5), (1, 7, 5)), batch_size=7)] == ["state-batch-first"]
        assert "batch_size=7" in page.url
        # "()" is an empty tuple, as PyTorch reads hx=(): it fails at hx[0], and the calculator says so, c_0 or not.
        page.fill('input[name="c0_shape"]', "")
        page.fill('input[name="h0_shape"]', "()")
        (empty,) = [f for f in diagnose(cfg, (7, 1, 3), (), batch_size=7) if f.severity == "error"]
        assert empty.pytorch_error == "IndexError: tuple index out of range"
        assert " ".join(box.locator("li").first.inner_text().split()) == f"error [{empty.code}] {empty.message}"

    v = visit(tabs, site.url("calculator/?" + query), action=use)
    assert v.console_errors == []


def random_fields(rng: random.Random) -> dict:
    """Returns what a user might type in the calculator's fields: numbers, shapes, blanks and junk."""

    def text(shape: bool) -> str:
        roll = rng.random()
        if roll < 0.15:
            return ""
        if roll < 0.25:
            return rng.choice(["x", "-1", "2.5", "(", "1,,2", "torch.Size([2, 3])", " 7 ", "1e3", "[]", "0"])
        if shape:
            return ", ".join(str(rng.randint(0, 7)) for _ in range(rng.randint(0, 4)))
        return str(rng.randint(0, 7))

    fields = {name: text(False) for name in ("input_size", "hidden_size", "num_layers", "proj_size", "batch_size")}
    fields.update({name: text(True) for name in ("input_shape", "h0_shape", "c0_shape")})
    fields.update(bidirectional=rng.random() < 0.5, batch_first=rng.random() < 0.5)
    return fields


def test_the_calculator_never_fails_on_what_users_type(calculator):
    rng = random.Random(7)
    entries = [random_fields(rng) for _ in range(300)]
    script = """entries => entries.map(entry => {
        const form = document.getElementById("lstm-calculator");
        for (const [name, value] of Object.entries(entry)) {
            const field = form.elements[name];
            if (field.type === "checkbox") field.checked = value; else field.value = value;
        }
        form.dispatchEvent(new Event("input", {bubbles: true}));
        return document.getElementById("lstm-calc-findings").innerText;
    })"""

    shown = calculator.page.evaluate(script, entries)  # one evaluation; an exception in a handler is a page error
    assert calculator.errors == []
    assert sum("diagnose says" in text for text in shown) >= 15, shown[:5]  # most entries hold some junk
