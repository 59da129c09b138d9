"""Fixtures for the bad-input suite: one emulator per file, a PKI, and a guard on the service."""

from __future__ import annotations

import sys
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import pytest
from asp_emulator.testing import EmulatorProcess, running_emulator

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "chaos"))

# pylint: disable=wrong-import-position
from rollout_harness.fixtures import collection_copy, workdir  # noqa: E402
from rollout_harness.pki import Authority, new_intermediate, new_root  # noqa: E402
from rollout_harness.service import (  # noqa: E402
    certificate_authorities,
    certificate_authority,
    create_certificate_authority,
    successful_writes,
)

__all__ = ["collection_copy", "workdir"]


@pytest.fixture(scope="module")
def emulator() -> Iterator[EmulatorProcess]:
    with running_emulator(creation_delay=0) as running:
        yield running


@dataclass
class ServiceGuard:
    """What the service held before a refused task; the task must leave it exactly so."""

    emulator: EmulatorProcess
    before: dict[str, dict]

    def assert_unchanged(self) -> None:
        writes = successful_writes(self.emulator.stats())
        assert not writes, f"the refused task still changed the service: {writes}"
        after = {ca["id"]: ca for ca in certificate_authorities(self.emulator)}
        assert after == self.before, "the service's CAs differ after the refused task"


@pytest.fixture
def service_guard(emulator: EmulatorProcess) -> ServiceGuard:
    emulator.clear_faults()
    before = {ca["id"]: ca for ca in certificate_authorities(emulator)}
    emulator.reset_stats()
    return ServiceGuard(emulator, before)


@pytest.fixture
def connection_env(emulator: EmulatorProcess) -> dict[str, str]:
    return emulator.connection_env()


@dataclass
class RadiusPki:
    """A two-level RADIUS PKI: root, and the intermediate that signs ASP CAs."""

    root: Authority
    intermediate: Authority


@pytest.fixture(scope="session")
def radius_pki() -> RadiusPki:
    root = new_root("Bad-input RADIUS root")
    return RadiusPki(root, new_intermediate("Bad-input RADIUS intermediate", root))


@dataclass
class PendingCa:
    id: str
    name: str
    csr: str


@pytest.fixture
def pending_ca(emulator: EmulatorProcess) -> PendingCa:
    """A CA waiting for its certificate, made straight through the API."""
    name = f"bad-input-{uuid.uuid4().hex[:8]}"
    certificate_authority_id = create_certificate_authority(emulator, name)
    details = certificate_authority(emulator, certificate_authority_id)
    assert details["status"] == "PENDING_CERTIFICATE", details
    return PendingCa(certificate_authority_id, name, details["csr"])
