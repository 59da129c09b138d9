"""Small HTTP servers a test runs beside the emulator, on 127.0.0.1 and a free port.

`CannedService` answers with fixed responses, for answers the emulator never gives (a
2xx body missing fields, an unknown status, an empty error body). `TokenRecorder`
forwards Login with Amazon requests to the emulator and remembers every access token
it hands out, so that a test can look for them in what ansible printed. `SlowCreateProxy`
forwards everything, but hands the first create to the emulator only after a delay: as
a busy service does, it carries out a request its client has already given up on.
"""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class CannedAnswer:
    status: int
    body: bytes = b""
    content_type: str = "application/json"


@dataclass
class _Served:
    """State shared between the server thread and the test."""

    answers: dict[tuple[str, str], CannedAnswer] = field(default_factory=dict)
    requests: list[tuple[str, str]] = field(default_factory=list)
    upstream: str = ""
    access_tokens: list[str] = field(default_factory=list)
    create_hold_seconds: float = 0.0
    held_creates: int = 0


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, handler: type[BaseHTTPRequestHandler], served: _Served) -> None:
        super().__init__(("127.0.0.1", 0), handler)
        self.served = served


class _CannedHandler(BaseHTTPRequestHandler):
    server: _Server

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        path = self.path.split("?", 1)[0].rstrip("/")
        self.server.served.requests.append((self.command, path))
        answer = self.server.served.answers.get((self.command, path)) or CannedAnswer(
            404, json.dumps({"type": "NOT_FOUND", "message": "no canned answer"}).encode()
        )
        self.send_response(answer.status)
        self.send_header("Content-Type", answer.content_type)
        self.send_header("Content-Length", str(len(answer.body)))
        self.end_headers()
        self.wfile.write(answer.body)

    do_GET = do_POST = do_PUT = do_DELETE = _answer

    def log_message(self, format, *args) -> None:  # pylint: disable=redefined-builtin
        """Quiet: the test reads `requests` instead."""


class _RecordingHandler(BaseHTTPRequestHandler):
    server: _Server

    def do_POST(self) -> None:  # pylint: disable=invalid-name
        length = int(self.headers.get("Content-Length") or 0)
        form = self.rfile.read(length)
        upstream = urllib.request.Request(
            f"{self.server.served.upstream}{self.path}",
            data=form,
            headers={"Content-Type": self.headers.get("Content-Type", "")},
            method="POST",
        )
        try:
            with urllib.request.urlopen(upstream, timeout=30) as response:
                status, body = response.status, response.read()
        except urllib.error.HTTPError as error:
            status, body = error.code, error.read()
        try:
            token = json.loads(body).get("access_token")
        except (ValueError, AttributeError):
            token = None
        if token:
            self.server.served.access_tokens.append(token)
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args) -> None:  # pylint: disable=redefined-builtin
        """Quiet: a request log here could print the tokens this server exists to catch."""


class _ForwardingHandler(BaseHTTPRequestHandler):
    server: _Server

    def _forward(self) -> None:
        served = self.server.served
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        path = self.path.split("?", 1)[0].rstrip("/")
        if self.command == "POST" and path.endswith("/certificateAuthorities"):
            if served.held_creates == 0:
                served.held_creates += 1
                time.sleep(served.create_hold_seconds)
        headers = {
            name: value
            for name, value in self.headers.items()
            if name.lower() in ("authorization", "content-type", "accept")
        }
        upstream = urllib.request.Request(
            f"{served.upstream}{self.path}", data=body, headers=headers, method=self.command
        )
        try:
            with urllib.request.urlopen(upstream, timeout=60) as response:
                status, answer, answer_headers = response.status, response.read(), response.headers
        except urllib.error.HTTPError as error:
            status, answer, answer_headers = error.code, error.read(), error.headers
        try:
            self.send_response(status)
            for name in ("Content-Type", "x-amzn-RequestId"):
                if answer_headers.get(name):
                    self.send_header(name, answer_headers[name])
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)
        except OSError:
            # The client gave up waiting; the service has acted all the same.
            pass

    do_GET = do_POST = do_PUT = do_DELETE = _forward

    def log_message(self, format, *args) -> None:  # pylint: disable=redefined-builtin
        """Quiet: the emulator behind it logs every request."""


class _LocalServer:
    handler: type[BaseHTTPRequestHandler]

    def __init__(self) -> None:
        self.served = _Served()
        self._server = _Server(self.handler, self.served)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._server.shutdown()
        self._server.server_close()


class CannedService(_LocalServer):
    handler = _CannedHandler

    def answer(self, method: str, path: str, status: int, body: object = b"", **kwargs) -> None:
        encoded = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.served.answers[(method, path.rstrip("/"))] = CannedAnswer(status, encoded, **kwargs)

    @property
    def requests(self) -> list[tuple[str, str]]:
        return list(self.served.requests)


class TokenRecorder(_LocalServer):
    handler = _RecordingHandler

    def __init__(self, upstream: str) -> None:
        super().__init__()
        self.served.upstream = upstream.rstrip("/")

    @property
    def access_tokens(self) -> list[str]:
        return list(self.served.access_tokens)


class SlowCreateProxy(_LocalServer):
    handler = _ForwardingHandler

    def __init__(self, upstream: str, create_hold_seconds: float) -> None:
        super().__init__()
        self.served.upstream = upstream.rstrip("/")
        self.served.create_hold_seconds = create_hold_seconds
