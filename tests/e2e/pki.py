"""Throwaway certificate authorities and certificates for the end-to-end suites."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

PrivateKey = ec.EllipticCurvePrivateKey


def _now() -> datetime.datetime:
    return datetime.datetime.now(datetime.timezone.utc)


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "asp.enterprise_wifi tests"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def new_key() -> PrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


def pem(certificate: x509.Certificate) -> str:
    return certificate.public_bytes(serialization.Encoding.PEM).decode()


def key_pem(key: PrivateKey, passphrase: str | None = None) -> str:
    encryption: serialization.KeySerializationEncryption = serialization.NoEncryption()
    if passphrase:
        encryption = serialization.BestAvailableEncryption(passphrase.encode())
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption
    ).decode()


@dataclass
class Authority:
    """A CA certificate with its key, and the certificates above it (nearest first)."""

    certificate: x509.Certificate
    key: PrivateKey
    parents: list[x509.Certificate] = field(default_factory=list)

    @property
    def certificate_pem(self) -> str:
        return pem(self.certificate)

    @property
    def chain_pem(self) -> str:
        """The parents, nearest first, as one PEM bundle ("" for a root)."""
        return "".join(pem(parent) for parent in self.parents)

    def write(self, directory: Path, stem: str, passphrase: str | None = None) -> dict[str, Path]:
        """Write `<stem>.crt` and `<stem>.key` (0600) and return their paths."""
        directory.mkdir(parents=True, exist_ok=True)
        certificate_path = directory / f"{stem}.crt"
        key_path = directory / f"{stem}.key"
        certificate_path.write_text(self.certificate_pem)
        key_path.touch(mode=0o600)
        key_path.write_text(key_pem(self.key, passphrase))
        return {"certificate": certificate_path, "key": key_path}


def _builder(
    subject: x509.Name, issuer: x509.Name, public_key, days: int, not_before_days: int = 1
) -> x509.CertificateBuilder:
    start = _now() - datetime.timedelta(days=not_before_days)
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + datetime.timedelta(days=days))
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
    )


def _ca_extensions(builder: x509.CertificateBuilder, path_length: int | None):
    return builder.add_extension(
        x509.BasicConstraints(ca=True, path_length=path_length), critical=True
    ).add_extension(
        x509.KeyUsage(
            digital_signature=False,
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


def _authority_key_identifier(issuer: Authority) -> x509.AuthorityKeyIdentifier:
    return x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer.key.public_key())


def root_authority(common_name: str, days: int = 3650) -> Authority:
    key = new_key()
    builder = _ca_extensions(
        _builder(_name(common_name), _name(common_name), key.public_key(), days), None
    )
    return Authority(builder.sign(key, hashes.SHA256()), key)


def subordinate_authority(issuer: Authority, common_name: str, days: int = 365) -> Authority:
    """A CA one level below `issuer`, with path length 0, as the role signs ASP CAs."""
    key = new_key()
    builder = _ca_extensions(
        _builder(_name(common_name), issuer.certificate.subject, key.public_key(), days), 0
    ).add_extension(_authority_key_identifier(issuer), critical=False)
    certificate = builder.sign(issuer.key, hashes.SHA256())
    return Authority(certificate, key, [issuer.certificate, *issuer.parents])


def _end_entity(
    issuer: Authority, common_name: str, usage: x509.ObjectIdentifier, days: int
) -> tuple[x509.Certificate, PrivateKey]:
    key = new_key()
    builder = (
        _builder(_name(common_name), issuer.certificate.subject, key.public_key(), days)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=True,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.ExtendedKeyUsage([usage]), critical=False)
        .add_extension(_authority_key_identifier(issuer), critical=False)
    )
    if usage == ExtendedKeyUsageOID.SERVER_AUTH:
        builder = builder.add_extension(
            x509.SubjectAlternativeName([x509.DNSName(common_name)]), critical=False
        )
    return builder.sign(issuer.key, hashes.SHA256()), key


@dataclass
class EndEntity:
    certificate: x509.Certificate
    key: PrivateKey
    chain: list[x509.Certificate]

    def write(self, directory: Path, stem: str) -> dict[str, Path]:
        """Write `<stem>.crt`, `<stem>.key` (0600) and `<stem>-chain.pem`."""
        directory.mkdir(parents=True, exist_ok=True)
        paths = {
            "certificate": directory / f"{stem}.crt",
            "key": directory / f"{stem}.key",
            "chain": directory / f"{stem}-chain.pem",
        }
        paths["certificate"].write_text(pem(self.certificate))
        paths["key"].touch(mode=0o600)
        paths["key"].write_text(key_pem(self.key))
        paths["chain"].write_text("".join(pem(link) for link in self.chain))
        return paths


def client_certificate(issuer: Authority, common_name: str, days: int = 30) -> EndEntity:
    """A TLS client certificate such as ASP pushes to a device."""
    certificate, key = _end_entity(issuer, common_name, ExtendedKeyUsageOID.CLIENT_AUTH, days)
    return EndEntity(certificate, key, [issuer.certificate, *issuer.parents])


def server_certificate(issuer: Authority, common_name: str, days: int = 30) -> EndEntity:
    certificate, key = _end_entity(issuer, common_name, ExtendedKeyUsageOID.SERVER_AUTH, days)
    return EndEntity(certificate, key, [issuer.certificate, *issuer.parents])


def certificate_revocation_list(
    issuer: Authority, revoked: list[x509.Certificate], days: int = 30
) -> str:
    """A CRL from `issuer` that revokes `revoked`, as PEM."""
    builder = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(issuer.certificate.subject)
        .last_update(_now() - datetime.timedelta(minutes=5))
        .next_update(_now() + datetime.timedelta(days=days))
        .add_extension(_authority_key_identifier(issuer), critical=False)
        .add_extension(x509.CRLNumber(1), critical=False)
    )
    for certificate in revoked:
        builder = builder.add_revoked_certificate(
            x509.RevokedCertificateBuilder()
            .serial_number(certificate.serial_number)
            .revocation_date(_now() - datetime.timedelta(minutes=5))
            .build()
        )
    crl = builder.sign(issuer.key, hashes.SHA256())
    return crl.public_bytes(serialization.Encoding.PEM).decode()
