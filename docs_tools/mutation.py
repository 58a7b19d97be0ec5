"""Mutation of a printed output: the one-character change that every checked output must fail on.

A digit moves by 5 (so a float moves by 5 units of its last printed digit, more than the
checker's tolerance), ``True`` and ``False`` swap; an output with neither gets one letter changed
(ROT13), and one with no letter either one other character. ``...`` and ``<BLANKLINE>`` are never
changed. The change is drawn from a generator seeded with the output itself, so the same output
always gets the same change.
"""

from __future__ import annotations

import random
import re
from typing import NamedTuple

_TARGET = re.compile(r"\d|\bTrue\b|\bFalse\b")
_LETTER = re.compile(r"[A-Za-z]")
_OTHER = re.compile(r"[^\s.]")  # the last resort: "[]" becomes "#]"
_PROTECTED = re.compile(r"\.\.\.|<BLANKLINE>|^\s*Traceback \(most recent call last\):$", re.M)


class Mutation(NamedTuple):
    """One changed character of an output: where, what it was, and what it became."""

    offset: int
    before: str
    after: str

    def apply(self, text: str) -> str:
        """Returns ``text`` with this change made."""
        return text[: self.offset] + self.after + text[self.offset + len(self.before) :]


def mutate(want: str) -> Mutation | None:
    """Returns one change of the expected output ``want``, or None when nothing in it may be changed."""
    rng = random.Random(want)
    protected = [range(m.start(), m.end()) for m in _PROTECTED.finditer(want)]
    free = lambda m: not any(m.start() in r for r in protected)  # noqa: E731
    for pattern in (_TARGET, _LETTER, _OTHER):
        candidates = [m for m in pattern.finditer(want) if free(m)]
        if candidates:
            m = rng.choice(candidates)
            old = m.group()
            if old in ("True", "False"):
                new = "False" if old == "True" else "True"
            elif old.isdigit():
                new = str((int(old) + 5) % 10)
            elif not old.isalpha():
                new = "#"
            else:
                base = ord("a") if old.islower() else ord("A")
                new = chr(base + (ord(old) - base + 13) % 26)
            return Mutation(m.start(), old, new)
    return None
