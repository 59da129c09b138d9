"""The harness's own check that a scenario left the state it should, after it is measured."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding

from inventory import ca_name
from scenarios import Scenario


def _der_set(pem_text: str) -> set[bytes]:
    if not pem_text.strip():
        return set()
    return {
        certificate.public_bytes(Encoding.DER)
        for certificate in x509.load_pem_x509_certificates(pem_text.encode())
    }


def _pem_with_line_breaks(pem_text: str) -> str:
    """The service may send PEM on one line; cryptography wants the base64 wrapped."""
    if not pem_text.strip():
        return ""
    body = pem_text.replace("-----BEGIN CERTIFICATE-----", "").replace(
        "-----END CERTIFICATE-----", ""
    )
    body = "".join(body.split())
    lines = [body[start : start + 64] for start in range(0, len(body), 64)]
    return "-----BEGIN CERTIFICATE-----\n" + "\n".join(lines) + "\n-----END CERTIFICATE-----\n"


def certificates_by_name(certificate_authorities: list[dict[str, Any]]) -> dict[str, str]:
    return {
        authority["friendlyName"]["value"]["text"]: authority.get("certificateMetadata", {}).get(
            "certificate", ""
        )
        for authority in certificate_authorities
    }


def check_outcome(
    scenario: Scenario,
    size: int,
    certificate_authorities: list[dict[str, Any]],
    trust_store: Path,
    certificates_before: dict[str, str],
    changed_results: int,
) -> str:
    """'ok', or what is wrong, in a few words for the results table."""
    trusted = _der_set(trust_store.read_text()) if trust_store.exists() else set()
    if scenario.state == "absent":
        if certificate_authorities:
            return f"{len(certificate_authorities)} CAs left"
        still_trusted = [
            name
            for name, certificate in certificates_before.items()
            if certificate and _der_set(_pem_with_line_breaks(certificate)) <= trusted
        ]
        if still_trusted:
            return f"{len(still_trusted)} removed CAs still trusted"
        return "ok"
    expected_names = {ca_name(index, scenario.name_generation) for index in range(1, size + 1)}
    names = [authority["friendlyName"]["value"]["text"] for authority in certificate_authorities]
    problems = []
    if len(names) != size or set(names) != expected_names:
        problems.append(f"{len(names)} CAs, {len(expected_names & set(names))} with the names")
    inactive = [ca for ca in certificate_authorities if ca["status"] != "ACTIVE"]
    if inactive:
        problems.append(f"{len(inactive)} not ACTIVE")
    certificates = certificates_by_name(certificate_authorities)
    untrusted = [
        name
        for name, certificate in certificates.items()
        if not certificate or not _der_set(_pem_with_line_breaks(certificate)) <= trusted
    ]
    if untrusted:
        problems.append(f"{len(untrusted)} not in the trust store")
    if scenario.expect_new_certificates:
        kept = [
            name
            for name, certificate in certificates.items()
            if certificate
            and _der_set(_pem_with_line_breaks(certificate))
            == _der_set(_pem_with_line_breaks(certificates_before.get(name, "")))
        ]
        if kept:
            problems.append(f"{len(kept)} not renewed")
    if scenario.expect_no_change and changed_results:
        problems.append(f"{changed_results} changed results")
    return "ok" if not problems else "; ".join(problems)
