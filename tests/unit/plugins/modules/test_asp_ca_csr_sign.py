# Copyright: asp.enterprise_wifi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import json
import shutil
import stat
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from ansible.module_utils.testing import patch_module_args
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization

from ansible_collections.asp.enterprise_wifi.plugins.module_utils._certificate_checks import (
    check_import,
    format_time,
    not_valid_after,
    not_valid_before,
)
from ansible_collections.asp.enterprise_wifi.plugins.modules import asp_ca_csr_sign
from ansible_collections.asp.enterprise_wifi.tests.support import pki

PASSPHRASE = "correct horse battery staple"
needs_openssl = pytest.mark.skipif(shutil.which("openssl") is None, reason="needs openssl")


class Pki:
    """Files on a pretend RADIUS host: the root CA (encrypted key) and the ASP CA's CSR."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.root = pki.make_root_ca()
        self.asp_key = pki.make_key()
        self.csr = pki.make_csr(self.asp_key)
        self.root_pem = self.write("root.pem", self.root.certificate_pem)
        self.root_key = self.write("root.key", self.root.key_pem(PASSPHRASE))
        self.csr_path = self.write("asp_ca.csr", pki.one_line(pki.pem(self.csr)))
        self.dest = directory / "asp_ca.pem"

    def write(self, name: str, content: str) -> Path:
        path = self.directory / name
        path.write_text(content)
        return path

    def issuer_files(self, issuer: pki.Issued, name: str, passphrase: str | None = None) -> dict:
        return dict(
            issuer_certificate_path=str(self.write(f"{name}.pem", issuer.certificate_pem)),
            issuer_private_key_path=str(self.write(f"{name}.key", issuer.key_pem(passphrase))),
            issuer_private_key_passphrase=passphrase,
        )

    def args(self, **overrides) -> dict:
        args = dict(
            csr_path=str(self.csr_path),
            issuer_certificate_path=str(self.root_pem),
            issuer_private_key_path=str(self.root_key),
            issuer_private_key_passphrase=PASSPHRASE,
            dest=str(self.dest),
        )
        args.update(overrides)
        return {key: value for key, value in args.items() if value is not None}

    def written(self) -> x509.Certificate:
        return x509.load_pem_x509_certificate(self.dest.read_bytes())


@pytest.fixture
def host(tmp_path: Path) -> Pki:
    return Pki(tmp_path)


def run(args: dict, capsys, *, check_mode: bool = False, diff: bool = False) -> dict:
    module_args = dict(args, _ansible_check_mode=check_mode, _ansible_diff=diff)
    with patch_module_args(module_args), pytest.raises(SystemExit):
        asp_ca_csr_sign.main()
    output = capsys.readouterr().out
    result = json.loads(output)
    assert PASSPHRASE not in output
    assert "PRIVATE KEY" not in output
    return result


def warnings_of(result: dict) -> list[str]:
    """Warning texts; ansible-core 2.19 returns each warning as a structured summary."""
    texts = []
    for warning in result.get("warnings", []):
        texts.append(warning["event"]["msg"] if isinstance(warning, dict) else warning)
    return texts


def run_failing(args: dict, capsys, **options) -> str:
    result = run(args, capsys, **options)
    assert result.get("failed"), result
    assert result["msg"].startswith("Failed to sign the certificate signing request for ")
    return result["msg"]


def _extension(certificate: x509.Certificate, extension_type):
    return certificate.extensions.get_extension_for_class(extension_type)


def _openssl_verify(*arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["openssl", "verify", "-x509_strict", *arguments],
        capture_output=True,
        text=True,
        check=False,
    )


class TestSigning:
    def test_signs_a_subordinate_ca_certificate(self, host, capsys):
        before = pki.utc_now()

        result = run(host.args(), capsys)

        assert result["changed"] is True
        certificate = host.written()
        assert result["certificate"] == pki.pem(certificate)
        assert result["certificate_chain"] == host.root.certificate_pem
        assert result["dest"] == str(host.dest)
        assert int(result["serial_number"], 16) == certificate.serial_number
        assert len(result["serial_number"]) % 2 == 0
        assert result["not_before"] == format_time(not_valid_before(certificate))
        assert result["not_after"] == format_time(not_valid_after(certificate))

        assert certificate.subject == host.csr.subject
        assert certificate.issuer == host.root.certificate.subject
        assert (
            certificate.public_key().public_numbers() == host.asp_key.public_key().public_numbers()
        )
        assert isinstance(certificate.signature_hash_algorithm, hashes.SHA256)
        assert certificate.serial_number.bit_length() > 64

        constraints = _extension(certificate, x509.BasicConstraints)
        assert constraints.critical
        assert constraints.value.ca and constraints.value.path_length == 0
        key_usage = _extension(certificate, x509.KeyUsage)
        assert key_usage.critical
        assert key_usage.value.key_cert_sign and key_usage.value.crl_sign
        assert _extension(certificate, x509.SubjectKeyIdentifier).value == (
            x509.SubjectKeyIdentifier.from_public_key(host.asp_key.public_key())
        )
        assert _extension(certificate, x509.AuthorityKeyIdentifier).value.key_identifier == (
            _extension(host.root.certificate, x509.SubjectKeyIdentifier).value.digest
        )

        starts = not_valid_before(certificate)
        assert before - timedelta(minutes=6) < starts < before - timedelta(minutes=4)
        lifetime = not_valid_after(certificate) - starts
        assert timedelta(days=365) < lifetime <= timedelta(days=365, minutes=6)

    def test_the_result_passes_the_import_checks(self, host, capsys):
        result = run(host.args(), capsys)
        check_import(result["certificate"], result["certificate_chain"], pki.pem(host.csr))

    def test_file_mode_is_0644_by_default(self, host, capsys):
        run(host.args(), capsys)
        assert stat.S_IMODE(host.dest.stat().st_mode) == 0o644

    def test_mode_option_wins(self, host, capsys):
        run(host.args(mode="0640"), capsys)
        assert stat.S_IMODE(host.dest.stat().st_mode) == 0o640

    def test_profile_ignores_what_the_csr_requests(self, host, capsys):
        csr = pki.make_csr(
            host.asp_key,
            extra_extensions=(
                (x509.BasicConstraints(ca=False, path_length=None), True),
                (x509.SubjectAlternativeName([x509.DNSName("asp.example.test")]), False),
            ),
        )

        run(host.args(csr_path=None, csr=pki.pem(csr)), capsys)

        certificate = host.written()
        assert _extension(certificate, x509.BasicConstraints).value.ca
        with pytest.raises(x509.ExtensionNotFound):
            _extension(certificate, x509.SubjectAlternativeName)

    def test_csr_content_on_one_line(self, host, capsys):
        result = run(host.args(csr_path=None, csr=pki.one_line(pki.pem(host.csr))), capsys)
        assert result["changed"] is True

    def test_rsa_issuer_with_a_traditional_encrypted_key(self, host, capsys):
        rsa_root = pki.make_root_ca("RSA RADIUS CA", key_kind="rsa")
        files = host.issuer_files(rsa_root, "rsa_root")
        host.write("rsa_root.key", pki.key_pem(rsa_root.key, PASSPHRASE, traditional=True))
        files["issuer_private_key_passphrase"] = PASSPHRASE

        result = run(host.args(**files), capsys)

        assert result["changed"] is True
        assert isinstance(host.written().signature_hash_algorithm, hashes.SHA256)

    def test_never_outlives_the_issuer(self, host, capsys):
        short_root = pki.make_root_ca("Short-lived CA", days=100)

        result = run(host.args(**host.issuer_files(short_root, "short")), capsys)

        assert not_valid_after(host.written()) == not_valid_after(short_root.certificate)
        assert any("would outlive the issuer" in warning for warning in warnings_of(result))

    def test_issuer_chain_is_returned_in_order(self, host, capsys):
        intermediate = pki.make_intermediate_ca(host.root)
        files = host.issuer_files(intermediate, "intermediate", PASSPHRASE)

        result = run(host.args(issuer_chain_path=str(host.root_pem), **files), capsys)

        assert result["certificate_chain"] == pki.pem(
            intermediate.certificate, host.root.certificate
        )
        check_import(result["certificate"], result["certificate_chain"], pki.pem(host.csr))

    def test_passphrase_for_an_unencrypted_key_warns(self, host, capsys):
        files = host.issuer_files(host.root, "plain_root")
        files["issuer_private_key_passphrase"] = "unused"

        result = run(host.args(**files), capsys)

        assert result["changed"] is True
        assert any("is not encrypted" in warning for warning in warnings_of(result))


@needs_openssl
class TestStrictVerifiers:
    def test_openssl_verifies_the_subordinate_and_a_device_under_it(self, host, capsys, tmp_path):
        intermediate = pki.make_intermediate_ca(host.root)
        files = host.issuer_files(intermediate, "intermediate", PASSPHRASE)
        run(host.args(issuer_chain_path=str(host.root_pem), **files), capsys)
        subordinate = pki.Issued(host.written(), host.asp_key)
        device = host.write("device.pem", pki.make_leaf(subordinate).certificate_pem)

        sub_alone = _openssl_verify(
            "-CAfile",
            str(host.root_pem),
            "-untrusted",
            files["issuer_certificate_path"],
            str(host.dest),
        )
        device_chain = _openssl_verify(
            "-CAfile",
            str(host.root_pem),
            "-untrusted",
            files["issuer_certificate_path"],
            "-untrusted",
            str(host.dest),
            str(device),
        )

        assert sub_alone.returncode == 0, sub_alone.stdout + sub_alone.stderr
        assert device_chain.returncode == 0, device_chain.stdout + device_chain.stderr

    def test_serial_number_reads_as_openssl_shows_it(self, host, capsys):
        result = run(host.args(), capsys)

        shown = subprocess.run(
            ["openssl", "x509", "-noout", "-serial", "-in", str(host.dest)],
            capture_output=True,
            text=True,
            check=True,
        )

        assert shown.stdout.strip() == f"serial={result['serial_number']}"

    def test_a_plain_non_ca_signing_fails_strict_verification(self, host):
        plain = pki.Issued(pki.sign_csr_as_leaf(host.root, host.csr), host.asp_key)
        plain_path = host.write("plain.pem", plain.certificate_pem)
        device = host.write("device.pem", pki.make_leaf(plain).certificate_pem)

        result = _openssl_verify(
            "-CAfile", str(host.root_pem), "-untrusted", str(plain_path), str(device)
        )

        assert result.returncode != 0
        assert "invalid CA certificate" in result.stdout + result.stderr


class TestIdempotence:
    def test_second_run_changes_nothing(self, host, capsys):
        first = run(host.args(), capsys)
        content = host.dest.read_bytes()

        second = run(host.args(), capsys)

        assert second["changed"] is False
        assert second["serial_number"] == first["serial_number"]
        assert second["certificate"] == first["certificate"]
        assert host.dest.read_bytes() == content

    def test_renews_inside_the_margin(self, host, capsys):
        first = run(host.args(validity_days=10, renewal_margin_days=30), capsys)
        assert any("within the renewal margin" in warning for warning in warnings_of(first))

        second = run(host.args(validity_days=10, renewal_margin_days=30), capsys)

        assert second["changed"] is True
        assert second["serial_number"] != first["serial_number"]

    def test_force_signs_again(self, host, capsys):
        first = run(host.args(), capsys)
        second = run(host.args(force=True), capsys)
        assert second["changed"] is True
        assert second["serial_number"] != first["serial_number"]

    def test_new_csr_key_signs_again(self, host, capsys):
        run(host.args(), capsys)
        host.write("asp_ca.csr", pki.pem(pki.make_csr(pki.make_key())))

        assert run(host.args(), capsys)["changed"] is True

    def test_another_issuer_signs_again(self, host, capsys):
        run(host.args(), capsys)
        other = pki.make_root_ca("Another RADIUS CA")

        result = run(host.args(**host.issuer_files(other, "other")), capsys)

        assert result["changed"] is True
        assert host.written().issuer == other.certificate.subject

    def test_issuer_with_the_same_name_but_a_new_key_signs_again(self, host, capsys):
        run(host.args(), capsys)
        rekeyed = pki.make_root_ca("Test RADIUS Root CA")

        assert run(host.args(**host.issuer_files(rekeyed, "rekeyed")), capsys)["changed"] is True

    def test_a_certificate_without_the_profile_is_replaced(self, host, capsys):
        host.dest.write_text(pki.pem(pki.sign_csr_as_leaf(host.root, host.csr)))

        result = run(host.args(), capsys)

        assert result["changed"] is True
        assert _extension(host.written(), x509.BasicConstraints).value.path_length == 0

    def test_an_unreadable_file_is_replaced(self, host, capsys):
        host.dest.write_text("not a certificate")
        assert run(host.args(), capsys)["changed"] is True
        host.written()

    def test_only_the_mode_is_fixed(self, host, capsys):
        first = run(host.args(), capsys)
        host.dest.chmod(0o600)

        second = run(host.args(), capsys)

        assert second["changed"] is True
        assert second["serial_number"] == first["serial_number"]
        assert stat.S_IMODE(host.dest.stat().st_mode) == 0o644


class TestCheckAndDiffMode:
    def test_check_mode_writes_nothing_but_returns_the_would_be_certificate(self, host, capsys):
        result = run(host.args(), capsys, check_mode=True)

        assert result["changed"] is True
        assert not host.dest.exists()
        check_import(result["certificate"], result["certificate_chain"], pki.pem(host.csr))

    def test_check_mode_on_a_good_certificate(self, host, capsys):
        first = run(host.args(), capsys)
        second = run(host.args(), capsys, check_mode=True)
        assert second["changed"] is False
        assert second["serial_number"] == first["serial_number"]

    def test_check_mode_renewal_keeps_the_file(self, host, capsys):
        run(host.args(), capsys)
        content = host.dest.read_bytes()

        result = run(host.args(force=True), capsys, check_mode=True)

        assert result["changed"] is True
        assert host.dest.read_bytes() == content

    def test_diff_of_a_new_certificate(self, host, capsys):
        result = run(host.args(), capsys, diff=True)

        assert result["diff"]["before"] == {}
        assert result["diff"]["after"] == {
            "subject": host.csr.subject.rfc4514_string(),
            "serial_number": result["serial_number"],
            "not_after": result["not_after"],
        }

    def test_diff_of_a_renewal(self, host, capsys):
        first = run(host.args(), capsys)
        second = run(host.args(force=True), capsys, diff=True)

        assert second["diff"]["before"]["serial_number"] == first["serial_number"]
        assert second["diff"]["after"]["serial_number"] == second["serial_number"]


class TestRefusals:
    def test_wrong_passphrase(self, host, capsys):
        message = run_failing(host.args(issuer_private_key_passphrase="wrong guess"), capsys)

        assert message.endswith(
            f"cannot decrypt the issuer private key {host.root_key}: the passphrase is wrong"
        )
        # AnsibleModule masks no_log values; a mask in the message would mean it was echoed.
        assert "wrong guess" not in message and "********" not in message
        assert not host.dest.exists()

    def test_missing_passphrase(self, host, capsys):
        message = run_failing(host.args(issuer_private_key_passphrase=None), capsys)
        assert "is encrypted; set issuer_private_key_passphrase" in message

    def test_non_ca_issuer(self, host, capsys):
        server = pki.make_leaf(host.root, "radius.example.test")

        message = run_failing(host.args(**host.issuer_files(server, "server")), capsys)

        assert "is not a CA certificate (it lacks basicConstraints CA:TRUE)" in message
        assert not host.dest.exists()

    def test_issuer_without_key_cert_sign(self, host, capsys):
        crl_only = pki.make_root_ca("CRL signer", key_usage=pki.ca_key_usage(key_cert_sign=False))
        message = run_failing(host.args(**host.issuer_files(crl_only, "crl_only")), capsys)
        assert "may not sign certificates: its keyUsage lacks keyCertSign" in message

    def test_issuer_without_key_usage_is_accepted_with_a_warning(self, host, capsys):
        bare = pki.make_root_ca("Old RADIUS CA", key_usage=False)
        result = run(host.args(**host.issuer_files(bare, "bare")), capsys)
        assert result["changed"] is True
        assert any("no keyUsage extension" in warning for warning in warnings_of(result))

    def test_expired_issuer(self, host, capsys):
        start = pki.utc_now() - timedelta(days=20)
        old = pki.make_root_ca("Old CA", not_before=start, not_after=start + timedelta(days=10))
        message = run_failing(host.args(**host.issuer_files(old, "old")), capsys)
        assert f"expired on {format_time(not_valid_after(old.certificate))}" in message

    def test_issuer_not_valid_yet(self, host, capsys):
        future = pki.make_root_ca("Future CA", not_before=pki.utc_now() + timedelta(days=1))
        message = run_failing(host.args(**host.issuer_files(future, "future")), capsys)
        assert "is not valid yet" in message

    def test_key_of_another_ca(self, host, capsys):
        other = pki.make_root_ca("Other CA")
        key_path = host.write("other.key", other.key_pem())

        message = run_failing(
            host.args(issuer_private_key_path=str(key_path), issuer_private_key_passphrase=None),
            capsys,
        )

        assert f"the issuer private key {key_path} does not belong to the issuer" in message

    def test_key_file_without_a_key(self, host, capsys):
        message = run_failing(host.args(issuer_private_key_path=str(host.root_pem)), capsys)
        assert "holds no PEM private key" in message

    def test_issuer_file_with_two_certificates(self, host, capsys):
        both = host.write("both.pem", pki.pem(host.root.certificate, host.root.certificate))
        message = run_failing(host.args(issuer_certificate_path=str(both)), capsys)
        assert "holds 2 certificates" in message

    def test_issuer_chain_that_does_not_verify(self, host, capsys):
        intermediate = pki.make_intermediate_ca(host.root)
        stranger = host.write("stranger.pem", pki.make_root_ca("Stranger").certificate_pem)
        files = host.issuer_files(intermediate, "intermediate", PASSPHRASE)

        message = run_failing(host.args(issuer_chain_path=str(stranger), **files), capsys)

        assert "does not verify the issuer: issuer_chain_path[0]" in message
        assert "a link is missing" in message

    def test_missing_issuer_file(self, host, capsys):
        message = run_failing(host.args(issuer_certificate_path="/nonexistent/ca.pem"), capsys)
        assert "cannot read the issuer certificate /nonexistent/ca.pem" in message

    def test_csr_with_a_bad_signature(self, host, capsys):
        der = bytearray(host.csr.public_bytes(serialization.Encoding.DER))
        der[-1] ^= 0x01
        tampered = x509.load_der_x509_csr(bytes(der))

        message = run_failing(host.args(csr_path=None, csr=pki.pem(tampered)), capsys)

        assert "signature of the certificate signing request" in message

    def test_csr_that_is_not_pem(self, host, capsys):
        message = run_failing(host.args(csr_path=None, csr="MIIB"), capsys)
        assert "cannot read csr: the certificate signing request is not valid PEM" in message

    def test_dest_holding_a_private_key_is_not_overwritten(self, host, capsys):
        host.dest.write_text(pki.key_pem(host.asp_key))
        content = host.dest.read_bytes()

        message = run_failing(host.args(), capsys)

        assert "holds a private key; refusing to overwrite it" in message
        assert host.dest.read_bytes() == content

    def test_dest_in_a_missing_directory(self, host, capsys):
        message = run_failing(host.args(dest=str(host.directory / "absent" / "ca.pem")), capsys)
        assert "does not exist" in message

    @pytest.mark.parametrize(
        "overrides, expected",
        [
            ({"validity_days": 0}, "validity_days must be at least 1"),
            ({"renewal_margin_days": -1}, "renewal_margin_days must not be negative"),
        ],
    )
    def test_numbers_out_of_range(self, host, capsys, overrides, expected):
        assert expected in run_failing(host.args(**overrides), capsys)

    def test_csr_and_csr_path_together(self, host, capsys):
        result = run(host.args(csr=pki.pem(host.csr)), capsys)
        assert result["failed"]
        assert "mutually exclusive" in result["msg"]

    def test_missing_cryptography(self, host, capsys, monkeypatch):
        monkeypatch.setattr(asp_ca_csr_sign, "HAS_CRYPTOGRAPHY", False)
        monkeypatch.setattr(asp_ca_csr_sign, "CRYPTOGRAPHY_IMPORT_ERROR", "ImportError: test")

        result = run(host.args(), capsys)

        assert result["failed"]
        assert "cryptography >= 3.4" in result["msg"]
        assert not host.dest.exists()


def issuer_only(host: Pki, **overrides) -> dict:
    """The arguments of an issuer check: the host's usual issuer, and no CSR and no dest."""
    return host.args(csr_path=None, dest=None, **overrides)


def run_issuer_check_failing(args: dict, capsys) -> str:
    result = run(args, capsys)
    assert result.get("failed"), result
    assert result["msg"].startswith("Failed to check the issuer for signing: ")
    return result["msg"]


class TestIssuerOnly:
    def test_reports_the_issuer_and_signs_nothing(self, host, capsys):
        before = sorted(path.name for path in host.directory.iterdir())

        result = run(issuer_only(host), capsys)

        assert result["changed"] is False and not result.get("failed")
        assert result["issuer_subject"] == host.root.certificate.subject.rfc4514_string()
        assert result["issuer_not_after"] == format_time(not_valid_after(host.root.certificate))
        assert result["certificate_chain"] == host.root.certificate_pem
        assert "certificate" not in result and "serial_number" not in result
        assert sorted(path.name for path in host.directory.iterdir()) == before

    def test_returns_the_chain_of_an_intermediate_issuer(self, host, capsys):
        intermediate = pki.make_intermediate_ca(host.root)
        files = host.issuer_files(intermediate, "intermediate", PASSPHRASE)

        result = run(issuer_only(host, issuer_chain_path=str(host.root_pem), **files), capsys)

        assert (
            result["certificate_chain"] == intermediate.certificate_pem + host.root_pem.read_text()
        )
        assert result["issuer_subject"] == intermediate.certificate.subject.rfc4514_string()

    def test_runs_in_check_mode(self, host, capsys):
        result = run(issuer_only(host), capsys, check_mode=True)
        assert result["changed"] is False and "issuer_not_after" in result

    def test_signing_reports_the_issuer_too(self, host, capsys):
        result = run(host.args(), capsys)
        assert result["issuer_subject"] == host.root.certificate.subject.rfc4514_string()
        assert result["issuer_not_after"] == format_time(not_valid_after(host.root.certificate))

    def test_wrong_passphrase(self, host, capsys):
        message = run_issuer_check_failing(
            issuer_only(host, issuer_private_key_passphrase="wrong guess"), capsys
        )
        assert message.endswith(
            f"cannot decrypt the issuer private key {host.root_key}: the passphrase is wrong"
        )
        assert "wrong guess" not in message and "********" not in message

    def test_missing_passphrase(self, host, capsys):
        message = run_issuer_check_failing(
            issuer_only(host, issuer_private_key_passphrase=None), capsys
        )
        assert "is encrypted; set issuer_private_key_passphrase" in message

    def test_non_ca_issuer(self, host, capsys):
        server = pki.make_leaf(host.root, "radius.example.test")
        message = run_issuer_check_failing(
            issuer_only(host, **host.issuer_files(server, "server")), capsys
        )
        assert "is not a CA certificate (it lacks basicConstraints CA:TRUE)" in message

    def test_expired_issuer(self, host, capsys):
        start = pki.utc_now() - timedelta(days=20)
        old = pki.make_root_ca("Old CA", not_before=start, not_after=start + timedelta(days=10))
        message = run_issuer_check_failing(
            issuer_only(host, **host.issuer_files(old, "old")), capsys
        )
        assert f"expired on {format_time(not_valid_after(old.certificate))}" in message

    def test_key_of_another_ca(self, host, capsys):
        key_path = host.write("other.key", pki.make_root_ca("Other CA").key_pem())
        message = run_issuer_check_failing(
            issuer_only(
                host, issuer_private_key_path=str(key_path), issuer_private_key_passphrase=None
            ),
            capsys,
        )
        assert f"the issuer private key {key_path} does not belong to the issuer" in message

    def test_issuer_chain_that_does_not_verify(self, host, capsys):
        intermediate = pki.make_intermediate_ca(host.root)
        stranger = host.write("stranger.pem", pki.make_root_ca("Stranger").certificate_pem)
        files = host.issuer_files(intermediate, "intermediate", PASSPHRASE)
        message = run_issuer_check_failing(
            issuer_only(host, issuer_chain_path=str(stranger), **files), capsys
        )
        assert "does not verify the issuer" in message

    def test_dest_without_a_csr_is_refused(self, host, capsys):
        result = run(host.args(csr_path=None), capsys)
        assert result["failed"]
        assert "dest is set but neither csr nor csr_path" in result["msg"]
        assert not host.dest.exists()

    def test_a_csr_without_dest_is_refused(self, host, capsys):
        result = run(host.args(dest=None), capsys)
        assert result["failed"]
        assert "dest" in result["msg"] and "csr_path" in result["msg"]
