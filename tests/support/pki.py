# Copyright: asp.enterprise_wifi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Real test PKI made with cryptography: RADIUS roots, intermediates, ASP-like CSRs.

Every helper returns cryptography objects; ``pem()`` and ``key_pem()`` turn them into
text. Keys are EC P-256 unless asked otherwise, because they are made in microseconds.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Optional, Union

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, rsa
from cryptography.x509.oid import NameOID

PrivateKey = Union[ec.EllipticCurvePrivateKey, rsa.RSAPrivateKey]


@dataclass
class Issued:
    """A certificate together with its private key."""

    certificate: x509.Certificate
    key: PrivateKey

    @property
    def certificate_pem(self) -> str:
        return pem(self.certificate)

    def key_pem(self, passphrase: Optional[str] = None) -> str:
        return key_pem(self.key, passphrase)


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


def make_key(kind: str = "ec") -> PrivateKey:
    if kind == "rsa":
        return rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return ec.generate_private_key(ec.SECP256R1())


def name(common_name: str, organization: str = "asp.enterprise_wifi tests") -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def make_certificate(
    subject: x509.Name,
    public_key,
    *,
    issuer: Optional[Issued] = None,
    signing_key: Optional[PrivateKey] = None,
    ca: bool = False,
    path_length: Optional[int] = None,
    basic_constraints: bool = True,
    basic_constraints_critical: bool = True,
    key_usage: Union[x509.KeyUsage, bool, None] = None,
    key_identifiers: bool = True,
    not_before: Optional[datetime] = None,
    not_after: Optional[datetime] = None,
    days: int = 365,
    issuer_name: Optional[x509.Name] = None,
    hash_algorithm: Optional[hashes.HashAlgorithm] = None,
) -> x509.Certificate:
    """Build and sign one certificate; self-signed with ``signing_key`` when no issuer."""
    start = not_before or utc_now() - timedelta(minutes=5)
    end = not_after or start + timedelta(days=days)
    if issuer is not None:
        signer = issuer.key
        issuer_subject = issuer.certificate.subject
    else:
        signer = signing_key
        issuer_subject = subject
    if issuer_name is not None:
        issuer_subject = issuer_name

    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer_subject)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(end)
    )
    if basic_constraints:
        builder = builder.add_extension(
            x509.BasicConstraints(ca=ca, path_length=path_length if ca else None),
            critical=basic_constraints_critical,
        )
    if key_usage is None:
        key_usage = ca_key_usage() if ca else leaf_key_usage()
    if key_usage is not False:
        builder = builder.add_extension(key_usage, critical=True)
    if key_identifiers:
        builder = builder.add_extension(
            x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False
        )
        authority_key = issuer.key.public_key() if issuer else signer.public_key()
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(authority_key), critical=False
        )
    if isinstance(signer, (ed25519.Ed25519PrivateKey, ed448.Ed448PrivateKey)):
        return builder.sign(signer, None)
    return builder.sign(signer, hash_algorithm or hashes.SHA256())


def ca_key_usage(key_cert_sign: bool = True) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=True,
        content_commitment=False,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=key_cert_sign,
        crl_sign=True,
        encipher_only=False,
        decipher_only=False,
    )


def leaf_key_usage() -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=True,
        content_commitment=False,
        key_encipherment=True,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=False,
        crl_sign=False,
        encipher_only=False,
        decipher_only=False,
    )


def make_root_ca(
    common_name: str = "Test RADIUS Root CA", *, key_kind: str = "ec", **options
) -> Issued:
    """A self-signed CA, as a property's RADIUS server would have."""
    key = make_key(key_kind)
    options.setdefault("days", 3650)
    certificate = make_certificate(
        name(common_name), key.public_key(), signing_key=key, ca=True, **options
    )
    return Issued(certificate, key)


def make_intermediate_ca(
    issuer: Issued, common_name: str = "Test RADIUS Intermediate CA", **options
) -> Issued:
    key = make_key(options.pop("key_kind", "ec"))
    options.setdefault("days", 1825)
    certificate = make_certificate(
        name(common_name), key.public_key(), issuer=issuer, ca=True, **options
    )
    return Issued(certificate, key)


def make_leaf(issuer: Issued, common_name: str = "device.example.test", **options) -> Issued:
    """A certificate that is not a CA (basicConstraints CA:FALSE)."""
    key = make_key(options.pop("key_kind", "ec"))
    certificate = make_certificate(
        name(common_name), key.public_key(), issuer=issuer, ca=False, **options
    )
    return Issued(certificate, key)


def make_csr(
    key: PrivateKey,
    common_name: str = "ASP private CA",
    *,
    request_ca: bool = False,
    extra_extensions: tuple = (),
) -> x509.CertificateSigningRequest:
    """A CSR like ASP's: by default it asks for no extensions at all."""
    builder = x509.CertificateSigningRequestBuilder().subject_name(name(common_name, "ASP"))
    if request_ca:
        builder = builder.add_extension(
            x509.BasicConstraints(ca=True, path_length=None), critical=True
        )
    for extension, critical in extra_extensions:
        builder = builder.add_extension(extension, critical=critical)
    return builder.sign(key, hashes.SHA256())


def sign_csr_as_ca(
    issuer: Issued, csr: x509.CertificateSigningRequest, **options
) -> x509.Certificate:
    """A subordinate CA certificate for the CSR's key, as asp_ca_csr_sign makes one."""
    options.setdefault("path_length", 0)
    return make_certificate(csr.subject, csr.public_key(), issuer=issuer, ca=True, **options)


def sign_csr_as_leaf(
    issuer: Issued, csr: x509.CertificateSigningRequest, **options
) -> x509.Certificate:
    """What a plain ``openssl x509 -req`` makes: the CSR's key, no CA extensions."""
    options.setdefault("basic_constraints", False)
    options.setdefault("key_usage", False)
    options.setdefault("key_identifiers", False)
    return make_certificate(csr.subject, csr.public_key(), issuer=issuer, **options)


def pem(*objects) -> str:
    """PEM text of certificates or CSRs, concatenated in the order given."""
    return "".join(
        item.public_bytes(serialization.Encoding.PEM).decode("ascii") for item in objects
    )


def key_pem(
    key: PrivateKey, passphrase: Optional[str] = None, *, traditional: bool = False
) -> str:
    encryption = (
        serialization.BestAvailableEncryption(passphrase.encode())
        if passphrase
        else serialization.NoEncryption()
    )
    key_format = (
        serialization.PrivateFormat.TraditionalOpenSSL
        if traditional
        else serialization.PrivateFormat.PKCS8
    )
    return key.private_bytes(serialization.Encoding.PEM, key_format, encryption).decode("ascii")


def one_line(pem_text: str) -> str:
    """PEM without line breaks, as the ASP service sends CSRs and certificates."""
    return "".join(pem_text.split("\n"))
