"""The changelog: fragments and changelog.yaml that antsibull-changelog accepts."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from ecosystem_tools import REPO_ROOT, run_tool

MODULES = (
    "asp_access_token",
    "asp_ca_certificate_import",
    "asp_ca_csr_sign",
    "asp_ca_info",
    "asp_certificate_authority",
)


def test_antsibull_changelog_accepts_every_fragment() -> None:
    completed = run_tool(["antsibull-changelog", "lint"], cwd=REPO_ROOT)

    assert completed.stdout.strip() == "" and completed.stderr.strip() == ""


def test_antsibull_changelog_accepts_changelog_yaml() -> None:
    completed = run_tool(
        ["antsibull-changelog", "lint-changelog-yaml", "changelogs/changelog.yaml"], cwd=REPO_ROOT
    )

    assert completed.stdout.strip() == ""


def test_a_release_lists_the_fragments_the_new_modules_and_the_role(
    tmp_path: Path, installed_collection: Path
) -> None:
    # A release preview on a copy: the real release is made when a version is tagged.
    copy = tmp_path / "ansible_collections" / "asp" / "enterprise_wifi"
    shutil.copytree(installed_collection, copy)
    shutil.copy(REPO_ROOT / "galaxy.yml", copy / "galaxy.yml")
    version = yaml.safe_load((copy / "galaxy.yml").read_text())["version"]

    run_tool(["antsibull-changelog", "release", "--version", version], cwd=copy)

    changelog = (copy / "CHANGELOG.rst").read_text()
    assert f"v{version}" in changelog
    for section in ("Release Summary", "Minor Changes", "New Modules"):
        assert section in changelog, f"no {section} in\n{changelog}"
    for module in MODULES:
        assert f"asp.enterprise_wifi.{module}" in changelog, f"{module} is not listed as new"
    assert "asp.enterprise_wifi.ca_rollout" in changelog, (
        "the role is not listed under New Roles: antsibull-changelog lists a role from the "
        "version_added of its main entry point in meta/argument_specs.yml"
    )
