"""What must hold after any rollout, however it was disturbed; each check returns problems."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import serialization

from rollout_harness.pki import chains_to, load_certificates
from rollout_harness.service import friendly_name


def _der(certificate: x509.Certificate) -> bytes:
    return certificate.public_bytes(serialization.Encoding.DER)


def _is_ca(certificate: x509.Certificate) -> bool:
    try:
        return certificate.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    except x509.ExtensionNotFound:
        return False


def rollout_problems(
    certificate_authorities: list[dict],
    property_names: list[str],
    radius_ca: x509.Certificate,
    trust_store: Path,
) -> list[str]:
    """Every way the service and the trust store differ from a finished rollout."""
    problems: list[str] = []
    by_name: dict[str, list[dict]] = defaultdict(list)
    for certificate_authority in certificate_authorities:
        by_name[friendly_name(certificate_authority)].append(certificate_authority)

    active_certificates: set[bytes] = set()
    for name in property_names:
        owned = by_name.get(name, [])
        if len(owned) != 1:
            ids = [ca["id"] for ca in owned]
            problems.append(f"property {name} has {len(owned)} CAs, not one: {ids}")
            continue
        certificate_authority = owned[0]
        if certificate_authority.get("status") != "ACTIVE":
            problems.append(
                f"property {name}: CA {certificate_authority['id']} is "
                f"{certificate_authority.get('status')}, not ACTIVE"
            )
            continue
        metadata = certificate_authority.get("certificateMetadata") or {}
        certificate = load_certificates(metadata.get("certificate", ""))[0]
        chain = load_certificates(metadata.get("certificateChain", ""))
        if not chains_to(certificate, chain, radius_ca):
            problems.append(f"property {name}: the CA certificate does not chain to the RADIUS CA")
        active_certificates.add(_der(certificate))

    orphans = sorted(set(by_name) - set(property_names))
    for name in orphans:
        ids = [ca["id"] for ca in by_name[name]]
        problems.append(f"CA named {name!r} belongs to no property: {ids}")

    problems.extend(trust_store_problems(trust_store, active_certificates))
    return problems


def trust_store_problems(trust_store: Path, active_certificates: set[bytes]) -> list[str]:
    """The trust store must anchor exactly the active ASP CAs.

    The role documents one extra entry, a placeholder that is not a CA (so that FreeRADIUS
    starts with an empty store); any non-CA certificate trusts nothing, so it is ignored.
    """
    if not trust_store.exists():
        return [f"the trust store {trust_store} does not exist"]
    trusted = {
        _der(certificate)
        for certificate in load_certificates(trust_store.read_text())
        if _is_ca(certificate)
    }
    problems = []
    if trusted - active_certificates:
        problems.append(
            f"the trust store holds {len(trusted - active_certificates)} CA certificate(s) "
            "that are not an active property CA"
        )
    if active_certificates - trusted:
        problems.append(
            f"the trust store lacks {len(active_certificates - trusted)} active property CA(s)"
        )
    return problems
