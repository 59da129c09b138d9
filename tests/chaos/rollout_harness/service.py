"""Read the emulator's state as an auditor would: over its HTTP API, never its database."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from asp_emulator.testing import EmulatorProcess

CERTIFICATE_AUTHORITIES = "/v1/enterprise/certificateAuthorities"
FULL_SCOPES = ["alexa::enterprise:management", "credential_locker::wifi_management"]
# Operations that change what the service holds; a rejected input must cause none of them.
WRITE_OPERATIONS = ("create", "import", "update", "delete")


class AuditError(RuntimeError):
    """The emulator refused an audit request; no fault rule may be active while auditing."""


def _call(emulator: EmulatorProcess, method: str, path: str, body: object | None = None) -> Any:
    token = emulator.mint_token(scopes=FULL_SCOPES)
    status, payload = emulator.request(
        method, path, body, headers={"Authorization": f"Bearer {token}"}
    )
    if status >= 300:
        raise AuditError(f"{method} {path} answered {status}: {payload}")
    return payload


def certificate_authorities(emulator: EmulatorProcess) -> list[dict]:
    """Every CA the service holds, every page, expanded."""
    found: list[dict] = []
    next_token = ""
    while True:
        query = "?expand=all&maxResults=10" + (
            f"&nextToken={quote(next_token)}" if next_token else ""
        )
        page = _call(emulator, "GET", CERTIFICATE_AUTHORITIES + query)
        found.extend(page.get("certificateAuthorities", page.get("results", [])))
        next_token = (page.get("paginationContext") or {}).get("nextToken") or ""
        if not next_token:
            return found


def certificate_authority(emulator: EmulatorProcess, certificate_authority_id: str) -> dict:
    path = f"{CERTIFICATE_AUTHORITIES}/{quote(certificate_authority_id, safe='')}?expand=all"
    return _call(emulator, "GET", path)


def create_certificate_authority(emulator: EmulatorProcess, name: str, months: int = 6) -> str:
    body = {
        "friendlyName": {"type": "PLAIN", "value": {"text": name}},
        "rotationPeriod": {"value": months, "interval": "MONTHS"},
    }
    return _call(emulator, "POST", CERTIFICATE_AUTHORITIES, body)["id"]


def import_certificate(
    emulator: EmulatorProcess, certificate_authority_id: str, certificate: str, chain: str
) -> None:
    path = f"{CERTIFICATE_AUTHORITIES}/{quote(certificate_authority_id, safe='')}"
    body = {"certificate": certificate, "certificateChain": chain}
    _call(emulator, "POST", f"{path}/importCertificate", body)


def friendly_name(certificate_authority: dict) -> str:
    return certificate_authority["friendlyName"]["value"]["text"]


def successful_writes(stats: dict) -> dict[str, int]:
    """Count of 2xx answers to each operation that changes the service's state."""
    requests_by_operation = stats.get("requests", {})
    writes = {}
    for operation in WRITE_OPERATIONS:
        by_status = requests_by_operation.get(operation, {})
        count = sum(n for status, n in by_status.items() if str(status).startswith("2"))
        if count:
            writes[operation] = count
    return writes
