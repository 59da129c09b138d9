# Copyright: asp.enterprise_wifi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography import x509

from ansible_collections.asp.enterprise_wifi.plugins.modules import asp_ca_certificate_import
from ansible_collections.asp.enterprise_wifi.tests.support import pki
from ansible_collections.asp.enterprise_wifi.tests.unit.plugins.module_utils.asp_fakes import (
    answer,
)
from ansible_collections.asp.enterprise_wifi.tests.unit.plugins.modules.asp_module_harness import (
    TOKEN_ONLY,
)


class Radius:
    """A RADIUS root CA and an ASP CA key whose CSR the fake service hands out."""

    def __init__(self) -> None:
        self.root = pki.make_root_ca()
        self.asp_key = pki.make_key()
        self.csr = pki.make_csr(self.asp_key)
        self.signed = pki.sign_csr_as_ca(self.root, self.csr)

    @property
    def csr_one_line(self) -> str:
        return pki.one_line(pki.pem(self.csr))


@pytest.fixture(scope="module")
def radius() -> Radius:
    return Radius()


@pytest.fixture
def asp(harness, radius):
    harness.service.csr_pem = radius.csr_one_line
    return harness


def run(harness, check_mode=False, diff=False, **args):
    return harness.run(
        asp_ca_certificate_import, args, check_mode=check_mode, diff=diff, connection=TOKEN_ONLY
    )


def pems(radius: Radius, **overrides) -> dict:
    values = {
        "certificate": pki.one_line(pki.pem(radius.signed)),
        "certificate_chain": radius.root.certificate_pem,
    }
    values.update(overrides)
    return values


def test_imports_and_waits_until_active(asp, radius):
    ca_id = asp.service.add("Lobby")
    result = run(asp, id=ca_id, diff=True, **pems(radius))
    assert result["changed"] is True
    imported = result["certificate_authority"]
    assert imported["status"] == "ACTIVE"
    certificate = x509.load_pem_x509_certificate(
        imported["certificate_metadata"]["certificate"].encode()
    )
    assert certificate == radius.signed
    (post,) = asp.calls("POST")
    assert post.json_body["certificate"] == pki.pem(radius.signed)
    assert post.json_body["certificateChain"] == radius.root.certificate_pem
    assert result["diff"]["before"] == {"certificate": None, "certificate_chain": None}
    assert result["diff"]["after"]["certificate"] == pki.pem(radius.signed)


def test_the_same_certificate_again_is_ok_without_a_write(asp, radius):
    ca_id = asp.service.add("Lobby")
    run(asp, id=ca_id, **pems(radius))
    # Same certificates, but one-line PEM: the comparison is by DER.
    again = run(
        asp,
        name="Lobby",
        **pems(radius, certificate_chain=pki.one_line(radius.root.certificate_pem)),
    )
    assert again["changed"] is False
    assert again["diff"] == {"before": {}, "after": {}}
    assert len(asp.calls("POST")) == 1


def test_check_mode_checks_and_imports_nothing(asp, radius):
    ca_id = asp.service.add("Lobby")
    result = run(asp, id=ca_id, check_mode=True, **pems(radius))
    assert result["changed"] is True
    assert result["certificate_authority"]["status"] == "ACTIVE"
    assert asp.calls("POST") == []
    assert asp.service.certificate_authorities[ca_id]["status"] == "PENDING_CERTIFICATE"


def test_paths_are_read_on_the_module_host(asp, radius, tmp_path: Path):
    ca_id = asp.service.add("Lobby")
    certificate_path = tmp_path / "asp_ca.pem"
    chain_path = tmp_path / "root.pem"
    certificate_path.write_text(pki.pem(radius.signed))
    chain_path.write_text(radius.root.certificate_pem)
    result = run(
        asp,
        id=ca_id,
        certificate_path=str(certificate_path),
        certificate_chain_path=str(chain_path),
    )
    assert result["changed"] is True


def test_an_unreadable_path_fails_before_any_request(asp, radius, tmp_path: Path):
    result = run(
        asp,
        id="amzn1.x",
        certificate_path=str(tmp_path / "missing.pem"),
        certificate_chain=radius.root.certificate_pem,
    )
    assert result["failed"] is True
    assert result["msg"].startswith(f"Failed to read certificate_path {tmp_path / 'missing.pem'}")
    assert asp.transport.requests == []


def test_a_private_key_is_refused_before_any_request_and_never_echoed(asp, radius):
    key = radius.root.key_pem()
    result = run(
        asp, id="amzn1.x", **pems(radius, certificate_chain=radius.root.certificate_pem + key)
    )
    assert result["failed"] is True
    assert "certificate_chain contains a private key" in result["msg"]
    assert asp.transport.requests == []
    body = key.split("\n")[1]
    assert body not in str(result)


def test_text_that_is_not_pem_fails_before_any_request(asp, radius):
    result = run(asp, id="amzn1.x", **pems(radius, certificate="hello"))
    assert result["failed"] is True and result["msg"].startswith("certificate is not PEM:")
    assert asp.transport.requests == []


@pytest.mark.parametrize(
    ("make_certificate", "words"),
    [
        (
            lambda radius: pki.sign_csr_as_ca(radius.root, pki.make_csr(pki.make_key())),
            "its public key is not the CA's",
        ),
        (lambda radius: pki.sign_csr_as_leaf(radius.root, radius.csr), "CA"),
    ],
)
def test_a_certificate_asp_would_refuse_is_not_sent(asp, radius, make_certificate, words):
    ca_id = asp.service.add("Lobby")
    certificate = make_certificate(radius)
    result = run(asp, id=ca_id, **pems(radius, certificate=pki.pem(certificate)))
    assert result["failed"] is True
    assert result["msg"].startswith(
        f"Failed to import the certificate into certificate authority {ca_id}: "
    )
    assert words in result["msg"]
    assert asp.calls("POST") == []


def test_a_chain_that_does_not_verify_the_certificate_is_not_sent(asp, radius):
    ca_id = asp.service.add("Lobby")
    stranger = pki.make_root_ca("Some other root")
    result = run(asp, id=ca_id, **pems(radius, certificate_chain=stranger.certificate_pem))
    assert result["failed"] is True and "certificate_chain" in result["msg"]
    assert asp.calls("POST") == []


def test_a_creating_ca_is_waited_for_then_imported(asp, radius):
    ca_id = asp.service.add("Lobby", status="CREATING")
    original = asp.transport.handler
    gets = []

    def becomes_pending(request):
        if request.method == "GET":
            gets.append(1)
            if len(gets) == 2:
                raw = asp.service.certificate_authorities[ca_id]
                raw.update(status="PENDING_CERTIFICATE", csr=radius.csr_one_line)
        return original(request)

    asp.transport.handler = becomes_pending
    result = run(asp, id=ca_id, **pems(radius))
    assert result["changed"] is True
    assert result["certificate_authority"]["status"] == "ACTIVE"


def test_a_creating_ca_without_wait_fails(asp, radius):
    ca_id = asp.service.add("Lobby", status="CREATING")
    result = run(asp, id=ca_id, wait=False, **pems(radius))
    assert result["failed"] is True and "its status is CREATING" in result["msg"]
    assert asp.calls("POST") == []


def test_a_failed_ca_fails(asp, radius):
    ca_id = asp.service.add("Lobby", status="FAILED")
    result = run(asp, id=ca_id, **pems(radius))
    assert result["failed"] is True and "its status is FAILED" in result["msg"]


def test_an_unknown_name_fails(asp, radius):
    result = run(asp, name="Nowhere", **pems(radius))
    assert result["failed"] is True
    assert result["msg"] == "No certificate authority has the name 'Nowhere'"


def test_without_wait_the_ca_is_read_once_after_the_import(asp, radius):
    asp.service.import_status = "PENDING_CERTIFICATE"
    ca_id = asp.service.add("Lobby")
    result = run(asp, id=ca_id, wait=False, **pems(radius))
    assert result["changed"] is True
    assert result["certificate_authority"]["status"] == "PENDING_CERTIFICATE"
    assert asp.clock.sleeps == []


def test_a_refused_import_reports_the_service_error(asp, radius):
    ca_id = asp.service.add("Lobby")
    asp.service.faults["import"] = [
        answer(400, {"type": "BAD_REQUEST", "message": "certificate rejected"})
    ]
    result = run(asp, id=ca_id, **pems(radius))
    assert result["failed"] is True
    assert "HTTP 400 BAD_REQUEST: certificate rejected" in result["msg"]
    assert result["error_type"] == "BAD_REQUEST"


@pytest.mark.parametrize(
    ("args", "words"),
    [
        ({"certificate": "x", "certificate_chain": "y"}, "one of the following is required: id"),
        (
            {"id": "a", "certificate": "x", "certificate_path": "/x", "certificate_chain": "y"},
            "mutually exclusive",
        ),
        ({"id": "a", "certificate": "x"}, "certificate_chain, certificate_chain_path"),
    ],
)
def test_option_combinations(asp, args, words):
    result = run(asp, **args)
    assert result["failed"] is True and words in result["msg"]


class TestSeveralCas:
    """certificate_authorities: an import into each of many CAs in one module run."""

    def test_imports_into_each_and_leaves_one_that_holds_it_alone(self, asp, radius):
        ids = [asp.service.add(name) for name in ("Lobby", "Hall", "Spa")]
        run(asp, id=ids[2], **pems(radius))
        result = run(
            asp,
            diff=True,
            concurrency=2,
            certificate_authorities=[
                {"key": name, "id": ca_id, **pems(radius)}
                for name, ca_id in zip(("lobby", "hall", "spa"), ids)
            ],
        )
        assert [item["key"] for item in result["results"]] == ["lobby", "hall", "spa"]
        assert [item["changed"] for item in result["results"]] == [True, True, False]
        assert {item["certificate_authority"]["status"] for item in result["results"]} == {"ACTIVE"}
        assert [diff["before_header"] for diff in result["diff"]] == ["lobby", "hall"]
        assert len(asp.calls("POST")) == 3  # the first run's import, then two

    def test_a_certificate_for_another_key_fails_that_ca_only(self, asp, radius):
        ids = [asp.service.add(name) for name in ("Lobby", "Hall")]
        other = pki.sign_csr_as_ca(radius.root, pki.make_csr(pki.make_key()))
        result = run(
            asp,
            certificate_authorities=[
                {"key": "lobby", "id": ids[0], **pems(radius, certificate=pki.pem(other))},
                {"key": "hall", "id": ids[1], **pems(radius)},
            ],
        )
        assert result["failed"] is True
        assert result["msg"].startswith("Failed for 1 of 2 certificate authorities: lobby: ")
        assert [item.get("failed", False) for item in result["results"]] == [True, False]
        assert result["results"][1]["certificate_authority"]["status"] == "ACTIVE"
        assert len(asp.calls("POST")) == 1

    def test_a_private_key_in_any_item_stops_everything_and_is_never_shown(self, asp, radius):
        ca_id = asp.service.add("Lobby")
        key_pem = pki.key_pem(radius.asp_key)
        result = run(
            asp,
            certificate_authorities=[
                {"key": "lobby", "id": ca_id, **pems(radius)},
                {"key": "hall", "id": ca_id, **pems(radius, certificate_chain=key_pem)},
            ],
        )
        assert result["failed"] is True
        assert result["msg"].startswith("certificate_authorities[1] (hall): certificate_chain")
        assert "contains a private key" in result["msg"]
        assert "PRIVATE KEY" not in str(result)
        assert asp.transport.requests == []

    def test_check_mode_imports_nothing(self, asp, radius):
        ca_id = asp.service.add("Lobby")
        result = run(asp, check_mode=True, certificate_authorities=[{"id": ca_id, **pems(radius)}])
        assert result["results"][0]["changed"] is True
        assert asp.calls("POST") == []

    def test_a_single_ca_option_beside_the_list_is_refused(self, asp, radius):
        result = run(asp, id="amzn1.x", certificate_authorities=[{"id": "amzn1.y", **pems(radius)}])
        assert result["failed"] is True and "mutually exclusive" in result["msg"]
