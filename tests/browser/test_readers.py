"""The site for every reader: axe-core in both colour schemes, phones, and the calculator with the keyboard alone.

The audit (docs_tools/browser/audit.py) loads each page once, runs the pinned axe-core (WCAG 2.x A
and AA, and axe's best practices) in the light scheme and its colour rules in the dark one, then
narrows the window to a 375 px phone.
"""

from __future__ import annotations

import pytest

from docs_tools.browser.audit import AXE, DESKTOP, MARK_TEXT_SAMPLES, PHONE, RUN_AXE, SCHEMES, SERIOUS
from docs_tools.browser.pageload import visit

MOST_CODE_BLOCKS_SCROLLING = 0.40  # share of code blocks that may scroll sideways on a phone
LONGEST_ANNOUNCEMENT = 120  # characters the calculator's status line may say at once


@pytest.mark.parametrize("scheme", SCHEMES)
def test_axe_finds_nothing_serious(audits, scheme):
    """No serious or critical axe-core finding on any page, theme and notebook pages included."""
    found = {url: [f"{v['id']} ({v['impact']}): {len(v['nodes'])} nodes, e.g. {v['nodes'][:2]}" for v in a.axe[scheme]]
             for url, a in audits.items() if a.axe.get(scheme)}
    assert found == {}


LARGE_PAGE = 1000  # text elements: from there, a page checks under one in ten


def test_colour_contrast_checks_far_fewer_elements_than_the_pages_hold(audits):
    """The point of sampling (audit.MARK_TEXT_SAMPLES): under one text element in ten checked, in each scheme.

    Over the whole site, and on each page of at least LARGE_PAGE text elements (most of the guide pages).
    """
    for scheme in SCHEMES:
        samples = {url: a.text_samples[scheme] for url, a in audits.items()}
        assert all(s["checked"] > 0 for s in samples.values()), {url: s for url, s in samples.items() if not s["checked"]}
        large = {url: s for url, s in samples.items() if s["elements"] >= LARGE_PAGE}
        assert len(large) >= 10, large
        assert {url: s for url, s in large.items() if s["checked"] * 10 >= s["elements"]} == {}, scheme
        checked, elements = (sum(s[key] for s in samples.values()) for key in ("checked", "elements"))
        assert checked * 10 < elements, (scheme, checked, elements)


# Makes faint the last visible element with words of its own of each selector; returns their CSS selectors.
FAINT = """(selectors) => selectors.map((selector, i) => {
  // axe skips punctuation
  const words = Array.from(document.querySelectorAll(selector))
    .filter((el) => Array.from(el.childNodes).some((n) => n.nodeType === 3 && /[A-Za-z]{3}/.test(n.textContent))
                    && el.getClientRects().length && getComputedStyle(el).visibility === "visible");
  const element = words[words.length - 1];
  element.id = "made-faint-" + i;
  element.style.color = "#e8e8e8";
  return "#" + element.id;
})"""
# A code token, a paragraph and a link of the navigation: each made faint is a look no other element has.
FAINT_SELECTORS = ["article .highlight code span", "article p", ".md-sidebar--primary nav a span"]


def test_one_element_of_each_look_is_enough_to_find_a_faint_one(tabs, site):
    """Colour contrast reads one element of each look: a faint code token, paragraph and link are looks of their own, each found."""
    with tabs.tab(viewport=DESKTOP, color_scheme="light", reduced_motion="reduce", init_script=str(AXE)) as page:
        page.goto(site.url("versions/"), wait_until="load")
        page.evaluate(MARK_TEXT_SAMPLES)
        assert page.evaluate(RUN_AXE, {"rules": ["color-contrast"], "impacts": ["minor", "moderate", "serious", "critical"]}) == []
        faint = page.evaluate(FAINT, FAINT_SELECTORS)
        counts = page.evaluate(MARK_TEXT_SAMPLES)
        found = page.evaluate(RUN_AXE, {"rules": ["color-contrast"], "impacts": list(SERIOUS)})
    assert counts["checked"] < counts["elements"], counts
    assert [(v["id"], sorted(node.split(" :: ")[0] for node in v["nodes"])) for v in found] == [("color-contrast", sorted(faint))], found


def test_no_page_is_wider_than_a_phone(audits):
    wide = {url: a.phone["width"] for url, a in audits.items() if a.phone["width"] > PHONE["width"]}
    assert wide == {}


def test_few_code_blocks_scroll_sideways_on_a_phone(audits):
    blocks = sum(a.phone["blocks"] for a in audits.values())
    sideways = {url: a.phone["sideways"] for url, a in audits.items() if a.phone["sideways"]}
    assert blocks > 100, blocks
    assert sum(map(len, sideways.values())) <= MOST_CODE_BLOCKS_SCROLLING * blocks, sideways


def test_figures_keep_their_size_on_a_phone(audits):
    """Figures are not shrunk to fit a phone (their text would fall under 11 px): they scroll in their own box."""
    shrunk = {url: a.phone["shrunk_figures"] for url, a in audits.items() if a.phone["shrunk_figures"]}
    assert shrunk == {}


# --- The calculator with the keyboard alone ------------------------------------------------------

CONTROLS = ["input_size", "hidden_size", "num_layers", "proj_size", "bidirectional", "batch_first", "input_shape"]

READ_FOCUS = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  const ring = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 1;
  return {name: el.name || el.textContent.trim(), ring: ring || style.boxShadow !== "none"};
}"""

WATCH_STATUS = """() => {
  window.__said = [];
  const status = document.getElementById("lstm-calc-status");
  new MutationObserver(() => window.__said.push(status.textContent)).observe(status, {childList: true, characterData: true, subtree: true});
}"""


def test_calculator_with_the_keyboard_alone(tabs, site):
    def use(page):
        # Every control shows where the focus is, reached with Tab alone.
        page.locator('input[name="input_size"]').focus()
        seen = [page.evaluate(READ_FOCUS)]
        for _ in range(len(CONTROLS)):
            page.keyboard.press("Tab")
            seen.append(page.evaluate(READ_FOCUS))
        assert [s["name"] for s in seen] == CONTROLS + ["Reset"], seen
        assert all(s["ring"] for s in seen), [s for s in seen if not s["ring"]]

        # Typing announces one short line once the typing stops, never the table, never the brief empty field.
        result = page.locator("#lstm-calc-result")
        assert result.get_attribute("aria-live") is None and result.get_attribute("role") is None
        page.evaluate(WATCH_STATUS)
        field = page.locator('input[name="hidden_size"]')
        field.focus()
        page.keyboard.press("End")
        page.keyboard.press("Backspace")  # the field is empty for a moment
        page.keyboard.type("12", delay=60)
        page.wait_for_function("() => window.__said.length > 0")
        said = page.evaluate("() => window.__said")
        assert said == ["output (7, 2, 12), h_n (1, 2, 12), c_n (1, 2, 12)"], said
        assert len(said[0]) <= LONGEST_ANNOUNCEMENT

        # An invalid field says so, and points at the error shown.
        page.fill('input[name="input_size"]', "x")
        bad = page.locator('input[name="input_size"]')
        assert bad.get_attribute("aria-invalid") == "true"
        described = page.locator("#" + bad.get_attribute("aria-describedby"))
        assert "whole number" in described.inner_text()
        page.fill('input[name="input_size"]', "3")
        assert bad.get_attribute("aria-invalid") is None and bad.get_attribute("aria-describedby") is None
        page.fill('input[name="proj_size"]', "12")  # PyTorch refuses: proj_size must be smaller than hidden_size
        proj = page.locator('input[name="proj_size"]')
        assert proj.get_attribute("aria-invalid") == "true"
        assert "proj_size" in page.locator("#" + proj.get_attribute("aria-describedby")).inner_text()
        page.wait_for_function("() => window.__said.length > 1")
        assert page.evaluate("() => window.__said")[-1].startswith("ValueError: ")

    v = visit(tabs, site.url("calculator/"), action=use)
    assert v.console_errors == []
