"""The outermost ASGI layer: names the operation, injects faults, counts and logs."""

from __future__ import annotations

import asyncio
import json
import math
import re
import sys
import time
import traceback
import uuid
from typing import Any, Awaitable, Callable, TextIO

from asp_emulator.faults import DEFAULT_STALL_SECONDS, FaultInjector, FaultRule
from asp_emulator.request_stats import RequestStats

Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

SERVICE_BASE = "/v1/enterprise/certificateAuthorities"
TOKEN_PATH = "/auth/o2/token"
CREATE_FAULT_KEY = "asp_emulator.create_fault"

_ONE_CA = re.compile(rf"^{re.escape(SERVICE_BASE)}/[^/]+$")
_IMPORT = re.compile(rf"^{re.escape(SERVICE_BASE)}/[^/]+/importCertificate$")
_CONTROL_PATHS = ("/_emulator/", "/openapi.json")
_ONE_CA_OPERATIONS = {"GET": "get", "PUT": "update", "DELETE": "delete"}

_PROXY_PAGE = (
    b"<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    b"<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n"
)
_SERVICE_FAULTS = {
    "429": ("TOO_MANY_REQUESTS", "Rate exceeded."),
    "500": ("INTERNAL_FAILURE", "An internal error occurred."),
    "503": ("SERVICE_UNAVAILABLE", "The service is temporarily unavailable."),
}
_TOKEN_FAULTS = {
    "429": ("slow_down", "Too many requests."),
    "500": ("server_error", "An internal error occurred."),
    "503": ("temporarily_unavailable", "The service is temporarily unavailable."),
}


def operation_of(method: str, path: str) -> str | None:
    """The operation name stats and faults use; None for the emulator's own paths."""
    if path.startswith(_CONTROL_PATHS) or path == "/_emulator":
        return None
    if path in (SERVICE_BASE, f"{SERVICE_BASE}/"):
        return {"POST": "create", "GET": "list"}.get(method, "other")
    if _ONE_CA.match(path):
        return _ONE_CA_OPERATIONS.get(method, "other")
    if _IMPORT.match(path):
        return "import" if method == "POST" else "other"
    if path == TOKEN_PATH:
        return "token" if method == "POST" else "other"
    return "other"


async def _wait_for_disconnect(receive: Receive, seconds: float) -> None:
    async def drain() -> None:
        while (await receive())["type"] != "http.disconnect":
            pass

    try:
        await asyncio.wait_for(drain(), timeout=seconds)
    except asyncio.TimeoutError:
        pass


async def _drop_connection(send: Send, receive: Receive) -> None:
    # Limitation: ASGI has no way to close a connection without answering, so this
    # reaches the transport through uvicorn's own send callable.
    transport = getattr(getattr(send, "__self__", None), "transport", None)
    if transport is None:
        raise RuntimeError("the server does not expose its transport; cannot drop")
    transport.close()
    # uvicorn notices the closed transport and then skips its own fallback answer.
    await _wait_for_disconnect(receive, 1.0)


class RequestPipeline:
    def __init__(
        self,
        app: ASGIApp,
        faults: FaultInjector,
        stats: RequestStats,
        *,
        log_requests: bool = True,
        log_stream: TextIO | None = None,
    ) -> None:
        self._app = app
        self._faults = faults
        self._stats = stats
        self._log_requests = log_requests
        self._log_stream = log_stream or sys.stderr

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self._app(scope, receive, send)
            return
        started = time.perf_counter()
        operation = operation_of(scope["method"], scope["path"])
        request_id = str(uuid.uuid4())
        fault = self._faults.pick(operation) if operation not in (None, "other") else None
        response: dict[str, Any] = {"status": None}

        async def answering_send(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                response["status"] = message["status"]
                headers = list(message.get("headers", []))
                headers.append((b"x-amzn-requestid", request_id.encode("ascii")))
                message = {**message, "headers": headers}
            await send(message)

        # What is logged when the task is cancelled (at shutdown) before any answer.
        outcome = "cancelled"
        try:
            outcome = await self._answer(scope, receive, send, answering_send, operation, fault)
        finally:
            if response["status"] is not None:
                outcome = str(response["status"])
            unanswered = fault is not None and fault.kind in ("drop", "stall")
            if operation is not None and not unanswered:
                self._stats.record(operation, outcome)
            self._log(scope, operation, outcome, started, fault, request_id)

    async def _answer(
        self,
        scope: Scope,
        receive: Receive,
        raw_send: Send,
        send: Send,
        operation: str | None,
        fault: FaultRule | None,
    ) -> str:
        kind = fault.kind if fault else None
        if kind in ("drop", "stall") and operation is not None:
            outcome = "dropped" if kind == "drop" else "stalled"
            self._stats.record(operation, outcome)
            if kind == "stall":
                seconds = fault.seconds if fault.seconds is not None else DEFAULT_STALL_SECONDS
                await _wait_for_disconnect(receive, seconds)
            await _drop_connection(raw_send, receive)
            return outcome
        if kind in ("429", "500", "502", "503"):
            await self._send_fault(send, operation, fault)
            return kind
        if kind == "latency":
            await asyncio.sleep(fault.seconds or 0.0)
        if kind in ("lost_create", "fail_create"):
            scope[CREATE_FAULT_KEY] = kind
        started: dict[str, bool] = {"response": False}

        async def tracking_send(message: dict[str, Any]) -> None:
            started["response"] = True
            await send(message)

        try:
            await self._app(scope, receive, tracking_send)
        except Exception:
            traceback.print_exc(file=self._log_stream)
            if started["response"]:
                return ""
            await self._send_json(
                send,
                500,
                {"type": "INTERNAL_FAILURE", "message": "An internal error occurred."},
            )
        return ""

    async def _send_fault(self, send: Send, operation: str | None, fault: FaultRule) -> None:
        status = int(fault.kind)
        headers: list[tuple[bytes, bytes]] = []
        if fault.retry_after is not None:
            # HTTP allows whole seconds only; rounding up never invites an early retry.
            seconds = str(math.ceil(fault.retry_after)).encode("ascii")
            headers.append((b"retry-after", seconds))
        if status == 502:
            await send(
                {
                    "type": "http.response.start",
                    "status": 502,
                    "headers": [
                        (b"content-type", b"text/html"),
                        (b"content-length", str(len(_PROXY_PAGE)).encode("ascii")),
                        *headers,
                    ],
                }
            )
            await send({"type": "http.response.body", "body": _PROXY_PAGE})
            return
        if operation == "token":
            error, description = _TOKEN_FAULTS[fault.kind]
            body: dict[str, str] = {"error": error, "error_description": description}
        else:
            error_type, message = _SERVICE_FAULTS[fault.kind]
            body = {"type": error_type, "message": message}
        await self._send_json(send, status, body, headers)

    @staticmethod
    async def _send_json(
        send: Send,
        status: int,
        body: dict[str, str],
        headers: list[tuple[bytes, bytes]] | None = None,
    ) -> None:
        payload = json.dumps(body).encode("utf-8")
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(payload)).encode("ascii")),
                    *(headers or []),
                ],
            }
        )
        await send({"type": "http.response.body", "body": payload})

    def _log(
        self,
        scope: Scope,
        operation: str | None,
        outcome: str,
        started: float,
        fault: FaultRule | None,
        request_id: str,
    ) -> None:
        if not self._log_requests:
            return
        entry: dict[str, object] = {
            "time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "method": scope["method"],
            "path": scope["path"],
            "operation": operation or "emulator",
            "status": int(outcome) if outcome.isdigit() else outcome,
            "latency_ms": round((time.perf_counter() - started) * 1000, 2),
            "request_id": request_id,
        }
        if fault is not None:
            entry["fault"] = fault.kind
        self._log_stream.write(json.dumps(entry) + "\n")
        self._log_stream.flush()
