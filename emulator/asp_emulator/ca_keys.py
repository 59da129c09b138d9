"""Each CA's own private key and the CSR the service hands out for it."""

from __future__ import annotations

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.asymmetric.types import CertificateIssuerPrivateKeyTypes
from cryptography.x509.oid import NameOID

# cryptography caps a common name at 64 bytes of UTF-8; friendly names may be longer.
_COMMON_NAME_BYTES = 64


def generate_private_key(key_type: str) -> CertificateIssuerPrivateKeyTypes:
    if key_type == "ec":
        return ec.generate_private_key(ec.SECP256R1())
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def private_key_to_pem(private_key: CertificateIssuerPrivateKeyTypes) -> str:
    return private_key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode("ascii")


def load_private_key(private_key_pem: str) -> CertificateIssuerPrivateKeyTypes:
    private_key = serialization.load_pem_private_key(private_key_pem.encode("ascii"), None)
    if not isinstance(private_key, (rsa.RSAPrivateKey, ec.EllipticCurvePrivateKey)):
        raise TypeError("a CA key is RSA or EC")
    return private_key


def build_csr(private_key: CertificateIssuerPrivateKeyTypes, friendly_name: str) -> bytes:
    """A DER CSR for a subordinate CA, asking for the CA extensions a signer should add."""
    encoded = friendly_name.strip().encode("utf-8")[:_COMMON_NAME_BYTES]
    common_name = encoded.decode("utf-8", "ignore").strip() or "ASP certificate authority"
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Alexa Smart Properties"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )
    csr = (
        x509.CertificateSigningRequestBuilder()
        .subject_name(subject)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
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
        .sign(private_key, hashes.SHA256())
    )
    return csr.public_bytes(serialization.Encoding.DER)
