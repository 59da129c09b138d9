# Copyright: asp.enterprise_wifi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import http.client
import socket

import pytest
import requests
import urllib3

from ansible_collections.asp.enterprise_wifi.plugins.module_utils._http import (
    HttpResponse,
    HttpTransport,
    TransportError,
    parse_retry_after,
)


class RaisingSession:
    """A requests.Session stand-in that raises one exception, or answers once."""

    def __init__(self, error: Exception | None = None) -> None:
        self.error = error
        self.kwargs: dict = {}

    def request(self, method, url, **kwargs):
        self.kwargs = kwargs
        if self.error is not None:
            raise self.error
        answer = requests.Response()
        answer.status_code = 200
        answer._content = b'{"ok": true}'
        answer.headers["x-amzn-RequestId"] = "req-1"
        return answer


def transport(error: Exception | None = None, **options) -> tuple[HttpTransport, RaisingSession]:
    session = RaisingSession(error)
    return HttpTransport(timeout=7, session=session, **options), session


def refused() -> requests.exceptions.ConnectionError:
    pool_error = urllib3.exceptions.NewConnectionError(None, "Connection refused")
    return requests.exceptions.ConnectionError(
        urllib3.exceptions.MaxRetryError(None, "/v1", pool_error)
    )


def dropped() -> requests.exceptions.ConnectionError:
    reason = urllib3.exceptions.ProtocolError(
        "Connection aborted.", http.client.RemoteDisconnected("closed")
    )
    return requests.exceptions.ConnectionError(reason)


@pytest.mark.parametrize(
    ("error", "maybe_sent", "words"),
    [
        (
            requests.exceptions.ConnectTimeout(),
            False,
            "could not connect to asp.test:8443 within 7 s",
        ),
        (requests.exceptions.ReadTimeout(), True, "no answer from asp.test:8443 within the 7 s"),
        (refused(), False, "could not connect to asp.test:8443"),
        (dropped(), True, "closed the connection without an answer"),
        (requests.exceptions.SSLError("certificate verify failed"), False, "TLS handshake"),
        (requests.exceptions.InvalidURL("bad"), False, "request to asp.test:8443 failed"),
    ],
)
def test_transport_errors_say_whether_the_request_may_have_been_sent(error, maybe_sent, words):
    http_transport, _session = transport(error)
    with pytest.raises(TransportError) as caught:
        http_transport.request("POST", "https://user:pw@asp.test:8443/v1/enterprise/x")
    assert caught.value.maybe_sent is maybe_sent
    assert words in caught.value.reason
    assert "pw" not in caught.value.reason


def test_socket_timeout_wrapped_by_requests_counts_as_maybe_sent():
    http_transport, _session = transport(
        requests.exceptions.ReadTimeout(socket.timeout("timed out"))
    )
    with pytest.raises(TransportError) as caught:
        http_transport.request("GET", "https://asp.test/")
    assert caught.value.maybe_sent


def test_request_sends_json_and_headers_with_timeout_and_verification():
    http_transport, session = transport(ca_path="/etc/ssl/custom.pem")
    answer = http_transport.request(
        "PUT", "https://asp.test/x", headers={"Authorization": "Bearer t"}, json_body={"a": 1}
    )
    assert answer.status == 200 and answer.json() == {"ok": True}
    assert answer.request_id == "req-1"
    assert session.kwargs["timeout"] == 7
    assert session.kwargs["verify"] == "/etc/ssl/custom.pem"
    assert session.kwargs["json"] == {"a": 1}
    assert session.kwargs["allow_redirects"] is False
    assert session.kwargs["headers"]["Accept"] == "application/json"
    assert session.kwargs["headers"]["Authorization"] == "Bearer t"


def test_validate_certs_false_turns_verification_off_even_with_a_ca_path():
    http_transport, session = transport(validate_certs=False, ca_path="/etc/ssl/custom.pem")
    http_transport.request("GET", "https://asp.test/x")
    assert session.kwargs["verify"] is False


@pytest.mark.parametrize(
    "header", ["x-amzn-RequestId", "X-Amz-Request-Id", "x-amzn-request-id", "X-Request-Id"]
)
def test_request_id_is_read_from_any_known_header(header):
    assert HttpResponse(500, {header: "abc-123"}, b"").request_id == "abc-123"


def test_request_id_is_none_without_a_header():
    assert HttpResponse(500, {}, b"").request_id is None


def test_describe_body_names_an_html_page_by_its_title():
    page = b"<html><head><title>502 Bad\n Gateway</title></head><body>nginx</body></html>"
    described = HttpResponse(
        502, {"Content-Type": "text/html; charset=utf-8"}, page
    ).describe_body()
    assert described == f"text/html body of {len(page)} bytes: 502 Bad Gateway"


def test_describe_body_of_an_empty_answer():
    assert HttpResponse(503, {}, b"").describe_body() == "empty body"


def test_json_of_a_non_json_body_is_none():
    assert HttpResponse(200, {}, b"<html>").json() is None
    assert HttpResponse(200, {}, b"\xff\xfe").json() is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("3", 3.0),
        (" 1.5 ", 1.5),
        ("-4", 0.0),
        ("Wed, 21 Oct 2015 07:28:10 GMT", 10.0),
        ("soon", None),
        ("", None),
        (None, None),
        ("nan", None),
    ],
)
def test_parse_retry_after(value, expected):
    # 07:28:00 GMT on that day, so the date above is 10 s ahead.
    assert parse_retry_after(value, now=1445412480.0) == expected


def test_retry_after_header_is_exposed_on_the_answer():
    assert HttpResponse(429, {"Retry-After": "2"}, b"").retry_after == 2.0
