"""The six operations, their paths and bodies, and the statuses a CA moves through."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from conftest import CREATION_DELAY, SERVICE, ServiceClient, assert_error, creation_body
from conftest import emulator_now, every_certificate_authority
from pki import certificate_pem, load_csr, root_ca, sign_csr

ID_PATTERN = re.compile(r"^amzn1\.alexa\.enterprise\.certificateAuthority\.did\.[0-9a-f]{32}$")
ISO_PATTERN = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")


@pytest.mark.parametrize("path", [SERVICE, f"{SERVICE}/"])
def test_create_answers_201_with_an_id_on_both_paths(api: ServiceClient, path: str) -> None:
    response = api.request("POST", path, json=creation_body("Both paths"))

    assert response.status_code == 201
    assert set(response.json()) == {"id"}
    assert ID_PATTERN.match(response.json()["id"])


def test_a_new_ca_is_creating_without_a_csr_then_pending_with_one(api: ServiceClient) -> None:
    certificate_authority_id = api.create("Network A", 12)

    creating = api.get(certificate_authority_id)
    assert creating["status"] == "CREATING"
    assert "csr" not in creating and "certificateMetadata" not in creating
    api.emulator.advance_clock(CREATION_DELAY)
    pending = api.get(certificate_authority_id)

    assert pending["status"] == "PENDING_CERTIFICATE"
    assert pending["id"] == certificate_authority_id
    assert pending["friendlyName"] == {"type": "PLAIN", "value": {"text": "Network A"}}
    assert pending["rotationPeriod"] == {"value": 12, "interval": "MONTHS"}
    assert ISO_PATTERN.match(pending["createdAt"]) and ISO_PATTERN.match(pending["updatedAt"])
    assert pending["csr"].startswith("-----BEGIN CERTIFICATE REQUEST-----")
    assert "\n" not in pending["csr"], "the reference shows CSRs without line breaks"
    assert "certificateMetadata" not in pending


def test_get_without_expand_leaves_out_csr_and_metadata(api: ServiceClient) -> None:
    certificate_authority_id = api.create_ready()

    view = api.get(certificate_authority_id, expand=False)

    assert view["status"] == "PENDING_CERTIFICATE"
    assert "csr" not in view and "certificateMetadata" not in view


def test_get_rejects_an_unknown_expand_value(api: ServiceClient) -> None:
    certificate_authority_id = api.create()

    response = api.request("GET", f"{SERVICE}/{certificate_authority_id}?expand=some")

    assert_error(response, 400, "BAD_REQUEST", "expand")


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE"])
def test_an_unknown_id_is_404(api: ServiceClient, method: str) -> None:
    body = creation_body() if method == "PUT" else None

    response = api.request(method, f"{SERVICE}/amzn1.alexa.enterprise.nope", json=body)

    assert_error(response, 404, "NOT_FOUND", "amzn1.alexa.enterprise.nope")


def test_import_into_an_unknown_id_is_404(api: ServiceClient) -> None:
    response = api.import_certificate("no-such-ca", "x", "y")

    assert_error(response, 404, "NOT_FOUND")


def test_each_ca_has_its_own_key_and_a_validly_signed_csr(api: ServiceClient) -> None:
    first = load_csr(api.get(api.create_ready("Key one"))["csr"])
    second = load_csr(api.get(api.create_ready("Key two"))["csr"])

    assert first.is_signature_valid and second.is_signature_valid
    assert first.public_key().public_numbers() != second.public_key().public_numbers()


def test_update_changes_name_and_rotation_period_and_updated_at(api: ServiceClient) -> None:
    certificate_authority_id = api.create_ready("Before")
    api.emulator.advance_clock(5)
    before = api.get(certificate_authority_id)

    response = api.request(
        "PUT",
        f"{SERVICE}/{certificate_authority_id}",
        json={"friendlyName": {"type": "PLAIN", "value": {"text": "After"}}},
    )
    assert response.status_code == 204 and response.content == b""
    renamed = api.get(certificate_authority_id)
    response = api.request(
        "PUT",
        f"{SERVICE}/{certificate_authority_id}",
        json={"rotationPeriod": {"value": 3, "interval": "MONTHS"}},
    )
    assert response.status_code == 204
    rotated = api.get(certificate_authority_id)

    assert renamed["friendlyName"]["value"]["text"] == "After"
    assert renamed["rotationPeriod"] == before["rotationPeriod"]
    assert renamed["updatedAt"] > before["updatedAt"]
    assert rotated["rotationPeriod"] == {"value": 3, "interval": "MONTHS"}
    assert rotated["friendlyName"]["value"]["text"] == "After"
    assert rotated["createdAt"] == before["createdAt"]


def test_update_of_both_fields_at_once(api: ServiceClient) -> None:
    certificate_authority_id = api.create()

    response = api.request(
        "PUT", f"{SERVICE}/{certificate_authority_id}", json=creation_body("Both", 9)
    )

    assert response.status_code == 204
    view = api.get(certificate_authority_id)
    assert view["friendlyName"]["value"]["text"] == "Both"
    assert view["rotationPeriod"]["value"] == 9


def test_update_with_an_empty_body_is_400(api: ServiceClient) -> None:
    certificate_authority_id = api.create()

    response = api.request("PUT", f"{SERVICE}/{certificate_authority_id}", json={})

    assert_error(response, 400, "BAD_REQUEST", "friendlyName, rotationPeriod or both")


def test_update_rejects_an_invalid_field_like_create(api: ServiceClient) -> None:
    certificate_authority_id = api.create()

    response = api.request(
        "PUT",
        f"{SERVICE}/{certificate_authority_id}",
        json={"rotationPeriod": {"value": 13, "interval": "MONTHS"}},
    )

    assert_error(response, 400, "BAD_REQUEST", "rotationPeriod.value", "13")


def test_delete_answers_204_then_the_ca_is_gone(api: ServiceClient) -> None:
    certificate_authority_id = api.create_ready()

    response = api.request("DELETE", f"{SERVICE}/{certificate_authority_id}")

    assert response.status_code == 204 and response.content == b""
    gone = api.request("GET", f"{SERVICE}/{certificate_authority_id}")
    assert_error(gone, 404, "NOT_FOUND")
    again = api.request("DELETE", f"{SERVICE}/{certificate_authority_id}")
    assert_error(again, 404, "NOT_FOUND")


def test_delete_is_allowed_while_creating(api: ServiceClient) -> None:
    certificate_authority_id = api.create()

    response = api.request("DELETE", f"{SERVICE}/{certificate_authority_id}")

    assert response.status_code == 204


def _activate(api: ServiceClient, certificate_authority_id: str, **options: object) -> None:
    now = emulator_now(api.emulator)
    root = root_ca(now)
    certificate = sign_csr(api.get(certificate_authority_id)["csr"], root, now, **options)
    response = api.import_certificate(
        certificate_authority_id, certificate_pem(certificate), root.pem
    )
    assert response.status_code == 204, response.text


def test_import_makes_the_ca_active_with_metadata_from_the_certificate(
    api: ServiceClient,
) -> None:
    certificate_authority_id = api.create_ready()
    now = emulator_now(api.emulator)
    root = root_ca(now)
    certificate = sign_csr(
        api.get(certificate_authority_id)["csr"],
        root,
        now,
        not_before=now - timedelta(minutes=10),
        not_after=now + timedelta(days=200),
    )

    response = api.import_certificate(
        certificate_authority_id, certificate_pem(certificate), root.pem
    )

    assert response.status_code == 204 and response.content == b""
    view = api.get(certificate_authority_id)
    assert view["status"] == "ACTIVE"
    metadata = view["certificateMetadata"]
    assert metadata["activeFrom"] == (now - timedelta(minutes=10)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert metadata["expiresAt"] == (now + timedelta(days=200)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert "".join(certificate_pem(certificate).splitlines()) == metadata["certificate"]
    assert "".join(root.pem.splitlines()) == metadata["certificateChain"]
    assert "certificateMetadata" not in api.get(certificate_authority_id, expand=False)


def test_an_active_ca_expires_when_the_clock_passes_not_after_and_reimport_revives_it(
    api: ServiceClient,
) -> None:
    certificate_authority_id = api.create_ready()
    now = emulator_now(api.emulator)
    _activate(api, certificate_authority_id, not_after=now + timedelta(hours=1))

    api.emulator.advance_clock(3600 + 5)
    expired = api.get(certificate_authority_id)
    _activate(api, certificate_authority_id)
    revived = api.get(certificate_authority_id)

    assert expired["status"] == "EXPIRED"
    assert expired["csr"], "an EXPIRED CA still offers its CSR"
    assert revived["status"] == "ACTIVE"
    assert (
        revived["certificateMetadata"]["expiresAt"] > expired["certificateMetadata"]["expiresAt"]
    )


def test_reimport_into_an_active_ca_rotates_its_certificate(api: ServiceClient) -> None:
    certificate_authority_id = api.create_ready()
    _activate(api, certificate_authority_id)
    first = api.get(certificate_authority_id)["certificateMetadata"]

    _activate(api, certificate_authority_id)
    second = api.get(certificate_authority_id)

    assert second["status"] == "ACTIVE"
    assert second["certificateMetadata"]["certificate"] != first["certificate"]
    assert second["certificateMetadata"]["certificateChain"] != first["certificateChain"]


def test_import_while_creating_is_invalid_state(api: ServiceClient) -> None:
    certificate_authority_id = api.create()
    now = emulator_now(api.emulator)
    root = root_ca(now)

    response = api.import_certificate(certificate_authority_id, root.pem, root.pem)

    assert_error(response, 400, "INVALID_STATE", "CREATING")


def test_a_create_told_to_fail_ends_failed_and_refuses_import_and_update(
    api: ServiceClient,
) -> None:
    api.emulator.add_fault({"operation": "create", "kind": "fail_create", "count": 1})
    certificate_authority_id = api.create("Doomed")
    assert api.get(certificate_authority_id)["status"] == "CREATING"

    api.emulator.advance_clock(CREATION_DELAY)
    failed = api.get(certificate_authority_id)
    root = root_ca(emulator_now(api.emulator))
    imported = api.import_certificate(certificate_authority_id, root.pem, root.pem)
    updated = api.request("PUT", f"{SERVICE}/{certificate_authority_id}", json=creation_body())
    deleted = api.request("DELETE", f"{SERVICE}/{certificate_authority_id}")

    assert failed["status"] == "FAILED"
    assert "csr" not in failed
    assert_error(imported, 400, "INVALID_STATE", "FAILED")
    assert_error(updated, 400, "INVALID_STATE", "FAILED")
    assert deleted.status_code == 204


def test_updated_at_follows_the_status_change_the_clock_causes(api: ServiceClient) -> None:
    certificate_authority_id = api.create()
    creating = api.get(certificate_authority_id)

    api.emulator.advance_clock(CREATION_DELAY + 60)
    pending = api.get(certificate_authority_id)

    assert creating["updatedAt"] == creating["createdAt"]
    assert pending["updatedAt"] > creating["updatedAt"]


def test_concurrent_clients_all_get_correct_answers(api: ServiceClient) -> None:
    from concurrent.futures import ThreadPoolExecutor

    access_token = api.http.headers["Authorization"].removeprefix("Bearer ")

    def client(number: int) -> list[str]:
        own = ServiceClient(api.emulator, access_token)
        created = []
        for round_number in range(5):
            name = f"Concurrent {number}-{round_number}"
            certificate_authority_id = own.create(name)
            assert own.get(certificate_authority_id)["friendlyName"]["value"]["text"] == name
            assert own.request("GET", SERVICE, params={"maxResults": 10}).status_code == 200
            created.append(certificate_authority_id)
        own.close()
        return created

    with ThreadPoolExecutor(max_workers=8) as pool:
        created = [ca_id for ids in pool.map(client, range(8)) for ca_id in ids]

    listed = {ca["id"] for ca in every_certificate_authority(api)}
    assert len(set(created)) == 40 and set(created) <= listed
