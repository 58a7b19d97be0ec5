"""docs_tools/hooks/site.py on its own: the footer line, llms.txt's sections from the nav, the link-preview picture."""

from __future__ import annotations

from importlib.metadata import version
from types import SimpleNamespace

from docs_tools.hooks import site


def test_footer_line_names_this_torch_and_the_build_date(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01 00:00 UTC
    line = site.checked_with()
    assert line == f"Every output on this site checked with PyTorch {version('torch')} on 2026-01-01."


def test_nav_sections_keep_the_nav_order_and_every_page():
    nav = [{"Home": "index.md"}, "loose.md",
           {"Guide": [{"One": "a.md"}, {"Nested": [{"Two": "b.md"}, "c.md"]}]}, {"Reference": "api.md"}]
    assert site.nav_sections(nav) == {"Home": ["index.md"], "loose.md": ["loose.md"],
                                      "Guide": ["a.md", "b.md", "c.md"], "Reference": ["api.md"]}


def test_social_card_is_a_png_of_the_announced_size():
    png = site.draw_card("Title", "A subtitle long enough to wrap onto a second line of the card, and more.")
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert int.from_bytes(png[16:20], "big") == site.WIDTH and int.from_bytes(png[20:24], "big") == site.HEIGHT


def test_templates_compile_into_jinja_s_own_cache_one_folder_per_jinja(tmp_path):
    import jinja2

    config = SimpleNamespace(config_file_path=str(tmp_path / "mkdocs.yml"))
    env = site.on_env(jinja2.Environment(loader=jinja2.DictLoader({"t.html": "{{ 1 + 1 }}"})), config, files=None)
    assert env.get_template("t.html").render() == "2"
    folder = tmp_path / ".cache" / "jinja"
    assert [p.name.split("-py")[0] for p in folder.iterdir()] == [jinja2.__version__]
    assert len(list(next(folder.iterdir()).iterdir())) == 1  # the compiled template
