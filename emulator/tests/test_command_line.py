"""`asp-emulator` as a user starts it: help, the URL line, TLS, and refusals."""

from __future__ import annotations

import datetime
import json
import socket
import ssl
import subprocess
import sys
from pathlib import Path

import httpx
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from asp_emulator.testing import running_emulator
from conftest import SERVICE
from pki import load_csr

EMULATOR = [sys.executable, "-m", "asp_emulator"]


def test_help_explains_how_to_point_a_playbook_at_it() -> None:
    result = subprocess.run([*EMULATOR, "--help"], capture_output=True, text=True, check=True)

    for text in ("ASP_API_URL", "ASP_LWA_TOKEN_URL", "--url-file", "--creation-delay", "--fault"):
        assert text in result.stdout


def test_the_console_script_is_installed() -> None:
    script = Path(sys.executable).with_name("asp-emulator")

    result = subprocess.run([str(script), "--help"], capture_output=True, text=True)

    assert result.returncode == 0 and "usage: asp-emulator" in result.stdout


def test_it_prints_the_url_and_writes_the_url_file_once_it_accepts_connections(
    tmp_path: Path,
) -> None:
    url_file = tmp_path / "url"
    process = subprocess.Popen(
        [*EMULATOR, "--port", "0", "--url-file", str(url_file)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        health = httpx.get(f"{line.strip()}/_emulator/health")
    finally:
        process.terminate()
        process.wait(timeout=10)

    assert line.startswith("http://127.0.0.1:") and line.endswith("\n")
    assert url_file.read_text() == line.strip()
    assert health.status_code == 200


def test_a_port_in_use_is_a_clear_failure() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]

        result = subprocess.run(
            [*EMULATOR, "--port", str(port)], capture_output=True, text=True, timeout=30
        )

    assert result.returncode == 1
    assert f"cannot listen on 127.0.0.1:{port}" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_bad_fault_spec_is_refused_at_start_up() -> None:
    result = subprocess.run(
        [*EMULATOR, "--fault", "operation=get,kind=teapot"], capture_output=True, text=True
    )

    assert result.returncode == 2 and "kind must be one of" in result.stderr


def test_tls_cert_and_key_go_together() -> None:
    result = subprocess.run([*EMULATOR, "--tls-cert", "x.pem"], capture_output=True, text=True)

    assert result.returncode == 2 and "go together" in result.stderr


def _self_signed(tmp_path: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.timezone.utc)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(hours=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.IPAddress(__import__("ipaddress").ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path = tmp_path / "tls.pem"
    key_path = tmp_path / "tls.key"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


def test_it_serves_https_with_tls_cert_and_key(tmp_path: Path) -> None:
    cert_path, key_path = _self_signed(tmp_path)

    with running_emulator(tls_cert=str(cert_path), tls_key=str(key_path)) as emulator:
        context = ssl.create_default_context(cafile=str(cert_path))
        response = httpx.get(f"{emulator.url}/_emulator/health", verify=context)
        stats = emulator.stats()

    assert emulator.url.startswith("https://127.0.0.1:")
    assert response.status_code == 200
    assert stats["total"] == 0


def test_ec_keys_and_multi_line_pem_on_request() -> None:
    with running_emulator(key_type="ec", pem_line_breaks=True, creation_delay=0) as emulator:
        headers = {"Authorization": f"Bearer {emulator.mint_token()}"}
        _, created = emulator.request(
            "POST",
            SERVICE,
            {
                "friendlyName": {"type": "PLAIN", "value": {"text": "EC"}},
                "rotationPeriod": {"value": 6, "interval": "MONTHS"},
            },
            headers=headers,
        )
        _, view = emulator.request("GET", f"{SERVICE}/{created['id']}?expand=all", headers=headers)

    csr = load_csr(view["csr"])
    assert "\n" in view["csr"]
    assert isinstance(csr.public_key(), ec.EllipticCurvePublicKey)
    assert x509.load_pem_x509_csr(view["csr"].encode("ascii")).is_signature_valid


def test_each_request_is_one_json_log_line_without_secrets() -> None:
    with running_emulator(creation_delay=0) as emulator:
        token_response = httpx.post(
            f"{emulator.url}/auth/o2/token",
            data={
                "grant_type": "refresh_token",
                "client_id": emulator.client_id,
                "client_secret": emulator.client_secret,
                "refresh_token": emulator.refresh_token,
            },
        )
        access_token = token_response.json()["access_token"]
        headers = {"Authorization": f"Bearer {access_token}"}
        emulator.request(
            "POST",
            SERVICE,
            {
                "friendlyName": {"type": "PLAIN", "value": {"text": "Logged name"}},
                "rotationPeriod": {"value": 6, "interval": "MONTHS"},
            },
            headers=headers,
        )
        emulator.add_fault({"operation": "list", "kind": "503", "count": 1})
        emulator.request("GET", SERVICE, headers=headers)
        emulator.stop()
        log = Path(emulator.log_path).read_text()

    entries = [json.loads(line) for line in log.splitlines() if line.startswith("{")]
    by_operation = {entry["operation"]: entry for entry in entries}
    assert by_operation["token"]["status"] == 200
    assert by_operation["create"]["status"] == 201
    assert by_operation["list"] == {**by_operation["list"], "status": 503, "fault": "503"}
    for entry in entries:
        assert {"method", "path", "operation", "status", "latency_ms"} <= set(entry)
    for secret in (access_token, emulator.client_secret, emulator.refresh_token, "Logged name"):
        assert secret not in log


def test_a_database_it_cannot_open_is_a_clear_failure(tmp_path: Path) -> None:
    result = subprocess.run(
        [*EMULATOR, "--db", str(tmp_path / "missing" / "asp.db")],
        capture_output=True,
        text=True,
        timeout=30,
    )

    assert result.returncode == 1
    assert "cannot open the database" in result.stderr and "Traceback" not in result.stderr


def test_an_unreadable_tls_certificate_is_a_clear_failure(tmp_path: Path) -> None:
    broken = tmp_path / "broken.pem"
    broken.write_text("not PEM")

    result = subprocess.run(
        [*EMULATOR, "--tls-cert", str(broken), "--tls-key", str(broken)],
        capture_output=True,
        text=True,
        timeout=30,
    )

    assert result.returncode == 1
    assert "cannot serve TLS" in result.stderr and "Traceback" not in result.stderr
