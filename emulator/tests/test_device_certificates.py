"""Device certificates from an ACTIVE CA: what ASP would push to an Echo, for RADIUS tests."""

from __future__ import annotations

from datetime import timedelta

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from conftest import ServiceClient, assert_error, emulator_now
from pki import certificate_pem, intermediate_ca, multiline, root_ca, sign_csr


def _active_ca(api: ServiceClient, months: int = 6) -> tuple[str, list[str]]:
    certificate_authority_id = api.create_ready("Devices", months)
    now = emulator_now(api.emulator)
    root = root_ca(now)
    issuing = intermediate_ca(root, now, "Test RADIUS Issuing CA")
    certificate = sign_csr(api.get(certificate_authority_id)["csr"], issuing, now)
    response = api.import_certificate(
        certificate_authority_id, certificate_pem(certificate), issuing.pem + root.pem
    )
    assert response.status_code == 204, response.text
    return certificate_authority_id, [certificate_pem(certificate), issuing.pem, root.pem]


def test_a_device_certificate_chains_to_the_imported_ca(api: ServiceClient) -> None:
    certificate_authority_id, chain = _active_ca(api, months=6)

    issued = api.emulator.device_certificate(certificate_authority_id, common_name="echo-42")

    device = x509.load_pem_x509_certificate(issued["certificate"].encode("ascii"))
    ca_certificate = x509.load_pem_x509_certificate(chain[0].encode("ascii"))
    device.verify_directly_issued_by(ca_certificate)
    assert device.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == "echo-42"
    usage = device.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    assert ExtendedKeyUsageOID.CLIENT_AUTH in usage
    assert device.extensions.get_extension_for_class(x509.BasicConstraints).value.ca is False
    lifetime = device.not_valid_after_utc - device.not_valid_before_utc
    assert timedelta(days=180) <= lifetime <= timedelta(days=186)
    key = serialization.load_pem_private_key(issued["private_key"].encode("ascii"), None)
    assert isinstance(key, rsa.RSAPrivateKey)
    assert key.public_key().public_numbers() == device.public_key().public_numbers()
    served_chain = x509.load_pem_x509_certificates(issued["certificate_chain"].encode("ascii"))
    assert [c.subject for c in served_chain] == [
        x509.load_pem_x509_certificate(multiline(pem).encode("ascii")).subject for pem in chain
    ]


def test_an_ec_device_key_on_request(api: ServiceClient) -> None:
    certificate_authority_id, _ = _active_ca(api)

    issued = api.emulator.device_certificate(certificate_authority_id, key_type="ec")

    key = serialization.load_pem_private_key(issued["private_key"].encode("ascii"), None)
    assert isinstance(key, ec.EllipticCurvePrivateKey)


def test_a_device_certificate_never_outlives_its_ca(api: ServiceClient) -> None:
    certificate_authority_id = api.create_ready("Short CA", 12)
    now = emulator_now(api.emulator)
    root = root_ca(now)
    certificate = sign_csr(
        api.get(certificate_authority_id)["csr"], root, now, not_after=now + timedelta(days=30)
    )
    api.import_certificate(certificate_authority_id, certificate_pem(certificate), root.pem)

    issued = api.emulator.device_certificate(certificate_authority_id)

    device = x509.load_pem_x509_certificate(issued["certificate"].encode("ascii"))
    assert device.not_valid_after_utc <= certificate.not_valid_after_utc


def test_only_an_active_ca_issues_device_certificates(api: ServiceClient) -> None:
    certificate_authority_id = api.create_ready("Pending")

    response = api.request(
        "POST", f"/_emulator/certificateAuthorities/{certificate_authority_id}/deviceCertificates"
    )

    assert_error(response, 400, "INVALID_STATE", "PENDING_CERTIFICATE")


def test_device_certificates_for_an_unknown_ca_are_404(api: ServiceClient) -> None:
    response = api.request("POST", "/_emulator/certificateAuthorities/nope/deviceCertificates")

    assert_error(response, 404, "NOT_FOUND")


@pytest.mark.parametrize(
    "body",
    [{"key_type": "dsa"}, {"common_name": ""}, {"common_name": "x" * 65}, {"serial": 1}],
    ids=["key-type", "empty-name", "long-name", "unknown"],
)
def test_a_bad_device_request_is_400(api: ServiceClient, body: dict) -> None:
    response = api.request(
        "POST", "/_emulator/certificateAuthorities/any/deviceCertificates", json=body
    )

    assert_error(response, 400, "BAD_REQUEST")
