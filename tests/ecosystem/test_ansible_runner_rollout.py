"""The rollout as AWX runs it: ansible-runner, the credential type's environment, the emulator.

AWX checks out the project, installs its collections, writes the inventory and
starts `ansible-runner run` with the credentials' injected environment. This
test does the same with the collection installed from its tarball, a RADIUS CA
made for the test and localhost as the RADIUS host.
"""

from __future__ import annotations

import json
import re
import shutil
import sys
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
import yaml
from asp_emulator.testing import EmulatorProcess
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from awx_injection import injected_environment
from ecosystem_tools import REPO_ROOT, run_tool

PROPERTIES = {"lobby": "AWX job lobby Wi-Fi", "spa": "AWX job spa Wi-Fi"}
# What an access token of the emulator (and of LWA) looks like.
ACCESS_TOKEN = re.compile(r"Atza\|[A-Za-z0-9_\-]{20,}")
CERTIFICATE_AUTHORITIES = "/v1/enterprise/certificateAuthorities"


@dataclass
class RunnerJob:
    rc: int
    status: str
    artifacts: Path

    def changed_per_host(self) -> dict[str, int]:
        for event in self.events():
            if event.get("event") == "playbook_on_stats":
                return event["event_data"].get("changed", {})
        raise AssertionError(f"no playbook_on_stats event in {self.artifacts}")

    def events(self) -> list[dict[str, Any]]:
        return [
            json.loads(path.read_text())
            for path in sorted((self.artifacts / "job_events").glob("*.json"))
        ]

    def recorded_output(self) -> str:
        """What AWX keeps of a job: its stdout, stderr, events and facts.

        Left out is ansible-runner's `command` file, its own record of the
        environment it was started with, which holds the credential by design.
        """
        return "\n".join(
            path.read_text(errors="replace")
            for path in sorted(self.artifacts.rglob("*"))
            if path.is_file() and path.name != "command"
        )


def write_radius_ca(directory: Path) -> tuple[Path, Path, x509.Certificate]:
    """A throwaway RADIUS root CA, certificate and key as PEM files on the 'RADIUS host'."""
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "ansible-runner test property"),
            x509.NameAttribute(NameOID.COMMON_NAME, "Test RADIUS CA"),
        ]
    )
    now = datetime.now(timezone.utc)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=730))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    directory.mkdir(parents=True)
    certificate_path, key_path = directory / "radius-ca.pem", directory / "radius-ca.key"
    certificate_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    key_path.chmod(0o600)
    return certificate_path, key_path, certificate


class AwxJob:
    """A private data directory laid out as AWX lays one out for a job template."""

    def __init__(
        self, root: Path, emulator: EmulatorProcess, collections_path: Path, radius_dir: Path
    ) -> None:
        self.root = root
        self.radius_dir = radius_dir
        self.reload_log = radius_dir / "reloads.log"
        certificate_path, key_path, self.radius_ca = write_radius_ca(radius_dir / "ca")
        local = {"ansible_connection": "local", "ansible_python_interpreter": sys.executable}

        (root / "project").mkdir(parents=True)
        shutil.copy(REPO_ROOT / "playbooks" / "rollout.yml", root / "project" / "rollout.yml")
        (root / "inventory").mkdir()
        inventory = {
            "all": {
                "children": {
                    "asp_properties": {
                        "vars": {
                            **local,
                            "ca_rollout_radius_host": "radius",
                            "ca_rollout_radius_ca_certificate_path": str(certificate_path),
                            "ca_rollout_radius_ca_private_key_path": str(key_path),
                            "ca_rollout_trust_store_dir": str(radius_dir / "trust.d"),
                            "ca_rollout_trust_store": str(self.trust_store),
                            "ca_rollout_reload_command": (
                                f"sh -c 'echo restarted >> {self.reload_log}'"
                            ),
                        },
                        "hosts": {
                            host: {"ca_rollout_ca_name": name} for host, name in PROPERTIES.items()
                        },
                    },
                    "radius_servers": {"hosts": {"radius": local}},
                }
            }
        }
        (root / "inventory" / "hosts.yml").write_text(yaml.safe_dump(inventory))

        # The credential holds what an administrator types into AWX's form.
        credential_environment = injected_environment(
            {
                "api_url": emulator.url,
                "lwa_token_url": f"{emulator.url}/auth/o2/token",
                "client_id": emulator.client_id,
                "client_secret": emulator.client_secret,
                "refresh_token": emulator.refresh_token,
            }
        )
        (root / "env").mkdir()
        (root / "env" / "envvars").write_text(
            yaml.safe_dump(
                {
                    **credential_environment,
                    "ANSIBLE_COLLECTIONS_PATH": str(collections_path),
                    "ANSIBLE_LOCAL_TEMP": str(root / "ansible-tmp"),
                    "ANSIBLE_NOCOLOR": "1",
                }
            )
        )
        (root / "env" / "settings").write_text(yaml.safe_dump({"suppress_ansible_output": True}))

    @property
    def trust_store(self) -> Path:
        return self.radius_dir / "trust.pem"

    def run(self, ident: str) -> RunnerJob:
        run_tool(
            ["ansible-runner", "run", str(self.root), "-p", "rollout.yml", "--ident", ident],
            check=False,
            timeout=900,
        )
        artifacts = self.root / "artifacts" / ident
        return RunnerJob(
            rc=int((artifacts / "rc").read_text()),
            status=(artifacts / "status").read_text().strip(),
            artifacts=artifacts,
        )

    def restarts(self) -> int:
        return len(self.reload_log.read_text().splitlines()) if self.reload_log.exists() else 0


def certificate_authorities(emulator: EmulatorProcess) -> list[dict[str, Any]]:
    """Every CA the emulator holds, read through the service's own list operation."""
    headers = {"Authorization": f"Bearer {emulator.mint_token(lifetime=600)}"}
    found: list[dict[str, Any]] = []
    path = f"{CERTIFICATE_AUTHORITIES}?expand=all&maxResults=10"
    while True:
        status, page = emulator.request("GET", path, headers=headers)
        assert status == 200, page
        found.extend(page["certificateAuthorities"])
        next_token = (page.get("paginationContext") or {}).get("nextToken")
        if not next_token:
            return found
        path = f"{CERTIFICATE_AUTHORITIES}?expand=all&maxResults=10&nextToken={next_token}"


def fingerprints(pem_text: str) -> set[bytes]:
    return {
        certificate.fingerprint(hashes.SHA256())
        for certificate in x509.load_pem_x509_certificates(pem_text.encode())
    }


def api_requests(stats: dict[str, Any], operation: str) -> int:
    return sum(stats["requests"].get(operation, {}).values())


@pytest.fixture
def awx_job(tmp_path: Path, emulator: EmulatorProcess, collections_path: Path) -> AwxJob:
    return AwxJob(tmp_path / "job", emulator, collections_path, tmp_path / "radius")


def test_a_job_rolls_out_every_property_and_a_second_job_changes_nothing(
    awx_job: AwxJob, emulator: EmulatorProcess
) -> None:
    first = awx_job.run("first")

    assert (first.rc, first.status) == (0, "successful"), (first.artifacts / "stdout").read_text()
    by_name = {ca["friendlyName"]["value"]["text"]: ca for ca in certificate_authorities(emulator)}
    assert set(by_name) == set(PROPERTIES.values()), "one CA per property, and no other"
    assert {ca["status"] for ca in by_name.values()} == {"ACTIVE"}
    trusted = fingerprints(awx_job.trust_store.read_text())
    for ca in by_name.values():
        assert fingerprints(ca["certificateMetadata"]["certificate"]) <= trusted
    assert awx_job.radius_ca.fingerprint(hashes.SHA256()) not in trusted
    assert awx_job.restarts() == 1
    stats = emulator.stats()
    assert stats["token_requests"] == 1, "the play must exchange the refresh token once"
    assert api_requests(stats, "create") == len(PROPERTIES)
    recorded = first.recorded_output()
    for secret in (emulator.client_secret, emulator.refresh_token):
        assert secret not in recorded, "a credential reached the job's recorded output"
    assert not ACCESS_TOKEN.search(recorded), "an access token reached the job's recorded output"

    emulator.reset_stats()
    second = awx_job.run("second")

    assert second.rc == 0, (second.artifacts / "stdout").read_text()
    assert second.changed_per_host() == {}, (second.artifacts / "stdout").read_text()
    assert awx_job.restarts() == 1
    stats = emulator.stats()
    assert stats["token_requests"] == 1
    for operation in ("create", "import", "update", "delete"):
        assert api_requests(stats, operation) == 0, f"a no-change run sent {operation} requests"


def test_an_access_token_credential_works_with_its_other_fields_left_empty(
    tmp_path: Path, emulator: EmulatorProcess, collections_path: Path
) -> None:
    # AWX injects ASP_CLIENT_ID, ASP_CLIENT_SECRET and ASP_REFRESH_TOKEN as empty
    # strings here; the modules must read them as not set, not as half a credential.
    private_data_dir = tmp_path / "job"
    (private_data_dir / "inventory").mkdir(parents=True)
    (private_data_dir / "inventory" / "hosts").write_text(
        f"localhost ansible_connection=local ansible_python_interpreter={sys.executable}\n"
    )
    (private_data_dir / "env").mkdir()
    environment = injected_environment(
        {"api_url": emulator.url, "access_token": emulator.mint_token(lifetime=600)}
    )
    (private_data_dir / "env" / "envvars").write_text(
        yaml.safe_dump({**environment, "ANSIBLE_COLLECTIONS_PATH": str(collections_path)})
    )

    run_tool(
        [
            "ansible-runner",
            "run",
            str(private_data_dir),
            "--hosts",
            "localhost",
            "-m",
            "asp.enterprise_wifi.asp_ca_info",
            "--ident",
            "adhoc",
        ],
        check=False,
    )

    artifacts = private_data_dir / "artifacts" / "adhoc"
    assert (artifacts / "rc").read_text() == "0", (artifacts / "stdout").read_text()
    results = [
        event["event_data"]["res"]
        for event in RunnerJob(0, "", artifacts).events()
        if event.get("event") == "runner_on_ok"
    ]
    assert [result["certificate_authorities"] for result in results] == [[]]
    stats = emulator.stats()
    assert stats["token_requests"] == 0, "an access token needs no exchange"
    assert api_requests(stats, "list") == 1
