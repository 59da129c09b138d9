# Copyright: asp.enterprise_wifi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Stand-ins for the HTTP layer in unit tests: a recording transport and a small in-memory ASP.

Integration tests use the real emulator; these fakes exist so that every retry and
failure path can be driven deterministically without sockets or sleeping.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Callable
from urllib.parse import unquote, urlsplit

from ansible_collections.asp.enterprise_wifi.plugins.module_utils._auth import TokenSource
from ansible_collections.asp.enterprise_wifi.plugins.module_utils._api_client import AspClient
from ansible_collections.asp.enterprise_wifi.plugins.module_utils._http import (
    HttpResponse,
    TransportError,
)
from ansible_collections.asp.enterprise_wifi.plugins.module_utils._retries import (
    Retrier,
    RetryPolicy,
)

API_URL = "https://asp.test"
TOKEN_URL = "https://lwa.test/auth/o2/token"
CLIENT_ID = "amzn1.application-oa2-client.unit"
CLIENT_SECRET = "unit-client-secret-value-4711"
REFRESH_TOKEN = "Atzr|unit-refresh-token-value-0815"
GIVEN_ACCESS_TOKEN = "Atza|unit-given-access-token-1234"
SECRETS = (CLIENT_SECRET, REFRESH_TOKEN, GIVEN_ACCESS_TOKEN, "Atza|unit-fresh-")
CA_PATH = "/v1/enterprise/certificateAuthorities"


@dataclass
class Request:
    method: str
    url: str
    headers: dict
    params: dict
    json_body: Any
    form: dict | None

    @property
    def path(self) -> str:
        return unquote(urlsplit(self.url).path)


def answer(status: int, body: Any = None, headers: dict | None = None) -> HttpResponse:
    """An HttpResponse; dict and list bodies become JSON, str and bytes are sent as they are."""
    all_headers = dict(headers or {})
    if isinstance(body, (dict, list)):
        payload = json.dumps(body).encode()
        all_headers.setdefault("Content-Type", "application/json")
    elif isinstance(body, str):
        payload = body.encode()
    else:
        payload = body or b""
    return HttpResponse(status, all_headers, payload)


Handler = Callable[[Request], HttpResponse]


class RecordingTransport:
    """Hands each request to ``handler`` (or the next scripted answer) and records it."""

    def __init__(self, handler: Handler | None = None) -> None:
        self.handler = handler
        self.script: list[HttpResponse | Exception] = []
        self.requests: list[Request] = []

    def request(self, method, url, *, headers=None, params=None, json_body=None, form=None):
        request = Request(method, url, dict(headers or {}), dict(params or {}), json_body, form)
        self.requests.append(request)
        if self.script:
            scripted = self.script.pop(0)
            if isinstance(scripted, Exception):
                raise scripted
            return scripted
        if self.handler is None:
            raise AssertionError(f"unexpected request {method} {url}")
        return self.handler(request)

    def calls(self, method: str, path_prefix: str = "") -> list[Request]:
        return [
            request
            for request in self.requests
            if request.method == method and request.path.startswith(path_prefix)
        ]


@dataclass
class FakeAsp:
    """Just enough of ASP and LWA to drive the client and the modules.

    ``faults`` maps an operation name to a list of answers or exceptions that the
    next requests of that operation get instead of the normal handling; a fault
    entry may be a callable that first changes the state (a create that is stored
    but whose answer is lost).
    """

    certificate_authorities: dict = field(default_factory=dict)
    faults: dict = field(default_factory=dict)
    creation_status: str = "PENDING_CERTIFICATE"
    csr_pem: str = "-----BEGIN CERTIFICATE REQUEST-----MIIBFAKE-----END CERTIFICATE REQUEST-----"
    accepted_tokens: set = field(default_factory=lambda: {GIVEN_ACCESS_TOKEN})
    token_counter: int = 0
    next_id: int = 1
    page_array: str = "certificateAuthorities"
    import_status: str = "ACTIVE"

    def __call__(self, request: Request) -> HttpResponse:
        operation = self.operation_of(request)
        pending = self.faults.get(operation)
        if pending:
            fault = pending.pop(0)
            if isinstance(fault, Exception):
                raise fault
            if callable(fault):
                return fault(self, request)
            return fault
        if operation == "token":
            return self.token(request)
        token = request.headers.get("Authorization", "").removeprefix("Bearer ")
        if token not in self.accepted_tokens:
            return answer(401, {"type": "UNAUTHORIZED", "message": "The token is not valid"})
        return getattr(self, operation)(request)

    @staticmethod
    def operation_of(request: Request) -> str:
        path = request.path
        if path.endswith("/auth/o2/token"):
            return "token"
        if path.endswith("/importCertificate"):
            return "import"
        if path.rstrip("/") == CA_PATH:
            return {"GET": "list", "POST": "create"}[request.method]
        return {"GET": "get", "PUT": "update", "DELETE": "delete"}[request.method]

    def add(self, name: str, status: str = "PENDING_CERTIFICATE", **extra: Any) -> str:
        certificate_authority_id = f"amzn1.alexa.enterprise.certificateAuthority.did.{self.next_id}"
        self.next_id += 1
        raw = {
            "id": certificate_authority_id,
            "friendlyName": {"type": "PLAIN", "value": {"text": name}},
            "status": status,
            "createdAt": f"2024-03-15T12:{self.next_id:02d}:00Z",
            "updatedAt": f"2024-03-15T12:{self.next_id:02d}:00Z",
            "rotationPeriod": {"value": 6, "interval": "MONTHS"},
        }
        if status != "CREATING":
            raw["csr"] = self.csr_pem
        raw.update(extra)
        self.certificate_authorities[certificate_authority_id] = raw
        return certificate_authority_id

    def token(self, request: Request) -> HttpResponse:
        form = request.form or {}
        if (form.get("client_secret"), form.get("refresh_token")) != (CLIENT_SECRET, REFRESH_TOKEN):
            return answer(
                400,
                {"error": "invalid_grant", "error_description": "The request has an invalid grant"},
            )
        self.token_counter += 1
        token = f"Atza|unit-fresh-{self.token_counter}"
        self.accepted_tokens.add(token)
        return answer(200, {"access_token": token, "token_type": "bearer", "expires_in": 3600})

    def list(self, request: Request) -> HttpResponse:
        size = int(request.params.get("maxResults", 10))
        start = int(request.params.get("nextToken", "0") or 0)
        items = list(self.certificate_authorities.values())
        page = {self.page_array: [self.shaped(raw, request) for raw in items[start : start + size]]}
        if start + size < len(items):
            page["paginationContext"] = {"nextToken": str(start + size)}
        return answer(200, page)

    def get(self, request: Request) -> HttpResponse:
        raw = self.certificate_authorities.get(request.path.rsplit("/", 1)[-1])
        if raw is None:
            return answer(404, {"type": "NOT_FOUND", "message": "No such CA"})
        return answer(200, self.shaped(raw, request))

    def create(self, request: Request) -> HttpResponse:
        body = request.json_body
        certificate_authority_id = self.add(
            body["friendlyName"]["value"]["text"], self.creation_status
        )
        self.certificate_authorities[certificate_authority_id]["rotationPeriod"] = dict(
            body["rotationPeriod"]
        )
        return answer(201, {"id": certificate_authority_id})

    def update(self, request: Request) -> HttpResponse:
        raw = self.certificate_authorities.get(request.path.rsplit("/", 1)[-1])
        if raw is None:
            return answer(404, {"type": "NOT_FOUND", "message": "No such CA"})
        raw.update(request.json_body)
        return answer(204)

    def delete(self, request: Request) -> HttpResponse:
        if self.certificate_authorities.pop(request.path.rsplit("/", 1)[-1], None) is None:
            return answer(404, {"type": "NOT_FOUND", "message": "No such CA"})
        return answer(204)

    def import_(self, request: Request) -> HttpResponse:
        certificate_authority_id = request.path.rsplit("/", 2)[-2]
        raw = self.certificate_authorities[certificate_authority_id]
        raw["status"] = self.import_status
        raw["certificateMetadata"] = {
            "certificate": request.json_body["certificate"],
            "certificateChain": request.json_body["certificateChain"],
            "expiresAt": "2030-01-01T00:00:00Z",
            "activeFrom": "2024-01-01T00:00:00Z",
        }
        return answer(204)

    @staticmethod
    def shaped(raw: dict, request: Request) -> dict:
        if request.params.get("expand") == "all":
            return dict(raw)
        return {k: v for k, v in raw.items() if k not in ("csr", "certificateMetadata")}


# "import" is a keyword, so the handler lookup goes through this alias.
setattr(FakeAsp, "import", FakeAsp.import_)


def lost_create(service: FakeAsp, request: Request) -> HttpResponse:
    """A fault: the CA is stored, but the caller sees a 500."""
    service.create(request)
    return answer(500, {"type": "INTERNAL_FAILURE", "message": "Something went wrong"})


def dropped_create(service: FakeAsp, request: Request) -> HttpResponse:
    """A fault: the CA is stored, but the connection closes before the answer."""
    service.create(request)
    raise TransportError("asp.test closed the connection without an answer", maybe_sent=True)


class Clock:
    """A fake monotonic clock that sleeping moves forward."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def make_client(
    handler: Handler | None = None,
    *,
    access_token: str | None = GIVEN_ACCESS_TOKEN,
    refresh: bool = True,
    retries: int = 5,
    max_total_wait: float = 120.0,
    rng: Callable[[], float] = lambda: 0.5,
) -> tuple[AspClient, RecordingTransport, Clock, list[str]]:
    """A client wired to a RecordingTransport, with sleeping and logging captured."""
    transport = RecordingTransport(handler)
    clock = Clock()
    log: list[str] = []
    retrier = Retrier(
        RetryPolicy(retries=retries, max_total_wait=max_total_wait),
        sleep=clock.sleep,
        rng=rng,
        log=log.append,
    )
    token_source = TokenSource(
        transport=transport,
        retrier=retrier,
        token_url=TOKEN_URL,
        access_token=access_token,
        client_id=CLIENT_ID if refresh else None,
        client_secret=CLIENT_SECRET if refresh else None,
        refresh_token=REFRESH_TOKEN if refresh else None,
        clock=clock,
    )
    client = AspClient(
        api_url=API_URL,
        transport=transport,
        token_source=token_source,
        retrier=retrier,
        log=log.append,
        sleep=clock.sleep,
        clock=clock,
    )
    return client, transport, clock, log


def assert_no_secret(*texts: str) -> None:
    for text in texts:
        for secret in SECRETS:
            assert secret not in text, f"a secret leaked into: {text}"
