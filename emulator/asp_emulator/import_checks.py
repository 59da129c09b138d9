"""The checks an import must pass, in the order and spirit of AWS Private CA's."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization

from asp_emulator.errors import bad_request
from asp_emulator.pem import PemError, pem_blocks, to_pem

_CERTIFICATE = "CERTIFICATE"


@dataclass(frozen=True)
class CheckedImport:
    certificate_der: bytes
    certificate_chain_pem: str
    not_before: float
    not_after: float


def _certificates(field: str, text: str) -> list[x509.Certificate]:
    if "PRIVATE KEY" in text:
        raise bad_request(f"{field} contains a private key; send certificates only.")
    try:
        blocks = pem_blocks(text)
    except PemError as error:
        raise bad_request(f"{field} is not valid PEM: {error}.") from None
    if not blocks:
        raise bad_request(f"{field} holds no PEM certificate.")
    certificates = []
    for position, (label, der) in enumerate(blocks, start=1):
        if label != _CERTIFICATE:
            raise bad_request(f"{field} holds a {label} block where a CERTIFICATE belongs.")
        try:
            certificates.append(x509.load_der_x509_certificate(der))
        except ValueError:
            raise bad_request(
                f"{field}: certificate {position} is not a valid X.509 certificate."
            ) from None
    return certificates


def _describe(certificate: x509.Certificate) -> str:
    try:
        return certificate.subject.rfc4514_string()
    except ValueError:
        return "an unreadable subject"


def _public_key_der(public_key: object) -> bytes:
    return public_key.public_bytes(  # type: ignore[attr-defined]
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def _is_ca(certificate: x509.Certificate) -> bool:
    try:
        constraints = certificate.extensions.get_extension_for_class(x509.BasicConstraints)
    except x509.ExtensionNotFound:
        return False
    except ValueError:
        return False
    return constraints.value.ca


def _check_validity(what: str, certificate: x509.Certificate, now: datetime) -> None:
    not_before = certificate.not_valid_before_utc
    not_after = certificate.not_valid_after_utc
    if now < not_before:
        raise bad_request(
            f"{what} is not valid yet: its notBefore is {not_before.isoformat()}, "
            f"the service's time is {now.isoformat()}."
        )
    if now > not_after:
        raise bad_request(
            f"{what} has expired: its notAfter is {not_after.isoformat()}, "
            f"the service's time is {now.isoformat()}."
        )


def _issued_by(certificate: x509.Certificate, issuer: x509.Certificate) -> str | None:
    """None when `issuer` signed `certificate`, otherwise the reason it did not."""
    if certificate.issuer != issuer.subject:
        return "its issuer name is not the next certificate's subject"
    try:
        certificate.verify_directly_issued_by(issuer)
    except InvalidSignature:
        return "its signature does not verify with the next certificate's public key"
    except (ValueError, TypeError, UnsupportedAlgorithm) as error:
        return f"its signature cannot be verified ({error})"
    return None


def csr_public_key_der(csr_der: bytes) -> bytes:
    return _public_key_der(x509.load_der_x509_csr(csr_der).public_key())


def check_import(
    certificate_text: str,
    certificate_chain_text: str,
    ca_public_key_der: bytes,
    now_timestamp: float,
) -> CheckedImport:
    """Every check an import must pass; each failure is a BAD_REQUEST naming it."""
    now = datetime.fromtimestamp(now_timestamp, tz=timezone.utc)
    certificates = _certificates("certificate", certificate_text)
    if len(certificates) != 1:
        raise bad_request(
            f"certificate must hold exactly one certificate, it holds {len(certificates)}; "
            "put the issuers in certificateChain."
        )
    certificate = certificates[0]
    chain = _certificates("certificateChain", certificate_chain_text)

    try:
        public_key_der = _public_key_der(certificate.public_key())
    except (ValueError, UnsupportedAlgorithm):
        raise bad_request("certificate has a public key the service cannot read.") from None
    if public_key_der != ca_public_key_der:
        raise bad_request(
            "certificate's public key is not the CA's: sign the CSR of this certificate "
            "authority."
        )
    if not _is_ca(certificate):
        raise bad_request(
            "certificate is not a CA certificate: it needs basicConstraints with CA:TRUE."
        )
    _check_validity("certificate", certificate, now)

    links = [certificate, *chain]
    for position, (subject, issuer) in enumerate(zip(links, links[1:])):
        what = "certificate" if position == 0 else f"certificateChain certificate {position}"
        reason = _issued_by(subject, issuer)
        if reason is not None:
            raise bad_request(
                f"certificateChain does not verify {what} ({_describe(subject)}): {reason}. "
                "Give the chain issuer first, up to the root."
            )
    for position, issuer in enumerate(chain, start=1):
        what = f"certificateChain certificate {position} ({_describe(issuer)})"
        if not _is_ca(issuer):
            raise bad_request(f"{what} is not a CA certificate (basicConstraints CA:TRUE).")
        _check_validity(what, issuer, now)
    last = chain[-1]
    if last.issuer == last.subject and _issued_by(last, last) is not None:
        raise bad_request(
            f"certificateChain's root ({_describe(last)}) is self-issued but its "
            "self-signature does not verify."
        )

    return CheckedImport(
        certificate_der=certificate.public_bytes(serialization.Encoding.DER),
        certificate_chain_pem="".join(
            to_pem(issuer.public_bytes(serialization.Encoding.DER), _CERTIFICATE)
            for issuer in chain
        ),
        not_before=certificate.not_valid_before_utc.timestamp(),
        not_after=certificate.not_valid_after_utc.timestamp(),
    )
