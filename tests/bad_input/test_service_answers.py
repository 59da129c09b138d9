"""Tokens the service refuses and answers a client must survive: each ends in a clear failure.

The emulator gives the service's own refusals and a proxy's HTML page. Answers it never
gives (a 2xx missing fields, an unknown status, an empty error body) come from a canned
HTTP server the test starts beside it.
"""

from __future__ import annotations

import pytest

from rollout_harness.local_http import CannedService
from rollout_harness.rejection import assert_refused, run_tasks

CERTIFICATE_AUTHORITY = "asp.enterprise_wifi.asp_certificate_authority"
INFO = "asp.enterprise_wifi.asp_ca_info"
CERTIFICATE_AUTHORITIES = "/v1/enterprise/certificateAuthorities"
WIFI_SCOPE = "credential_locker::wifi_management"
MANAGEMENT_SCOPE = "alexa::enterprise:management"


def _create(name: str, **connection) -> dict:
    return {
        "name": f"Create CA {name}",
        CERTIFICATE_AUTHORITY: {
            "name": name,
            "rotation_period": {"value": 6},
            "retries": 1,
            "timeout": 10,
            **connection,
        },
    }


def _token_only_env(emulator, access_token: str) -> dict[str, str]:
    """No refresh credentials, so a refused token cannot be replaced behind the test's back."""
    return {"ASP_API_URL": emulator.url, "ASP_ACCESS_TOKEN": access_token}


def test_token_that_expires_mid_run(workdir, emulator, service_guard):
    access_token = emulator.mint_token(lifetime=3600)
    tasks = [
        {"name": "Read the CAs while the token is fresh", INFO: {"retries": 1}},
        {
            "name": "Let two hours pass on the service's clock",
            "ansible.builtin.uri": {
                "url": f"{emulator.url}/_emulator/clock",
                "method": "POST",
                "body_format": "json",
                "body": {"advance_seconds": 7200},
            },
        },
        _create("created with an expired token"),
    ]
    run = run_tasks(workdir, tasks, env=_token_only_env(emulator, access_token))
    assert run.recap["localhost"]["ok"] == 2, run.describe()
    assert_refused(run, ("401", "unauthorized"), ("token",))
    assert access_token not in run.output
    service_guard.assert_unchanged()


def test_token_without_the_wifi_scope(workdir, emulator, service_guard):
    access_token = emulator.mint_token(scopes=[MANAGEMENT_SCOPE])
    run = run_tasks(
        workdir, [_create("created without scope")], env=_token_only_env(emulator, access_token)
    )
    assert_refused(run, ("403", "forbidden"), ("scope", WIFI_SCOPE))
    assert access_token not in run.output
    service_guard.assert_unchanged()


def test_token_the_service_never_issued(workdir, emulator, service_guard):
    forged = "Atza|forged-token-the-service-never-issued"
    run = run_tasks(
        workdir, [_create("created with a forged token")], env=_token_only_env(emulator, forged)
    )
    assert_refused(run, ("401", "unauthorized"), ("token", "not valid"))
    assert forged not in run.output
    service_guard.assert_unchanged()


def test_wrong_client_secret(workdir, emulator, service_guard):
    env = {**emulator.connection_env(), "ASP_CLIENT_SECRET": "wrong-secret-5c2e9a1f"}
    run = run_tasks(workdir, [_create("created with a wrong secret")], env=env)
    assert_refused(run, ("token", "login with amazon", "lwa"), ("401", "invalid_client", "client"))
    assert "wrong-secret-5c2e9a1f" not in run.output
    service_guard.assert_unchanged()


def test_proxy_html_page_instead_of_an_answer(workdir, emulator, connection_env, service_guard):
    emulator.add_fault({"operation": "create", "kind": "502", "count": 10})
    run = run_tasks(workdir, [_create("behind a failing proxy", retries=0)], env=connection_env)
    message = assert_refused(run, ("502",), ("create",))
    assert "<html" not in message.lower() and "<center>" not in message.lower(), message
    emulator.clear_faults()
    service_guard.assert_unchanged()


def test_server_errors_until_the_retries_run_out(workdir, emulator, connection_env, service_guard):
    emulator.add_fault({"operation": "create", "kind": "500", "count": 10})
    run = run_tasks(workdir, [_create("never answered", retries=2)], env=connection_env)
    assert_refused(run, ("500",), ("3 attempts", "attempts"))
    emulator.clear_faults()
    service_guard.assert_unchanged()


def test_throttled_until_the_retries_run_out(workdir, emulator, connection_env, service_guard):
    emulator.add_fault({"operation": "list", "kind": "429", "count": 10, "retry_after": 0})
    run = run_tasks(workdir, [_create("always throttled", retries=1)], env=connection_env)
    assert_refused(run, ("429", "too_many_requests"), ("attempts",))
    emulator.clear_faults()
    service_guard.assert_unchanged()


def _canned_env(canned: CannedService) -> dict[str, str]:
    return {"ASP_API_URL": canned.url, "ASP_ACCESS_TOKEN": "Atza|canned-service-token"}


def _writes(canned: CannedService) -> list[tuple[str, str]]:
    return [request for request in canned.requests if request[0] in ("POST", "PUT", "DELETE")]


def _canned_ca(**fields) -> dict:
    certificate_authority = {
        "id": "amzn1.alexa.enterprise.certificateAuthority.did.canned",
        "friendlyName": {"type": "PLAIN", "value": {"text": "canned"}},
        "rotationPeriod": {"value": 6, "interval": "MONTHS"},
        "status": "PENDING_CERTIFICATE",
        "createdAt": "2026-01-01T00:00:00Z",
        "updatedAt": "2026-01-01T00:00:00Z",
    }
    certificate_authority.update(fields)
    return {key: value for key, value in certificate_authority.items() if value is not None}


def test_empty_error_body(workdir):
    with CannedService() as canned:
        canned.answer("GET", CERTIFICATE_AUTHORITIES, 200, {"certificateAuthorities": []})
        canned.answer("POST", CERTIFICATE_AUTHORITIES, 400, b"", content_type="text/plain")
        run = run_tasks(workdir, [_create("refused without a word")], env=_canned_env(canned))
        assert_refused(run, ("400",), ("create",))
        assert _writes(canned) == [("POST", CERTIFICATE_AUTHORITIES)]


def test_error_body_that_is_not_json(workdir):
    with CannedService() as canned:
        canned.answer(
            "GET",
            CERTIFICATE_AUTHORITIES,
            403,
            b"<html><body>Denied</body></html>",
            content_type="text/html",
        )
        run = run_tasks(workdir, [_create("behind a portal")], env=_canned_env(canned))
        message = assert_refused(run, ("403",), ("list",))
        assert "<html" not in message.lower(), message
        assert not _writes(canned)


@pytest.mark.parametrize("missing", ["status", "friendlyName"])
def test_listing_that_misses_a_field(missing, workdir):
    partial = _canned_ca(**{missing: None})
    with CannedService() as canned:
        canned.answer("GET", CERTIFICATE_AUTHORITIES, 200, {"certificateAuthorities": [partial]})
        canned.answer("GET", f"{CERTIFICATE_AUTHORITIES}/{partial['id']}", 200, partial)
        run = run_tasks(workdir, [_create("canned")], env=_canned_env(canned))
        assert_refused(run, (missing.lower(), "field", "missing"))
        assert not _writes(canned)


def test_listing_without_its_array(workdir):
    with CannedService() as canned:
        canned.answer("GET", CERTIFICATE_AUTHORITIES, 200, {"unexpected": True})
        run = run_tasks(
            workdir, [{"name": "Read the CAs", INFO: {"retries": 0}}], env=_canned_env(canned)
        )
        assert_refused(run, ("certificateauthorities", "results", "list", "field", "missing"))
        assert not _writes(canned)


def test_success_that_is_not_json(workdir):
    with CannedService() as canned:
        canned.answer(
            "GET",
            CERTIFICATE_AUTHORITIES,
            200,
            b"<html>Welcome to the hotel Wi-Fi</html>",
            content_type="text/html",
        )
        run = run_tasks(
            workdir, [{"name": "Read the CAs", INFO: {"retries": 0}}], env=_canned_env(canned)
        )
        message = assert_refused(run, ("json", "not", "answer", "response"))
        assert "<html" not in message.lower(), message
        assert not _writes(canned)


def test_unknown_status(workdir):
    canned_ca = _canned_ca(status="MELTING")
    with CannedService() as canned:
        canned.answer("GET", CERTIFICATE_AUTHORITIES, 200, {"certificateAuthorities": [canned_ca]})
        canned.answer("GET", f"{CERTIFICATE_AUTHORITIES}/{canned_ca['id']}", 200, canned_ca)
        run = run_tasks(workdir, [_create("canned")], env=_canned_env(canned))
        assert_refused(run, ("melting",), ("status",))
        assert not _writes(canned)


def test_create_answer_without_an_id(workdir):
    with CannedService() as canned:
        canned.answer("GET", CERTIFICATE_AUTHORITIES, 200, {"certificateAuthorities": []})
        canned.answer("POST", CERTIFICATE_AUTHORITIES, 201, {"unexpected": "no id here"})
        run = run_tasks(workdir, [_create("canned without id")], env=_canned_env(canned))
        assert_refused(run, ("id",), ("create", "answer", "response"))
        # One create and no blind second one: a retry here would make a duplicate CA.
        assert _writes(canned) == [("POST", CERTIFICATE_AUTHORITIES)]
