"""The mutation run's own arithmetic: which mutants belong to a module, and how the score counts them."""

from __future__ import annotations

from fnmatch import fnmatch

from docs_tools.package_mutation import all_files, module_name, pattern, score


def test_module_names_and_their_mutants():
    assert module_name("lstm_explained/config.py") == "lstm_explained.config"
    assert module_name("lstm_explained/diagnosis/__init__.py") == "lstm_explained.diagnosis"
    package = pattern("lstm_explained.diagnosis")
    assert fnmatch("lstm_explained.diagnosis.x_diagnose__mutmut_3", package)
    assert not fnmatch("lstm_explained.diagnosis.call.x_read_state__mutmut_1", package), "a submodule is not its package"
    assert fnmatch("lstm_explained.config.xǁLSTMConfigǁas_code__mutmut_2", pattern("lstm_explained.config")), "methods too"


def test_every_module_but_the_figures_is_mutated():
    files = all_files()
    assert "lstm_explained/diagnosis/state_checks.py" in files and "lstm_explained/cli.py" in files
    assert "lstm_explained/figures.py" not in files


def test_the_score_leaves_out_equivalent_mutants_and_counts_timeouts_as_kills():
    statuses = {"m.x_f__mutmut_1": "killed", "m.x_f__mutmut_2": "timeout", "m.x_f__mutmut_3": "survived",
                "m.x_f__mutmut_4": "survived", "m.x_f__mutmut_5": "no tests", "other.x_g__mutmut_1": "survived"}
    result = score(statuses, [pattern("m")], {"m.x_f__mutmut_4": "same behaviour", "m.x_f__mutmut_1": "killed anyway"})
    assert result["mutants"] == 5 and result["killed"] == 2 and result["equivalent"] == 1
    assert result["survivors"] == ["m.x_f__mutmut_3", "m.x_f__mutmut_5"], "a mutant no test reaches is a survivor"
    assert result["score"] == 0.5
    assert result["equivalent_mutants"] == {"m.x_f__mutmut_4": "same behaviour"}


def test_the_last_release_is_the_commit_that_set_the_version_when_no_tag_names_it():
    import subprocess

    from docs_tools.package_mutation import ROOT, last_release

    git = lambda *args: subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    release = last_release()
    version = git("show", "HEAD:lstm_explained/__init__.py").split('__version__ = "', 1)[1].split('"', 1)[0]
    assert f'__version__ = "{version}"' in git("show", f"{release}:lstm_explained/__init__.py")
    tagged = subprocess.run(["git", "rev-parse", "--verify", "--quiet", f"v{version}^{{commit}}"], cwd=ROOT,
                            capture_output=True, text=True).stdout.strip()
    if tagged:
        assert release == tagged
    else:  # the commit before it held another version (or no package yet)
        before = subprocess.run(["git", "show", f"{release}~1:lstm_explained/__init__.py"], cwd=ROOT, capture_output=True, text=True)
        assert f'__version__ = "{version}"' not in before.stdout


def test_ci_gates_the_modules_changed_since_the_last_release_and_a_release_gates_the_whole_package():
    from docs_tools.package_mutation import ROOT

    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "\nmake test-mutation-code MUTATE=release\n" in ci, "the gate is a command of its own, not a comment"
    contributing = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    release = contributing.split("## Cutting a release", 1)[1]
    assert "make test-mutation-code MUTATE=all" in release, "cutting a release runs the whole package"
