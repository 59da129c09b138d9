"""The default CA key, RSA 2048, through CSR, import and device certificates."""

from __future__ import annotations

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import rsa

from asp_emulator.testing import running_emulator
from conftest import ServiceClient, emulator_now
from pki import certificate_pem, load_csr, root_ca, sign_csr


def test_an_rsa_2048_ca_takes_an_import_and_issues_device_certificates() -> None:
    with running_emulator(creation_delay=0) as emulator:
        api = ServiceClient(emulator, emulator.mint_token())
        certificate_authority_id = api.create("RSA CA")
        csr = load_csr(api.get(certificate_authority_id)["csr"])
        now = emulator_now(emulator)
        root = root_ca(now)
        certificate = sign_csr(api.get(certificate_authority_id)["csr"], root, now)
        imported = api.import_certificate(
            certificate_authority_id, certificate_pem(certificate), root.pem
        )
        issued = emulator.device_certificate(certificate_authority_id)
        api.close()

    assert isinstance(csr.public_key(), rsa.RSAPublicKey)
    assert csr.public_key().key_size == 2048
    assert imported.status_code == 204, imported.text
    device = x509.load_pem_x509_certificate(issued["certificate"].encode("ascii"))
    device.verify_directly_issued_by(certificate)
