# Copyright: asp.enterprise_wifi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""HTTP transport: one request, one answer or one TransportError; no retries here."""

from __future__ import annotations

import json
import math
import re
import time
import traceback
import warnings
from email.utils import parsedate_to_datetime
from typing import Any, Mapping
from urllib.parse import urlsplit

from ansible_collections.asp.enterprise_wifi.plugins.module_utils._service_contract import (
    REQUEST_ID_HEADERS,
)

try:
    import requests
except ImportError:
    HAS_REQUESTS = False
    REQUESTS_IMPORT_ERROR: str | None = traceback.format_exc()
else:
    HAS_REQUESTS = True
    REQUESTS_IMPORT_ERROR = None

USER_AGENT = "asp.enterprise_wifi-ansible-collection"
# A proxy's HTML error page names the problem in its title.
_HTML_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)


class TransportError(Exception):
    """No HTTP answer arrived.

    ``maybe_sent`` is true when the service may have received and acted on the
    request (a read timeout, a connection closed mid-answer); a refused or
    timed-out connection, or a failed TLS handshake, means it was never sent.
    """

    def __init__(self, reason: str, *, maybe_sent: bool) -> None:
        self.reason = reason
        self.maybe_sent = maybe_sent
        super().__init__(reason)


class HttpResponse:
    """The parts of an answer the client uses."""

    def __init__(self, status: int, headers: Mapping[str, str], body: bytes) -> None:
        self.status = status
        self.headers = {name.lower(): value for name, value in headers.items()}
        self.body = body

    @property
    def request_id(self) -> str | None:
        for header in REQUEST_ID_HEADERS:
            value = self.headers.get(header.lower())
            if value:
                return value
        return None

    @property
    def content_type(self) -> str:
        return (self.headers.get("content-type") or "").split(";")[0].strip().lower()

    @property
    def retry_after(self) -> float | None:
        """Seconds the server asked us to wait, from Retry-After as seconds or an HTTP date."""
        return parse_retry_after(self.headers.get("retry-after"))

    def json(self) -> Any:
        """The body as JSON, or None when it is empty or not JSON."""
        if not self.body:
            return None
        try:
            return json.loads(self.body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            return None

    def describe_body(self) -> str:
        """A short, readable account of a body that is not the service's JSON error."""
        if not self.body:
            return "empty body"
        kind = self.content_type or "unknown content type"
        summary = f"{kind} body of {len(self.body)} bytes"
        title = _HTML_TITLE.search(self.body.decode("utf-8", "replace"))
        if title and title.group(1).strip():
            summary += f": {' '.join(title.group(1).split())[:120]}"
        return summary


def parse_retry_after(value: str | None, *, now: float | None = None) -> float | None:
    if not value:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            moment = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if moment is None:
            return None
        seconds = moment.timestamp() - (time.time() if now is None else now)
    if math.isnan(seconds):
        return None
    return max(0.0, seconds)


class HttpTransport:
    """Sends requests through one requests.Session so connections are reused."""

    def __init__(
        self,
        *,
        timeout: float,
        validate_certs: bool = True,
        ca_path: str | None = None,
        session: Any = None,
    ) -> None:
        self.timeout = timeout
        self.validate_certs = validate_certs
        self.verify: bool | str = (ca_path or True) if validate_certs else False
        self.session = session if session is not None else requests.Session()

    def request(
        self,
        method: str,
        url: str,
        *,
        headers: Mapping[str, str] | None = None,
        params: Mapping[str, Any] | None = None,
        json_body: Any = None,
        form: Mapping[str, str] | None = None,
    ) -> HttpResponse:
        where = _host_of(url)
        all_headers = {"User-Agent": USER_AGENT, "Accept": "application/json"}
        all_headers.update(headers or {})
        try:
            with warnings.catch_warnings():
                # The module has already warned once about validate_certs=false.
                warnings.simplefilter("ignore")
                answer = self.session.request(
                    method,
                    url,
                    headers=all_headers,
                    params=params,
                    json=json_body,
                    data=form,
                    timeout=self.timeout,
                    verify=self.verify,
                    allow_redirects=False,
                )
        except requests.exceptions.ConnectTimeout:
            raise TransportError(
                f"could not connect to {where} within {self.timeout:g} s", maybe_sent=False
            ) from None
        except requests.exceptions.SSLError as error:
            raise TransportError(
                f"TLS handshake with {where} failed: {_tls_reason(error)}", maybe_sent=False
            ) from None
        except requests.exceptions.Timeout:
            raise TransportError(
                f"no answer from {where} within the {self.timeout:g} s timeout", maybe_sent=True
            ) from None
        except requests.exceptions.ConnectionError as error:
            if _never_connected(error):
                raise TransportError(f"could not connect to {where}", maybe_sent=False) from None
            raise TransportError(
                f"{where} closed the connection without an answer", maybe_sent=True
            ) from None
        except requests.exceptions.RequestException as error:
            raise TransportError(
                f"request to {where} failed: {type(error).__name__}", maybe_sent=False
            ) from None
        return HttpResponse(answer.status_code, answer.headers, answer.content)


def _causes(error: BaseException):
    """The error and every error it wraps, outermost first (urllib3 nests them deeply)."""
    seen = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        nested = current.args[0] if current.args else None
        reason = getattr(current, "reason", None)
        if isinstance(reason, BaseException):
            current = reason
        elif isinstance(nested, BaseException):
            current = nested
        else:
            current = current.__cause__ or current.__context__


def _never_connected(error: Exception) -> bool:
    """True when the connection failed before anything was sent (refused, DNS)."""
    never = ("NewConnectionError", "NameResolutionError", "ConnectionRefusedError")
    return any(type(cause).__name__ in never for cause in _causes(error))


def _tls_reason(error: Exception) -> str:
    """The innermost TLS error's own words, such as 'certificate verify failed: ...'."""
    innermost = list(_causes(error))[-1]
    verify_message = getattr(innermost, "verify_message", None)
    reason = getattr(innermost, "reason", None)
    if verify_message:
        return f"certificate verify failed: {verify_message}"
    if isinstance(reason, str) and reason:
        return reason.replace("_", " ").lower()
    return _first_line(innermost)


def _host_of(url: str) -> str:
    """host:port of a URL, never any user information it may carry."""
    parts = urlsplit(url)
    host = parts.hostname or "the server"
    try:
        port = parts.port
    except ValueError:
        port = None
    return f"{host}:{port}" if port else host


def _first_line(error: Exception) -> str:
    text = str(error).strip().splitlines()
    return text[0][:200] if text else type(error).__name__
