"""The execution environment: the context `ansible-builder create` writes, what it installs."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import yaml

from ecosystem_tools import REPO_ROOT, run_tool

EE_DEFINITION = REPO_ROOT / "extensions" / "awx" / "execution-environment.yml"


def requirement_lines(path: Path) -> list[str]:
    lines = (line.split("#", 1)[0].strip() for line in path.read_text().splitlines())
    return [line for line in lines if line]


def create_context(definition: Path, context: Path) -> str:
    run_tool(
        [
            "ansible-builder",
            "create",
            "--file",
            str(definition),
            "--context",
            str(context),
            "--output-filename",
            "Containerfile",
        ]
    )
    return (context / "Containerfile").read_text()


def test_the_context_installs_the_collection_and_introspects_it(tmp_path: Path) -> None:
    containerfile = create_context(EE_DEFINITION, tmp_path / "context")

    galaxy_requirements = yaml.safe_load(
        (tmp_path / "context" / "_build" / "requirements.yml").read_text()
    )
    assert [entry["name"] for entry in galaxy_requirements["collections"]] == [
        "asp.enterprise_wifi"
    ]
    assert "ansible-galaxy collection install" in containerfile
    assert "introspect.py introspect" in containerfile
    assert "install-from-bindep" in containerfile
    assert 'ANSIBLE_INSTALL_REFS="ansible-core>=2.16,<2.20 ansible-runner>=2.4"' in containerfile


def test_a_context_for_a_source_build_carries_the_built_tarball(
    tmp_path: Path, collection_tarball: Path
) -> None:
    # The recipe of the AWX guide for a collection not yet on an Automation Hub.
    definition = yaml.safe_load(EE_DEFINITION.read_text())
    tarball = Path(shutil.copy(collection_tarball, tmp_path / collection_tarball.name))
    definition["additional_build_files"] = [{"src": tarball.name, "dest": "collections"}]
    definition["dependencies"]["galaxy"] = {
        "collections": [{"name": f"collections/{collection_tarball.name}", "type": "file"}]
    }
    source_definition = tmp_path / "execution-environment.yml"
    source_definition.write_text(yaml.safe_dump(definition))

    create_context(source_definition, tmp_path / "context")

    copied = tmp_path / "context" / "_build" / "collections" / collection_tarball.name
    assert copied.read_bytes() == collection_tarball.read_bytes()


def test_the_build_would_install_the_collections_requirements(
    tmp_path: Path, collections_path: Path
) -> None:
    create_context(EE_DEFINITION, tmp_path / "context")
    introspect = tmp_path / "context" / "_build" / "scripts" / "introspect.py"
    python_file, system_file = tmp_path / "requirements.txt", tmp_path / "bindep.txt"

    # The builder stage runs this script on the collections it has just installed.
    run_tool(
        [
            sys.executable,
            str(introspect),
            "introspect",
            str(collections_path),
            "--write-pip",
            str(python_file),
            "--write-bindep",
            str(system_file),
        ]
    )

    assert requirement_lines(python_file) == requirement_lines(REPO_ROOT / "requirements.txt")
    assert requirement_lines(system_file) == requirement_lines(REPO_ROOT / "bindep.txt")
    assert requirement_lines(python_file), "requirements.txt names no Python package"


def test_bindep_reads_the_system_requirements() -> None:
    completed = run_tool(
        ["bindep", "--file", str(REPO_ROOT / "bindep.txt"), "--brief", "compile"], check=False
    )

    # bindep exits 1 when packages are missing on this machine and 0 when none are;
    # a file it cannot parse is an exit of 2 or a traceback.
    assert completed.returncode in (0, 1), completed.stderr
    assert "Traceback" not in completed.stderr
