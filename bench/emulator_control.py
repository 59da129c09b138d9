"""Start a private emulator for one benchmark run and drive its /_emulator/ controls."""

from __future__ import annotations

import json
import subprocess
import time
import urllib.request
from pathlib import Path
from typing import Any

CLIENT_ID = "asp-emulator-client"
CLIENT_SECRET = "asp-emulator-secret"
REFRESH_TOKEN = "Atzr|asp-emulator-refresh-token"
STARTUP_TIMEOUT_SECONDS = 15.0


class Emulator:
    """One `asp-emulator` process with no creation delay, on a free port of 127.0.0.1."""

    def __init__(self, executable: str, workdir: Path) -> None:
        self._executable = executable
        self._workdir = workdir
        self._process: subprocess.Popen[bytes] | None = None
        self.url = ""

    def __enter__(self) -> Emulator:
        url_file = self._workdir / "emulator.url"
        log = (self._workdir / "emulator.log").open("wb")
        self._process = subprocess.Popen(
            [
                self._executable,
                "--port",
                "0",
                "--creation-delay",
                "0",
                "--url-file",
                str(url_file),
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(f"asp-emulator exited at start-up; see {log.name}")
            if url_file.exists() and url_file.read_text().strip():
                self.url = url_file.read_text().strip().rstrip("/")
                try:
                    self._call("GET", "/_emulator/health")
                    return self
                except OSError:
                    pass
            time.sleep(0.1)
        self.__exit__(None, None, None)
        raise RuntimeError(f"asp-emulator was not ready in {STARTUP_TIMEOUT_SECONDS:.0f} s")

    def __exit__(self, *exc_info: object) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()

    def _call(
        self,
        method: str,
        path: str,
        body: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
        form: bytes | None = None,
    ) -> Any:
        data = form if form is not None else None
        all_headers = {"Accept": "application/json", **(headers or {})}
        if body is not None:
            data = json.dumps(body).encode()
            all_headers["Content-Type"] = "application/json"
        if form is not None:
            all_headers["Content-Type"] = "application/x-www-form-urlencoded"
        request = urllib.request.Request(
            f"{self.url}{path}", data=data, method=method, headers=all_headers
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            content = response.read()
        return json.loads(content) if content else None

    @property
    def token_url(self) -> str:
        return f"{self.url}/auth/o2/token"

    def environment(self) -> dict[str, str]:
        """What the modules and the hand-written playbook read to reach this emulator."""
        return {
            "ASP_API_URL": self.url,
            "ASP_LWA_TOKEN_URL": self.token_url,
            "ASP_CLIENT_ID": CLIENT_ID,
            "ASP_CLIENT_SECRET": CLIENT_SECRET,
            "ASP_REFRESH_TOKEN": REFRESH_TOKEN,
        }

    def stats(self) -> dict[str, Any]:
        return self._call("GET", "/_emulator/stats")

    def reset_stats(self) -> None:
        self._call("DELETE", "/_emulator/stats")

    def advance_clock(self, seconds: float) -> None:
        self._call("POST", "/_emulator/clock", body={"advance_seconds": seconds})

    def certificate_authorities(self) -> list[dict[str, Any]]:
        """Every CA, read through the service itself, for the harness's own checks."""
        form = (
            f"grant_type=refresh_token&client_id={CLIENT_ID}&client_secret={CLIENT_SECRET}"
            f"&refresh_token={urllib.request.quote(REFRESH_TOKEN, safe='')}"
        ).encode()
        token = self._call("POST", "/auth/o2/token", form=form)["access_token"]
        headers = {"Authorization": f"Bearer {token}"}
        found: list[dict[str, Any]] = []
        next_token = ""
        while True:
            query = "expand=all&maxResults=10"
            if next_token:
                query += f"&nextToken={urllib.request.quote(next_token, safe='')}"
            page = self._call(
                "GET", f"/v1/enterprise/certificateAuthorities?{query}", headers=headers
            )
            found.extend(page.get("certificateAuthorities", []))
            next_token = (page.get("paginationContext") or {}).get("nextToken") or ""
            if not next_token:
                return found
