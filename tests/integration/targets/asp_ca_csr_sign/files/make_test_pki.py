# Copyright: asp.enterprise_wifi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Make a throwaway RADIUS PKI and an ASP-like CSR for the asp_ca_csr_sign target.

``make_test_pki.py pki DIR PASSPHRASE`` writes into DIR:
  root.pem, root.key           self-signed RADIUS root CA, key encrypted with PASSPHRASE
  intermediate.pem, .key       RADIUS intermediate CA under the root, key encrypted
  server.pem, server.key       a RADIUS server certificate (not a CA), key unencrypted
  asp_ca.key, asp_ca.csr       the ASP CA's key and its CSR, which requests no extensions;
                               the CSR is on one line, as the ASP service sends it
``make_test_pki.py device DIR SUBORDINATE_PEM`` writes device.pem, a device certificate
signed with asp_ca.key under the subordinate CA certificate, as ASP would issue one.
"""

from __future__ import annotations

import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "asp_ca_csr_sign target"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _key_usage(*, ca: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=True,
        content_commitment=False,
        key_encipherment=not ca,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=ca,
        crl_sign=ca,
        encipher_only=False,
        decipher_only=False,
    )


def _certificate(subject, public_key, issuer_name, issuer_key, *, ca, days, usage=None):
    now = datetime.now(timezone.utc)
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer_name)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(_key_usage(ca=ca), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()),
            critical=False,
        )
    )
    if usage:
        builder = builder.add_extension(x509.ExtendedKeyUsage(usage), critical=False)
    return builder.sign(issuer_key, hashes.SHA256())


def _write_certificate(path: Path, certificate: x509.Certificate) -> None:
    path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))


def _write_key(path: Path, key, passphrase: str | None) -> None:
    encryption = (
        serialization.BestAvailableEncryption(passphrase.encode())
        if passphrase
        else serialization.NoEncryption()
    )
    path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption
        )
    )
    path.chmod(0o600)


def make_pki(directory: Path, passphrase: str) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    root_key = ec.generate_private_key(ec.SECP256R1())
    root = _certificate(
        _name("Target RADIUS Root CA"),
        root_key.public_key(),
        _name("Target RADIUS Root CA"),
        root_key,
        ca=True,
        days=3650,
    )
    intermediate_key = ec.generate_private_key(ec.SECP256R1())
    intermediate = _certificate(
        _name("Target RADIUS Intermediate CA"),
        intermediate_key.public_key(),
        root.subject,
        root_key,
        ca=True,
        days=1825,
    )
    server_key = ec.generate_private_key(ec.SECP256R1())
    server = _certificate(
        _name("radius.example.test"),
        server_key.public_key(),
        root.subject,
        root_key,
        ca=False,
        days=365,
        usage=[ExtendedKeyUsageOID.SERVER_AUTH],
    )
    asp_key = ec.generate_private_key(ec.SECP256R1())
    csr = (
        x509.CertificateSigningRequestBuilder()
        .subject_name(_name("ASP private CA"))
        .sign(asp_key, hashes.SHA256())
    )

    _write_certificate(directory / "root.pem", root)
    _write_key(directory / "root.key", root_key, passphrase)
    _write_certificate(directory / "intermediate.pem", intermediate)
    _write_key(directory / "intermediate.key", intermediate_key, passphrase)
    _write_certificate(directory / "server.pem", server)
    _write_key(directory / "server.key", server_key, None)
    _write_key(directory / "asp_ca.key", asp_key, None)
    one_line = csr.public_bytes(serialization.Encoding.PEM).decode().replace("\n", "")
    (directory / "asp_ca.csr").write_text(one_line)


def make_device(directory: Path, subordinate_path: Path) -> None:
    subordinate = x509.load_pem_x509_certificate(subordinate_path.read_bytes())
    asp_key = serialization.load_pem_private_key(
        (directory / "asp_ca.key").read_bytes(), password=None
    )
    device_key = ec.generate_private_key(ec.SECP256R1())
    device = _certificate(
        _name("alexa-device.example.test"),
        device_key.public_key(),
        subordinate.subject,
        asp_key,
        ca=False,
        days=30,
        usage=[ExtendedKeyUsageOID.CLIENT_AUTH],
    )
    _write_certificate(directory / "device.pem", device)


def main(arguments: list[str]) -> int:
    if len(arguments) == 3 and arguments[0] == "pki":
        make_pki(Path(arguments[1]), arguments[2])
        return 0
    if len(arguments) == 3 and arguments[0] == "device":
        make_device(Path(arguments[1]), Path(arguments[2]))
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
