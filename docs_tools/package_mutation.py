"""`make test-mutation-code`: mutmut over lstm_explained/, then the score, written to build/mutation-report.json.

Which modules: ``--modules changed`` (the package files changed against ``--base``, committed or
not), ``--modules release`` (those changed since the last release: the tag ``v<version>``, or,
before that tag exists, the commit that set the version), ``--modules all``, or module names
(``lstm_explained.config``). The score counts a
timed-out mutant as killed (it made the tests fail to finish) and leaves out the equivalent
mutants listed in docs_tools/package_mutation_equivalent.json, each with the reason it cannot be
caught. The report (git-ignored) names the modules it covers. Exit status 1 when the score is under
``--threshold``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from fnmatch import fnmatch
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "lstm_explained"
EQUIVALENT = Path(__file__).with_name("package_mutation_equivalent.json")
REPORT = ROOT / "build" / "mutation-report.json"
NOT_MUTATED = {"lstm_explained/figures.py", "lstm_explained/__init__.py"}  # as [tool.mutmut] do_not_mutate says


PER_MODULE = ("mutants", "equivalent", "killed", "score")  # what the report gives for each module


def module_name(path: str) -> str:
    """Returns the module of a package file, ``lstm_explained/diagnosis/call.py`` -> ``lstm_explained.diagnosis.call``."""
    name = path[: -len(".py")].replace("/", ".")
    return name[: -len(".__init__")] if name.endswith(".__init__") else name


def pattern(module: str) -> str:
    """Returns the mutmut name pattern of a module's mutants (a package's ``__init__`` has no module part)."""
    return f"{module}.x*"  # x_function, or xǁClassǁmethod


def changed_files(base: str) -> list[str]:
    """Returns the package's mutated files changed against ``base``, in the working tree or in commits since."""
    run = lambda *args: subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    try:
        merge_base = run("merge-base", base, "HEAD")[0]
    except subprocess.CalledProcessError:  # a clone without a local branch of that name
        merge_base = run("merge-base", f"origin/{base}", "HEAD")[0]
    changed = run("diff", "--name-only", merge_base, "--", "lstm_explained")
    files = set(changed) | set(run("ls-files", "--others", "--exclude-standard", "lstm_explained"))
    return sorted(f for f in files if f.endswith(".py") and f not in NOT_MUTATED and (ROOT / f).exists())


def last_release() -> str:
    """Returns the commit of the last release: the tag ``v<version>``, else the commit that set ``__version__`` to it."""
    text = (PACKAGE / "__init__.py").read_text(encoding="utf-8")
    version = text.split('__version__ = "', 1)[1].split('"', 1)[0]
    run = lambda *args: subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=False).stdout.split()
    tagged = run("rev-parse", "--verify", "--quiet", f"v{version}^{{commit}}")
    if tagged:
        return tagged[0]
    setting = run("log", "--format=%H", "-S", f'__version__ = "{version}"', "--", ":(top)lstm_explained/__init__.py")  # also in mutants/
    if not setting:
        raise SystemExit(f"no tag v{version} and no commit that set __version__ = {version!r}: name modules instead")
    return setting[-1]  # the oldest commit that added the line


def all_files() -> list[str]:
    """Returns every mutated file of the package."""
    files = (str(p.relative_to(ROOT)) for p in PACKAGE.rglob("*.py"))
    return sorted(f for f in files if f not in NOT_MUTATED)


def results() -> dict[str, str]:
    """Returns each mutant's status (killed, survived, timeout, no tests, ...) from mutmut's files under mutants/."""
    from mutmut.stats import status_by_exit_code

    statuses = {}
    for meta in (ROOT / "mutants" / "lstm_explained").rglob("*.meta"):
        for name, code in json.loads(meta.read_text())["exit_code_by_key"].items():
            statuses[name] = status_by_exit_code[code]
    return statuses


def score(statuses: dict[str, str], patterns: list[str], equivalent: dict[str, str]) -> dict:
    """Returns the counts, the score and the survivors of the mutants matching ``patterns``."""
    mine = {name: status for name, status in statuses.items() if any(fnmatch(name, p) for p in patterns)}
    counts: dict[str, int] = {}
    for status in mine.values():
        counts[status] = counts.get(status, 0) + 1
    caught = {name for name, status in mine.items() if status in ("killed", "timeout", "caught by type check")}
    equivalent_here = {name: why for name, why in equivalent.items() if name in mine and name not in caught}
    missed = sorted(name for name in mine if name not in caught and name not in equivalent_here)
    counted = len(caught) + len(missed)
    return {
        "mutants": len(mine),
        "counts": dict(sorted(counts.items())),
        "equivalent": len(equivalent_here),
        "killed": len(caught),
        "score": round(len(caught) / counted, 4) if counted else None,
        "survivors": missed,
        "equivalent_mutants": dict(sorted(equivalent_here.items())),
    }


def main(argv=None) -> int:
    """Returns the exit status: 0 when the score reaches the threshold."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--modules", nargs="+", default=["changed"], help="changed, release, all, or module names")
    parser.add_argument("--base", default="main", help="what 'changed' compares with (default: main)")
    parser.add_argument("--jobs", type=int, default=2, help="mutants tested at once (default: 2)")
    parser.add_argument("--threshold", type=float, default=0.9, help="the lowest passing score (default: 0.9)")
    parser.add_argument("--report-only", action="store_true", help="score the last run, without running mutmut")
    args = parser.parse_args(argv)

    whole = args.modules == ["all"]
    base = last_release() if args.modules == ["release"] else args.base
    files = all_files() if whole else changed_files(base) if args.modules in (["changed"], ["release"]) else None
    modules = [module_name(f) for f in files] if files is not None else args.modules
    if not modules:
        print(f"no file of lstm_explained/ changed against {base}: nothing to mutate")
        return 0
    patterns = [pattern(m) for m in modules]
    print("mutating:", ", ".join(modules))

    start = time.monotonic()
    if not args.report_only:
        shutil.rmtree(ROOT / "mutants", ignore_errors=True)  # mutmut keeps old verdicts across test changes otherwise
        env = {**os.environ, "HYPOTHESIS_PROFILE": "mutation", "OMP_NUM_THREADS": "1"}  # one thread: two mutants at once
        mutmut = shutil.which("mutmut") or str(Path(sys.executable).parent / "mutmut")
        run = subprocess.run([mutmut, "run", "--max-children", str(args.jobs), *patterns], cwd=ROOT, env=env, check=False,
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if run.returncode != 0:  # e.g. the clean test run failed in mutants/: no mutant was tested, so there is no score
            print(run.stdout[-3000:], file=sys.stderr)
            print(f"mutmut failed (exit status {run.returncode}) before scoring: see its output above", file=sys.stderr)
            return 2
    seconds = round(time.monotonic() - start)
    if args.report_only and REPORT.exists():
        seconds = json.loads(REPORT.read_text())["seconds"]  # rescoring keeps the run's own time

    equivalent = json.loads(EQUIVALENT.read_text()) if EQUIVALENT.exists() else {}
    statuses = results()
    report = {"tool": "mutmut 3.8.1", "modules": modules, "seconds": seconds, **score(statuses, patterns, equivalent),
              "by_module": {m: {k: v for k, v in score(statuses, [pattern(m)], equivalent).items() if k in PER_MODULE}
                            for m in modules}}
    target = REPORT
    target.parent.mkdir(exist_ok=True)
    target.write_text(json.dumps(report, indent=1) + "\n")
    print(f"{report['killed']} of {report['mutants'] - report['equivalent']} non-equivalent mutants killed: "
          f"score {report['score']}, {len(report['survivors'])} survivors, {seconds} s; report: {target.relative_to(ROOT)}")
    for module, counts in report["by_module"].items():
        print(f"  {module}: {counts['killed']} of {counts['mutants'] - counts['equivalent']} killed, score {counts['score']}")
    for name in report["survivors"]:
        print("  survived:", name, f"(mutmut show {name})")
    return 0 if report["score"] is None or report["score"] >= args.threshold else 1


if __name__ == "__main__":
    sys.exit(main())
