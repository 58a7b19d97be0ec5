"""The figures: well-formed SVG, drawn from the real shapes, and each state where nn.LSTM puts it."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import torch
from mkdocs.config import load_config
from mkdocs.structure.files import Files
from torch import nn

from docs_tools.figure_check import DECLARATION, figure_mismatch
from docs_tools.hooks.figures import themed_images
from lstm_explained import LSTMConfig, expected_shapes
from lstm_explained.figures import dark_name, draw_all, input_layout_svg, site_figures, state_grid_svg

ROOT = Path(__file__).resolve().parent.parent
SVG = "{http://www.w3.org/2000/svg}"

CONFIGS = [
    LSTMConfig(3, 5),
    LSTMConfig(3, 5, batch_first=True),
    LSTMConfig(3, 5, num_layers=3),
    LSTMConfig(3, 5, bidirectional=True),
    LSTMConfig(3, 5, num_layers=2, bidirectional=True, batch_first=True),
    LSTMConfig(3, 5, num_layers=2, bidirectional=True, proj_size=2),
]


def parse(svg: str) -> ET.Element:
    """Returns the root element of an SVG string; raises if it is not well-formed XML."""
    return ET.fromstring(svg)


def rects(root: ET.Element, cls: str) -> list[ET.Element]:
    """Returns the <rect>s whose class list contains every word of ``cls``."""
    want = set(cls.split())
    return [r for r in root.iter(SVG + "rect") if want <= set(r.get("class", "").split())]


def texts(root: ET.Element) -> list[str]:
    return ["".join(t.itertext()) for t in root.iter(SVG + "text")]


@pytest.mark.parametrize("figure", site_figures(), ids=lambda f: f.name)
def test_every_site_figure_is_accessible_svg(figure):
    root = parse(figure.draw())
    assert root.tag == SVG + "svg"
    assert root.get("role") == "img"
    title, desc = root.find(SVG + "title"), root.find(SVG + "desc")
    assert title is not None and title.text and desc is not None and desc.text
    assert set(root.get("aria-labelledby").split()) == {title.get("id"), desc.get("id")}
    assert len(figure.alt) > 40, "alt text should say what the figure shows"
    assert figure.name.endswith(".svg") and re.fullmatch(r"[a-z0-9-]+\.svg", figure.name)


@pytest.mark.parametrize("figure", site_figures(), ids=lambda f: f.name)
def test_figures_come_in_a_light_and_a_dark_version_with_no_external_reference(figure):
    light, dark = figure.draw("light"), figure.draw("dark")
    assert light != dark and light == figure.draw()
    assert "#ffffff" in light and "#1e2029" in dark  # each carries its own background
    for svg in (light, dark):
        assert "prefers-color-scheme" not in svg, "the site's toggle picks the version, not the OS setting"
        assert "http://" not in svg.replace('xmlns="http://www.w3.org/2000/svg"', "")
        assert "https://" not in svg
    with pytest.raises(ValueError, match="theme"):
        figure.draw("sepia")


def test_pages_show_the_version_the_site_toggle_picks():
    out = themed_images("Text.\n\n![A grid: output[0] to output[4].](figures/layers-three-layers.svg)\n")
    assert out == (
        "Text.\n\n![A grid: output[0] to output[4].](figures/layers-three-layers.svg#only-light)"
        "![A grid: output[0] to output[4].](figures/layers-three-layers-dark.svg#only-dark)\n"
    )
    for page in (ROOT / "docs").rglob("*.md"):  # every figure a page shows gets its pair
        text = page.read_text()
        assert themed_images(text).count("#only-dark)") == text.count("](figures/"), page.name


@pytest.mark.parametrize("cfg", CONFIGS, ids=repr)
def test_state_cells_are_labelled_with_layer_and_time_step(cfg):
    labels = texts(parse(state_grid_svg(cfg, 3)))
    for layer in range(cfg.num_layers):
        assert {f"layer {layer}, t={t}" for t in range(3)} <= set(labels)
    assert not [label for label in labels if re.fullmatch(r"h\d+\[\d+\]", label)], "h0[3] reads as a time index"


@pytest.mark.parametrize("cfg", CONFIGS, ids=repr)
@pytest.mark.parametrize("seq_len", [1, 4])
def test_state_grid_has_one_cell_per_layer_direction_and_step(cfg, seq_len):
    root = parse(state_grid_svg(cfg, seq_len))
    D, K = cfg.num_directions, cfg.num_layers
    assert len(rects(root, "cell state")) == K * D * seq_len
    assert len(rects(root, "cell state output")) == D * seq_len, "output is the top layer only"
    assert {r.get("data-layer") for r in rects(root, "cell state output")} == {str(K - 1)}
    assert len(rects(root, "cell state final")) == K * D
    assert len(rects(root, "cell input")) == seq_len
    labels = texts(root)
    assert [label for label in labels if label.startswith("h_n[")] == [f"h_n[{k}]" for k in range(K * D)]
    assert {f"h_0[{k}]" for k in range(K * D)} <= set(labels)
    assert {f"t = {t}" for t in range(seq_len)} <= set(labels)


@pytest.mark.parametrize("cfg", CONFIGS, ids=repr)
def test_state_grid_prints_the_shapes_expected_shapes_gives(cfg):
    seq_len, batch = 4, 2
    shapes = expected_shapes(cfg, (batch, seq_len, 3) if cfg.batch_first else (seq_len, batch, 3))
    labels = texts(parse(state_grid_svg(cfg, seq_len, batch=batch)))
    for key in ("output", "h_n", "c_n"):
        assert any(label.startswith(key + " (") and label.endswith(str(tuple(getattr(shapes, key)))) for label in labels), key


@pytest.mark.parametrize("cfg", CONFIGS, ids=repr)
def test_state_grid_outlines_the_steps_that_really_are_h_n(cfg):
    """The outlined top-layer cells are the output positions a real nn.LSTM's h_n equals."""
    seq_len = 4
    torch.manual_seed(0)
    lstm = nn.LSTM(cfg.input_size, cfg.hidden_size, num_layers=cfg.num_layers, bidirectional=cfg.bidirectional,
                   proj_size=cfg.proj_size, batch_first=cfg.batch_first)
    x = torch.randn(2, seq_len, 3) if cfg.batch_first else torch.randn(seq_len, 2, 3)
    with torch.no_grad():
        output, (h_n, _) = lstm(x)
    if cfg.batch_first:
        output = output.transpose(0, 1)  # (L, N, D*H_out)
    root = parse(state_grid_svg(cfg, seq_len))
    D, H = cfg.num_directions, cfg.h_out
    for cell in rects(root, "cell state final output"):
        direction, t = int(cell.get("data-direction")), int(cell.get("data-t"))
        k = (cfg.num_layers - 1) * D + direction
        assert torch.equal(output[t, :, direction * H : (direction + 1) * H], h_n[k]), (direction, t)


def test_state_grid_rejects_an_empty_sequence():
    with pytest.raises(ValueError, match="seq_len"):
        state_grid_svg(LSTMConfig(3, 5), 0)


@pytest.mark.parametrize(
    "cfg, shape, batch, seq_len",
    [
        (LSTMConfig(3, 5, batch_first=True), (7, 1, 3), 7, 1),  # the seed's call
        (LSTMConfig(3, 5), (7, 1, 3), 1, 7),
        (LSTMConfig(3, 5, batch_first=True), (2, 5, 3), 2, 5),
    ],
)
def test_input_layout_reads_the_shape_as_nn_lstm_does(cfg, shape, batch, seq_len):
    root = parse(input_layout_svg(cfg, shape))
    cells = rects(root, "cell input")
    assert len(cells) == batch * seq_len
    assert {int(c.get("data-n")) for c in cells} == set(range(batch))
    assert {int(c.get("data-t")) for c in cells} == set(range(seq_len))
    labels = texts(root)
    index = (lambda n, t: f"x[{n}, {t}]") if cfg.batch_first else (lambda n, t: f"x[{t}, {n}]")
    assert {index(n, t) for n in range(batch) for t in range(seq_len)} <= set(labels)
    assert [label for label in labels if label.startswith("sequence ")] == [f"sequence {n}" for n in range(batch)]
    assert any(f"{batch} sequence" in label and f"length {seq_len}" in label for label in labels)


def test_input_layout_refuses_what_nn_lstm_refuses():
    with pytest.raises(ValueError, match="input_size"):
        input_layout_svg(LSTMConfig(3, 5), (7, 1, 4))
    with pytest.raises(ValueError, match="3-D"):
        input_layout_svg(LSTMConfig(3, 5), (7, 3))


def test_mkdocs_yml_registers_the_hook_that_adds_every_figure():
    config = load_config(str(ROOT / "mkdocs.yml"))
    files = config.plugins.on_files(Files([]), config=config)  # every plugin and hook, as a build runs them
    added = {f.src_uri: f.content_string for f in files if f.src_uri.startswith("figures/")}
    assert set(added) == {f"figures/{name}" for fig in site_figures() for name in (fig.name, dark_name(fig.name))}
    assert all(f.generated_by == "docs_tools/hooks/figures.py" for f in files if f.src_uri in added)
    assert all(content.startswith("<svg") for content in added.values())
    assert added == {f"figures/{name}": svg for name, svg in draw_all().items()}


def test_pages_use_only_figures_that_exist_and_give_them_alt_text():
    names = {fig.name for fig in site_figures()}
    used = {}
    for page in (ROOT / "docs").rglob("*.md"):
        for alt, name in re.findall(r"!\[(.*?)\]\(figures/([^)\s]+)\)", page.read_text()):
            used[name] = used.get(name, []) + [page.name]
            assert name in names, f"{page.name} uses figures/{name}, which no figure draws"
            assert len(alt) > 30, f"{page.name}: figures/{name} needs alt text that says what it shows"
    assert not (ROOT / "docs" / "figures").exists(), "figures are generated at build time, not committed"
    assert set(used) == names, "every figure is shown, on one page"
    assert all(len(pages) == 1 for pages in used.values()), f"a figure draws one page's code: {used}"


def test_every_figure_is_declared_with_the_code_it_draws_right_before_it():
    """The declaration names the module and input of the examples; the docs run checks them (docs_tools.figure_check)."""
    for page in (ROOT / "docs").rglob("*.md"):
        lines = page.read_text().split("\n")
        for i, line in enumerate(lines):
            shown = re.match(r"!\[.*?\]\(figures/([^)\s]+)\)", line)
            if shown:
                declared = DECLARATION.fullmatch(lines[i - 1].strip()) if i else None
                assert declared and declared["name"] == shown[1], (
                    f"{page.name}:{i + 1}: declare figures/{shown[1]} on the line before it, as "
                    f"<!-- figure: {shown[1]} module=VAR input=VAR --> (WRITING.md)"
                )


@pytest.mark.parametrize("figure", site_figures(), ids=lambda f: f.name)
def test_a_figure_matches_only_its_own_module_and_input(figure):
    cfg = figure.cfg

    def module(**change):
        options = dict(num_layers=cfg.num_layers, bidirectional=cfg.bidirectional, proj_size=cfg.proj_size,
                       batch_first=cfg.batch_first, bias=cfg.bias)
        options.update(change)
        sizes = dict(input_size=options.pop("input_size", cfg.input_size), hidden_size=options.pop("hidden_size", cfg.hidden_size))
        return nn.LSTM(**sizes, **options)

    x = torch.zeros(figure.input_shape)
    assert figure_mismatch(figure, module(), x) is None
    for change in [dict(batch_first=not cfg.batch_first), dict(num_layers=cfg.num_layers + 1),
                   dict(bidirectional=not cfg.bidirectional), dict(hidden_size=cfg.hidden_size + 1),
                   dict(input_size=cfg.input_size + 1), dict(bias=not cfg.bias)]:
        message = figure_mismatch(figure, module(**change), x)
        assert message and next(iter(change)) in message, change
    longer = list(figure.input_shape)
    longer[1 if cfg.batch_first else 0] += 1  # one more time step
    assert "input has shape" in figure_mismatch(figure, module(), torch.zeros(longer))
    assert "module='GRU' (figure: 'LSTM')" in figure_mismatch(figure, nn.GRU(3, 5), x)
    assert "expected nn.LSTM, nn.GRU" in figure_mismatch(figure, nn.Linear(3, 5), x)


def test_a_page_whose_figure_draws_other_code_fails(tmp_path):
    """The check the site relies on, end to end: a deliberately mismatched figure fails its page."""
    from docs_tools.collect import run_page

    code = """```python
>>> import torch
>>> from torch import nn
>>> _ = torch.manual_seed(0)
>>> lstm = nn.LSTM(3, 5{options})
>>> x = torch.randn({shape})
```

<!-- figure: bulk-vs-loop-one-layer.svg module=lstm input=x -->
![One layer of six hidden states, drawn for the module and input above.](figures/bulk-vs-loop-one-layer.svg)
"""
    page = tmp_path / "page.md"
    page.write_text(code.format(options="", shape="6, 2, 3"))
    assert run_page(page).failures == []
    page.write_text(code.format(options=", batch_first=True", shape="2, 6, 3"))  # batch first beside a time-major figure
    failures = run_page(page).failures
    assert len(failures) == 1 and "batch_first=True (figure: False)" in failures[0]
    page.write_text(code.format(options="", shape="7, 2, 3"))  # another L
    failures = run_page(page).failures
    assert len(failures) == 1 and "input has shape (7, 2, 3) (figure: (6, 2, 3))" in failures[0]
