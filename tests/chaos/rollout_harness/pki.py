"""Real certificates and keys for the tests, made with cryptography."""

from __future__ import annotations

import base64
import datetime
import ipaddress
import re
import textwrap
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.asymmetric.types import CertificateIssuerPrivateKeyTypes
from cryptography.x509.oid import NameOID

PrivateKey = CertificateIssuerPrivateKeyTypes


def utc_now() -> datetime.datetime:
    return datetime.datetime.now(datetime.timezone.utc)


def new_key(kind: str = "ec") -> PrivateKey:
    """EC P-256 by default: the tests make many keys and RSA keys are slow to generate."""
    if kind == "rsa":
        return rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return ec.generate_private_key(ec.SECP256R1())


def key_pem(key: PrivateKey, passphrase: str | None = None) -> str:
    encryption: serialization.KeySerializationEncryption = serialization.NoEncryption()
    if passphrase is not None:
        encryption = serialization.BestAvailableEncryption(passphrase.encode())
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption
    ).decode()


def certificate_pem(certificate: x509.Certificate) -> str:
    return certificate.public_bytes(serialization.Encoding.PEM).decode()


@dataclass
class Authority:
    """A certificate and the key that goes with it, able to sign others."""

    certificate: x509.Certificate
    key: PrivateKey

    @property
    def certificate_pem(self) -> str:
        return certificate_pem(self.certificate)


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "asp.enterprise_wifi tests"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def issue(
    subject: str | x509.Name,
    public_key,
    issuer: Authority | None,
    *,
    signing_key: PrivateKey | None = None,
    is_ca: bool = True,
    path_length: int | None = None,
    not_before: datetime.datetime | None = None,
    not_after: datetime.datetime | None = None,
    san_ips: list[str] | None = None,
) -> x509.Certificate:
    """A certificate for public_key; self-signed with signing_key when issuer is None."""
    subject_name = _name(subject) if isinstance(subject, str) else subject
    now = utc_now()
    not_before = not_before or now - datetime.timedelta(minutes=5)
    not_after = not_after or now + datetime.timedelta(days=3650)
    issuer_name = issuer.certificate.subject if issuer else subject_name
    key_to_sign = issuer.key if issuer else signing_key
    assert key_to_sign is not None, "a self-signed certificate needs signing_key"
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject_name)
        .issuer_name(issuer_name)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
    )
    authority_public_key = issuer.key.public_key() if issuer else key_to_sign.public_key()
    builder = builder.add_extension(
        x509.AuthorityKeyIdentifier.from_issuer_public_key(authority_public_key), critical=False
    )
    if is_ca:
        builder = builder.add_extension(
            x509.BasicConstraints(ca=True, path_length=path_length), critical=True
        ).add_extension(
            x509.KeyUsage(
                digital_signature=True,
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
    else:
        builder = builder.add_extension(
            x509.BasicConstraints(ca=False, path_length=None), critical=True
        )
    if san_ips:
        builder = builder.add_extension(
            x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address(ip)) for ip in san_ips]
            ),
            critical=False,
        )
    return builder.sign(key_to_sign, hashes.SHA256())


def new_root(common_name: str, *, is_ca: bool = True, **validity) -> Authority:
    key = new_key()
    certificate = issue(
        common_name, key.public_key(), None, signing_key=key, is_ca=is_ca, **validity
    )
    return Authority(certificate, key)


def new_intermediate(common_name: str, issuer: Authority) -> Authority:
    key = new_key()
    return Authority(issue(common_name, key.public_key(), issuer, path_length=0), key)


def sign_csr(
    csr_pem: str,
    issuer: Authority,
    *,
    is_ca: bool = True,
    public_key=None,
    **validity,
) -> x509.Certificate:
    """Sign a CSR as a RADIUS CA would; public_key replaces the CSR's key to forge a mismatch."""
    csr = x509.load_pem_x509_csr(normalise_pem(csr_pem).encode())
    return issue(
        csr.subject,
        public_key or csr.public_key(),
        issuer,
        is_ca=is_ca,
        path_length=0 if is_ca else None,
        **validity,
    )


def normalise_pem(text: str) -> str:
    """PEM with the line breaks put back, for service answers that come on one line."""
    blocks = []
    for label, body in re.findall(
        r"-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \1-----", text, re.S
    ):
        flat = "".join(body.split())
        base64.b64decode(flat, validate=True)
        lines = "\n".join(textwrap.wrap(flat, 64))
        blocks.append(f"-----BEGIN {label}-----\n{lines}\n-----END {label}-----\n")
    return "".join(blocks)


def load_certificates(text: str) -> list[x509.Certificate]:
    return x509.load_pem_x509_certificates(normalise_pem(text).encode())


def chains_to(
    certificate: x509.Certificate, chain: list[x509.Certificate], root: x509.Certificate
) -> bool:
    """True when certificate verifies link by link through chain up to root, each issuer a CA."""
    links = [certificate, *[link for link in chain if link != root], root]
    for child, parent in zip(links, links[1:]):
        try:
            child.verify_directly_issued_by(parent)
            constraints = parent.extensions.get_extension_for_class(x509.BasicConstraints)
        except (ValueError, TypeError, InvalidSignature, x509.ExtensionNotFound):
            return False
        if not constraints.value.ca:
            return False
    return True


@dataclass
class RadiusCaFiles:
    """The RADIUS server's CA on disk, as the role expects to find it on the RADIUS host."""

    authority: Authority
    certificate_path: Path
    key_path: Path
    passphrase: str | None


def write_radius_ca(
    directory: Path,
    *,
    passphrase: str | None = None,
    is_ca: bool = True,
    common_name: str = "Test RADIUS CA",
) -> RadiusCaFiles:
    directory.mkdir(parents=True, exist_ok=True)
    authority = new_root(common_name, is_ca=is_ca)
    certificate_path = directory / "radius-ca.pem"
    key_path = directory / "radius-ca.key"
    certificate_path.write_text(authority.certificate_pem)
    key_path.touch(mode=0o600)
    key_path.write_text(key_pem(authority.key, passphrase))
    return RadiusCaFiles(authority, certificate_path, key_path, passphrase)
