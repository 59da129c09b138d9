"""Throwaway RADIUS-side PKI for the import tests: real keys, real signatures."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

_PEM_BODY = re.compile(r"-----BEGIN ([A-Z ]+)-----(.*?)-----END \1-----", re.DOTALL)


@dataclass
class Authority:
    key: ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey
    certificate: x509.Certificate

    @property
    def pem(self) -> str:
        return certificate_pem(self.certificate)


def certificate_pem(certificate: x509.Certificate) -> str:
    return certificate.public_bytes(serialization.Encoding.PEM).decode("ascii")


def multiline(pem_text: str) -> str:
    """Any PEM, with or without line breaks, as 64-column PEM."""
    match = _PEM_BODY.search(pem_text)
    assert match, "no PEM block"
    body = re.sub(r"\s+", "", match.group(2))
    lines = "\n".join(body[i : i + 64] for i in range(0, len(body), 64))
    return f"-----BEGIN {match.group(1)}-----\n{lines}\n-----END {match.group(1)}-----\n"


def single_line(pem_text: str) -> str:
    return "".join(multiline(pem_text).splitlines())


def load_csr(csr_text: str) -> x509.CertificateSigningRequest:
    return x509.load_pem_x509_csr(multiline(csr_text).encode("ascii"))


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _ca_extensions(builder: x509.CertificateBuilder, ca: bool) -> x509.CertificateBuilder:
    return builder.add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)


def root_ca(
    now: datetime,
    common_name: str = "Test RADIUS Root CA",
    *,
    not_before: datetime | None = None,
    not_after: datetime | None = None,
) -> Authority:
    key = ec.generate_private_key(ec.SECP256R1())
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(common_name))
        .issuer_name(_name(common_name))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before or now - timedelta(days=1))
        .not_valid_after(not_after or now + timedelta(days=3650))
    )
    certificate = _ca_extensions(builder, True).sign(key, hashes.SHA256())
    return Authority(key, certificate)


def issue(
    issuer: Authority,
    public_key: object,
    common_name: str,
    now: datetime,
    *,
    ca: bool | None = True,
    not_before: datetime | None = None,
    not_after: datetime | None = None,
) -> x509.Certificate:
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(common_name))
        .issuer_name(issuer.certificate.subject)
        .public_key(public_key)  # type: ignore[arg-type]
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before or now - timedelta(hours=1))
        .not_valid_after(not_after or now + timedelta(days=365))
    )
    if ca is not None:
        builder = _ca_extensions(builder, ca)
    return builder.sign(issuer.key, hashes.SHA256())


def intermediate_ca(issuer: Authority, now: datetime, common_name: str) -> Authority:
    key = ec.generate_private_key(ec.SECP256R1())
    return Authority(key, issue(issuer, key.public_key(), common_name, now))


def sign_csr(
    csr_text: str,
    issuer: Authority,
    now: datetime,
    **options: object,
) -> x509.Certificate:
    csr = load_csr(csr_text)
    subject_key = csr.public_key()
    return issue(issuer, subject_key, "ASP subordinate CA", now, **options)  # type: ignore[arg-type]
