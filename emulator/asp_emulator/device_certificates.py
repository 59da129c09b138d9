"""The certificates ASP pushes to devices, issued here so tests can join a real RADIUS."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from asp_emulator.ca_keys import generate_private_key, load_private_key, private_key_to_pem
from asp_emulator.pem import to_pem

# Device clocks drift; a certificate that starts a little early is accepted at once.
_BACKDATE = timedelta(minutes=5)


@dataclass(frozen=True)
class DeviceCertificate:
    certificate_pem: str
    private_key_pem: str
    certificate_chain_pem: str

    def as_json(self) -> dict[str, str]:
        return {
            "certificate": self.certificate_pem,
            "private_key": self.private_key_pem,
            "certificate_chain": self.certificate_chain_pem,
        }


def add_months(moment: datetime, months: int) -> datetime:
    month_index = moment.month - 1 + months
    year = moment.year + month_index // 12
    month = month_index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def issue_device_certificate(
    *,
    ca_private_key_pem: str,
    ca_certificate_der: bytes,
    ca_chain_pem: str,
    rotation_months: int,
    common_name: str,
    key_type: str,
    now_timestamp: float,
) -> DeviceCertificate:
    """A clientAuth leaf valid for one rotation period, never beyond the CA's own notAfter."""
    ca_key = load_private_key(ca_private_key_pem)
    ca_certificate = x509.load_der_x509_certificate(ca_certificate_der)
    device_key = generate_private_key(key_type)
    now = datetime.fromtimestamp(now_timestamp, tz=timezone.utc).replace(microsecond=0)
    not_after = min(add_months(now, rotation_months), ca_certificate.not_valid_after_utc)
    is_rsa = isinstance(device_key, rsa.RSAPrivateKey)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)]))
        .issuer_name(ca_certificate.subject)
        .public_key(device_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(max(now - _BACKDATE, ca_certificate.not_valid_before_utc))
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=is_rsa,
                data_encipherment=False,
                key_agreement=isinstance(device_key, ec.EllipticCurvePrivateKey),
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH]), critical=False)
        .add_extension(
            x509.SubjectKeyIdentifier.from_public_key(device_key.public_key()), critical=False
        )
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
            critical=False,
        )
        .sign(ca_key, hashes.SHA256())
    )
    ca_certificate_pem = to_pem(ca_certificate_der, "CERTIFICATE")
    return DeviceCertificate(
        certificate_pem=to_pem(
            certificate.public_bytes(serialization.Encoding.DER), "CERTIFICATE"
        ),
        private_key_pem=private_key_to_pem(device_key),
        certificate_chain_pem=ca_certificate_pem + ca_chain_pem,
    )
