"""The README's ``>>>`` examples run and print what they show (the README is not a docs page, so Sybil does not collect it),
and CONTRIBUTING.md's layout names every module."""

from __future__ import annotations

import doctest
import re
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"


def test_readme_examples():
    blocks = re.findall(r"^```python\n(.*?)^```", README.read_text(), flags=re.S | re.M)
    examples = [block for block in blocks if ">>>" in block]
    assert examples, "the README shows diagnose with batch_size as a checked example"
    parser, runner = doctest.DocTestParser(), doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
    for i, block in enumerate(examples):
        runner.run(parser.get_doctest(block, {}, f"README.md example {i}", str(README), 0))
    assert runner.summarize(verbose=False).failed == 0


def test_contributing_names_every_module_in_its_layout():
    """The layout in CONTRIBUTING.md names every module of the package and of the tooling (it had drifted before)."""
    root = README.parent
    text = (root / "CONTRIBUTING.md").read_text()
    layout = re.search(r"## Layout\n\n```\n(.*?)```", text, re.S).group(1)
    named = set(re.findall(r"[\w/]+\.py|[\w]+/", layout))
    modules = [p for folder in ("lstm_explained", "docs_tools") for p in (root / folder).rglob("*.py") if p.name != "__init__.py"]
    missing = [p.relative_to(root).as_posix() for p in modules
               if p.name not in named and f"{p.parent.name}/" not in named - {"lstm_explained/", "docs_tools/"}]
    assert not missing, f"CONTRIBUTING.md's layout does not name {missing}"
