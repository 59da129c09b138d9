"""What FreeRADIUS' EAP-TLS trusts, measured: the facts the ca_rollout role's trust store rests on.

Certificates here stand in for ASP's: a RADIUS CA (root), ASP CAs it signed as
subordinate CAs with path length 0, and device certificates under those.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from . import pki
from .eap_tls_client import ACCEPT, REJECT, authenticate
from .radius_server import RadiusServer, RadiusServerError, TlsOptions, running_radius_server

PLACEHOLDER = (
    Path(__file__).resolve().parents[2]
    / "roles"
    / "ca_rollout"
    / "files"
    / "trust-store-placeholder.pem"
)


@pytest.fixture(scope="module")
def pki_tree() -> dict:
    radius_ca = pki.root_authority("Trust test RADIUS CA")
    lobby_ca = pki.subordinate_authority(radius_ca, "Trust test ASP CA lobby")
    spa_ca = pki.subordinate_authority(radius_ca, "Trust test ASP CA spa")
    return {
        "radius_ca": radius_ca,
        "lobby_ca": lobby_ca,
        "spa_ca": spa_ca,
        "lobby_device": pki.client_certificate(lobby_ca, "echo-lobby"),
        "spa_device": pki.client_certificate(spa_ca, "echo-spa"),
    }


def outcome(server: RadiusServer, device: pki.EndEntity, *, with_chain: bool) -> str:
    return authenticate(
        port=server.port,
        secret=server.secret,
        server_ca_file=server.server_ca_file,
        certificate_pem=pki.pem(device.certificate),
        key_pem=pki.key_pem(device.key),
        chain_pem="".join(pki.pem(link) for link in device.chain) if with_chain else "",
    ).outcome


def start(tmp_path: Path, trust_store_pem: str, **tls_options):
    tmp_path.mkdir(parents=True, exist_ok=True)
    ca_file = tmp_path / "trust.pem"
    ca_file.write_text(trust_store_pem)
    return ca_file, running_radius_server(
        tmp_path / "radius", TlsOptions(ca_file=str(ca_file), **tls_options)
    )


@pytest.mark.parametrize("with_chain", [False, True], ids=["certificate-alone", "with-chain"])
def test_an_asp_ca_alone_is_a_trust_anchor(required_programs, tmp_path, pki_tree, with_chain):
    """Partial chains: a trusted subordinate CA ends the chain, without its root."""
    _ca_file, server_context = start(tmp_path, pki_tree["lobby_ca"].certificate_pem)
    with server_context as server:
        assert outcome(server, pki_tree["lobby_device"], with_chain=with_chain) == ACCEPT
        assert outcome(server, pki_tree["spa_device"], with_chain=with_chain) == REJECT


def test_trusting_the_radius_ca_lets_in_every_chain_under_it(
    required_programs, tmp_path, pki_tree
):
    """Why the trust store must not hold the RADIUS CA: removal would revoke nothing."""
    trust = pki_tree["radius_ca"].certificate_pem + pki_tree["lobby_ca"].certificate_pem
    _ca_file, server_context = start(tmp_path, trust)
    with server_context as server:
        assert outcome(server, pki_tree["spa_device"], with_chain=True) == ACCEPT
        assert outcome(server, pki_tree["spa_device"], with_chain=False) == REJECT


def test_a_crl_from_the_radius_ca_cannot_revoke_an_asp_ca(required_programs, tmp_path, pki_tree):
    """check_crl wants the device issuer's CRL, which only ASP could sign: all are rejected."""
    crl = pki.certificate_revocation_list(pki_tree["radius_ca"], [pki_tree["spa_ca"].certificate])
    _ca_file, server_context = start(
        tmp_path, pki_tree["radius_ca"].certificate_pem + crl, check_crl=True, check_all_crl=True
    )
    with server_context as server:
        assert outcome(server, pki_tree["lobby_device"], with_chain=True) == REJECT
        assert "unable to get certificate CRL" in server.log_text()


def test_a_hup_keeps_the_old_trust_store_and_a_restart_reads_the_new(
    required_programs, tmp_path, pki_tree
):
    ca_file, server_context = start(tmp_path, pki_tree["lobby_ca"].certificate_pem)
    with server_context as server:
        ca_file.write_text(PLACEHOLDER.read_text())
        # Make the HUP re-read the configuration, not only notice that nothing changed.
        later = time.time() + 2
        os.utime(server.directory / "radiusd.conf", (later, later))
        server.reload()
        assert "HUP - loading modules" in server.log_text()
        assert outcome(server, pki_tree["lobby_device"], with_chain=True) == ACCEPT

        server.restart()
        assert outcome(server, pki_tree["lobby_device"], with_chain=True) == REJECT
        assert outcome(server, pki_tree["lobby_device"], with_chain=False) == REJECT


def test_an_empty_trust_store_stops_freeradius_and_the_placeholder_does_not(
    required_programs, tmp_path, pki_tree
):
    _ca_file, server_context = start(tmp_path / "empty", "")
    with pytest.raises(RadiusServerError, match="no certificate or crl found"):
        with server_context:
            pass
    _ca_file, server_context = start(tmp_path / "placeholder", PLACEHOLDER.read_text())
    with server_context as server:
        assert outcome(server, pki_tree["lobby_device"], with_chain=True) == REJECT
