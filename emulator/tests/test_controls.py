"""The emulator's own controls: health, stats and clock, never counted and never guarded."""

from __future__ import annotations

import httpx
import pytest

from asp_emulator.testing import EmulatorProcess
from conftest import SERVICE, ServiceClient, creation_body, emulator_now


def test_health_is_ok_without_a_token(clean_emulator: EmulatorProcess) -> None:
    response = httpx.get(f"{clean_emulator.url}/_emulator/health")

    assert response.status_code == 200 and response.json()["status"] == "ok"


def test_stats_count_service_requests_by_operation_and_status(api: ServiceClient) -> None:
    certificate_authority_id = api.create()
    api.request("POST", f"{SERVICE}/", json=creation_body())
    api.request("POST", SERVICE, json={})
    api.get(certificate_authority_id)
    api.request("GET", f"{SERVICE}/missing")
    api.request("GET", SERVICE)
    api.request("PUT", f"{SERVICE}/{certificate_authority_id}", json=creation_body("New"))
    api.request("POST", f"{SERVICE}/{certificate_authority_id}/importCertificate", json={})
    api.request("DELETE", f"{SERVICE}/{certificate_authority_id}")
    httpx.get(f"{api.emulator.url}{SERVICE}")
    api.emulator.add_fault({"operation": "get", "kind": "429", "count": 1})
    api.request("GET", f"{SERVICE}/{certificate_authority_id}")

    stats = api.emulator.stats()

    assert stats["requests"] == {
        "create": {"201": 2, "400": 1},
        "get": {"200": 1, "404": 1, "429": 1},
        "list": {"200": 1, "401": 1},
        "update": {"204": 1},
        "import": {"400": 1},
        "delete": {"204": 1},
    }
    assert stats["token_requests"] == 0
    assert stats["total"] == 11


def test_control_requests_and_the_openapi_document_are_not_counted(
    clean_emulator: EmulatorProcess,
) -> None:
    for path in ("/_emulator/health", "/_emulator/clock", "/_emulator/faults", "/openapi.json"):
        httpx.get(f"{clean_emulator.url}{path}")
    clean_emulator.mint_token()

    assert clean_emulator.stats() == {
        "requests": {},
        "token_requests": 0,
        "token_responses": {},
        "total": 0,
    }


def test_token_requests_are_counted_apart_and_in_the_total(
    clean_emulator: EmulatorProcess,
) -> None:
    httpx.post(f"{clean_emulator.url}/auth/o2/token", data={"grant_type": "refresh_token"})

    stats = clean_emulator.stats()

    assert stats["token_requests"] == 1
    assert stats["token_responses"] == {"400": 1}
    assert stats["requests"] == {} and stats["total"] == 1


def test_delete_stats_resets_every_count(api: ServiceClient) -> None:
    api.request("GET", SERVICE)

    api.emulator.reset_stats()

    assert api.emulator.stats()["total"] == 0


def test_requests_off_the_service_paths_count_as_other(api: ServiceClient) -> None:
    response = api.request("GET", "/v2/something")
    wrong_method = api.request("PATCH", SERVICE)

    assert response.status_code == 404 and response.json()["type"] == "NOT_FOUND"
    assert wrong_method.status_code == 405
    assert set(wrong_method.headers["Allow"].replace(" ", "").split(",")) >= {"GET", "POST"}
    assert api.emulator.stats()["requests"] == {"other": {"404": 1, "405": 1}}


def test_the_clock_moves_forward_only_when_told(clean_emulator: EmulatorProcess) -> None:
    before = emulator_now(clean_emulator)

    moved = clean_emulator.advance_clock(86400)

    after = emulator_now(clean_emulator)
    assert (after - before).total_seconds() >= 86400
    assert moved.endswith("Z")


@pytest.mark.parametrize(
    "body",
    [{"advance_seconds": -1}, {"advance_seconds": "1"}, {}, {"advance_seconds": 1, "x": 1}],
    ids=["negative", "string", "empty", "extra"],
)
def test_the_clock_refuses_a_bad_advance(clean_emulator: EmulatorProcess, body: dict) -> None:
    status, error = clean_emulator.request("POST", "/_emulator/clock", body)

    assert status == 400 and error["type"] == "BAD_REQUEST"


@pytest.mark.parametrize(
    "body",
    [{"scopes": "all"}, {"lifetime": -5}, {"scopes": [], "colour": 1}],
    ids=["scopes-str", "negative-lifetime", "extra"],
)
def test_minting_refuses_a_bad_request(clean_emulator: EmulatorProcess, body: dict) -> None:
    status, error = clean_emulator.request("POST", "/_emulator/tokens", body)

    assert status == 400 and error["type"] == "BAD_REQUEST"


def test_the_openapi_document_names_every_service_operation(
    clean_emulator: EmulatorProcess,
) -> None:
    document = httpx.get(f"{clean_emulator.url}/openapi.json").json()

    operations = {
        operation["operationId"]
        for path in document["paths"].values()
        for method, operation in path.items()
        if method != "parameters"
    }
    assert operations == {
        "createCertificateAuthority",
        "createCertificateAuthorityTrailingSlash",
        "listCertificateAuthorities",
        "getCertificateAuthority",
        "updateCertificateAuthority",
        "deleteCertificateAuthority",
        "importCertificate",
        "refreshAccessToken",
    }
