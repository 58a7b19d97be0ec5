"""The README's ``>>>`` examples run and print what they show (the README is not a docs page, so Sybil does not collect it)."""

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
