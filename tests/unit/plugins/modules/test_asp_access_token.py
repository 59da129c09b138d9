# Copyright: asp.enterprise_wifi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import re
import time
from datetime import datetime, timezone

from ansible_collections.asp.enterprise_wifi.plugins.modules import asp_access_token
from ansible_collections.asp.enterprise_wifi.tests.unit.plugins.module_utils.asp_fakes import (
    GIVEN_ACCESS_TOKEN,
    answer,
    assert_no_secret,
)
from ansible_collections.asp.enterprise_wifi.tests.unit.plugins.modules.asp_module_harness import (
    TOKEN_ONLY,
)


def test_exchanges_the_refresh_credentials_once(harness):
    result = harness.run(asp_access_token, {})
    assert result["changed"] is False
    assert result["access_token"] == "Atza|unit-fresh-1"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", result["expires_at"])
    assert len(harness.transport.requests) == 1
    assert harness.transport.requests[0].form["grant_type"] == "refresh_token"


def test_expiry_is_an_hour_after_the_exchange(harness):
    before = time.time()
    result = harness.run(asp_access_token, {})
    expires_at = datetime.strptime(result["expires_at"], "%Y-%m-%dT%H:%M:%SZ")
    lifetime = expires_at.replace(tzinfo=timezone.utc).timestamp() - before
    assert 3598 <= lifetime <= 3602


def test_works_in_check_mode(harness):
    result = harness.run(asp_access_token, {}, check_mode=True)
    assert result["access_token"] == "Atza|unit-fresh-1"


def test_with_only_an_access_token_returns_null_without_a_request(harness):
    result = harness.run(asp_access_token, {}, connection=TOKEN_ONLY)
    assert result["access_token"] is None and result["expires_at"] is None
    assert harness.transport.requests == []
    assert GIVEN_ACCESS_TOKEN not in str(result)


def test_a_refused_exchange_fails_readably_without_secrets(harness):
    harness.service.faults["token"] = [
        answer(
            401, {"error": "invalid_client", "error_description": "Client authentication failed"}
        )
    ]
    result = harness.run(asp_access_token, {})
    assert result["failed"] is True
    assert result["msg"] == (
        "Failed to get an access token from Login with Amazon: HTTP 401 invalid_client: "
        "Client authentication failed"
    )
    assert "access_token" not in result
    assert_no_secret(str(result))


def test_incomplete_refresh_credentials_fail(harness):
    result = harness.run(
        asp_access_token, {}, connection={"client_id": "x", "refresh_token": "Atzr|y"}
    )
    assert result["failed"] is True and "also set client_secret" in result["msg"]
    assert "Atzr|y" not in str(result)
