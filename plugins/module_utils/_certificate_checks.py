# Copyright: asp.enterprise_wifi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Local checks of a CA certificate and its chain, made before anything reaches ASP.

Internal to the collection: names here may change without notice. Works with
cryptography 3.4 and newer; nothing here needs an API added after that release.
"""

from __future__ import annotations

import traceback
from datetime import datetime, timezone

from ansible_collections.asp.enterprise_wifi.plugins.module_utils._pem import (
    PemError,
    contains_private_key,
    parse_blocks,
)

CRYPTOGRAPHY_MIN_VERSION = "3.4"

try:
    import cryptography
    from cryptography import x509
    from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import dsa, ec, ed448, ed25519, padding, rsa
except ImportError:
    HAS_CRYPTOGRAPHY = False
    CRYPTOGRAPHY_IMPORT_ERROR: str | None = traceback.format_exc()
else:
    HAS_CRYPTOGRAPHY = True
    CRYPTOGRAPHY_IMPORT_ERROR = None


def _version_tuple(version: str) -> tuple[int, ...]:
    parts = []
    for part in version.split(".")[:2]:
        digits = "".join(character for character in part if character.isdigit())
        parts.append(int(digits or 0))
    return tuple(parts)


if HAS_CRYPTOGRAPHY and _version_tuple(cryptography.__version__) < _version_tuple(
    CRYPTOGRAPHY_MIN_VERSION
):
    HAS_CRYPTOGRAPHY = False
    CRYPTOGRAPHY_IMPORT_ERROR = (
        f"cryptography {cryptography.__version__} is installed;"
        f" {CRYPTOGRAPHY_MIN_VERSION} or newer is required"
    )

# The name modules pass to missing_required_lib().
CRYPTOGRAPHY_REQUIREMENT = f"cryptography >= {CRYPTOGRAPHY_MIN_VERSION}"


class CertificateCheckError(Exception):
    """A certificate or chain that ASP would reject or that devices could not use."""


def check_import(
    certificate_pem: str,
    chain_pem: str,
    csr_pem: str,
    now: datetime | None = None,
) -> None:
    """Check a CA certificate and its chain against the CA's CSR before they are imported.

    The checks run in this order and the first failure raises
    :class:`CertificateCheckError`: no private key in either field; both parse; the
    certificate's public key is the CSR's; it is a CA certificate; it is valid at
    ``now`` (default: the current time); the chain, issuer of the certificate first,
    verifies it link by link.
    """
    for field, text in (("certificate", certificate_pem), ("certificate_chain", chain_pem)):
        if contains_private_key(text or ""):
            raise CertificateCheckError(
                f"{field} contains a private key; send only certificates"
                " (the key must stay where it was made)"
            )

    certificate = _load_single_certificate(certificate_pem)
    chain = load_certificates(chain_pem, "certificate_chain")
    csr = _load_csr(csr_pem)

    if public_key_der(certificate.public_key()) != public_key_der(csr.public_key()):
        raise CertificateCheckError(
            f"its public key is not the CA's: the certificate for {describe(certificate)}"
            " was not issued for this CA's certificate signing request"
        )

    _check_is_ca(certificate, "the certificate")
    _check_valid_at(certificate, "the certificate", now or utc_now())
    verify_chain(certificate, chain, now=now)


def verify_chain(
    certificate: x509.Certificate,
    chain: list[x509.Certificate],
    *,
    now: datetime | None = None,
    chain_name: str = "certificate_chain",
) -> None:
    """Check that ``chain[0]`` issued ``certificate`` and ``chain[i + 1]`` issued ``chain[i]``.

    Each issuer must be a CA certificate valid at ``now``. The message of a failure
    names the broken link and whether the order looks reversed or a link is missing.
    """
    moment = now or utc_now()
    if chain and _same_der(chain[0], certificate):
        raise CertificateCheckError(
            f"{chain_name} starts with the certificate itself; it must hold only the"
            " certificate's issuers, the issuer first and the root last"
        )

    subjects = [certificate, *chain]
    for position, issuer in enumerate(chain):
        subject = subjects[position]
        issuer_name = f"{chain_name}[{position}] ({describe(issuer)})"
        subject_name = (
            "the certificate"
            if position == 0
            else f"{chain_name}[{position - 1}] ({describe(subject)})"
        )
        if not is_issued_by(subject, issuer):
            raise CertificateCheckError(
                _broken_link_message(
                    subject, subject_name, issuer, issuer_name, chain, position, chain_name
                )
            )
        _check_is_ca(issuer, issuer_name)
        _check_valid_at(issuer, issuer_name, moment)


def same_certificates(a_pem: str, b_pem: str) -> bool:
    """Tell whether two PEM texts hold the same certificates, in the same order, as DER.

    Text that cannot be read as certificates never counts as the same.
    """
    try:
        first = parse_blocks(a_pem or "")
        second = parse_blocks(b_pem or "")
    except PemError:
        return False
    if any(block.label != "CERTIFICATE" for block in (*first, *second)):
        return False
    return [block.der for block in first] == [block.der for block in second]


def load_certificates(text: str, field: str) -> list[x509.Certificate]:
    """Read every certificate in ``text``; ``field`` names the text in messages."""
    if not text or not text.strip():
        raise CertificateCheckError(f"{field} is empty; it must hold at least one certificate")
    try:
        blocks = parse_blocks(text)
    except PemError as exc:
        raise CertificateCheckError(f"{field} is not valid PEM: {exc}") from None
    certificates = []
    for position, block in enumerate(blocks):
        if block.label != "CERTIFICATE":
            raise CertificateCheckError(
                f"{field} block {position + 1} is a {block.label}, not a CERTIFICATE"
            )
        try:
            certificates.append(x509.load_der_x509_certificate(block.der))
        except ValueError as exc:
            raise CertificateCheckError(
                f"{field} block {position + 1} is not a readable X.509 certificate: {exc}"
            ) from None
    return certificates


def load_csr(text: str) -> x509.CertificateSigningRequest:
    """Read one certificate signing request, with or without line breaks in its PEM."""
    return _load_csr(text)


def public_key_der(public_key: object) -> bytes:
    """The SubjectPublicKeyInfo DER of a key; comparable across cryptography versions."""
    return public_key.public_bytes(  # type: ignore[attr-defined]
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def is_issued_by(certificate: x509.Certificate, issuer: x509.Certificate) -> bool:
    """True when ``issuer``'s name is the certificate's issuer and its key signed it."""
    return certificate.issuer == issuer.subject and signature_verifies(
        certificate, issuer.public_key()
    )


def signature_verifies(certificate: x509.Certificate, public_key: object) -> bool:
    """Check the certificate's signature with ``public_key`` (RSA, RSA-PSS, EC, EdDSA, DSA)."""
    signature = certificate.signature
    data = certificate.tbs_certificate_bytes
    try:
        if isinstance(public_key, rsa.RSAPublicKey):
            # signature_algorithm_parameters (cryptography 41) is the only way to learn PSS.
            rsa_padding = getattr(certificate, "signature_algorithm_parameters", None)
            if not isinstance(rsa_padding, (padding.PKCS1v15, padding.PSS)):
                rsa_padding = padding.PKCS1v15()
            public_key.verify(signature, data, rsa_padding, certificate.signature_hash_algorithm)
        elif isinstance(public_key, ec.EllipticCurvePublicKey):
            public_key.verify(signature, data, ec.ECDSA(certificate.signature_hash_algorithm))
        elif isinstance(public_key, (ed25519.Ed25519PublicKey, ed448.Ed448PublicKey)):
            public_key.verify(signature, data)
        elif isinstance(public_key, dsa.DSAPublicKey):
            public_key.verify(signature, data, certificate.signature_hash_algorithm)
        else:
            return False
    except (InvalidSignature, UnsupportedAlgorithm, TypeError, ValueError):
        return False
    return True


def is_ca_certificate(certificate: x509.Certificate) -> bool:
    """True when basicConstraints says CA:TRUE."""
    constraints = _extension(certificate, x509.BasicConstraints)
    return constraints is not None and constraints.value.ca


def may_sign_certificates(certificate: x509.Certificate) -> bool:
    """False only when a keyUsage extension is present and lacks keyCertSign."""
    key_usage = _extension(certificate, x509.KeyUsage)
    return key_usage is None or key_usage.value.key_cert_sign


def not_valid_before(certificate: x509.Certificate) -> datetime:
    """notBefore as an aware UTC datetime, on old and new cryptography alike."""
    value = getattr(certificate, "not_valid_before_utc", None)
    if value is None:
        value = certificate.not_valid_before.replace(tzinfo=timezone.utc)
    return value


def not_valid_after(certificate: x509.Certificate) -> datetime:
    """notAfter as an aware UTC datetime, on old and new cryptography alike."""
    value = getattr(certificate, "not_valid_after_utc", None)
    if value is None:
        value = certificate.not_valid_after.replace(tzinfo=timezone.utc)
    return value


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


def format_time(moment: datetime) -> str:
    """ISO 8601 in UTC with a ``Z``, as the ASP service writes times."""
    return moment.astimezone(timezone.utc).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def describe(certificate: x509.Certificate) -> str:
    """A short human name for a certificate: its subject, or its serial when that is empty."""
    subject = certificate.subject.rfc4514_string()
    return f"subject {subject}" if subject else f"serial {certificate.serial_number:X}"


def _extension(certificate: x509.Certificate, extension_type: type) -> x509.Extension | None:
    try:
        return certificate.extensions.get_extension_for_class(extension_type)
    except x509.ExtensionNotFound:
        return None


def _load_single_certificate(text: str) -> x509.Certificate:
    certificates = load_certificates(text, "certificate")
    if len(certificates) > 1:
        raise CertificateCheckError(
            f"certificate holds {len(certificates)} certificates; put the CA's certificate"
            " alone in certificate and its issuers in certificate_chain"
        )
    return certificates[0]


def _load_csr(text: str) -> x509.CertificateSigningRequest:
    try:
        blocks = parse_blocks(text or "")
    except PemError as exc:
        raise CertificateCheckError(
            f"the certificate signing request is not valid PEM: {exc}"
        ) from None
    requests = [block for block in blocks if block.label.endswith("CERTIFICATE REQUEST")]
    if len(requests) != 1 or len(blocks) != 1:
        raise CertificateCheckError(
            "the certificate signing request must be exactly one CERTIFICATE REQUEST block"
        )
    try:
        return x509.load_der_x509_csr(requests[0].der)
    except ValueError as exc:
        raise CertificateCheckError(
            f"the certificate signing request is not readable: {exc}"
        ) from None


def _check_is_ca(certificate: x509.Certificate, name: str) -> None:
    if not is_ca_certificate(certificate):
        raise CertificateCheckError(
            f"{name} is not a CA certificate (it lacks basicConstraints CA:TRUE), so devices"
            " would reject every certificate issued under it; sign the request as a"
            " subordinate CA, for example with asp.enterprise_wifi.asp_ca_csr_sign"
        )
    if not may_sign_certificates(certificate):
        raise CertificateCheckError(
            f"{name} is a CA certificate but its keyUsage lacks keyCertSign, so it may not"
            " sign certificates"
        )


def _check_valid_at(certificate: x509.Certificate, name: str, moment: datetime) -> None:
    starts, ends = not_valid_before(certificate), not_valid_after(certificate)
    if moment < starts:
        raise CertificateCheckError(
            f"{name} is not valid yet: it is valid from {format_time(starts)},"
            f" and now is {format_time(moment)}"
        )
    if moment > ends:
        raise CertificateCheckError(
            f"{name} has expired: it was valid until {format_time(ends)},"
            f" and now is {format_time(moment)}"
        )


def _same_der(first: x509.Certificate, second: x509.Certificate) -> bool:
    return first.public_bytes(serialization.Encoding.DER) == second.public_bytes(
        serialization.Encoding.DER
    )


def _broken_link_message(
    subject: x509.Certificate,
    subject_name: str,
    issuer: x509.Certificate,
    issuer_name: str,
    chain: list[x509.Certificate],
    position: int,
    chain_name: str,
) -> str:
    problem = f"{issuer_name} did not issue {subject_name}"
    if subject.issuer == issuer.subject:
        return (
            f"{problem}: its name matches the issuer's name but its key did not sign it"
            " (a different CA with the same name, or a damaged certificate)"
        )
    real_issuer = next(
        (index for index, candidate in enumerate(chain) if is_issued_by(subject, candidate)),
        None,
    )
    if real_issuer is not None:
        reversed_order = real_issuer > position and all(
            is_issued_by(chain[index], chain[index - 1]) for index in range(1, len(chain))
        )
        if reversed_order or (position == 0 and real_issuer == len(chain) - 1):
            return (
                f"{problem}: the order looks reversed; list the certificate's issuer first"
                " and the root last"
            )
        return (
            f"{problem}: the chain is out of order; {chain_name}[{real_issuer}] issued it and"
            f" must come at position {position}"
        )
    return (
        f"{problem}: a link is missing; no certificate in {chain_name} is the issuer"
        f" {subject.issuer.rfc4514_string()}"
    )
