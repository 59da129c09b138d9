# Copyright: asp.enterprise_wifi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import re
from datetime import timedelta, timezone

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ed25519, padding

from ansible_collections.asp.enterprise_wifi.plugins.module_utils import _certificate_checks
from ansible_collections.asp.enterprise_wifi.plugins.module_utils._certificate_checks import (
    CertificateCheckError,
    check_import,
    is_issued_by,
    not_valid_after,
    not_valid_before,
    same_certificates,
    signature_verifies,
    verify_chain,
)
from ansible_collections.asp.enterprise_wifi.tests.support import pki


@pytest.fixture(scope="module")
def root() -> pki.Issued:
    return pki.make_root_ca()


@pytest.fixture(scope="module")
def intermediate(root: pki.Issued) -> pki.Issued:
    return pki.make_intermediate_ca(root)


@pytest.fixture(scope="module")
def asp_key():
    return pki.make_key()


@pytest.fixture(scope="module")
def csr(asp_key):
    return pki.make_csr(asp_key)


@pytest.fixture(scope="module")
def subordinate(intermediate, csr) -> x509.Certificate:
    return pki.sign_csr_as_ca(intermediate, csr)


def _fails(match: str, certificate: str, chain: str, csr_pem: str, **options) -> str:
    with pytest.raises(CertificateCheckError) as caught:
        check_import(certificate, chain, csr_pem, **options)
    message = str(caught.value)
    assert re.search(match, message), message
    return message


class TestCheckImportAccepts:
    def test_certificate_and_chain_up_to_the_root(self, root, intermediate, subordinate, csr):
        check_import(
            pki.pem(subordinate), pki.pem(intermediate.certificate, root.certificate), pki.pem(csr)
        )

    def test_everything_on_one_line_as_the_service_sends_it(
        self, root, intermediate, subordinate, csr
    ):
        check_import(
            pki.one_line(pki.pem(subordinate)),
            pki.one_line(pki.pem(intermediate.certificate, root.certificate)),
            pki.one_line(pki.pem(csr)),
        )

    def test_chain_that_stops_below_the_root(self, intermediate, subordinate, csr):
        check_import(pki.pem(subordinate), pki.pem(intermediate.certificate), pki.pem(csr))

    def test_signed_directly_by_the_root(self, root, csr):
        certificate = pki.sign_csr_as_ca(root, csr)
        check_import(pki.pem(certificate), pki.pem(root.certificate), pki.pem(csr))

    def test_rsa_keys_throughout(self):
        rsa_root = pki.make_root_ca(key_kind="rsa")
        rsa_csr = pki.make_csr(pki.make_key("rsa"))
        certificate = pki.sign_csr_as_ca(rsa_root, rsa_csr)
        check_import(pki.pem(certificate), pki.pem(rsa_root.certificate), pki.pem(rsa_csr))

    def test_issuer_without_key_usage(self, csr):
        bare_root = pki.make_root_ca(key_usage=False)
        certificate = pki.sign_csr_as_ca(bare_root, csr)
        check_import(pki.pem(certificate), pki.pem(bare_root.certificate), pki.pem(csr))


class TestCheckImportPrivateKeys:
    def test_private_key_in_the_certificate_field(self, root, subordinate, csr, asp_key):
        key_text = pki.key_pem(asp_key)
        message = _fails(
            "^certificate contains a private key",
            pki.pem(subordinate) + key_text,
            pki.pem(root.certificate),
            pki.pem(csr),
        )
        body = key_text.splitlines()[1]
        assert body not in message
        assert "BEGIN" not in message

    def test_private_key_in_the_chain_on_one_line(self, intermediate, subordinate, csr):
        key_text = pki.one_line(intermediate.key_pem("phrase"))
        message = _fails(
            "^certificate_chain contains a private key",
            pki.pem(subordinate),
            pki.one_line(intermediate.certificate_pem) + key_text,
            pki.pem(csr),
        )
        assert key_text[40:80] not in message

    def test_keys_are_found_before_anything_is_parsed(self, csr):
        _fails(
            "^certificate contains a private key",
            "-----BEGIN RSA PRIVATE KEY-----garbage",
            "not pem at all",
            pki.pem(csr),
        )


class TestCheckImportParsing:
    def test_certificate_is_empty(self, root, csr):
        _fails("^certificate is empty", "", pki.pem(root.certificate), pki.pem(csr))

    def test_certificate_is_not_pem(self, root, csr):
        _fails(
            "^certificate is not valid PEM: no PEM block",
            "MIIB",
            pki.pem(root.certificate),
            pki.pem(csr),
        )

    def test_certificate_is_truncated(self, root, subordinate, csr):
        _fails(
            "^certificate is not valid PEM: truncated",
            pki.pem(subordinate)[:300],
            pki.pem(root.certificate),
            pki.pem(csr),
        )

    def test_certificate_field_holds_a_csr(self, root, csr):
        _fails(
            "^certificate block 1 is a CERTIFICATE REQUEST, not a CERTIFICATE",
            pki.pem(csr),
            pki.pem(root.certificate),
            pki.pem(csr),
        )

    def test_certificate_block_is_not_x509(self, root, csr):
        _fails(
            "^certificate block 1 is not a readable X.509 certificate",
            "-----BEGIN CERTIFICATE-----QUJDRA==-----END CERTIFICATE-----",
            pki.pem(root.certificate),
            pki.pem(csr),
        )

    def test_certificate_field_holds_the_whole_chain(self, root, subordinate, csr):
        _fails(
            "^certificate holds 2 certificates",
            pki.pem(subordinate, root.certificate),
            pki.pem(root.certificate),
            pki.pem(csr),
        )

    @pytest.mark.parametrize("chain", ["", "  \n", None])
    def test_chain_is_empty(self, subordinate, csr, chain):
        _fails("^certificate_chain is empty", pki.pem(subordinate), chain, pki.pem(csr))

    def test_chain_has_bad_base64(self, root, subordinate, csr):
        chain = root.certificate_pem.replace("\n", "", 1).replace("M", "!", 1)
        _fails(
            "^certificate_chain is not valid PEM: bad base64",
            pki.pem(subordinate),
            chain,
            pki.pem(csr),
        )

    def test_csr_is_not_readable(self, root, subordinate):
        _fails(
            "^the certificate signing request is not valid PEM",
            pki.pem(subordinate),
            pki.pem(root.certificate),
            "no csr",
        )

    def test_csr_field_holds_a_certificate(self, root, subordinate):
        _fails(
            "^the certificate signing request must be exactly one CERTIFICATE REQUEST block",
            pki.pem(subordinate),
            pki.pem(root.certificate),
            pki.pem(root.certificate),
        )


class TestCheckImportCertificate:
    def test_public_key_is_not_the_cas(self, root, csr):
        other_csr = pki.make_csr(pki.make_key())
        certificate = pki.sign_csr_as_ca(root, other_csr)
        _fails(
            "^its public key is not the CA's",
            pki.pem(certificate),
            pki.pem(root.certificate),
            pki.pem(csr),
        )

    def test_plain_signing_without_ca_extensions(self, root, csr):
        certificate = pki.sign_csr_as_leaf(root, csr)
        _fails(
            r"^the certificate is not a CA certificate \(it lacks basicConstraints CA:TRUE\)",
            pki.pem(certificate),
            pki.pem(root.certificate),
            pki.pem(csr),
        )

    def test_basic_constraints_ca_false(self, root, csr):
        certificate = pki.make_certificate(
            csr.subject, csr.public_key(), issuer=root, ca=False, key_usage=pki.ca_key_usage()
        )
        _fails(
            "^the certificate is not a CA certificate",
            pki.pem(certificate),
            pki.pem(root.certificate),
            pki.pem(csr),
        )

    def test_key_usage_without_key_cert_sign(self, root, csr):
        certificate = pki.sign_csr_as_ca(
            root, csr, key_usage=pki.ca_key_usage(key_cert_sign=False)
        )
        _fails(
            "^the certificate is a CA certificate but its keyUsage lacks keyCertSign",
            pki.pem(certificate),
            pki.pem(root.certificate),
            pki.pem(csr),
        )

    def test_expired(self, root, csr):
        start = pki.utc_now() - timedelta(days=30)
        certificate = pki.sign_csr_as_ca(
            root, csr, not_before=start, not_after=start + timedelta(days=10)
        )
        message = _fails(
            "^the certificate has expired: it was valid until 20",
            pki.pem(certificate),
            pki.pem(root.certificate),
            pki.pem(csr),
        )
        assert _certificate_checks.format_time(not_valid_after(certificate)) in message

    def test_not_valid_yet(self, root, csr):
        start = pki.utc_now() + timedelta(days=2)
        certificate = pki.sign_csr_as_ca(root, csr, not_before=start)
        message = _fails(
            "^the certificate is not valid yet: it is valid from 20",
            pki.pem(certificate),
            pki.pem(root.certificate),
            pki.pem(csr),
        )
        assert _certificate_checks.format_time(start) in message

    def test_now_decides_validity(self, root, intermediate, subordinate, csr):
        chain = pki.pem(intermediate.certificate, root.certificate)
        later = not_valid_after(subordinate) + timedelta(seconds=1)
        _fails(
            "^the certificate has expired", pki.pem(subordinate), chain, pki.pem(csr), now=later
        )
        earlier = not_valid_before(subordinate) - timedelta(seconds=1)
        _fails(
            "^the certificate is not valid yet",
            pki.pem(subordinate),
            chain,
            pki.pem(csr),
            now=earlier,
        )


class TestCheckImportChain:
    def test_order_reversed(self, root, intermediate, subordinate, csr):
        _fails(
            r"^certificate_chain\[0\] \(subject CN=Test RADIUS Root CA.*\) did not issue the"
            r" certificate: the order looks reversed",
            pki.pem(subordinate),
            pki.pem(root.certificate, intermediate.certificate),
            pki.pem(csr),
        )

    def test_order_reversed_in_a_longer_chain(self, root, csr):
        second = pki.make_intermediate_ca(root, "Second level CA")
        third = pki.make_intermediate_ca(second, "Third level CA")
        certificate = pki.sign_csr_as_ca(third, csr)
        _fails(
            "the order looks reversed",
            pki.pem(certificate),
            pki.pem(root.certificate, second.certificate, third.certificate),
            pki.pem(csr),
        )

    def test_out_of_order_in_the_middle(self, root, csr):
        second = pki.make_intermediate_ca(root, "Second level CA")
        third = pki.make_intermediate_ca(second, "Third level CA")
        certificate = pki.sign_csr_as_ca(third, csr)
        _fails(
            r"^certificate_chain\[1\] \(subject CN=Test RADIUS Root CA.*\) did not issue"
            r" certificate_chain\[0\] .*out of order; certificate_chain\[2\] issued it and must"
            r" come at position 1",
            pki.pem(certificate),
            pki.pem(third.certificate, root.certificate, second.certificate),
            pki.pem(csr),
        )

    def test_missing_link(self, root, intermediate, subordinate, csr):
        _fails(
            r"^certificate_chain\[0\] .* did not issue the certificate: a link is missing; no"
            r" certificate in certificate_chain is the issuer CN=Test RADIUS Intermediate CA",
            pki.pem(subordinate),
            pki.pem(root.certificate),
            pki.pem(csr),
        )

    def test_missing_link_higher_up(self, root, csr):
        second = pki.make_intermediate_ca(root, "Second level CA")
        third = pki.make_intermediate_ca(second, "Third level CA")
        certificate = pki.sign_csr_as_ca(third, csr)
        _fails(
            r"^certificate_chain\[1\] .*Root CA.* did not issue certificate_chain\[0\]"
            r" .*Third level CA.*a link is missing.*issuer CN=Second level CA",
            pki.pem(certificate),
            pki.pem(third.certificate, root.certificate),
            pki.pem(csr),
        )

    def test_unrelated_chain(self, subordinate, csr):
        stranger = pki.make_root_ca("Unrelated Root CA")
        _fails(
            "a link is missing",
            pki.pem(subordinate),
            pki.pem(stranger.certificate),
            pki.pem(csr),
        )

    def test_same_name_but_another_key(self, intermediate, subordinate, csr):
        impostor = pki.make_root_ca("Test RADIUS Intermediate CA")
        _fails(
            r"^certificate_chain\[0\] .* did not issue the certificate: its name matches the"
            " issuer's name but its key did not sign it",
            pki.pem(subordinate),
            pki.pem(impostor.certificate),
            pki.pem(csr),
        )

    def test_chain_starts_with_the_certificate_itself(self, root, intermediate, subordinate, csr):
        _fails(
            "^certificate_chain starts with the certificate itself",
            pki.pem(subordinate),
            pki.pem(subordinate, intermediate.certificate, root.certificate),
            pki.pem(csr),
        )

    def test_issuer_in_the_chain_is_not_a_ca(self, root, csr):
        not_a_ca = pki.make_leaf(root, "Not a CA")
        certificate = pki.sign_csr_as_ca(not_a_ca, csr)
        _fails(
            r"^certificate_chain\[0\] \(subject CN=Not a CA.*\) is not a CA certificate",
            pki.pem(certificate),
            pki.pem(not_a_ca.certificate, root.certificate),
            pki.pem(csr),
        )

    def test_root_in_the_chain_is_not_a_ca(self, csr):
        fake_root = pki.make_root_ca("Fake root", basic_constraints=False)
        intermediate = pki.make_intermediate_ca(fake_root)
        certificate = pki.sign_csr_as_ca(intermediate, csr)
        _fails(
            r"^certificate_chain\[1\] \(subject CN=Fake root.*\) is not a CA certificate",
            pki.pem(certificate),
            pki.pem(intermediate.certificate, fake_root.certificate),
            pki.pem(csr),
        )

    def test_expired_issuer_in_the_chain(self, root, csr):
        start = pki.utc_now() - timedelta(days=400)
        old = pki.make_intermediate_ca(root, not_before=start, not_after=start + timedelta(days=1))
        certificate = pki.sign_csr_as_ca(old, csr)
        _fails(
            r"^certificate_chain\[0\] .* has expired",
            pki.pem(certificate),
            pki.pem(old.certificate, root.certificate),
            pki.pem(csr),
        )

    def test_issuer_name_forged_on_the_certificate(self, root, intermediate, csr):
        certificate = pki.make_certificate(
            csr.subject,
            csr.public_key(),
            issuer=root,
            ca=True,
            path_length=0,
            issuer_name=intermediate.certificate.subject,
        )
        _fails(
            "its name matches the issuer's name but its key did not sign it",
            pki.pem(certificate),
            pki.pem(intermediate.certificate, root.certificate),
            pki.pem(csr),
        )


class TestVerifyChain:
    def test_custom_chain_name(self, root, subordinate):
        with pytest.raises(CertificateCheckError, match=r"^issuer_chain_path\[0\]"):
            verify_chain(subordinate, [root.certificate], chain_name="issuer_chain_path")

    def test_empty_chain_verifies_nothing_and_passes(self, subordinate):
        verify_chain(subordinate, [])


class TestSameCertificates:
    def test_same_certificates_in_other_formatting(self, root, intermediate):
        chain = pki.pem(intermediate.certificate, root.certificate)
        assert same_certificates(chain, pki.one_line(chain).replace("-----B", "\r\n-----B"))

    def test_other_order(self, root, intermediate):
        assert not same_certificates(
            pki.pem(intermediate.certificate, root.certificate),
            pki.pem(root.certificate, intermediate.certificate),
        )

    def test_one_certificate_more(self, root, intermediate):
        assert not same_certificates(
            pki.pem(intermediate.certificate), pki.pem(intermediate.certificate, root.certificate)
        )

    def test_different_certificates(self, root, intermediate):
        assert not same_certificates(root.certificate_pem, intermediate.certificate_pem)

    @pytest.mark.parametrize("other", ["", None, "garbage", "-----BEGIN CERTIFICATE-----QUJD"])
    def test_unreadable_text_is_never_the_same(self, root, other):
        assert not same_certificates(root.certificate_pem, other)
        assert not same_certificates(other, other)

    def test_blocks_that_are_not_certificates(self, csr):
        assert not same_certificates(pki.pem(csr), pki.pem(csr))


class TestSignatures:
    def test_rsa_pkcs1(self):
        rsa_root = pki.make_root_ca(key_kind="rsa")
        leaf = pki.make_leaf(rsa_root)
        assert signature_verifies(leaf.certificate, rsa_root.key.public_key())
        assert is_issued_by(leaf.certificate, rsa_root.certificate)

    def test_rsa_pss_when_cryptography_can_sign_it(self):
        rsa_root = pki.make_root_ca(key_kind="rsa")
        builder_signature = pytest.importorskip("cryptography").__version__
        if int(builder_signature.split(".")[0]) < 41:
            pytest.skip("RSA-PSS certificate signing needs cryptography 41")
        leaf_key = pki.make_key()
        certificate = (
            x509.CertificateBuilder()
            .subject_name(pki.name("pss leaf"))
            .issuer_name(rsa_root.certificate.subject)
            .public_key(leaf_key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(pki.utc_now())
            .not_valid_after(pki.utc_now() + timedelta(days=1))
            .sign(
                rsa_root.key,
                hashes.SHA256(),
                rsa_padding=padding.PSS(
                    mgf=padding.MGF1(hashes.SHA256()), salt_length=padding.PSS.DIGEST_LENGTH
                ),
            )
        )
        assert signature_verifies(certificate, rsa_root.key.public_key())

    def test_ed25519(self):
        key = ed25519.Ed25519PrivateKey.generate()
        certificate = pki.make_certificate(
            pki.name("ed25519 root"),
            key.public_key(),
            signing_key=key,
            ca=True,
            key_identifiers=False,
            hash_algorithm=None,
        )
        assert signature_verifies(certificate, key.public_key())
        assert not signature_verifies(
            certificate, ed25519.Ed25519PrivateKey.generate().public_key()
        )

    def test_wrong_key_type(self, root):
        rsa_key = pki.make_key("rsa")
        assert not signature_verifies(root.certificate, rsa_key.public_key())

    def test_not_a_key(self, root):
        assert not signature_verifies(root.certificate, object())


def test_validity_times_are_aware_utc(root):
    assert not_valid_before(root.certificate).tzinfo is timezone.utc
    assert not_valid_after(root.certificate) > not_valid_before(root.certificate)


def test_version_parsing_tolerates_suffixes():
    assert _certificate_checks._version_tuple("3.4.8") == (3, 4)
    assert _certificate_checks._version_tuple("42.0.0rc1") == (42, 0)
    assert _certificate_checks._version_tuple("3.3") < _certificate_checks._version_tuple("3.4")


def test_the_installed_cryptography_is_accepted():
    assert _certificate_checks.HAS_CRYPTOGRAPHY
    assert _certificate_checks.CRYPTOGRAPHY_IMPORT_ERROR is None
