"""The release: the tag, the changelog entry and the workflow that publishes (.ci/release_notes.py, release.yml)."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / ".ci" / "release_notes.py"
spec = importlib.util.spec_from_file_location("release_notes", SCRIPT)
release_notes = importlib.util.module_from_spec(spec)
spec.loader.exec_module(release_notes)

import lstm_explained  # noqa: E402


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(SCRIPT), *args], capture_output=True, text=True, cwd=ROOT)


def test_the_version_read_without_torch_is_the_package_version():
    assert release_notes.package_version() == lstm_explained.__version__


def test_the_current_version_has_a_changelog_entry_and_its_tag_prints_it():
    done = run(f"v{lstm_explained.__version__}")
    assert done.returncode == 0, done.stderr
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert done.stdout.strip() == release_notes.changelog_entry(lstm_explained.__version__, changelog)
    assert done.stdout.startswith("### "), "the entry opens with a Keep a Changelog section (### Added, ...)"
    assert "## [" not in done.stdout, "the entry stops before the next release"


def test_a_tag_for_another_version_is_refused_in_one_line():
    done = run("v9.9.9")
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr == f"the tag v9.9.9 does not name the package's version {lstm_explained.__version__} (lstm_explained/__init__.py)\n"
    assert run("0.2.0").returncode == 1 and run().returncode == 1


def test_an_entry_is_cut_at_the_next_heading_or_link_and_a_missing_or_empty_one_is_empty():
    changelog = "# Changelog\n\n## [Unreleased]\n\n## [1.1.0]\n\n### Fixed\n- a\n\n## [1.0.0]\n\n### Added\n- b\n\n[1.1.0]: https://x/1.1.0\n"
    assert release_notes.changelog_entry("1.1.0", changelog) == "### Fixed\n- a"
    assert release_notes.changelog_entry("1.0.0", changelog) == "### Added\n- b"
    assert release_notes.changelog_entry("Unreleased", changelog) == ""
    assert release_notes.changelog_entry("2.0.0", changelog) == ""
    assert release_notes.changelog_entry("1.1", changelog) == "", "a version is matched whole"


def test_every_release_heading_has_its_link():
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    headings = re.findall(r"^## \[([^\]]+)\]", changelog, re.MULTILINE)
    links = re.findall(r"^\[([^\]]+)\]: https://", changelog, re.MULTILINE)
    assert headings[0] == "Unreleased" and headings[1] == lstm_explained.__version__
    assert headings == links


def test_the_workflow_checks_what_ci_checks_then_publishes_by_trusted_publishing():
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "release.yml").read_text(encoding="utf-8"))
    assert workflow[True]["push"]["tags"] == ["v*"]  # YAML 1.1 reads the key `on` as True
    jobs = workflow["jobs"]
    build = " ".join(step.get("run", "") for step in jobs["build"]["steps"])
    assert 'python .ci/release_notes.py "$GITHUB_REF_NAME"' in build and "make check-dist" in build
    assert jobs["publish"]["needs"] == "build" and jobs["github-release"]["needs"] == "publish"
    assert jobs["publish"]["permissions"] == {"id-token": "write"}
    publish = jobs["publish"]["steps"][-1]
    assert publish["uses"].startswith("pypa/gh-action-pypi-publish@")
    assert not {"password", "user"} & set(publish.get("with", {})), "trusted publishing: no token"
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "\ncheck-dist:" in makefile and ".ci/check-dist" in makefile
    assert "make check-dist" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
