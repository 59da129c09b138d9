"""What `ansible-galaxy collection build` puts into the tarball users install."""

from __future__ import annotations

import json
import tarfile
from pathlib import Path

import yaml

from ecosystem_tools import REPO_ROOT

# Everything a user's copy may hold at its top level; anything else is development
# material or a tool's cache that build_ignore in galaxy.yml should leave out.
SHIPPED_TOP_LEVEL = {
    ".ansible-lint",
    "CHANGELOG.rst",
    "CONTRIBUTING.md",
    "FILES.json",
    "LICENSE",
    "MANIFEST.json",
    "README.md",
    "bindep.txt",
    "changelogs",
    "docs",
    "extensions",
    "meta",
    "playbooks",
    "plugins",
    "requirements.txt",
    "roles",
}
USER_CONTENT = {
    "README.md",
    "meta/runtime.yml",
    "meta/execution-environment.yml",
    "requirements.txt",
    "bindep.txt",
    "changelogs/changelog.yaml",
    "docs/docsite/links.yml",
    "docs/docsite/extra-docs.yml",
    "extensions/awx/credential_type.yml",
    "extensions/awx/execution-environment.yml",
    "playbooks/rollout.yml",
    "plugins/modules/asp_certificate_authority.py",
    "plugins/modules/asp_ca_info.py",
    "plugins/modules/asp_ca_certificate_import.py",
    "plugins/modules/asp_ca_csr_sign.py",
    "plugins/modules/asp_access_token.py",
    "roles/ca_rollout/meta/argument_specs.yml",
}


def tarball_members(tarball: Path) -> set[str]:
    with tarfile.open(tarball) as archive:
        return {member.name.removeprefix("./") for member in archive.getmembers()}


def test_the_tarball_holds_no_development_material(collection_tarball: Path) -> None:
    members = tarball_members(collection_tarball)

    unexpected = sorted({name.split("/")[0] for name in members} - SHIPPED_TOP_LEVEL)
    leaked = sorted(
        name
        for name in members
        if name.startswith("extensions/molecule")
        or "__pycache__" in name.split("/")
        or name.endswith((".pyc", ".tar.gz", ".retry"))
    )

    assert not unexpected, f"not collection content, add to build_ignore: {unexpected}"
    assert not leaked, f"development files in the tarball: {leaked}"


def test_the_tarball_holds_what_users_need(collection_tarball: Path) -> None:
    members = tarball_members(collection_tarball)

    assert USER_CONTENT - members == set()
    assert {"MANIFEST.json", "FILES.json"} <= members


def test_every_file_the_execution_environment_names_is_shipped(collection_tarball: Path) -> None:
    members = tarball_members(collection_tarball)
    definition = yaml.safe_load((REPO_ROOT / "meta" / "execution-environment.yml").read_text())

    named = set(definition["dependencies"].values())

    assert named == {"requirements.txt", "bindep.txt"}
    assert named <= members


def test_the_manifest_matches_galaxy_yml(collection_tarball: Path) -> None:
    galaxy = yaml.safe_load((REPO_ROOT / "galaxy.yml").read_text())
    with tarfile.open(collection_tarball) as archive:
        manifest_file = archive.extractfile("MANIFEST.json")
        assert manifest_file is not None
        manifest = json.load(manifest_file)["collection_info"]

    assert (manifest["namespace"], manifest["name"], manifest["version"]) == (
        galaxy["namespace"],
        galaxy["name"],
        galaxy["version"],
    )
    assert collection_tarball.name == f"asp-enterprise_wifi-{galaxy['version']}.tar.gz"
