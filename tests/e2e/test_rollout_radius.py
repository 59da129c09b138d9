"""playbooks/rollout.yml against the emulator and a real FreeRADIUS, proven with eapol_test.

The steps build on each other, in file order: the first rollout, what it lets in
and keeps out, a run that changes nothing, check mode, renewal within the margin,
trust entries deleted or edited on the RADIUS host, a new RADIUS CA, removal of one
property (rehearsed in check mode first), and renewal of an expired CA.
"""

from __future__ import annotations

import math
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from asp_emulator.testing import EmulatorProcess
from cryptography import x509

from . import pki
from .eap_tls_client import ACCEPT, REJECT, authenticate
from .playbook_runner import REPOSITORY, PlaybookRun, run_playbook
from .radius_server import RadiusServer, TlsOptions, running_radius_server

PLAYBOOK = REPOSITORY / "playbooks" / "rollout.yml"
PLACEHOLDER = REPOSITORY / "roles" / "ca_rollout" / "files" / "trust-store-placeholder.pem"
PROPERTIES = {"lobby": "E2E lobby devices", "spa": "E2E spa devices"}
RADIUS_CA_PASSPHRASE = "correct horse battery staple"
_PEM_CERTIFICATE = re.compile(
    r"-----BEGIN CERTIFICATE-----.+?-----END CERTIFICATE-----", re.DOTALL
)


def certificates_in(text: str) -> list[x509.Certificate]:
    return [
        x509.load_pem_x509_certificate(block.encode()) for block in _PEM_CERTIFICATE.findall(text)
    ]


@dataclass
class Deployment:
    """Two properties, one RADIUS host (this machine) and the emulator."""

    emulator: EmulatorProcess
    radius: RadiusServer
    work: Path
    radius_ca: pki.Authority
    radius_ca_paths: dict[str, Path]
    host_vars: dict[str, dict] = field(default_factory=dict)
    extra_properties: dict[str, str] = field(default_factory=dict)
    runs: int = 0

    @property
    def radius_host_dir(self) -> Path:
        return self.work / "radius-host"

    @property
    def trust_store(self) -> Path:
        return self.radius_host_dir / "asp-trust.pem"

    def inventory(self) -> dict:
        return {
            "all": {
                "vars": {
                    "ansible_connection": "local",
                    "ansible_python_interpreter": sys.executable,
                },
                "children": {
                    "asp_properties": {
                        "vars": {
                            "ca_rollout_radius_host": "radius",
                            "ca_rollout_radius_ca_certificate_path": str(
                                self.radius_ca_paths["certificate"]
                            ),
                            "ca_rollout_radius_ca_private_key_path": str(
                                self.radius_ca_paths["key"]
                            ),
                            "ca_rollout_radius_ca_private_key_passphrase": RADIUS_CA_PASSPHRASE,
                            "ca_rollout_rotation_period": {"value": 6, "interval": "MONTHS"},
                            "ca_rollout_validity_days": 2,
                            "ca_rollout_renewal_margin_days": 1,
                            "ca_rollout_trust_store_dir": str(self.radius_host_dir / "trust.d"),
                            "ca_rollout_trust_store": str(self.trust_store),
                            "ca_rollout_reload_command": self.radius.restart_command,
                        },
                        "hosts": {
                            host: {"ca_rollout_ca_name": name, **self.host_vars.get(host, {})}
                            for host, name in {**PROPERTIES, **self.extra_properties}.items()
                        },
                    },
                    "radius_servers": {"hosts": {"radius": {}}},
                },
            }
        }

    def rollout(self, *, expect_success: bool = True, **options) -> PlaybookRun:
        self.runs += 1
        self.emulator.reset_stats()
        run = run_playbook(
            PLAYBOOK,
            self.inventory(),
            self.work / f"run-{self.runs}",
            env=self.emulator.connection_env(),
            **options,
        )
        if expect_success:
            assert run.returncode == 0, run.output[-6000:]
        return run

    def certificate_authorities(self) -> dict[str, dict]:
        token = self.emulator.mint_token()
        status, page = self.emulator.request(
            "GET",
            "/v1/enterprise/certificateAuthorities?expand=all&maxResults=10",
            headers={"Authorization": f"Bearer {token}"},
        )
        assert status == 200, page
        assert "nextToken" not in page.get("paginationContext", {}), "more CAs than expected"
        return {ca["friendlyName"]["value"]["text"]: ca for ca in page["certificateAuthorities"]}

    def device(self, property_host: str) -> dict[str, str]:
        ca = self.certificate_authorities()[PROPERTIES[property_host]]
        return self.emulator.device_certificate(ca["id"], common_name=f"echo-{property_host}")

    def authenticate(self, device: dict[str, str], *, with_chain: bool) -> str:
        return authenticate(
            port=self.radius.port,
            secret=self.radius.secret,
            server_ca_file=self.radius.server_ca_file,
            certificate_pem=device["certificate"],
            key_pem=device["private_key"],
            chain_pem=device["certificate_chain"] if with_chain else "",
        ).outcome


@pytest.fixture(scope="module")
def deployment(required_programs, emulator, work_dir: Path):
    radius_ca = pki.root_authority("E2E RADIUS CA")
    radius_ca_paths = radius_ca.write(work_dir / "radius-ca", "ca", RADIUS_CA_PASSPHRASE)
    radius_host_dir = work_dir / "radius-host"
    radius_host_dir.mkdir()
    # FreeRADIUS needs a trust store to start; before the first rollout it trusts nothing.
    (radius_host_dir / "asp-trust.pem").write_text(PLACEHOLDER.read_text())
    tls = TlsOptions(ca_file=str(radius_host_dir / "asp-trust.pem"))
    with running_radius_server(work_dir / "freeradius", tls) as radius:
        yield Deployment(emulator, radius, work_dir, radius_ca, radius_ca_paths)


@pytest.fixture(scope="module")
def first_rollout(deployment: Deployment) -> dict:
    pid_before = deployment.radius.pid()
    run = deployment.rollout()
    devices = {host: deployment.device(host) for host in PROPERTIES}
    return {"run": run, "pid_before": pid_before, "devices": devices}


def test_first_rollout_makes_each_ca_active_signed_and_trusted(deployment, first_rollout):
    certificate_authorities = deployment.certificate_authorities()
    assert sorted(certificate_authorities) == sorted(PROPERTIES.values())
    ca_certificates = []
    for ca in certificate_authorities.values():
        assert ca["status"] == "ACTIVE"
        certificate = x509.load_pem_x509_certificate(
            ca["certificateMetadata"]["certificate"].encode()
        )
        assert certificate.issuer == deployment.radius_ca.certificate.subject
        constraints = certificate.extensions.get_extension_for_class(x509.BasicConstraints)
        assert constraints.critical and constraints.value.ca and constraints.value.path_length == 0
        ca_certificates.append(certificate)
    trusted = certificates_in(deployment.trust_store.read_text())
    placeholder = certificates_in(PLACEHOLDER.read_text())
    assert sorted(c.fingerprint(pki.hashes.SHA256()) for c in trusted) == sorted(
        c.fingerprint(pki.hashes.SHA256()) for c in ca_certificates + placeholder
    ), "the trust store must hold the ASP CA certificates and nothing that chains further up"
    assert deployment.radius.pid() != first_rollout["pid_before"], "FreeRADIUS was not restarted"
    assert oct(deployment.trust_store.stat().st_mode & 0o777) == "0o644"


@pytest.mark.parametrize("with_chain", [False, True], ids=["certificate-alone", "with-chain"])
@pytest.mark.parametrize("property_host", sorted(PROPERTIES))
def test_devices_of_rolled_out_cas_get_access_accept(
    deployment, first_rollout, property_host, with_chain
):
    device = first_rollout["devices"][property_host]
    assert deployment.authenticate(device, with_chain=with_chain) == ACCEPT


@pytest.mark.parametrize("with_chain", [False, True], ids=["certificate-alone", "with-chain"])
def test_devices_of_other_cas_get_access_reject(deployment, first_rollout, with_chain):
    unrelated = pki.subordinate_authority(pki.root_authority("Unrelated root"), "Unrelated CA")
    # Signed by the RADIUS CA itself but never rolled out: trusting the RADIUS CA
    # would let it in, trusting only the ASP CAs does not.
    rogue = pki.subordinate_authority(deployment.radius_ca, "CA the RADIUS CA signed elsewhere")
    for issuer in (unrelated, rogue):
        leaf = pki.client_certificate(issuer, "stranger")
        device = {
            "certificate": pki.pem(leaf.certificate),
            "private_key": pki.key_pem(leaf.key),
            "certificate_chain": "".join(pki.pem(link) for link in leaf.chain),
        }
        assert deployment.authenticate(device, with_chain=with_chain) == REJECT


def test_second_run_changes_nothing_and_costs_one_list(deployment, first_rollout):
    pid_before = deployment.radius.pid()
    # The trust entries are the signed certificates; the trust store is assembled from them.
    signed = sorted((deployment.radius_host_dir / "trust.d").iterdir()) + [deployment.trust_store]
    signed_before = {path: (path.read_bytes(), path.stat().st_mtime_ns) for path in signed}

    run = deployment.rollout()

    assert run.changed_hosts() == {}, run.output[-6000:]
    stats = deployment.emulator.stats()
    properties = len(PROPERTIES)
    assert stats["token_requests"] == 1
    assert stats["total"] - stats["token_requests"] <= properties + math.ceil(properties / 10)
    assert set(stats["requests"]) <= {"list", "get"}, stats
    assert deployment.radius.pid() == pid_before, "FreeRADIUS was restarted"
    assert {
        path: (path.read_bytes(), path.stat().st_mtime_ns) for path in signed
    } == signed_before


def test_check_mode_reports_a_new_property_and_changes_nothing(deployment, first_rollout):
    before = deployment.certificate_authorities()
    deployment.extra_properties["pool"] = "E2E pool devices"
    try:
        run = deployment.rollout(check=True)
    finally:
        deployment.extra_properties.clear()
    assert run.changed_hosts().get("pool", 0) > 0, run.output[-6000:]
    assert run.changed_hosts().keys() <= {"pool"}, run.output[-6000:]
    assert deployment.certificate_authorities().keys() == before.keys()
    assert not (deployment.radius_host_dir / "trust.d" / "property-pool.pem").exists()


def test_renewal_within_the_margin_signs_imports_and_restarts(deployment, first_rollout):
    before = deployment.certificate_authorities()
    pid_before = deployment.radius.pid()

    run = deployment.rollout(extra_vars={"ca_rollout_renewal_margin_days": 5})

    assert set(run.changed_hosts()) == set(PROPERTIES), run.output[-6000:]
    assert deployment.emulator.stats()["requests"]["import"] == {"204": len(PROPERTIES)}
    after = deployment.certificate_authorities()
    for name, ca in after.items():
        assert ca["status"] == "ACTIVE"
        assert (
            ca["certificateMetadata"]["certificate"]
            != before[name]["certificateMetadata"]["certificate"]
        )
    assert deployment.radius.pid() != pid_before, "FreeRADIUS was not restarted"
    for property_host in PROPERTIES:
        assert (
            deployment.authenticate(first_rollout["devices"][property_host], with_chain=True)
            == ACCEPT
        )


def _assert_entries_are_the_imported_certificates(deployment) -> None:
    certificate_authorities = deployment.certificate_authorities()
    for host, name in PROPERTIES.items():
        entry = (deployment.radius_host_dir / "trust.d" / f"property-{host}.pem").read_text()
        imported = certificate_authorities[name]["certificateMetadata"]["certificate"]
        assert certificates_in(entry) == certificates_in(imported), host


def test_a_deleted_or_edited_trust_entry_is_signed_again(deployment, first_rollout):
    """The role decides "in place" from the entries' checksums; drift on the host is seen."""
    entries = deployment.radius_host_dir / "trust.d"
    (entries / "property-lobby.pem").unlink()
    (entries / "property-spa.pem").write_text(PLACEHOLDER.read_text())
    pid_before = deployment.radius.pid()

    run = deployment.rollout()

    assert set(run.changed_hosts()) == set(PROPERTIES), run.output[-6000:]
    assert deployment.emulator.stats()["requests"]["import"] == {"204": len(PROPERTIES)}
    _assert_entries_are_the_imported_certificates(deployment)
    assert deployment.radius.pid() != pid_before, "FreeRADIUS was not restarted"
    for property_host in PROPERTIES:
        device = first_rollout["devices"][property_host]
        assert deployment.authenticate(device, with_chain=False) == ACCEPT


def test_a_new_radius_ca_signs_and_imports_every_ca_again(deployment, first_rollout):
    successor = pki.root_authority("E2E RADIUS CA, second generation")
    deployment.radius_ca_paths = successor.write(
        deployment.work / "radius-ca-2", "ca", RADIUS_CA_PASSPHRASE
    )

    run = deployment.rollout()

    assert set(run.changed_hosts()) == set(PROPERTIES), run.output[-6000:]
    assert deployment.emulator.stats()["requests"]["import"] == {"204": len(PROPERTIES)}
    _assert_entries_are_the_imported_certificates(deployment)
    for ca in deployment.certificate_authorities().values():
        metadata = ca["certificateMetadata"]
        assert certificates_in(metadata["certificateChain"]) == [successor.certificate]
        (certificate,) = certificates_in(metadata["certificate"])
        assert certificate.issuer == successor.certificate.subject
    # The ASP CAs keep their keys, so the devices they issued for keep joining.
    for property_host in PROPERTIES:
        device = first_rollout["devices"][property_host]
        assert deployment.authenticate(device, with_chain=True) == ACCEPT


def test_absent_untrusts_then_deletes_only_that_property(deployment, first_rollout):
    lobby_device = first_rollout["devices"]["lobby"]
    spa_device = first_rollout["devices"]["spa"]
    deployment.host_vars["lobby"] = {"ca_rollout_state": "absent"}

    rehearsal = deployment.rollout(limit="lobby", check=True)
    assert rehearsal.recap["lobby"]["changed"] > 0, rehearsal.output[-6000:]
    assert set(deployment.emulator.stats()["requests"]) <= {"list", "get"}
    assert deployment.authenticate(lobby_device, with_chain=True) == ACCEPT

    run = deployment.rollout(limit="lobby")

    assert run.changed_hosts().keys() == {"lobby"}, run.output[-6000:]
    assert "spa" not in run.recap
    assert deployment.authenticate(lobby_device, with_chain=False) == REJECT
    assert deployment.authenticate(lobby_device, with_chain=True) == REJECT
    # The spa property was not in the play; its CA stays trusted.
    assert deployment.authenticate(spa_device, with_chain=True) == ACCEPT
    remaining = deployment.certificate_authorities()
    assert list(remaining) == [PROPERTIES["spa"]]
    assert "delete" in deployment.emulator.stats()["requests"]


def test_expired_ca_is_renewed(deployment, first_rollout):
    spa = deployment.certificate_authorities()[PROPERTIES["spa"]]
    expired_at = spa["certificateMetadata"]["expiresAt"]
    deployment.emulator.advance_clock(3 * 86400)
    assert deployment.certificate_authorities()[PROPERTIES["spa"]]["status"] == "EXPIRED"

    run = deployment.rollout(extra_vars={"ca_rollout_validity_days": 30})

    assert run.recap["spa"]["changed"] > 0, run.output[-6000:]
    requests = deployment.emulator.stats()["requests"]
    assert requests["import"] == {"204": 1}
    # The lobby property, removed before, stays removed and costs nothing.
    assert "delete" not in requests and "create" not in requests
    assert "E2E lobby devices: ABSENT" in run.output
    renewed = deployment.certificate_authorities()[PROPERTIES["spa"]]
    assert renewed["status"] == "ACTIVE"
    assert renewed["certificateMetadata"]["expiresAt"] > expired_at
