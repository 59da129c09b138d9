"""Fixtures the three robustness suites share; each suite's conftest imports them by name."""

from __future__ import annotations

import fcntl
from pathlib import Path

import pytest
from asp_emulator import testing as emulator_testing

from rollout_harness.playbook import COLLECTIONS_PATH, ensure_collection

# The helper allows 15 s for a start; on a CI host shared by many suites a start (and the
# restart after a kill -9) has been seen to take longer, which would fail a test for nothing.
emulator_testing.START_TIMEOUT = max(emulator_testing.START_TIMEOUT, 60.0)


@pytest.fixture(scope="session")
def collection_copy() -> Path:
    """The collection as ansible sees it, refreshed once per session (and per xdist worker)."""
    COLLECTIONS_PATH.mkdir(exist_ok=True)
    with (COLLECTIONS_PATH / ".copy.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        ensure_collection()
    return COLLECTIONS_PATH


@pytest.fixture
def workdir(tmp_path: Path, collection_copy: Path) -> Path:
    """A directory for one test's inventory, RADIUS host files and ansible's own temp files."""
    del collection_copy
    return tmp_path
