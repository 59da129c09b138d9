"""Import checks as AWS Private CA makes them: each failure a 400 that names the check."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from conftest import ServiceClient, assert_error, emulator_now
from pki import (
    Authority,
    certificate_pem,
    intermediate_ca,
    issue,
    root_ca,
    sign_csr,
    single_line,
)


class ImportCase:
    def __init__(self, api: ServiceClient) -> None:
        self.api = api
        self.id = api.create_ready("Import checks")
        self.csr = api.get(self.id)["csr"]
        self.now: datetime = emulator_now(api.emulator)
        self.root: Authority = root_ca(self.now)

    def signed(self, issuer: Authority | None = None, **options: object) -> str:
        return certificate_pem(sign_csr(self.csr, issuer or self.root, self.now, **options))

    def send(self, certificate: str, chain: str):  # noqa: ANN201
        return self.api.import_certificate(self.id, certificate, chain)

    def status(self) -> str:
        return self.api.get(self.id)["status"]


@pytest.fixture()
def case(api: ServiceClient) -> ImportCase:
    return ImportCase(api)


def test_multi_line_pem_signed_by_the_root_is_accepted(case: ImportCase) -> None:
    response = case.send(case.signed(), case.root.pem)

    assert response.status_code == 204, response.text
    assert case.status() == "ACTIVE"


def test_single_line_pem_is_accepted(case: ImportCase) -> None:
    response = case.send(single_line(case.signed()), single_line(case.root.pem))

    assert response.status_code == 204, response.text


def test_a_chain_through_an_intermediate_issuer_first_is_accepted(case: ImportCase) -> None:
    intermediate = intermediate_ca(case.root, case.now, "Test RADIUS Issuing CA")

    response = case.send(case.signed(intermediate), intermediate.pem + case.root.pem)

    assert response.status_code == 204, response.text
    chain = case.api.get(case.id)["certificateMetadata"]["certificateChain"]
    assert chain.count("BEGIN CERTIFICATE") == 2


def test_a_chain_that_stops_below_the_root_is_accepted_when_its_links_verify(
    case: ImportCase,
) -> None:
    intermediate = intermediate_ca(case.root, case.now, "Test RADIUS Issuing CA")

    response = case.send(case.signed(intermediate), intermediate.pem)

    assert response.status_code == 204, response.text


def test_the_chain_in_the_wrong_order_is_refused(case: ImportCase) -> None:
    intermediate = intermediate_ca(case.root, case.now, "Test RADIUS Issuing CA")

    response = case.send(case.signed(intermediate), case.root.pem + intermediate.pem)

    assert_error(response, 400, "BAD_REQUEST", "does not verify certificate", "issuer first")
    assert case.status() == "PENDING_CERTIFICATE"


def test_a_chain_from_another_root_is_refused(case: ImportCase) -> None:
    stranger = root_ca(case.now, "Some Other Root")

    response = case.send(case.signed(), stranger.pem)

    assert_error(response, 400, "BAD_REQUEST", "issuer name is not the next certificate's subject")


def test_a_chain_whose_root_has_the_name_but_not_the_key_is_refused(case: ImportCase) -> None:
    impostor = root_ca(case.now)

    response = case.send(case.signed(), impostor.pem)

    assert_error(response, 400, "BAD_REQUEST", "signature does not verify")


def test_a_certificate_for_another_key_is_refused(case: ImportCase) -> None:
    other_key = ec.generate_private_key(ec.SECP256R1())
    certificate = certificate_pem(issue(case.root, other_key.public_key(), "Wrong key", case.now))

    response = case.send(certificate, case.root.pem)

    assert_error(response, 400, "BAD_REQUEST", "public key is not the CA's")


def test_a_certificate_that_is_not_a_ca_is_refused(case: ImportCase) -> None:
    response = case.send(case.signed(ca=False), case.root.pem)

    assert_error(response, 400, "BAD_REQUEST", "not a CA certificate", "CA:TRUE")


def test_a_certificate_without_basic_constraints_is_refused(case: ImportCase) -> None:
    response = case.send(case.signed(ca=None), case.root.pem)

    assert_error(response, 400, "BAD_REQUEST", "not a CA certificate")


def test_an_expired_certificate_is_refused(case: ImportCase) -> None:
    certificate = case.signed(
        not_before=case.now - timedelta(days=30), not_after=case.now - timedelta(days=1)
    )

    response = case.send(certificate, case.root.pem)

    assert_error(response, 400, "BAD_REQUEST", "certificate has expired", "notAfter")


def test_a_certificate_not_valid_yet_is_refused(case: ImportCase) -> None:
    certificate = case.signed(not_before=case.now + timedelta(days=1))

    response = case.send(certificate, case.root.pem)

    assert_error(response, 400, "BAD_REQUEST", "not valid yet", "notBefore")


def test_validity_is_judged_by_the_emulator_clock(case: ImportCase) -> None:
    certificate = case.signed(not_after=case.now + timedelta(days=2))
    case.api.emulator.advance_clock(3 * 86400)

    response = case.send(certificate, case.root.pem)

    assert_error(response, 400, "BAD_REQUEST", "has expired")


def test_an_expired_issuer_in_the_chain_is_refused(case: ImportCase) -> None:
    old_root = root_ca(
        case.now,
        "Old Root",
        not_before=case.now - timedelta(days=400),
        not_after=case.now - timedelta(days=1),
    )

    response = case.send(case.signed(old_root), old_root.pem)

    assert_error(response, 400, "BAD_REQUEST", "certificateChain certificate 1", "has expired")


def test_an_issuer_that_is_not_a_ca_is_refused(case: ImportCase) -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    leaf_issuer = Authority(key, issue(case.root, key.public_key(), "Leaf", case.now, ca=False))

    response = case.send(case.signed(leaf_issuer), leaf_issuer.pem + case.root.pem)

    assert_error(response, 400, "BAD_REQUEST", "certificate 1", "not a CA certificate")


@pytest.mark.parametrize(
    ("certificate", "fragment"),
    [
        ("not a certificate", "certificate holds no PEM certificate"),
        ("-----BEGIN CERTIFICATE-----!!!!-----END CERTIFICATE-----", "not valid PEM"),
        ("-----BEGIN CERTIFICATE-----AAAA-----END CERTIFICATE-----", "not a valid X.509"),
        ("", "certificate holds no PEM certificate"),
    ],
    ids=["text", "bad-base64", "bad-der", "empty"],
)
def test_a_certificate_that_does_not_parse_is_refused(
    case: ImportCase, certificate: str, fragment: str
) -> None:
    response = case.send(certificate, case.root.pem)

    assert_error(response, 400, "BAD_REQUEST", fragment)


def test_a_chain_that_does_not_parse_is_refused(case: ImportCase) -> None:
    response = case.send(case.signed(), "garbage")

    assert_error(response, 400, "BAD_REQUEST", "certificateChain holds no PEM certificate")


def test_two_certificates_in_the_certificate_field_are_refused(case: ImportCase) -> None:
    response = case.send(case.signed() + case.root.pem, case.root.pem)

    assert_error(response, 400, "BAD_REQUEST", "exactly one certificate")


def test_a_private_key_anywhere_is_refused_without_echoing_it(case: ImportCase) -> None:
    key_pem = case.root.key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode("ascii")

    response = case.send(case.signed(), case.root.pem + key_pem)

    assert_error(response, 400, "BAD_REQUEST", "certificateChain contains a private key")
    assert key_pem.splitlines()[1] not in response.text


def test_a_csr_in_place_of_the_certificate_is_refused(case: ImportCase) -> None:
    response = case.send(case.csr, case.root.pem)

    assert_error(response, 400, "BAD_REQUEST", "CERTIFICATE REQUEST block")


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ({"certificateChain": "x"}, "certificate is required"),
        ({"certificate": "x"}, "certificateChain is required"),
        ({"certificate": 1, "certificateChain": "x"}, "certificate must be a string"),
        ({"certificate": "x", "certificateChain": ["x"]}, "certificateChain must be a string"),
        ({"certificate": "x", "certificateChain": "x", "extra": 1}, "Unknown field 'extra'"),
    ],
    ids=["no-certificate", "no-chain", "certificate-int", "chain-list", "unknown-field"],
)
def test_an_import_body_of_the_wrong_shape_is_refused(
    case: ImportCase, body: dict, fragment: str
) -> None:
    response = case.api.request(
        "POST", f"/v1/enterprise/certificateAuthorities/{case.id}/importCertificate", json=body
    )

    assert_error(response, 400, "BAD_REQUEST", fragment)
