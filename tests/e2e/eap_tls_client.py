"""Authenticate a device certificate against a RADIUS server with `eapol_test` (EAP-TLS)."""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

EAPOL_TEST = os.environ.get("EAPOL_TEST", "/usr/bin/eapol_test")
ACCEPT = "Access-Accept"
REJECT = "Access-Reject"
_RADIUS_ANSWER = re.compile(r"RADIUS message: code=(\d+) \((Access-[A-Za-z]+)\)")


class EapTlsClientError(RuntimeError):
    """eapol_test ended without an Access-Accept or Access-Reject."""


@dataclass
class Authentication:
    outcome: str
    output: str


def authenticate(
    *,
    port: int,
    secret: str,
    server_ca_file: Path,
    certificate_pem: str,
    key_pem: str,
    chain_pem: str = "",
    identity: str = "device@property.test",
    timeout: int = 10,
) -> Authentication:
    """Run one EAP-TLS exchange; `chain_pem` is sent after the certificate when given.

    Returns the RADIUS server's final answer, `Access-Accept` or `Access-Reject`.
    """
    with tempfile.TemporaryDirectory(prefix="eapol-") as work:
        work_path = Path(work)
        client_cert = work_path / "client.pem"
        client_key = work_path / "client.key"
        client_cert.write_text(certificate_pem.rstrip("\n") + "\n" + chain_pem)
        client_key.touch(mode=0o600)
        client_key.write_text(key_pem)
        config = work_path / "eapol.conf"
        config.write_text(
            "network={\n"
            "\tkey_mgmt=IEEE8021X\n"
            "\teap=TLS\n"
            f'\tidentity="{identity}"\n'
            f'\tca_cert="{server_ca_file}"\n'
            f'\tclient_cert="{client_cert}"\n'
            f'\tprivate_key="{client_key}"\n'
            "\teapol_flags=0\n"
            "}\n"
        )
        completed = subprocess.run(
            [
                EAPOL_TEST,
                "-c",
                str(config),
                "-a",
                "127.0.0.1",
                "-p",
                str(port),
                "-s",
                secret,
                "-t",
                str(timeout),
                "-r",
                "0",
            ],
            capture_output=True,
            text=True,
            errors="replace",
            timeout=timeout + 20,
            check=False,
        )
    output = completed.stdout + completed.stderr
    answers = _RADIUS_ANSWER.findall(output)
    final = answers[-1][1] if answers else None
    if final == ACCEPT and completed.returncode == 0:
        return Authentication(ACCEPT, output)
    if final == REJECT:
        return Authentication(REJECT, output)
    raise EapTlsClientError(
        f"eapol_test ended with exit code {completed.returncode} and no final RADIUS answer:\n"
        f"{output[-3000:]}"
    )
