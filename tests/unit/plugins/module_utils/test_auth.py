# Copyright: asp.enterprise_wifi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import pytest

from ansible_collections.asp.enterprise_wifi.plugins.module_utils._auth import (
    TokenSource,
    check_credentials,
)
from ansible_collections.asp.enterprise_wifi.plugins.module_utils._errors import (
    AspAuthError,
    AspError,
)
from ansible_collections.asp.enterprise_wifi.plugins.module_utils._http import TransportError
from ansible_collections.asp.enterprise_wifi.plugins.module_utils._retries import (
    Retrier,
    RetryPolicy,
)
from ansible_collections.asp.enterprise_wifi.tests.unit.plugins.module_utils.asp_fakes import (
    CLIENT_ID,
    CLIENT_SECRET,
    GIVEN_ACCESS_TOKEN,
    REFRESH_TOKEN,
    TOKEN_URL,
    Clock,
    FakeAsp,
    RecordingTransport,
    answer,
    assert_no_secret,
)


def token_source(handler, *, access_token=None, secret=CLIENT_SECRET, retries=2):
    transport = RecordingTransport(handler)
    clock = Clock()
    source = TokenSource(
        transport=transport,
        retrier=Retrier(RetryPolicy(retries=retries), sleep=clock.sleep, rng=lambda: 0.0),
        token_url=TOKEN_URL,
        access_token=access_token,
        client_id=CLIENT_ID,
        client_secret=secret,
        refresh_token=REFRESH_TOKEN,
        clock=clock,
    )
    return source, transport, clock


def check_given_credentials(given: dict) -> None:
    check_credentials(
        access_token=given.get("access_token"),
        client_id=given.get("client_id"),
        client_secret=given.get("client_secret"),
        refresh_token=given.get("refresh_token"),
    )


def test_exchanges_the_refresh_token_once_and_reuses_the_access_token():
    source, transport, clock = token_source(FakeAsp())
    assert source.bearer() == "Atza|unit-fresh-1"
    assert source.bearer() == "Atza|unit-fresh-1"
    assert len(transport.requests) == 1
    request = transport.requests[0]
    assert request.method == "POST" and request.url == TOKEN_URL
    assert request.form == {
        "grant_type": "refresh_token",
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "refresh_token": REFRESH_TOKEN,
    }
    assert "Authorization" not in request.headers


def test_expiry_is_the_answers_lifetime_from_the_request_time():
    source, _transport, clock = token_source(FakeAsp())
    token = source.refresh()
    assert token.expires_at == clock.now + 3600
    assert "Atza" not in repr(token)


def test_a_token_renewed_since_it_was_rejected_is_kept_not_exchanged_again():
    source, transport, _clock = token_source(FakeAsp(), access_token=GIVEN_ACCESS_TOKEN)
    renewed = source.refresh(rejected=GIVEN_ACCESS_TOKEN).token
    assert renewed == "Atza|unit-fresh-1"
    # A second client whose request carried the old token was rejected as well.
    assert source.refresh(rejected=GIVEN_ACCESS_TOKEN).token == renewed
    assert len(transport.requests) == 1
    assert source.refresh(rejected=renewed).token == "Atza|unit-fresh-2"


def test_a_token_close_to_expiry_is_renewed_before_use():
    source, transport, clock = token_source(FakeAsp())
    source.bearer()
    clock.now += 3600 - 59
    assert source.bearer() == "Atza|unit-fresh-2"
    assert len(transport.requests) == 2


def test_a_given_access_token_is_used_without_an_exchange():
    source, transport, _clock = token_source(FakeAsp(), access_token=GIVEN_ACCESS_TOKEN)
    assert source.bearer() == GIVEN_ACCESS_TOKEN
    assert transport.requests == []


def test_lwa_refusal_names_the_error_and_never_a_secret():
    source, transport, _clock = token_source(FakeAsp(), secret="wrong-secret-value-99")
    with pytest.raises(AspAuthError) as caught:
        source.bearer()
    message = str(caught.value)
    assert message.startswith("Failed to get an access token from Login with Amazon: HTTP 400")
    assert "invalid_grant" in message
    assert "wrong-secret-value-99" not in message
    assert_no_secret(message)
    assert len(transport.requests) == 1


def test_lwa_outage_is_retried():
    service = FakeAsp(faults={"token": [answer(503, b""), answer(500, b"oops")]})
    source, transport, clock = token_source(service)
    assert source.bearer() == "Atza|unit-fresh-1"
    assert len(transport.requests) == 3
    assert len(clock.sleeps) == 2


def test_lwa_unreachable_gives_up_with_the_count():
    error = TransportError("could not connect to lwa.test", maybe_sent=False)
    service = FakeAsp(faults={"token": [error, error, error]})
    source, _transport, _clock = token_source(service, retries=2)
    with pytest.raises(AspAuthError) as caught:
        source.bearer()
    assert "gave up after 3 attempts" in str(caught.value)
    assert "could not connect to lwa.test" in str(caught.value)


def test_an_answer_without_access_token_is_an_error():
    source, _transport, _clock = token_source(lambda request: answer(200, {"token_type": "bearer"}))
    with pytest.raises(AspAuthError, match="holds no access_token"):
        source.bearer()


def test_html_from_lwa_is_readable():
    page = "<html><title>Service Unavailable</title></html>"
    source, _transport, _clock = token_source(
        lambda request: answer(403, page, {"Content-Type": "text/html"})
    )
    with pytest.raises(AspAuthError, match="HTTP 403 .text/html body of .* Service Unavailable"):
        source.bearer()


def test_refresh_without_refresh_credentials_explains_what_to_set():
    transport = RecordingTransport(FakeAsp())
    source = TokenSource(
        transport=transport,
        retrier=Retrier(RetryPolicy()),
        token_url=TOKEN_URL,
        access_token=GIVEN_ACCESS_TOKEN,
    )
    assert not source.can_refresh
    with pytest.raises(AspError, match="set client_id, client_secret and refresh_token"):
        source.refresh()


@pytest.mark.parametrize(
    ("given", "words"),
    [
        ({}, "No credentials for the ASP API"),
        ({"client_id": CLIENT_ID}, "also set client_secret, refresh_token"),
        ({"client_secret": CLIENT_SECRET, "refresh_token": REFRESH_TOKEN}, "also set client_id"),
        (
            {"access_token": GIVEN_ACCESS_TOKEN, "refresh_token": REFRESH_TOKEN},
            "also set client_id, client_secret",
        ),
    ],
)
def test_missing_credentials_are_named_and_values_never_shown(given, words):
    with pytest.raises(AspError) as caught:
        check_given_credentials(given)
    assert words in str(caught.value)
    assert_no_secret(str(caught.value))


@pytest.mark.parametrize(
    "given",
    [
        {"access_token": GIVEN_ACCESS_TOKEN},
        {"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET, "refresh_token": REFRESH_TOKEN},
        {
            "access_token": GIVEN_ACCESS_TOKEN,
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
            "refresh_token": REFRESH_TOKEN,
        },
    ],
)
def test_complete_credentials_pass(given):
    check_given_credentials(given)
