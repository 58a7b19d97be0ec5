"""Mutation testing of the docs: change one character of each printed output, and see its example fail.

For every ``>>>`` example with an expected output, one character of that output is changed:
a digit (to the digit 5 away, so a float moves by 5 units of its last digit, more than the
checker's tolerance), or ``True``/``False`` (swapped). An output with neither gets one letter
changed (ROT13). The mutated page is written into a temporary copy of docs/ and run through
the same Sybil configuration as ``make test``, in-process.

All of a page's mutations go into one mutated copy, run once: an example's output never
changes what the next example sees (doctest compares it after running the code), so each
mutation is judged exactly as if it were alone. ``one_at_a_time=True`` runs one copy per
mutation instead, to check that claim.

A line that looks printed but belongs to no example's output (after a blank line inside a
``>>>`` fence, say) is never compared to anything: it is reported as uncollected.
"""

from __future__ import annotations

import doctest
import random
import re
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from unittest import SkipTest

from sybil import Sybil
from sybil.example import SybilFailure

from docs_tools.update import FENCE

_TARGET = re.compile(r"\d|\bTrue\b|\bFalse\b")
_LETTER = re.compile(r"[A-Za-z]")
_OTHER = re.compile(r"[^\s.]")  # the last resort: "[]" becomes "#]"
_PROTECTED = re.compile(r"\.\.\.|<BLANKLINE>|^\s*Traceback \(most recent call last\):$", re.M)


@dataclass
class Mutant:
    """One changed character: where it is, what it was, what it became, and what happened."""

    page: str
    line: int
    before: str
    after: str
    position: int  # offset of the change in the original page text
    outcome: str = "not run"  # caught, survived, skipped (not run under this torch), error

    def __str__(self) -> str:
        return f"{self.page}:{self.line}: {self.before!r} -> {self.after!r}: {self.outcome}"


@dataclass
class Report:
    """What a mutation run found: every mutant, outputs with nothing to change, and the time taken."""

    mutants: list[Mutant] = field(default_factory=list)
    unmutable: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def __iadd__(self, other: "Report") -> "Report":
        self.mutants += other.mutants
        self.unmutable += other.unmutable
        self.errors += other.errors
        self.seconds += other.seconds
        return self

    def count(self, outcome: str) -> int:
        """Returns how many mutants had this outcome."""
        return sum(m.outcome == outcome for m in self.mutants)

    @property
    def score(self) -> float:
        """Returns the share of run mutants that made their example fail (1.0 when none ran)."""
        judged = self.count("caught") + self.count("survived")
        return self.count("caught") / judged if judged else 1.0

    def summary(self) -> str:
        """Returns a one-paragraph report: score, counts, time per output, and every survivor."""
        caught, judged = self.count("caught"), self.count("caught") + self.count("survived")
        per_output = self.seconds / len(self.mutants) if self.mutants else 0.0
        lines = [
            f"mutation score: {caught}/{judged} outputs caught ({100 * self.score:.1f}%), "
            f"{self.count('skipped')} skipped under this torch, {len(self.unmutable)} unchecked; "
            f"{self.seconds:.1f}s, {1000 * per_output:.0f} ms per output"
        ]
        lines += [f"  survived: {m}" for m in self.mutants if m.outcome == "survived"]
        lines += [f"  unchecked: {where}" for where in self.unmutable]
        lines += [f"  error: {e}" for e in self.errors]
        return "\n".join(lines)


def _mutation(want: str, exc_only: bool, rng: random.Random) -> tuple[int, str, str] | None:
    """Returns (offset in want, old text, new text) for one change of ``want``, or None if nothing fits."""
    start = want.rstrip("\n").rfind("\n") + 1 if exc_only else 0  # an exception: its message line only
    protected = [range(m.start(), m.end()) for m in _PROTECTED.finditer(want)]
    free = lambda m: m.start() >= start and not any(m.start() in r for r in protected)  # noqa: E731
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
            return m.start(), old, new
    return None


def mutate_page(sybil: Sybil, page: Path, name: str) -> tuple[str, dict[int, Mutant], list[str]]:
    """Returns the page's text with one change in each output, the mutants by example start, and outputs left alone."""
    document = sybil.parse(page)
    text = document.text
    mutants, unmutable, wants = {}, [], []
    for example in document.examples():
        parsed = example.parsed
        if not isinstance(parsed, doctest.Example) or not parsed.want:
            continue
        # The output follows the source lines (Sybil's region end is not reliable for this).
        want_start = example.start
        for _ in range(parsed.source.count("\n")):
            want_start = text.index("\n", want_start) + 1
        want_lines = parsed.want.rstrip("\n").split("\n")
        want_end = want_start
        for _ in range(len(want_lines) - 1):
            want_end = text.index("\n", want_end) + 1
        want_end = text.find("\n", want_end) % (len(text) + 1)
        want_text = text[want_start:want_end]
        wants.append(range(want_start, want_end + 1))
        assert [line.strip() for line in want_text.split("\n")] == [line.strip() for line in want_lines], (name, example.line)
        line = text.count("\n", 0, want_start) + 1
        change = _mutation(want_text, parsed.exc_msg is not None, random.Random(f"{name}:{line}"))
        if change is None:
            unmutable.append(f"{name}:{line}")
            continue
        offset, old, new = change
        position = want_start + offset
        mutants[example.start] = Mutant(name, text.count("\n", 0, position) + 1, old, new, position)
    unmutable += [f"{name}:{line}: printed but never compared" for line in uncollected_lines(text, wants)]
    return apply(text, mutants.values()), mutants, unmutable


def uncollected_lines(text: str, wants: list[range]) -> list[int]:
    """Returns the line numbers of lines in ``>>>`` fences that are neither code nor part of a collected output."""
    lines = []
    for fence in FENCE.finditer(text):
        if fence.group("info").strip() != "python" or not fence.group("body").lstrip().startswith(">>>"):
            continue
        position, in_source = fence.start("body"), False
        for line in fence.group("body").split("\n"):
            stripped = line.strip()
            in_source = stripped.startswith(">>>") or (in_source and (stripped == "..." or stripped.startswith("... ")))
            if stripped and not in_source and not any(position in want for want in wants):
                lines.append(text.count("\n", 0, position) + 1)
            position += len(line) + 1
    return lines


def apply(text: str, mutants) -> str:
    """Returns ``text`` with the given mutants' changes made."""
    for m in sorted(mutants, key=lambda m: m.position, reverse=True):
        text = text[: m.position] + m.after + text[m.position + len(m.before) :]
    return text


def _run(sybil: Sybil, path: Path, mutants: dict[int, Mutant], report: Report, original: Path) -> None:
    """Runs a mutated page through Sybil and records, for each mutant, whether its example failed."""
    document = sybil.parse(path)
    if path.suffix == ".py":
        document.path = str(original)  # a module's examples run in the real module's namespace
    if sybil.setup:
        sybil.setup(document.namespace)
    try:
        shift = 0
        for example in document.examples():
            mutant = mutants.get(example.start - shift)
            if mutant is not None:
                shift += len(mutant.after) - len(mutant.before)  # True -> False moves what follows
            try:
                example.evaluate()
                outcome = "survived"
            except SkipTest:
                outcome = "skipped"
            except SybilFailure as failure:
                outcome = "caught"
                if mutant is None:
                    report.errors.append(f"{path.name}:{example.line}: an unchanged example failed: {failure.result[:200]}")
            except Exception as exc:  # the code itself failed: the page is broken, not the output checked
                outcome = "error"
                report.errors.append(f"{path.name}:{example.line}: {type(exc).__name__}: {exc}")
            if mutant is not None:
                mutant.outcome = outcome
    finally:
        if sybil.teardown:
            sybil.teardown(document.namespace)


def run(
    sybil: Sybil, docs: Path, workdir: Path, pages: list[Path] | None = None, one_at_a_time: bool = False,
    pattern: str = "*.md",
) -> Report:
    """Returns the mutation report for ``pages`` (default: every ``pattern`` file under ``docs``), run in a copy under ``workdir``.

    ``docs`` may also be the package, with ``pattern="*.py"``: its docstring examples are
    printed on the API page. The mutated copy of a module is parsed, but its examples run in
    the namespace of the real module, as Sybil runs them.
    """
    started = time.perf_counter()
    copy = workdir / docs.name
    shutil.copytree(docs, copy, dirs_exist_ok=True, ignore=shutil.ignore_patterns("__pycache__"))
    report = Report()
    for page in pages or sorted(docs.rglob(pattern)):
        name = page.relative_to(docs).as_posix()
        target = copy / name
        text, mutants, unmutable = mutate_page(sybil, page, name)
        report.unmutable += unmutable
        report.mutants += mutants.values()
        if one_at_a_time:
            for start, mutant in mutants.items():
                target.write_text(apply(page.read_text(), [mutant]))
                _run(sybil, target, {start: mutant}, report, page)
        else:
            target.write_text(text)
            _run(sybil, target, mutants, report, page)
        target.write_text(page.read_text())
    report.seconds = time.perf_counter() - started
    return report
