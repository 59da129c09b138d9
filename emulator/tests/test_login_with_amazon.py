"""Login with Amazon's refresh grant, and the API's 401 and 403 to tokens it cannot accept."""

from __future__ import annotations

from typing import Iterator

import httpx
import pytest

from asp_emulator.testing import EmulatorProcess, running_emulator
from conftest import SERVICE, assert_error

TOKEN_PATH = "/auth/o2/token"
MANAGEMENT = "alexa::enterprise:management"
WIFI = "credential_locker::wifi_management"


def _form(emulator: EmulatorProcess, **overrides: str) -> dict[str, str]:
    form = {
        "grant_type": "refresh_token",
        "client_id": emulator.client_id,
        "client_secret": emulator.client_secret,
        "refresh_token": emulator.refresh_token,
    }
    form.update(overrides)
    return {name: value for name, value in form.items() if value is not None}


def _refresh(emulator: EmulatorProcess, **overrides: str) -> httpx.Response:
    return httpx.post(f"{emulator.url}{TOKEN_PATH}", data=_form(emulator, **overrides))


def _list(emulator: EmulatorProcess, authorization: str | None) -> httpx.Response:
    headers = {"Authorization": authorization} if authorization is not None else {}
    return httpx.get(f"{emulator.url}{SERVICE}", headers=headers)


def test_the_refresh_grant_returns_a_bearer_token_the_api_accepts(
    clean_emulator: EmulatorProcess,
) -> None:
    response = _refresh(clean_emulator)

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"access_token", "token_type", "expires_in", "refresh_token"}
    assert body["access_token"].startswith("Atza|")
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == 3600
    assert body["refresh_token"] == clean_emulator.refresh_token
    assert _list(clean_emulator, f"Bearer {body['access_token']}").status_code == 200
    assert clean_emulator.stats()["token_requests"] == 1


def test_each_refresh_issues_a_new_token(clean_emulator: EmulatorProcess) -> None:
    first = _refresh(clean_emulator).json()["access_token"]
    second = _refresh(clean_emulator).json()["access_token"]

    assert first != second


def test_a_json_body_is_accepted_too(clean_emulator: EmulatorProcess) -> None:
    response = httpx.post(f"{clean_emulator.url}{TOKEN_PATH}", json=_form(clean_emulator))

    assert response.status_code == 200


@pytest.mark.parametrize(
    ("overrides", "status", "error"),
    [
        ({"client_secret": "wrong"}, 401, "invalid_client"),
        ({"client_id": "someone-else"}, 401, "invalid_client"),
        ({"refresh_token": "Atzr|stolen"}, 400, "invalid_grant"),
        ({"grant_type": "client_credentials"}, 400, "unsupported_grant_type"),
        ({"grant_type": None}, 400, "invalid_request"),
        ({"refresh_token": None}, 400, "invalid_request"),
        ({"client_secret": ""}, 400, "invalid_request"),
    ],
    ids=[
        "bad-secret",
        "bad-client",
        "bad-refresh",
        "other-grant",
        "no-grant",
        "no-refresh",
        "empty-secret",
    ],
)
def test_bad_credentials_get_an_lwa_error(
    clean_emulator: EmulatorProcess, overrides: dict, status: int, error: str
) -> None:
    response = _refresh(clean_emulator, **overrides)

    assert response.status_code == status
    body = response.json()
    assert body["error"] == error and body["error_description"]
    assert clean_emulator.client_secret not in response.text


@pytest.mark.parametrize(
    ("authorization", "fragment"),
    [
        (None, "no Authorization header"),
        ("", "no Authorization header"),
        ("Basic YTpi", "Bearer"),
        ("Bearer", "Bearer"),
        ("Bearer Atza|never-issued", "not valid"),
    ],
    ids=["missing", "empty", "basic", "bearer-nothing", "unknown"],
)
def test_the_api_answers_401_to_a_token_it_cannot_accept(
    clean_emulator: EmulatorProcess, authorization: str | None, fragment: str
) -> None:
    response = _list(clean_emulator, authorization)

    assert_error(response, 401, "UNAUTHORIZED", fragment)


def test_an_expired_token_is_401(clean_emulator: EmulatorProcess) -> None:
    access_token = clean_emulator.mint_token(lifetime=60)
    assert _list(clean_emulator, f"Bearer {access_token}").status_code == 200

    clean_emulator.advance_clock(61)

    assert_error(_list(clean_emulator, f"Bearer {access_token}"), 401, "UNAUTHORIZED", "expired")


def test_a_refreshed_token_expires_with_the_clock_after_an_hour(
    clean_emulator: EmulatorProcess,
) -> None:
    access_token = _refresh(clean_emulator).json()["access_token"]

    clean_emulator.advance_clock(3599)
    still_valid = _list(clean_emulator, f"Bearer {access_token}")
    clean_emulator.advance_clock(2)

    assert still_valid.status_code == 200
    assert _list(clean_emulator, f"Bearer {access_token}").status_code == 401


@pytest.mark.parametrize("scopes", [[MANAGEMENT], [WIFI], []], ids=["no-wifi", "no-mgmt", "none"])
def test_a_token_without_both_scopes_is_403(
    clean_emulator: EmulatorProcess, scopes: list[str]
) -> None:
    access_token = clean_emulator.mint_token(scopes=scopes)

    response = _list(clean_emulator, f"Bearer {access_token}")

    missing = [scope for scope in (MANAGEMENT, WIFI) if scope not in scopes]
    assert_error(response, 403, "FORBIDDEN", *missing)


@pytest.fixture(scope="module")
def narrow_emulator() -> Iterator[EmulatorProcess]:
    with running_emulator(
        client_id="playbook-client",
        client_secret="playbook-secret",
        refresh_token="Atzr|playbook",
        scopes=[MANAGEMENT],
        token_lifetime=120,
    ) as emulator:
        yield emulator


def test_credentials_scopes_and_lifetime_come_from_the_command_line(
    narrow_emulator: EmulatorProcess,
) -> None:
    default_client = httpx.post(
        f"{narrow_emulator.url}{TOKEN_PATH}",
        data={
            "grant_type": "refresh_token",
            "client_id": "asp-emulator-client",
            "client_secret": "asp-emulator-secret",
            "refresh_token": "Atzr|asp-emulator-refresh-token",
        },
    )
    response = _refresh(narrow_emulator)

    assert default_client.status_code == 401
    assert response.status_code == 200
    assert response.json()["expires_in"] == 120
    access_token = response.json()["access_token"]
    assert_error(_list(narrow_emulator, f"Bearer {access_token}"), 403, "FORBIDDEN", WIFI)
