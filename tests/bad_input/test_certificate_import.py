"""Certificates and chains that asp_ca_certificate_import must refuse before calling the API."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from rollout_harness.pki import (
    certificate_pem,
    key_pem,
    new_key,
    new_root,
    sign_csr,
    utc_now,
)
from rollout_harness.rejection import assert_refused, run_tasks

IMPORT = "asp.enterprise_wifi.asp_ca_certificate_import"


def _import_task(certificate_authority_id: str, certificate: str, chain: str) -> dict:
    return {
        "name": "Import a certificate that must be refused",
        IMPORT: {
            "id": certificate_authority_id,
            "certificate": certificate,
            "certificate_chain": chain,
            "retries": 1,
            "timeout": 10,
        },
    }


def _good_pair(pending_ca, radius_pki, **signing) -> tuple[str, str]:
    """A certificate the RADIUS intermediate signed for the CA, and its correct chain."""
    certificate = sign_csr(pending_ca.csr, radius_pki.intermediate, **signing)
    chain = radius_pki.intermediate.certificate_pem + radius_pki.root.certificate_pem
    return certificate_pem(certificate), chain


def _refuse(workdir: Path, connection_env, pending_ca, certificate: str, chain: str, *words):
    run = run_tasks(workdir, [_import_task(pending_ca.id, certificate, chain)], env=connection_env)
    assert_refused(run, *words)
    return run


def _pem_body(pem: str) -> str:
    return "".join(line for line in pem.splitlines() if not line.startswith("-----"))


def test_certificate_that_is_not_pem(
    workdir, connection_env, radius_pki, pending_ca, service_guard
):
    chain = _good_pair(pending_ca, radius_pki)[1]
    _refuse(
        workdir,
        connection_env,
        pending_ca,
        "this is not a certificate",
        chain,
        ("certificate",),
        ("pem", "parse", "no certificate", "not a"),
    )
    service_guard.assert_unchanged()


def test_certificate_with_broken_base64(
    workdir, connection_env, radius_pki, pending_ca, service_guard
):
    chain = _good_pair(pending_ca, radius_pki)[1]
    broken = "-----BEGIN CERTIFICATE-----\nMIIB%%%%not*base64***\n-----END CERTIFICATE-----\n"
    _refuse(
        workdir,
        connection_env,
        pending_ca,
        broken,
        chain,
        ("certificate",),
        ("pem", "base64", "parse", "malformed", "not valid", "invalid"),
    )
    service_guard.assert_unchanged()


def test_truncated_certificate(workdir, connection_env, radius_pki, pending_ca, service_guard):
    certificate, chain = _good_pair(pending_ca, radius_pki)
    truncated = certificate[: len(certificate) // 2]
    _refuse(
        workdir,
        connection_env,
        pending_ca,
        truncated,
        chain,
        ("certificate",),
        ("pem", "parse", "truncated", "incomplete", "no certificate"),
    )
    service_guard.assert_unchanged()


def test_certificate_cut_inside_its_der(
    workdir, connection_env, radius_pki, pending_ca, service_guard
):
    """Well-formed PEM armour around DER that ends early."""
    certificate, chain = _good_pair(pending_ca, radius_pki)
    lines = certificate.splitlines()
    cut = "\n".join([lines[0], *lines[1:4], lines[-1]]) + "\n"
    _refuse(
        workdir,
        connection_env,
        pending_ca,
        cut,
        chain,
        ("certificate",),
        ("parse", "malformed", "not valid", "invalid", "truncated", "read"),
    )
    service_guard.assert_unchanged()


def test_truncated_chain(workdir, connection_env, radius_pki, pending_ca, service_guard):
    certificate, chain = _good_pair(pending_ca, radius_pki)
    _refuse(
        workdir, connection_env, pending_ca, certificate, chain[: len(chain) - 200], ("chain",)
    )
    service_guard.assert_unchanged()


def test_certificate_for_another_key(
    workdir, connection_env, radius_pki, pending_ca, service_guard
):
    other = new_key().public_key()
    certificate, chain = _good_pair(pending_ca, radius_pki, public_key=other)
    _refuse(
        workdir,
        connection_env,
        pending_ca,
        certificate,
        chain,
        ("key",),
        ("csr", "ca's", "match", "not the", "different"),
    )
    service_guard.assert_unchanged()


def test_certificate_that_is_not_a_ca(
    workdir, connection_env, radius_pki, pending_ca, service_guard
):
    certificate, chain = _good_pair(pending_ca, radius_pki, is_ca=False)
    _refuse(
        workdir,
        connection_env,
        pending_ca,
        certificate,
        chain,
        ("not a ca", "basicconstraints", "ca certificate", "ca:true"),
    )
    service_guard.assert_unchanged()


def test_expired_certificate(workdir, connection_env, radius_pki, pending_ca, service_guard):
    now = utc_now()
    certificate, chain = _good_pair(
        pending_ca,
        radius_pki,
        not_before=now - datetime.timedelta(days=30),
        not_after=now - datetime.timedelta(days=1),
    )
    _refuse(workdir, connection_env, pending_ca, certificate, chain, ("expired",))
    service_guard.assert_unchanged()


def test_certificate_not_yet_valid(workdir, connection_env, radius_pki, pending_ca, service_guard):
    now = utc_now()
    certificate, chain = _good_pair(
        pending_ca,
        radius_pki,
        not_before=now + datetime.timedelta(days=2),
        not_after=now + datetime.timedelta(days=30),
    )
    _refuse(
        workdir,
        connection_env,
        pending_ca,
        certificate,
        chain,
        ("not yet valid", "not valid yet", "not valid before", "valid from", "future"),
    )
    service_guard.assert_unchanged()


def test_chain_in_the_wrong_order(workdir, connection_env, radius_pki, pending_ca, service_guard):
    certificate = _good_pair(pending_ca, radius_pki)[0]
    reversed_chain = radius_pki.root.certificate_pem + radius_pki.intermediate.certificate_pem
    _refuse(
        workdir,
        connection_env,
        pending_ca,
        certificate,
        reversed_chain,
        ("chain",),
        ("order", "issuer", "verif", "does not", "sign"),
    )
    service_guard.assert_unchanged()


def test_chain_missing_a_link(workdir, connection_env, radius_pki, pending_ca, service_guard):
    certificate = _good_pair(pending_ca, radius_pki)[0]
    _refuse(
        workdir,
        connection_env,
        pending_ca,
        certificate,
        radius_pki.root.certificate_pem,
        ("chain",),
        ("missing", "issuer", "verif", "does not", "sign"),
    )
    service_guard.assert_unchanged()


def test_chain_of_an_unrelated_ca(workdir, connection_env, radius_pki, pending_ca, service_guard):
    certificate = _good_pair(pending_ca, radius_pki)[0]
    stranger = new_root("Unrelated root")
    _refuse(
        workdir,
        connection_env,
        pending_ca,
        certificate,
        stranger.certificate_pem,
        ("chain",),
        ("issuer", "verif", "does not", "sign"),
    )
    service_guard.assert_unchanged()


def test_private_key_pasted_into_the_chain(
    workdir, connection_env, radius_pki, pending_ca, service_guard
):
    certificate, chain = _good_pair(pending_ca, radius_pki)
    pasted = key_pem(radius_pki.intermediate.key)
    run = _refuse(
        workdir, connection_env, pending_ca, certificate, chain + pasted, ("private key",)
    )
    service_guard.assert_unchanged()
    assert _pem_body(pasted)[:40] not in run.output, "the pasted private key was printed back"


def test_private_key_instead_of_the_certificate(
    workdir, connection_env, radius_pki, pending_ca, service_guard
):
    chain = _good_pair(pending_ca, radius_pki)[1]
    pasted = key_pem(new_key())
    run = _refuse(workdir, connection_env, pending_ca, pasted, chain, ("private key",))
    service_guard.assert_unchanged()
    assert _pem_body(pasted)[:40] not in run.output, "the pasted private key was printed back"


def test_import_into_an_unknown_id(workdir, connection_env, radius_pki, pending_ca, service_guard):
    certificate, chain = _good_pair(pending_ca, radius_pki)
    unknown = "amzn1.alexa.enterprise.certificateAuthority.did.no-such-ca"
    run = run_tasks(workdir, [_import_task(unknown, certificate, chain)], env=connection_env)
    message = assert_refused(run, ("no certificate authority", "not found", "does not exist"))
    assert unknown in message
    service_guard.assert_unchanged()


@pytest.mark.parametrize("missing", ["certificate_path", "certificate_chain_path"])
def test_certificate_file_that_does_not_exist(
    missing, workdir, connection_env, radius_pki, pending_ca, service_guard
):
    certificate, chain = _good_pair(pending_ca, radius_pki)
    (workdir / "ca.pem").write_text(certificate)
    (workdir / "chain.pem").write_text(chain)
    options = {
        "id": pending_ca.id,
        "certificate_path": str(workdir / "ca.pem"),
        "certificate_chain_path": str(workdir / "chain.pem"),
        missing: str(workdir / "nowhere.pem"),
    }
    run = run_tasks(
        workdir, [{"name": "Import from a missing file", IMPORT: options}], env=connection_env
    )
    message = assert_refused(run, ("nowhere.pem",))
    assert "nowhere.pem" in message
    service_guard.assert_unchanged()
