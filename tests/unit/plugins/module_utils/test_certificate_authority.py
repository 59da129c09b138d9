# Copyright: asp.enterprise_wifi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import pytest
from cryptography import x509

from ansible_collections.asp.enterprise_wifi.plugins.module_utils._certificate_authority import (
    check_name,
    complete_rotation_period,
    normalize_certificate_authority,
)
from ansible_collections.asp.enterprise_wifi.plugins.module_utils._errors import (
    AspAmbiguousNameError,
    AspApiError,
    AspError,
    AspServiceDataError,
)
from ansible_collections.asp.enterprise_wifi.tests.support import pki


@pytest.fixture(scope="module")
def issued():
    root = pki.make_root_ca()
    csr = pki.make_csr(pki.make_key())
    return root, csr


def service_ca(csr_text: str, certificate_text: str | None = None) -> dict:
    raw = {
        "id": "amzn1.alexa.enterprise.certificateAuthority.did.1",
        "friendlyName": {"type": "PLAIN", "value": {"text": "Customer Network #1"}},
        "status": "ACTIVE",
        "createdAt": "2024-03-15T12:10:00Z",
        "updatedAt": "2024-03-15T12:11:00Z",
        "csr": csr_text,
        "rotationPeriod": {"value": 6, "interval": "MONTHS"},
    }
    if certificate_text:
        raw["certificateMetadata"] = {
            "certificate": certificate_text,
            "certificateChain": certificate_text,
            "expiresAt": "2024-09-15T12:10:00Z",
            "activeFrom": "2024-03-15T12:10:00Z",
        }
    return raw


def test_normalizes_the_documented_example_into_snake_case_with_readable_pem(issued):
    root, csr = issued
    raw = service_ca(pki.one_line(pki.pem(csr)), pki.one_line(root.certificate_pem))
    certificate_authority = normalize_certificate_authority(raw)
    assert set(certificate_authority) == {
        "id",
        "name",
        "status",
        "created_at",
        "updated_at",
        "rotation_period",
        "csr",
        "certificate_metadata",
    }
    assert certificate_authority["name"] == "Customer Network #1"
    assert certificate_authority["created_at"] == "2024-03-15T12:10:00Z"
    assert certificate_authority["rotation_period"] == {"value": 6, "interval": "MONTHS"}
    loaded = x509.load_pem_x509_csr(certificate_authority["csr"].encode())
    assert loaded.public_key().public_numbers() == csr.public_key().public_numbers()
    metadata = certificate_authority["certificate_metadata"]
    assert set(metadata) == {"certificate", "certificate_chain", "expires_at", "active_from"}
    assert x509.load_pem_x509_certificate(metadata["certificate"].encode()) == root.certificate
    assert metadata["expires_at"] == "2024-09-15T12:10:00Z"


def test_leaves_out_csr_and_metadata_the_service_did_not_send():
    raw = service_ca("")
    del raw["csr"]
    certificate_authority = normalize_certificate_authority(raw)
    assert "csr" not in certificate_authority
    assert "certificate_metadata" not in certificate_authority


def test_a_csr_that_is_not_pem_is_a_clear_error():
    with pytest.raises(AspServiceDataError, match="CSR for certificate authority amzn1.* not PEM"):
        normalize_certificate_authority(service_ca("garbage"))


def test_a_ca_without_id_is_an_error():
    with pytest.raises(AspServiceDataError, match="without the field id"):
        normalize_certificate_authority({"status": "ACTIVE"})


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("friendlyName", {"type": "PLAIN"}, "without the field friendlyName.value.text"),
        ("friendlyName", None, "without the field friendlyName"),
        ("status", None, "without the field status"),
        ("status", "MELTING", "unknown status 'MELTING'"),
    ],
)
def test_a_ca_missing_what_decisions_rest_on_is_an_error(field, value, words):
    raw = service_ca("")
    raw[field] = value
    with pytest.raises(AspServiceDataError, match=words):
        normalize_certificate_authority(raw)


@pytest.mark.parametrize("name", ["a", "x" * 128, "Grand Hotel – guest Wi-Fi"])
def test_names_within_the_limits_pass(name):
    check_name(name)


@pytest.mark.parametrize(
    ("name", "words"),
    [("", "non-empty"), ("   ", "non-empty"), ("x" * 129, "1 to 128 characters, not 129")],
)
def test_names_outside_the_limits_fail(name, words):
    with pytest.raises(AspError, match=words):
        check_name(name)


def test_rotation_period_gets_the_default_interval():
    assert complete_rotation_period({"value": 6, "interval": None}) == {
        "value": 6,
        "interval": "MONTHS",
    }
    assert complete_rotation_period(None) is None


@pytest.mark.parametrize(
    ("rotation_period", "words"),
    [
        ({"value": 0, "interval": "MONTHS"}, "from 1 to 12 MONTHS, not 0"),
        ({"value": 13, "interval": "MONTHS"}, "not 13"),
        ({"value": "6", "interval": "MONTHS"}, "must be an integer"),
        ({"value": True, "interval": "MONTHS"}, "must be an integer"),
        ({"value": 6, "interval": "DAYS"}, "must be one of MONTHS, not DAYS"),
    ],
)
def test_rotation_periods_outside_the_limits_fail(rotation_period, words):
    with pytest.raises(AspError, match=words):
        complete_rotation_period(rotation_period)


def test_ambiguous_name_message_lists_the_ids():
    error = AspAmbiguousNameError("Twin", ["id-1", "id-2"])
    assert str(error) == (
        "The name 'Twin' matches 2 certificate authorities (id-1, id-2); set id to choose one"
    )


def test_api_error_message_without_an_answer():
    error = AspApiError("get certificate authority x", reason="could not connect to asp.test")
    assert str(error) == (
        "Failed to get certificate authority x: no answer from the service "
        "(could not connect to asp.test)"
    )
    assert error.retryable
    assert error.to_result() == {
        "status": None,
        "error_type": None,
        "request_id": None,
        "attempts": 1,
    }


def test_api_error_shortens_a_long_service_message():
    error = AspApiError("list certificate authorities", status=500, service_message="x " * 500)
    assert len(str(error)) < 300 and str(error).endswith("...")


@pytest.mark.parametrize(
    ("status", "maybe_sent", "effect"),
    [(None, True, True), (None, False, False), (500, True, True), (429, True, False)],
)
def test_which_failures_may_have_taken_effect(status, maybe_sent, effect):
    error = AspApiError("create certificate authority 'x'", status=status, maybe_sent=maybe_sent)
    assert error.may_have_taken_effect is effect
