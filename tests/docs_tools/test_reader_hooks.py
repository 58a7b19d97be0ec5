"""The MkDocs hooks in docs_tools/hooks/ that serve readers: figures, math, notebooks, the footer line, the social card."""

from __future__ import annotations

import re
from importlib.metadata import version

from docs_tools.hooks import build_facts, readers, social_card


def test_figures_get_a_scroll_box_and_a_link_to_the_full_svg():
    page = '<p><img alt="A grid" src="../figures/grid.svg" /></p>'
    out = readers.wrap_figures(page, "layers-directions/")
    assert out == ('<p><span class="figure-scroll"><a class="figure-scroll__link" href="../figures/grid.svg" '
                   'title="Open the figure at full size"><img alt="A grid" src="../figures/grid.svg" /></a></span></p>')


def test_a_chart_with_a_dark_twin_shows_one_per_scheme():
    readers._dark_twins.clear()
    readers._dark_twins.add("performance/cpu.svg")
    try:
        out = readers.wrap_figures('<img alt="Times" src="cpu.svg" />', "performance/")
    finally:
        readers._dark_twins.clear()
    assert 'class="figure-scroll figure-scroll--light"' in out and 'src="cpu.svg#only-light"' in out
    assert 'class="figure-scroll figure-scroll--dark"' in out and 'src="cpu-dark.svg#only-dark"' in out
    assert out.count('alt="Times"') == 2


def test_the_dark_chart_keeps_data_colours_and_drops_the_white_panel():
    svg = '<svg width="10"><path style="fill: #ffffff"/><path style="stroke: #000000"/><path style="fill: #1f77b4"/></svg>'
    dark = readers.dark_chart(svg)
    assert "#ffffff" not in dark and "#000000" not in dark and "#1f77b4" in dark
    assert dark.startswith(f'<svg fill="{readers.DARK_INK}"')


def test_block_math_scrolls_in_a_focusable_box_and_inline_math_is_left_alone():
    page = '<p><math display="inline"><mi>x</mi></math></p><math display="block"><mi>y</mi></math>'
    out = readers.wrap_block_math(page)
    assert out.count('class="math-scroll" tabindex="0"') == 1
    assert '<p><math display="inline"><mi>x</mi></math></p>' in out


def test_notebook_code_cells_take_focus():
    out = readers.focusable_notebook_code('<div class="highlight-ipynb hl-python"><pre>x</pre></div>')
    assert 'tabindex="0"' in out


def test_footer_line_names_this_torch_and_the_build_date(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01 00:00 UTC
    line = build_facts.checked_with()
    assert line == f"Every output on this site checked with PyTorch {version('torch')} on 2026-01-01."
    config = build_facts.on_config({"copyright": "© us"})
    assert config["copyright"] == f"© us · {line}"


def test_social_card_is_a_png_of_the_announced_size():
    png = social_card.draw("Title", "A subtitle long enough to wrap onto a second line of the card, and more.")
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert int.from_bytes(png[16:20], "big") == social_card.WIDTH and int.from_bytes(png[20:24], "big") == social_card.HEIGHT


def test_math_keeps_its_tex_as_alttext():
    from docs_tools.hooks.mathml import tex_to_mathml

    mathml = tex_to_mathml(r"h_t = o_t \odot \tanh(c_t)", display=True)
    assert re.match(r'<math alttext="h_t = o_t \\odot \\tanh\(c_t\)"', mathml), mathml[:80]


def test_social_card_is_drawn_once_then_read_back(tmp_path):
    made = []
    make = lambda: made.append(1) or b"png one"
    assert social_card.cached_card(tmp_path, "key1", make) == social_card.cached_card(tmp_path, "key1", make) == b"png one"
    assert made == [1]
    assert social_card.cached_card(tmp_path, "key2", lambda: b"png two") == b"png two"
    assert [p.name for p in tmp_path.iterdir()] == ["key2.png"]  # the old key's card is gone
    assert social_card.cached_card(tmp_path / "fresh", "key") == social_card.draw(social_card.TITLE, social_card.SUBTITLE)


def test_social_card_key_follows_the_drawing_and_pillow(tmp_path, monkeypatch):
    hook = tmp_path / "social_card.py"
    hook.write_text("TITLE = 'one'\n")
    first = social_card.card_key(hook)
    assert social_card.card_key(hook) == first
    hook.write_text("TITLE = 'two'\n")
    other_drawing = social_card.card_key(hook)
    monkeypatch.setattr(social_card.metadata, "version", lambda name: "0.0.1")
    assert len({first, other_drawing, social_card.card_key(hook)}) == 3
