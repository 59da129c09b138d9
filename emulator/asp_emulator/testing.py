"""Start and stop a real emulator subprocess from other test suites and benchmarks.

    from asp_emulator.testing import running_emulator

    with running_emulator(creation_delay=0) as emulator:
        emulator.url                 # "http://127.0.0.1:43123"
        emulator.connection_env()    # ASP_API_URL, ASP_LWA_TOKEN_URL, ASP_CLIENT_ID, ...
        emulator.add_fault({"operation": "create", "kind": "429", "count": 2})
        emulator.kill(); emulator.restart()   # same --db, same port when it is free

Every keyword option is the command-line flag of the same name (`creation_delay=0` is
`--creation-delay 0`, `fault=[...]` repeats `--fault`, `scopes=[...]`, `pem_line_breaks=True`).
Without `db`, the emulator keeps its state in a temporary file, so `restart()` keeps it.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from typing import Any, Iterator

from asp_emulator.config import DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, DEFAULT_REFRESH_TOKEN

START_TIMEOUT = 15.0


class EmulatorError(RuntimeError):
    """The emulator did not start, or a control request failed."""


def _flags(options: dict[str, Any]) -> list[str]:
    flags: list[str] = []
    for name, value in options.items():
        flag = f"--{name.replace('_', '-')}"
        if value is None or value is False:
            continue
        if value is True:
            flags.append(flag)
        elif name == "scopes":
            flags.extend([flag, *value])
        elif isinstance(value, (list, tuple)):
            for item in value:
                flags.extend([flag, json.dumps(item) if isinstance(item, dict) else str(item)])
        elif isinstance(value, dict):
            flags.extend([flag, json.dumps(value)])
        else:
            flags.extend([flag, str(value)])
    return flags


class EmulatorProcess:
    """One `asp-emulator` subprocess and the controls under its /_emulator/ paths."""

    def __init__(self, options: dict[str, Any], workdir: str) -> None:
        self._options = dict(options)
        self._workdir = workdir
        self.db_path: str = self._options.pop("db", None) or os.path.join(workdir, "asp.db")
        self.client_id: str = self._options.get("client_id", DEFAULT_CLIENT_ID)
        self.client_secret: str = self._options.get("client_secret", DEFAULT_CLIENT_SECRET)
        self.refresh_token: str = self._options.get("refresh_token", DEFAULT_REFRESH_TOKEN)
        self.log_path = os.path.join(workdir, "emulator.log")
        self.url = ""
        self.process: subprocess.Popen[bytes] | None = None
        self._port = int(self._options.pop("port", 0))
        self._url_file = self._options.pop("url_file", None) or os.path.join(workdir, "url")
        self._ssl_context: ssl.SSLContext | None = None
        if self._options.get("tls_cert"):
            self._ssl_context = ssl.create_default_context(cafile=self._options["tls_cert"])

    # Lifecycle

    def start(self) -> None:
        url_file = self._url_file
        with contextlib.suppress(FileNotFoundError):
            os.remove(url_file)
        command = [
            sys.executable,
            "-m",
            "asp_emulator",
            "--port",
            str(self._port),
            "--url-file",
            url_file,
            "--db",
            self.db_path,
            *_flags(self._options),
        ]
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                command, stdout=subprocess.DEVNULL, stderr=log, stdin=subprocess.DEVNULL
            )
        deadline = time.monotonic() + START_TIMEOUT
        while not os.path.exists(url_file):
            if self.process.poll() is not None:
                raise EmulatorError(
                    f"asp-emulator exited with {self.process.returncode}: {self._log_tail()}"
                )
            if time.monotonic() > deadline:
                self.kill()
                raise EmulatorError(f"asp-emulator did not start: {self._log_tail()}")
            time.sleep(0.02)
        with open(url_file, encoding="utf-8") as handle:
            self.url = handle.read().strip()
        self._port = int(self.url.rsplit(":", 1)[1])

    def kill(self) -> None:
        """SIGKILL, as a crash would: nothing is flushed or closed."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait()

    def stop(self) -> None:
        """A graceful shutdown (SIGTERM), then SIGKILL if it takes longer than 10 s."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()

    def restart(self) -> None:
        """Stop if running, then start again with the same --db and, if free, the same port."""
        self.stop()
        try:
            self.start()
        except EmulatorError:
            self._port = 0
            self.start()

    def _log_tail(self) -> str:
        with contextlib.suppress(OSError), open(self.log_path, encoding="utf-8") as log:
            return log.read()[-2000:]
        return ""

    # HTTP

    def request(
        self,
        method: str,
        path: str,
        body: object | None = None,
        *,
        headers: dict[str, str] | None = None,
        timeout: float = 30.0,
    ) -> tuple[int, Any]:
        """(status, decoded JSON or None), for any path; errors are answers, not exceptions."""
        data = json.dumps(body).encode("utf-8") if body is not None else None
        all_headers = {"Accept": "application/json", **(headers or {})}
        if data is not None:
            all_headers["Content-Type"] = "application/json"
        request = urllib.request.Request(
            f"{self.url}{path}", data=data, method=method, headers=all_headers
        )
        try:
            with urllib.request.urlopen(
                request, timeout=timeout, context=self._ssl_context
            ) as response:
                status, payload = response.status, response.read()
        except urllib.error.HTTPError as error:
            status, payload = error.code, error.read()
        try:
            return status, json.loads(payload) if payload else None
        except ValueError:
            return status, payload.decode("utf-8", "replace")

    def _control(self, method: str, path: str, body: object | None = None) -> Any:
        status, payload = self.request(method, f"/_emulator{path}", body)
        if status >= 300:
            raise EmulatorError(f"{method} /_emulator{path} answered {status}: {payload}")
        return payload

    def stats(self) -> dict[str, Any]:
        return self._control("GET", "/stats")

    def reset_stats(self) -> None:
        self._control("DELETE", "/stats")

    def add_fault(self, rule: dict[str, Any]) -> dict[str, Any]:
        return self._control("POST", "/faults", rule)

    def faults(self) -> list[dict[str, Any]]:
        return self._control("GET", "/faults")["faults"]

    def clear_faults(self) -> None:
        self._control("DELETE", "/faults")

    def now(self) -> str:
        return self._control("GET", "/clock")["now"]

    def advance_clock(self, seconds: float) -> str:
        return self._control("POST", "/clock", {"advance_seconds": seconds})["now"]

    def mint_token(self, scopes: list[str] | None = None, lifetime: float | None = None) -> str:
        body: dict[str, Any] = {}
        if scopes is not None:
            body["scopes"] = scopes
        if lifetime is not None:
            body["lifetime"] = lifetime
        return self._control("POST", "/tokens", body)["access_token"]

    def device_certificate(
        self,
        certificate_authority_id: str,
        *,
        common_name: str | None = None,
        key_type: str | None = None,
    ) -> dict[str, str]:
        body = {
            name: value
            for name, value in (("common_name", common_name), ("key_type", key_type))
            if value is not None
        }
        return self._control(
            "POST", f"/certificateAuthorities/{certificate_authority_id}/deviceCertificates", body
        )

    def connection_env(self) -> dict[str, str]:
        """The environment a playbook needs to talk to this emulator."""
        return {
            "ASP_API_URL": self.url,
            "ASP_LWA_TOKEN_URL": f"{self.url}/auth/o2/token",
            "ASP_CLIENT_ID": self.client_id,
            "ASP_CLIENT_SECRET": self.client_secret,
            "ASP_REFRESH_TOKEN": self.refresh_token,
        }


@contextlib.contextmanager
def running_emulator(**options: Any) -> Iterator[EmulatorProcess]:
    """An emulator for the duration of the block; stopped and cleaned up afterwards."""
    workdir = tempfile.mkdtemp(prefix="asp-emulator-")
    emulator = EmulatorProcess(options, workdir)
    try:
        emulator.start()
        yield emulator
    finally:
        emulator.stop()
        shutil.rmtree(workdir, ignore_errors=True)
