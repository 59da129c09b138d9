"""Shared fixtures: the emulator, the programs the suites drive, and a throwaway RADIUS CA."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from asp_emulator.testing import running_emulator

from .eap_tls_client import EAPOL_TEST
from .radius_server import FREERADIUS


@pytest.fixture(scope="module")
def required_programs() -> None:
    """Fail, not skip: .ci/run installs both, and a skipped proof proves nothing."""
    missing = [program for program in (FREERADIUS, EAPOL_TEST) if not shutil.which(program)]
    if missing:
        pytest.fail(
            f"{', '.join(missing)} not found; install the Debian packages freeradius and eapoltest"
        )


@pytest.fixture(scope="module")
def emulator():
    with running_emulator(creation_delay=0) as running:
        yield running


@pytest.fixture(scope="module")
def work_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("e2e")
