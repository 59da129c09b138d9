# Copyright: asp.enterprise_wifi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The ASP Certificate Authority Management API as domain operations.

Every method returns snake_case CA dicts (see _certificate_authority) and
raises AspError subclasses whose messages name the operation and the CA.
"""

from __future__ import annotations

import time
from typing import Any, Callable, Collection, Union

from ansible_collections.asp.enterprise_wifi.plugins.module_utils._auth import TokenSource
from ansible_collections.asp.enterprise_wifi.plugins.module_utils._certificate_authority import (
    api_friendly_name,
    api_rotation_period,
    normalize_certificate_authority,
)
from ansible_collections.asp.enterprise_wifi.plugins.module_utils._errors import (
    AspAmbiguousNameError,
    AspApiError,
    AspError,
    AspServiceDataError,
    AspWaitTimeoutError,
)
from ansible_collections.asp.enterprise_wifi.plugins.module_utils._http import (
    HttpResponse,
    HttpTransport,
    TransportError,
)
from ansible_collections.asp.enterprise_wifi.plugins.module_utils._retries import (
    Recover,
    Retrier,
)
from ansible_collections.asp.enterprise_wifi.plugins.module_utils._service_contract import (
    CERTIFICATE_AUTHORITIES_PATH,
    CREATE_PATH,
    CREATE_RETRY_MIN_GAP_SECONDS,
    EXPAND_ALL,
    LIST_ARRAY_NAMES,
    MAX_PAGE_SIZE,
    NEXT_TOKEN,
    PAGE_SIZE,
    PAGINATION_CONTEXT,
    STATUS_FAILED,
    certificate_authority_path,
    import_certificate_path,
)

# A status, several statuses, or a test on the CA dict.
WaitCondition = Union[str, Collection[str], Callable[[dict], bool]]

_NOT_FOUND = object()


class AspClient:
    """One API session: a token source, a transport and one retry policy for every call."""

    def __init__(
        self,
        *,
        api_url: str,
        transport: HttpTransport,
        token_source: TokenSource,
        retrier: Retrier,
        log: Callable[[str], None] | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        page_size: int = PAGE_SIZE,
    ) -> None:
        if not 0 < page_size <= MAX_PAGE_SIZE:
            raise ValueError(f"page_size must be from 1 to {MAX_PAGE_SIZE}")
        self.api_url = api_url.rstrip("/")
        self.transport = transport
        self.token_source = token_source
        self.retrier = retrier
        self.log = log or (lambda message: None)
        self.sleep = sleep
        self.clock = clock
        self.page_size = page_size

    def list_certificate_authorities(self, *, expand: bool = True) -> list[dict]:
        """Every CA of the caller, reading all pages."""
        certificate_authorities: list[dict] = []
        seen_tokens: set[str] = set()
        next_token: str | None = None
        while True:
            params: dict[str, Any] = {"maxResults": self.page_size}
            if expand:
                params["expand"] = EXPAND_ALL
            if next_token:
                params["nextToken"] = next_token
            page = self._call(
                "list certificate authorities",
                "GET",
                CERTIFICATE_AUTHORITIES_PATH,
                params=params,
                parse=_json_object,
            )
            certificate_authorities.extend(
                normalize_certificate_authority(raw) for raw in _page_items(page)
            )
            next_token = _next_token(page)
            if not next_token:
                return certificate_authorities
            if next_token in seen_tokens:
                raise AspServiceDataError(
                    "Failed to list certificate authorities: the service repeated a "
                    "pagination token, so the list would never end"
                )
            seen_tokens.add(next_token)

    def get_certificate_authority(
        self, certificate_authority_id: str, *, expand: bool = True
    ) -> dict | None:
        """One CA, or None when the service does not know the id."""
        found = self._call(
            f"get certificate authority {certificate_authority_id}",
            "GET",
            certificate_authority_path(certificate_authority_id),
            params={"expand": EXPAND_ALL} if expand else None,
            parse=_json_object,
            not_found=_NOT_FOUND,
        )
        if found is _NOT_FOUND:
            return None
        return normalize_certificate_authority(found)

    def find_by_name(self, name: str) -> list[dict]:
        """Every CA whose friendly name is exactly ``name``; names are not unique."""
        return [ca for ca in self.list_certificate_authorities() if ca["name"] == name]

    def find_certificate_authority(
        self, *, certificate_authority_id: str | None = None, name: str | None = None
    ) -> dict | None:
        """The CA named by id (one GET) or else by a name that must be unique (one list).

        Raises AspAmbiguousNameError, listing the ids, when several CAs share the name.
        """
        if certificate_authority_id:
            return self.get_certificate_authority(certificate_authority_id)
        if not name:
            raise ValueError("give certificate_authority_id or name")
        matches = self.find_by_name(name)
        if len(matches) > 1:
            raise AspAmbiguousNameError(name, [ca["id"] for ca in matches])
        return matches[0] if matches else None

    def create_certificate_authority(
        self,
        name: str,
        rotation_period: dict,
        *,
        known_ids: Collection[str] | None = None,
    ) -> str:
        """Create a CA and return its id, never leaving a duplicate behind.

        When an attempt fails in a way that may have created the CA anyway (a
        timeout, a dropped connection, a 5xx), the client looks for a CA with
        this name that is not in ``known_ids`` and adopts it instead of posting
        again. ``known_ids`` are the ids already carrying the name; when not
        given they are listed before the first attempt.
        """
        if known_ids is None:
            known_ids = [ca["id"] for ca in self.find_by_name(name)]
        existing = set(known_ids)
        operation = f"create certificate authority '{name}'"
        body = {
            "friendlyName": api_friendly_name(name),
            "rotationPeriod": api_rotation_period(rotation_period),
        }

        def adopt_lost_create(error: AspApiError) -> str | None:
            if not error.may_have_taken_effect:
                return None
            made = [ca for ca in self.find_by_name(name) if ca["id"] not in existing]
            if not made:
                return None
            made.sort(key=lambda ca: ca.get("created_at") or "")
            self.log(
                f"{error}; a certificate authority named '{name}' exists now "
                f"({made[0]['id']}), so the lost create is adopted instead of repeated"
            )
            return made[0]["id"]

        return self._call(
            operation,
            "POST",
            CREATE_PATH,
            json_body=body,
            expect=(200, 201),
            parse=lambda answer: _created_id(operation, answer),
            min_gap=CREATE_RETRY_MIN_GAP_SECONDS,
            recover=adopt_lost_create,
        )

    def update_certificate_authority(
        self,
        certificate_authority_id: str,
        name: str | None = None,
        rotation_period: dict | None = None,
    ) -> None:
        """Change the friendly name and/or rotation period; sends only what is given."""
        body: dict[str, Any] = {}
        if name is not None:
            body["friendlyName"] = api_friendly_name(name)
        if rotation_period is not None:
            body["rotationPeriod"] = api_rotation_period(rotation_period)
        if not body:
            return
        self._call(
            f"update certificate authority {certificate_authority_id}",
            "PUT",
            certificate_authority_path(certificate_authority_id),
            json_body=body,
            expect=(200, 204),
        )

    def delete_certificate_authority(self, certificate_authority_id: str) -> bool:
        """Delete a CA; False when it was already gone."""
        result = self._call(
            f"delete certificate authority {certificate_authority_id}",
            "DELETE",
            certificate_authority_path(certificate_authority_id),
            expect=(200, 202, 204),
            not_found=_NOT_FOUND,
        )
        return result is not _NOT_FOUND

    def import_certificate(
        self, certificate_authority_id: str, certificate_pem: str, chain_pem: str
    ) -> None:
        self._call(
            f"import the certificate into certificate authority {certificate_authority_id}",
            "POST",
            import_certificate_path(certificate_authority_id),
            json_body={"certificate": certificate_pem, "certificateChain": chain_pem},
            expect=(200, 201, 204),
        )

    def wait_until(
        self,
        certificate_authority_id: str,
        until: WaitCondition,
        timeout: float,
        *,
        interval: float = 1.0,
        max_interval: float = 10.0,
    ) -> dict:
        """Poll the CA until ``until`` holds or it is FAILED, and return it.

        Raises AspWaitTimeoutError (holding the last CA seen) after ``timeout``
        seconds, and AspError when the CA disappears while waiting.
        """
        condition = _as_condition(until)
        deadline = self.clock() + timeout
        while True:
            certificate_authority = self.get_certificate_authority(certificate_authority_id)
            if certificate_authority is None:
                raise AspError(
                    f"Certificate authority {certificate_authority_id} disappeared while "
                    "waiting for it"
                )
            if condition(certificate_authority) or certificate_authority["status"] == STATUS_FAILED:
                return certificate_authority
            remaining = deadline - self.clock()
            if remaining <= 0:
                raise AspWaitTimeoutError(
                    f"Timed out after {timeout:g} s waiting for certificate authority "
                    f"{certificate_authority_id}; its status is still "
                    f"{certificate_authority['status']}",
                    certificate_authority,
                )
            self.sleep(min(interval, remaining))
            interval = min(max_interval, interval * 1.5)

    def _call(
        self,
        operation: str,
        method: str,
        path: str,
        *,
        params: dict[str, Any] | None = None,
        json_body: Any = None,
        expect: Collection[int] = (200,),
        parse: Callable[[HttpResponse], Any] = lambda answer: None,
        not_found: Any = None,
        min_gap: float = 0.0,
        recover: Recover | None = None,
    ) -> Any:
        """One operation with retries; a 401 renews the token once per operation."""
        url = f"{self.api_url}{path}"
        renewed = False

        def attempt() -> Any:
            nonlocal renewed
            token = self.token_source.bearer()
            answer = self._send(operation, method, url, token, params, json_body)
            if answer.status == 401 and self.token_source.can_refresh and not renewed:
                renewed = True
                self.log(f"{operation}: the access token was rejected; getting a new one")
                token = self.token_source.refresh(rejected=token).token
                answer = self._send(operation, method, url, token, params, json_body)
            if answer.status in expect:
                return parse(answer)
            if answer.status == 404 and not_found is not None:
                return not_found
            raise api_error(operation, answer)

        return self.retrier.run(attempt, min_gap=min_gap, recover=recover)

    def _send(
        self,
        operation: str,
        method: str,
        url: str,
        token: str,
        params: dict[str, Any] | None,
        json_body: Any,
    ) -> HttpResponse:
        headers = {"Authorization": f"Bearer {token}"}
        try:
            return self.transport.request(
                method, url, headers=headers, params=params, json_body=json_body
            )
        except TransportError as error:
            raise AspApiError(operation, reason=error.reason, maybe_sent=error.maybe_sent) from None


def api_error(operation: str, answer: HttpResponse) -> AspApiError:
    """The failure an error answer stands for, readable even when the body is not JSON."""
    body = answer.json()
    error_type = service_message = reason = None
    if isinstance(body, dict) and (body.get("type") or body.get("message")):
        error_type = body.get("type") if isinstance(body.get("type"), str) else None
        service_message = body.get("message") if isinstance(body.get("message"), str) else None
    else:
        reason = answer.describe_body()
    return AspApiError(
        operation,
        status=answer.status,
        error_type=error_type,
        request_id=answer.request_id,
        service_message=service_message,
        reason=reason,
        retry_after=answer.retry_after,
    )


def _json_object(answer: HttpResponse) -> dict:
    body = answer.json()
    if not isinstance(body, dict):
        raise AspServiceDataError(
            f"The service answered HTTP {answer.status} with a {answer.describe_body()} "
            "instead of a JSON object"
        )
    return body


def _page_items(page: dict) -> list:
    for array_name in LIST_ARRAY_NAMES:
        items = page.get(array_name)
        if isinstance(items, list):
            return items
    raise AspServiceDataError(
        "Failed to list certificate authorities: the answer has no list field "
        f"({' or '.join(LIST_ARRAY_NAMES)})"
    )


def _next_token(page: dict) -> str | None:
    context = page.get(PAGINATION_CONTEXT)
    token = context.get(NEXT_TOKEN) if isinstance(context, dict) else page.get(NEXT_TOKEN)
    return token if isinstance(token, str) and token else None


def _created_id(operation: str, answer: HttpResponse) -> str:
    body = answer.json()
    if isinstance(body, dict) and isinstance(body.get("id"), str) and body["id"]:
        return body["id"]
    raise AspServiceDataError(
        f"Failed to {operation}: the service answered HTTP {answer.status} without the new "
        f"CA's id ({answer.describe_body()}); look for the CA by name before retrying"
    )


def _as_condition(until: WaitCondition) -> Callable[[dict], bool]:
    if callable(until):
        return until
    statuses = {until} if isinstance(until, str) else set(until)
    return lambda certificate_authority: certificate_authority["status"] in statuses
