"""The invariant checks themselves: each broken world they must notice, on real certificates."""

from __future__ import annotations

from pathlib import Path

import pytest

from rollout_harness.invariants import rollout_problems
from rollout_harness.pki import certificate_pem, issue, new_intermediate, new_key, new_root

PLACEHOLDER = Path(__file__).resolve().parents[2] / (
    "roles/ca_rollout/files/trust-store-placeholder.pem"
)


@pytest.fixture(scope="module")
def radius_root():
    return new_root("Invariant RADIUS root")


def _active_ca(name: str, issuer, *, status: str = "ACTIVE") -> tuple[dict, str]:
    key = new_key()
    certificate = certificate_pem(issue(name, key.public_key(), issuer, path_length=0))
    certificate_authority = {
        "id": f"amzn1.alexa.enterprise.certificateAuthority.did.{name}",
        "friendlyName": {"type": "PLAIN", "value": {"text": name}},
        "status": status,
        "certificateMetadata": {
            "certificate": certificate,
            "certificateChain": issuer.certificate_pem,
        },
    }
    return certificate_authority, certificate


def _trust_store(tmp_path: Path, certificates: list[str]) -> Path:
    trust_store = tmp_path / "trust.pem"
    placeholder = PLACEHOLDER.read_text() if PLACEHOLDER.exists() else ""
    trust_store.write_text(placeholder + "".join(certificates))
    return trust_store


def test_a_finished_rollout_has_no_problem(radius_root, tmp_path):
    first, first_pem = _active_ca("one", radius_root)
    second, second_pem = _active_ca("two", radius_root)
    trust_store = _trust_store(tmp_path, [first_pem, second_pem])
    assert (
        rollout_problems([first, second], ["one", "two"], radius_root.certificate, trust_store)
        == []
    )


def test_a_duplicate_is_noticed(radius_root, tmp_path):
    first, first_pem = _active_ca("one", radius_root)
    duplicate = _active_ca("one", radius_root)[0]
    duplicate["id"] += "-again"
    problems = rollout_problems(
        [first, duplicate], ["one"], radius_root.certificate, _trust_store(tmp_path, [first_pem])
    )
    assert any("has 2 CAs" in problem for problem in problems), problems


def test_a_missing_ca_is_noticed(radius_root, tmp_path):
    first, first_pem = _active_ca("one", radius_root)
    problems = rollout_problems(
        [first], ["one", "two"], radius_root.certificate, _trust_store(tmp_path, [first_pem])
    )
    assert any("two has 0 CAs" in problem for problem in problems), problems


def test_an_orphan_is_noticed(radius_root, tmp_path):
    first, first_pem = _active_ca("one", radius_root)
    orphan = _active_ca("left-behind", radius_root, status="PENDING_CERTIFICATE")[0]
    problems = rollout_problems(
        [first, orphan], ["one"], radius_root.certificate, _trust_store(tmp_path, [first_pem])
    )
    assert any("belongs to no property" in problem for problem in problems), problems


def test_a_ca_that_is_not_active_is_noticed(radius_root, tmp_path):
    pending, pending_pem = _active_ca("one", radius_root, status="PENDING_CERTIFICATE")
    problems = rollout_problems(
        [pending], ["one"], radius_root.certificate, _trust_store(tmp_path, [pending_pem])
    )
    assert any("not ACTIVE" in problem for problem in problems), problems


def test_a_certificate_from_another_root_is_noticed(radius_root, tmp_path):
    stranger = new_intermediate("Stranger", new_root("Stranger root"))
    foreign, foreign_pem = _active_ca("one", stranger)
    problems = rollout_problems(
        [foreign], ["one"], radius_root.certificate, _trust_store(tmp_path, [foreign_pem])
    )
    assert any("does not chain" in problem for problem in problems), problems


def test_a_stale_or_missing_trust_entry_is_noticed(radius_root, tmp_path):
    first, first_pem = _active_ca("one", radius_root)
    stale_pem = _active_ca("removed", radius_root)[1]
    stale = rollout_problems(
        [first], ["one"], radius_root.certificate, _trust_store(tmp_path, [first_pem, stale_pem])
    )
    assert any("not an active property CA" in problem for problem in stale), stale
    missing = rollout_problems(
        [first], ["one"], radius_root.certificate, _trust_store(tmp_path, [])
    )
    assert any("lacks 1 active" in problem for problem in missing), missing
