"""Every fault kind, by count and by rate, per operation or for all, at run time and start-up."""

from __future__ import annotations

import threading
import time
from typing import Iterator

import httpx
import pytest

from asp_emulator.testing import EmulatorProcess, running_emulator
from conftest import CREATION_DELAY, SERVICE, ServiceClient, assert_error, creation_body
from conftest import every_certificate_authority


def test_429_with_retry_after_sends_the_header(api: ServiceClient) -> None:
    api.emulator.add_fault({"operation": "list", "kind": "429", "count": 1, "retry_after": 2})

    response = api.request("GET", SERVICE)

    assert_error(response, 429, "TOO_MANY_REQUESTS")
    assert response.headers["Retry-After"] == "2"
    assert api.request("GET", SERVICE).status_code == 200


def test_429_without_retry_after_sends_no_header(api: ServiceClient) -> None:
    api.emulator.add_fault({"operation": "create", "kind": 429, "count": 1})

    response = api.request("POST", SERVICE, json=creation_body())

    assert_error(response, 429, "TOO_MANY_REQUESTS")
    assert "Retry-After" not in response.headers


@pytest.mark.parametrize(
    ("kind", "error_type"), [("500", "INTERNAL_FAILURE"), ("503", "SERVICE_UNAVAILABLE")]
)
def test_500_and_503_answer_with_the_error_object(
    api: ServiceClient, kind: str, error_type: str
) -> None:
    api.emulator.add_fault({"operation": "get", "kind": kind, "count": 1})

    response = api.request("GET", f"{SERVICE}/any-id")

    assert_error(response, int(kind), error_type)


def test_503_may_carry_retry_after_in_whole_seconds(api: ServiceClient) -> None:
    api.emulator.add_fault({"operation": "get", "kind": "503", "count": 1, "retry_after": 6.2})

    response = api.request("GET", f"{SERVICE}/any-id")

    assert response.status_code == 503 and response.headers["Retry-After"] == "7"


def test_502_answers_with_an_html_page_as_a_proxy_would(api: ServiceClient) -> None:
    api.emulator.add_fault({"operation": "delete", "kind": "502", "count": 1})

    response = api.request("DELETE", f"{SERVICE}/any-id")

    assert response.status_code == 502
    assert response.headers["Content-Type"].startswith("text/html")
    assert "<html>" in response.text and "502 Bad Gateway" in response.text


def test_latency_delays_the_real_answer(api: ServiceClient) -> None:
    api.emulator.add_fault({"operation": "list", "kind": "latency", "seconds": 0.5, "count": 1})

    started = time.monotonic()
    response = api.request("GET", SERVICE)

    assert time.monotonic() - started >= 0.5
    assert response.status_code == 200 and "certificateAuthorities" in response.json()


def test_a_stall_outlasts_the_client_timeout_without_blocking_other_requests(
    api: ServiceClient,
) -> None:
    api.emulator.add_fault({"operation": "get", "kind": "stall", "count": 1})
    outcome: dict[str, BaseException] = {}

    def stalled_get() -> None:
        try:
            httpx.get(
                f"{api.emulator.url}{SERVICE}/stalled",
                headers=api.http.headers,
                timeout=3,
            )
        except httpx.TimeoutException as error:
            outcome["error"] = error

    worker = threading.Thread(target=stalled_get)
    worker.start()
    time.sleep(0.5)
    during = api.request("GET", SERVICE)
    worker.join()

    assert during.status_code == 200
    assert isinstance(outcome.get("error"), httpx.ReadTimeout)
    assert api.emulator.stats()["requests"]["get"] == {"stalled": 1}


def test_drop_closes_the_connection_without_an_answer(api: ServiceClient) -> None:
    api.emulator.add_fault({"operation": "get", "kind": "drop", "count": 1})

    with pytest.raises(httpx.TransportError):
        api.request("GET", f"{SERVICE}/dropped")

    assert api.emulator.stats()["requests"]["get"] == {"dropped": 1}
    assert api.request("GET", SERVICE).status_code == 200


def test_lost_create_stores_the_ca_but_answers_500(api: ServiceClient) -> None:
    api.emulator.add_fault({"operation": "create", "kind": "lost_create", "count": 1})

    response = api.request("POST", SERVICE, json=creation_body("Lost answer"))

    assert_error(response, 500, "INTERNAL_FAILURE")
    names = [ca["friendlyName"]["value"]["text"] for ca in every_certificate_authority(api)]
    assert names.count("Lost answer") == 1


def test_fail_create_answers_201_and_the_ca_ends_failed(api: ServiceClient) -> None:
    api.emulator.add_fault({"operation": "*", "kind": "fail_create", "count": 1})

    certificate_authority_id = api.create("Will fail")
    api.emulator.advance_clock(CREATION_DELAY)

    assert api.get(certificate_authority_id)["status"] == "FAILED"


def test_count_faults_the_next_n_requests_then_disappears(api: ServiceClient) -> None:
    rule = api.emulator.add_fault({"operation": "list", "kind": "500", "count": 2})

    statuses = [api.request("GET", SERVICE).status_code for _ in range(3)]

    assert rule["count"] == 2 and rule["id"]
    assert statuses == [500, 500, 200]
    assert api.emulator.faults() == []
    assert api.emulator.stats()["requests"]["list"] == {"500": 2, "200": 1}


def test_a_rate_of_one_always_fires_and_zero_never(api: ServiceClient) -> None:
    api.emulator.add_fault({"operation": "get", "kind": "503", "rate": 1.0})
    api.emulator.add_fault({"operation": "list", "kind": "503", "rate": 0.0})

    gets = {api.request("GET", f"{SERVICE}/x").status_code for _ in range(5)}
    lists = {api.request("GET", SERVICE).status_code for _ in range(5)}

    assert gets == {503} and lists == {200}
    rules = {rule["operation"]: rule for rule in api.emulator.faults()}
    assert rules["get"]["injected"] == 5 and rules["list"]["injected"] == 0


def test_a_rate_in_between_fires_for_some_requests_only(api: ServiceClient) -> None:
    api.emulator.add_fault({"operation": "delete", "kind": "429", "rate": 0.5})

    statuses = [api.request("DELETE", f"{SERVICE}/x").status_code for _ in range(60)]

    assert set(statuses) == {429, 404}


def test_a_rule_for_one_operation_leaves_the_others_alone(api: ServiceClient) -> None:
    api.emulator.add_fault({"operation": "update", "kind": "500"})

    listed = api.request("GET", SERVICE)
    updated = api.request("PUT", f"{SERVICE}/x", json=creation_body())

    assert listed.status_code == 200 and updated.status_code == 500


def test_star_covers_every_service_operation_but_not_token_requests(
    api: ServiceClient,
) -> None:
    api.emulator.add_fault({"operation": "*", "kind": "503"})
    base = f"{SERVICE}/x"

    statuses = {
        "create": api.request("POST", SERVICE, json=creation_body()).status_code,
        "list": api.request("GET", SERVICE).status_code,
        "get": api.request("GET", base).status_code,
        "update": api.request("PUT", base, json=creation_body()).status_code,
        "delete": api.request("DELETE", base).status_code,
        "import": api.request("POST", f"{base}/importCertificate", json={}).status_code,
    }
    token = httpx.post(
        f"{api.emulator.url}/auth/o2/token",
        data={
            "grant_type": "refresh_token",
            "client_id": api.emulator.client_id,
            "client_secret": api.emulator.client_secret,
            "refresh_token": api.emulator.refresh_token,
        },
    )

    assert set(statuses.values()) == {503}
    assert token.status_code == 200


@pytest.mark.parametrize(
    ("kind", "status", "error"),
    [
        ("429", 429, "slow_down"),
        ("500", 500, "server_error"),
        ("503", 503, "temporarily_unavailable"),
    ],
)
def test_token_faults_answer_in_lwa_shape(
    clean_emulator: EmulatorProcess, kind: str, status: int, error: str
) -> None:
    clean_emulator.add_fault({"operation": "token", "kind": kind, "count": 1})

    response = httpx.post(f"{clean_emulator.url}/auth/o2/token", data={})

    assert response.status_code == status and response.json()["error"] == error
    assert clean_emulator.stats()["token_requests"] == 1


def test_faults_can_be_listed_removed_one_by_one_and_cleared(
    clean_emulator: EmulatorProcess,
) -> None:
    first = clean_emulator.add_fault({"operation": "get", "kind": "500"})
    second = clean_emulator.add_fault({"operation": "list", "kind": "stall", "seconds": 1})

    listed = clean_emulator.faults()
    status, _ = clean_emulator.request("DELETE", f"/_emulator/faults/{first['id']}")
    remaining = clean_emulator.faults()
    missing, _ = clean_emulator.request("DELETE", f"/_emulator/faults/{first['id']}")
    clean_emulator.clear_faults()

    assert [rule["id"] for rule in listed] == [first["id"], second["id"]]
    assert listed[1]["seconds"] == 1
    assert status == 204 and missing == 404
    assert [rule["id"] for rule in remaining] == [second["id"]]
    assert clean_emulator.faults() == []


@pytest.mark.parametrize(
    ("rule", "fragment"),
    [
        ({"operation": "get", "kind": "418"}, "kind must be one of"),
        ({"operation": "fetch", "kind": "500"}, "operation must be"),
        ({"operation": "get", "kind": "500", "colour": 1}, "unknown fault rule field 'colour'"),
        ({"operation": "get", "kind": "lost_create"}, "create operation only"),
        ({"operation": "get", "kind": "latency"}, "needs 'seconds'"),
        ({"operation": "get", "kind": "500", "count": 0}, "'count' must be an integer >= 1"),
        ({"operation": "get", "kind": "500", "rate": 2}, "'rate' must be from 0.0 to 1.0"),
        ({"operation": "get", "kind": "500", "retry_after": 1}, "429 and 503 only"),
        ({"operation": "get", "kind": "500", "seconds": 1}, "latency and stall only"),
    ],
    ids=[
        "kind",
        "operation",
        "field",
        "lost-on-get",
        "latency",
        "count",
        "rate",
        "retry",
        "seconds",
    ],
)
def test_a_fault_rule_that_makes_no_sense_is_400(
    clean_emulator: EmulatorProcess, rule: dict, fragment: str
) -> None:
    status, body = clean_emulator.request("POST", "/_emulator/faults", rule)

    assert status == 400 and fragment in body["message"], body
    assert clean_emulator.faults() == []


@pytest.fixture(scope="module")
def faulty_emulator() -> Iterator[EmulatorProcess]:
    with running_emulator(
        fault=[
            {"operation": "list", "kind": "503", "count": 1},
            "operation=get,kind=429,count=1,retry_after=3",
        ]
    ) as emulator:
        yield emulator


def test_faults_given_at_start_up_as_json_or_key_value_pairs(
    faulty_emulator: EmulatorProcess,
) -> None:
    headers = {"Authorization": f"Bearer {faulty_emulator.mint_token()}"}

    listed = faulty_emulator.request("GET", SERVICE, headers=headers)
    got = faulty_emulator.request("GET", f"{SERVICE}/x", headers=headers)

    assert listed[0] == 503
    assert got[0] == 429
    assert faulty_emulator.faults() == []


def test_a_stall_does_not_hold_up_shutdown() -> None:
    with running_emulator() as emulator:
        emulator.add_fault({"operation": "list", "kind": "stall", "seconds": 300})
        headers = {"Authorization": f"Bearer {emulator.mint_token()}"}
        worker = threading.Thread(
            target=lambda: pytest.raises(
                httpx.TransportError,
                httpx.get,
                f"{emulator.url}{SERVICE}",
                headers=headers,
                timeout=60,
            ),
        )
        worker.start()
        time.sleep(0.5)

        emulator.stop()
        worker.join()

        assert emulator.process is not None
        assert emulator.process.returncode in (0, -15), "stopped by SIGTERM, not SIGKILL"
