"""Copy that pastes: what the copy button of each code block puts on the real clipboard."""

from __future__ import annotations

import doctest

import pytest

from docs_tools.browser.pageload import visit
from lstm_explained import expected_shapes

SENTINEL = "clipboard not written yet"


def runnable(text: str) -> str:
    """Returns what a block should copy: Python's doctest reading of its source, or the block itself."""
    if not text.lstrip().startswith(">>>"):
        return text.rstrip()
    return "".join(example.source for example in doctest.DocTestParser().get_examples(text)).rstrip()


def copy_every_block(page, limit_each_kind: int | None = None) -> list[tuple[str, str]]:
    """Returns (block text, clipboard text) for code blocks copied with their own copy button.

    All of them, or the first ``limit_each_kind`` doctest blocks and plain blocks.
    """
    copied, taken = [], {True: 0, False: 0}
    blocks = page.locator("article .highlight pre:has(> code)")
    for i in range(blocks.count()):
        block = blocks.nth(i)
        kind = (block.locator("code").text_content() or "").startswith(">>>")
        if limit_each_kind is not None:
            if taken[kind] >= limit_each_kind:
                continue
            taken[kind] += 1
        page.evaluate("text => navigator.clipboard.writeText(text)", SENTINEL)
        block.hover()
        block.locator("[data-clipboard-target]").click()
        page.wait_for_function("sentinel => navigator.clipboard.readText().then(t => t !== sentinel)", arg=SENTINEL, timeout=5_000)
        copied.append((block.locator("code").text_content(), page.evaluate("() => navigator.clipboard.readText()")))
    return copied


@pytest.fixture(scope="module")
def copied(visits):
    """Returns {page URL: [(block text, what its copy button copies), ...]} for every page, read in the page sweep."""
    return {url: [tuple(pair) for pair in v.info["copies"]] for url, v in visits.items()}


def test_the_copy_button_puts_that_on_the_real_clipboard(tabs, copied, visits):
    """What the sweep read from each block is what a click on its copy button really puts on the clipboard.

    Clicked on the first doctest block and the first plain block of the two lightest pages that have
    both (the wiring is the same on every page); every other block is checked through what the sweep read.
    """
    both_kinds = [url for url, pairs in sorted(copied.items()) if {text.startswith(">>>") for text, _ in pairs} == {True, False}]
    pages = sorted(both_kinds, key=lambda url: visits[url].weight)[:2]
    assert len(pages) == 2, "two pages with a doctest block and a plain block"
    clicked = {}
    for url in pages:

        def copy(page, url=url):
            clicked[url] = copy_every_block(page, limit_each_kind=1)

        visit(tabs, url, action=copy, permissions=["clipboard-read", "clipboard-write"])
    for url in pages:
        kinds = {text.startswith(">>>") for text, _ in clicked[url]}
        assert kinds == {True, False}, f"{url}: a doctest block and a plain block were clicked"
        for text, clipboard in clicked[url]:
            assert (text, clipboard) in copied[url], f"{url}: the click copied what the sweep did not read"


def test_the_site_has_doctest_blocks_and_other_blocks(copied):
    blocks = [text for pairs in copied.values() for text, _ in pairs]
    assert sum(text.startswith(">>>") for text in blocks) >= 20
    assert any(not text.startswith(">>>") for text in blocks), "no plain code block to check"


def test_every_copy_button_copies_runnable_code(copied):
    """Doctest blocks copy their source without prompts or output; other blocks copy unchanged."""
    wrong = [
        f"{url}:\n--- block\n{text}\n--- clipboard\n{clipboard}"
        for url, pairs in copied.items()
        for text, clipboard in pairs
        if clipboard != runnable(text)
    ]
    assert not wrong, "\n".join(wrong[:5])


def test_copied_doctest_code_compiles_and_has_no_prompt_left(copied):
    for url, pairs in copied.items():
        for text, clipboard in pairs:
            if text.startswith(">>>"):
                assert ">>> " not in clipboard and not any(line.startswith("... ") for line in clipboard.splitlines())
                compile(clipboard, f"copied from {url}", "exec")


def test_the_quick_start_runs_as_pasted(copied, site):
    """The first block of the home page, pasted into Python, runs and defines what the page prints next."""
    first_block = copied[site.url("")][0][1]
    namespace: dict = {}
    exec(compile(first_block, "pasted", "exec"), namespace)
    assert namespace["output"].shape == expected_shapes(namespace["lstm"], namespace["x"].shape).output
