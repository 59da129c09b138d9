"""One emulator subprocess for the session, reached over real HTTP like every client."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, Iterator

import httpx
import pytest

from asp_emulator.testing import EmulatorProcess, running_emulator

SERVICE = "/v1/enterprise/certificateAuthorities"


class ServiceClient:
    """The API as a client sees it, with one valid access token."""

    def __init__(self, emulator: EmulatorProcess, access_token: str) -> None:
        self.emulator = emulator
        self.http = httpx.Client(
            base_url=emulator.url,
            headers={"Authorization": f"Bearer {access_token}", "Accept": "application/json"},
            timeout=30,
        )

    def close(self) -> None:
        self.http.close()

    def request(self, method: str, path: str, **options: Any) -> httpx.Response:
        return self.http.request(method, path, **options)

    def create(self, name: str = "Customer Network #1", months: int = 6) -> str:
        response = self.http.post(SERVICE, json=creation_body(name, months))
        assert response.status_code == 201, response.text
        return response.json()["id"]

    def create_ready(self, name: str = "Customer Network #1", months: int = 6) -> str:
        """A CA already past CREATING: the emulator's clock is moved past the delay."""
        certificate_authority_id = self.create(name, months)
        self.emulator.advance_clock(CREATION_DELAY)
        return certificate_authority_id

    def get(self, certificate_authority_id: str, expand: bool = True) -> dict:
        params = {"expand": "all"} if expand else {}
        response = self.http.get(f"{SERVICE}/{certificate_authority_id}", params=params)
        assert response.status_code == 200, response.text
        return response.json()

    def import_certificate(
        self, certificate_authority_id: str, certificate: str, chain: str
    ) -> httpx.Response:
        return self.http.post(
            f"{SERVICE}/{certificate_authority_id}/importCertificate",
            json={"certificate": certificate, "certificateChain": chain},
        )


CREATION_DELAY = 2


def creation_body(name: str = "Customer Network #1", months: int = 6) -> dict:
    return {
        "friendlyName": {"type": "PLAIN", "value": {"text": name}},
        "rotationPeriod": {"value": months, "interval": "MONTHS"},
    }


def every_certificate_authority(api: ServiceClient, **params: object) -> list[dict]:
    listed: list[dict] = []
    next_token = None
    while True:
        query = {**params, **({"nextToken": next_token} if next_token else {})}
        page = api.request("GET", SERVICE, params=query).json()
        listed.extend(page["certificateAuthorities"])
        next_token = page.get("paginationContext", {}).get("nextToken")
        if not next_token:
            return listed


def emulator_now(emulator: EmulatorProcess) -> datetime:
    return datetime.strptime(emulator.now(), "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)


def assert_error(response: httpx.Response, status: int, error_type: str, *fragments: str) -> None:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"type", "message"}, body
    assert body["type"] == error_type, body
    for fragment in fragments:
        assert fragment in body["message"], body["message"]


@pytest.fixture(scope="session")
def emulator() -> Iterator[EmulatorProcess]:
    # EC keys: a session creates hundreds of CAs and RSA key generation would dominate its
    # run time. The default RSA keys have their own tests in test_rsa_keys.py.
    with running_emulator(creation_delay=CREATION_DELAY, key_type="ec") as process:
        yield process


@pytest.fixture()
def clean_emulator(emulator: EmulatorProcess) -> Iterator[EmulatorProcess]:
    """The session emulator with no faults and zeroed stats, before and after the test."""
    emulator.clear_faults()
    emulator.reset_stats()
    yield emulator
    emulator.clear_faults()


@pytest.fixture()
def api(clean_emulator: EmulatorProcess) -> Iterator[ServiceClient]:
    client = ServiceClient(clean_emulator, clean_emulator.mint_token(lifetime=10**9))
    yield client
    client.close()
