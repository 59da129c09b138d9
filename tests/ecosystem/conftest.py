"""Fixtures of the ecosystem suite: the built collection, its installed copy, the emulator."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
from asp_emulator.testing import EmulatorProcess, running_emulator

from ecosystem_tools import REPO_ROOT, run_tool


@pytest.fixture(scope="session")
def collection_tarball(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tarball `ansible-galaxy collection build` makes from the working tree."""
    output_dir = tmp_path_factory.mktemp("galaxy-build")
    run_tool(
        ["ansible-galaxy", "collection", "build", "--output-path", str(output_dir), str(REPO_ROOT)]
    )
    (tarball,) = output_dir.glob("asp-enterprise_wifi-*.tar.gz")
    return tarball


@pytest.fixture(scope="session")
def collections_path(tmp_path_factory: pytest.TempPathFactory, collection_tarball: Path) -> Path:
    """A collections path with the tarball installed, as AWX installs a project's collections."""
    path = tmp_path_factory.mktemp("collections")
    run_tool(
        [
            "ansible-galaxy",
            "collection",
            "install",
            "--offline",
            # Without it, a copy in ~/.ansible/collections makes the install a no-op.
            "--force",
            "--collections-path",
            str(path),
            str(collection_tarball),
        ]
    )
    return path


@pytest.fixture(scope="session")
def installed_collection(collections_path: Path) -> Path:
    return collections_path / "ansible_collections" / "asp" / "enterprise_wifi"


@pytest.fixture
def emulator() -> Iterator[EmulatorProcess]:
    """An emulator with no creation delay and LWA credentials of its own, so a leak is findable."""
    with running_emulator(
        creation_delay=0,
        client_id=f"amzn1.application-oa2-client.{secrets.token_hex(8)}",
        client_secret=f"asp-test-secret-{secrets.token_hex(16)}",
        refresh_token=f"Atzr|asp-test-refresh-{secrets.token_hex(16)}",
    ) as running:
        yield running


@pytest.fixture(scope="session")
def importer_python() -> Path:
    """The Python of galaxy-importer's own virtual environment, made by `make importer-venv`."""
    python = REPO_ROOT / ".build" / "importer-venv" / "bin" / "python"
    if not python.exists():
        pytest.fail(f"{python} is missing; `make importer-venv` creates it")
    return python
