# Copyright: asp.enterprise_wifi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import base64
import shutil
import subprocess

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from hypothesis import given, settings
from hypothesis import strategies as st

from ansible_collections.asp.enterprise_wifi.plugins.module_utils._pem import (
    PemError,
    contains_private_key,
    normalize_pem,
    parse_blocks,
    split_certificates,
)
from ansible_collections.asp.enterprise_wifi.tests.support import pki


@pytest.fixture(scope="module")
def root() -> pki.Issued:
    return pki.make_root_ca()


@pytest.fixture(scope="module")
def intermediate(root: pki.Issued) -> pki.Issued:
    return pki.make_intermediate_ca(root)


@pytest.fixture(scope="module")
def csr_pem() -> str:
    return pki.pem(pki.make_csr(pki.make_key()))


def _wrapped(pem_text: str, width: int) -> str:
    """The same PEM with its base64 wrapped at ``width`` columns."""
    output = []
    for block in parse_blocks(pem_text):
        encoded = base64.b64encode(block.der).decode()
        lines = [encoded[start : start + width] for start in range(0, len(encoded), width)]
        output.append(
            f"-----BEGIN {block.label}-----\n"
            + "\n".join(lines)
            + f"\n-----END {block.label}-----\n"
        )
    return "".join(output)


def _assert_well_formed(pem_text: str) -> None:
    for line in pem_text.splitlines():
        assert len(line) <= 64 or line.startswith("-----")
    assert pem_text.endswith("-----\n")
    assert "\r" not in pem_text


class TestNormalizePemShapes:
    def test_well_formed_pem_is_returned_unchanged(self, root):
        assert normalize_pem(root.certificate_pem) == root.certificate_pem

    def test_csr_on_one_line_as_the_service_sends_it(self, csr_pem):
        one_line = pki.one_line(csr_pem)
        assert "\n" not in one_line

        normalized = normalize_pem(one_line)

        assert normalized == csr_pem
        x509.load_pem_x509_csr(normalized.encode())

    def test_certificate_on_one_line(self, root):
        normalized = normalize_pem(pki.one_line(root.certificate_pem))

        assert normalized == root.certificate_pem
        assert x509.load_pem_x509_certificate(normalized.encode()) == root.certificate

    def test_crlf_line_endings(self, root):
        assert normalize_pem(root.certificate_pem.replace("\n", "\r\n")) == root.certificate_pem

    def test_surrounding_whitespace(self, root):
        text = "\n\n   \t" + root.certificate_pem.rstrip("\n") + "   \n\n\n"
        assert normalize_pem(text) == root.certificate_pem

    def test_spaces_instead_of_line_breaks(self, root):
        text = root.certificate_pem.replace("\n", " ")
        assert normalize_pem(text) == root.certificate_pem

    @pytest.mark.parametrize("width", [1, 63, 65, 76])
    def test_other_line_widths_are_rewrapped_to_64(self, root, width):
        assert normalize_pem(_wrapped(root.certificate_pem, width)) == root.certificate_pem

    def test_several_blocks_with_line_breaks(self, root, intermediate):
        chain = pki.pem(intermediate.certificate, root.certificate)
        assert normalize_pem(chain) == chain

    def test_several_blocks_on_one_line(self, root, intermediate):
        chain = pki.pem(intermediate.certificate, root.certificate)

        normalized = normalize_pem(pki.one_line(chain))

        assert normalized == chain
        assert normalized.count("-----BEGIN CERTIFICATE-----\n") == 2

    def test_blank_lines_between_blocks_and_text_outside_them(self, root, intermediate):
        text = (
            "subject=CN = Test RADIUS Intermediate CA\n"
            + intermediate.certificate_pem
            + "\n\nissuer=CN = Test RADIUS Root CA\n\n"
            + root.certificate_pem
        )
        assert normalize_pem(text) == pki.pem(intermediate.certificate, root.certificate)

    def test_end_marker_with_four_dashes_as_in_the_service_reference(self, root):
        text = root.certificate_pem.replace(
            "-----END CERTIFICATE-----", "----END CERTIFICATE-----"
        )
        assert normalize_pem(text) == root.certificate_pem

    def test_empty_line_after_begin_as_in_the_service_reference(self, root):
        text = root.certificate_pem.replace(
            "-----BEGIN CERTIFICATE-----\n", "-----BEGIN CERTIFICATE-----\n\n"
        )
        assert normalize_pem(text) == root.certificate_pem

    def test_every_block_ends_in_a_newline(self, root, intermediate):
        chain = pki.one_line(pki.pem(intermediate.certificate, root.certificate))
        normalized = normalize_pem(chain)

        _assert_well_formed(normalized)
        assert "-----\n-----BEGIN" in normalized

    def test_legacy_encrypted_key_keeps_its_headers(self):
        key = pki.make_key()
        traditional = pki.key_pem(key, "phrase", traditional=True)
        assert "Proc-Type: 4,ENCRYPTED" in traditional

        normalized = normalize_pem(traditional.replace("\n", "\r\n"))

        assert "Proc-Type: 4,ENCRYPTED\nDEK-Info: " in normalized
        loaded = serialization.load_pem_private_key(normalized.encode(), password=b"phrase")
        assert loaded.private_numbers() == key.private_numbers()

    def test_normalizing_twice_changes_nothing(self, csr_pem):
        once = normalize_pem(pki.one_line(csr_pem))
        assert normalize_pem(once) == once

    @pytest.mark.skipif(shutil.which("openssl") is None, reason="needs the openssl command")
    def test_openssl_reads_the_result(self, root, intermediate, tmp_path):
        path = tmp_path / "chain.pem"
        path.write_text(normalize_pem(pki.one_line(pki.pem(intermediate.certificate))))

        result = subprocess.run(
            ["openssl", "x509", "-in", str(path), "-noout", "-subject"],
            capture_output=True,
            text=True,
            check=False,
        )

        assert result.returncode == 0, result.stderr
        assert "Test RADIUS Intermediate CA" in result.stdout


@settings(max_examples=60, deadline=None)
@given(
    der=st.binary(min_size=1, max_size=600),
    width=st.integers(min_value=1, max_value=120),
    separator=st.sampled_from(["\n", "\r\n", "", " "]),
)
def test_any_wrapping_of_any_body_normalizes_to_the_same_pem(der, width, separator):
    encoded = base64.b64encode(der).decode()
    body = separator.join(
        encoded[start : start + width] for start in range(0, len(encoded), width)
    )
    text = f"-----BEGIN CERTIFICATE-----{separator}{body}{separator}-----END CERTIFICATE-----"

    normalized = normalize_pem(text)

    assert parse_blocks(normalized)[0].der == der
    _assert_well_formed(normalized)


class TestNormalizePemErrors:
    @pytest.mark.parametrize("text", ["", "   \n", "hello", "MIIBszCCAVmgAwIBAgIU"])
    def test_no_pem_block(self, text):
        with pytest.raises(PemError, match="no PEM block"):
            normalize_pem(text)

    def test_not_text(self):
        with pytest.raises(PemError, match="expected PEM text"):
            normalize_pem(b"-----BEGIN CERTIFICATE-----")  # type: ignore[arg-type]

    def test_truncated_block_without_end(self, root):
        text = root.certificate_pem.split("-----END")[0]
        with pytest.raises(PemError, match=r"truncated PEM block: PEM block 1 .* no END line"):
            normalize_pem(text)

    def test_second_block_truncated(self, root):
        text = root.certificate_pem + root.certificate_pem[:200]
        with pytest.raises(PemError, match=r"PEM block 2 \(BEGIN CERTIFICATE\) has no END line"):
            normalize_pem(text)

    def test_begin_inside_an_open_block(self, root):
        text = root.certificate_pem[:100] + root.certificate_pem
        with pytest.raises(PemError, match="no END line before the next BEGIN CERTIFICATE"):
            normalize_pem(text)

    def test_end_without_begin(self, root):
        text = root.certificate_pem.split("-----BEGIN CERTIFICATE-----")[1]
        with pytest.raises(PemError, match="END CERTIFICATE line without a BEGIN line"):
            normalize_pem(text)

    def test_mismatched_labels(self, csr_pem):
        text = csr_pem.replace("END CERTIFICATE REQUEST", "END CERTIFICATE")
        with pytest.raises(
            PemError,
            match=r"mismatched PEM labels: .*BEGIN CERTIFICATE REQUEST.* END CERTIFICATE$",
        ):
            normalize_pem(text)

    def test_bad_base64_character(self, root):
        lines = root.certificate_pem.splitlines()
        lines[2] = lines[2][:10] + "*" + lines[2][11:]
        with pytest.raises(PemError, match=r"bad base64 in PEM block 1 .*character '\*'"):
            normalize_pem("\n".join(lines))

    def test_literal_backslash_n_from_json_is_bad_base64(self, root):
        text = root.certificate_pem.replace("\n", "\\n")
        with pytest.raises(PemError, match=r"bad base64 .*character '\\\\'"):
            normalize_pem(text)

    def test_base64_cut_short(self, root):
        lines = root.certificate_pem.splitlines()
        lines[1] = lines[1][:-1]
        with pytest.raises(PemError, match="not a multiple of 4"):
            normalize_pem("\n".join(lines))

    def test_padding_in_the_middle(self):
        text = "-----BEGIN CERTIFICATE-----QUJD=QUJD-----END CERTIFICATE-----"
        with pytest.raises(PemError, match="padding"):
            normalize_pem(text)

    def test_empty_block(self):
        with pytest.raises(PemError, match=r"PEM block 1 \(CERTIFICATE\) is empty"):
            normalize_pem("-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n")


class TestSplitCertificates:
    def test_each_certificate_in_order(self, root, intermediate):
        text = pki.one_line(pki.pem(intermediate.certificate, root.certificate))

        certificates = split_certificates(text)

        assert certificates == [intermediate.certificate_pem, root.certificate_pem]

    def test_a_single_certificate(self, root):
        assert split_certificates(root.certificate_pem) == [root.certificate_pem]

    def test_a_block_that_is_not_a_certificate(self, root, csr_pem):
        with pytest.raises(
            PemError, match="PEM block 2 is a CERTIFICATE REQUEST, not a CERTIFICATE"
        ):
            split_certificates(root.certificate_pem + csr_pem)

    def test_a_private_key_block(self, root):
        with pytest.raises(PemError, match="is a PRIVATE KEY, not a CERTIFICATE"):
            split_certificates(root.key_pem() + root.certificate_pem)

    def test_bad_pem(self):
        with pytest.raises(PemError, match="no PEM block"):
            split_certificates("certificate")


class TestContainsPrivateKey:
    @pytest.mark.parametrize(
        "label",
        [
            "PRIVATE KEY",
            "ENCRYPTED PRIVATE KEY",
            "RSA PRIVATE KEY",
            "EC PRIVATE KEY",
            "DSA PRIVATE KEY",
            "OPENSSH PRIVATE KEY",
            "ANY PRIVATE KEY",
        ],
    )
    def test_every_private_key_label(self, label):
        text = f"-----BEGIN {label}-----\nQUJD\n-----END {label}-----\n"
        assert contains_private_key(text)
        assert contains_private_key(pki.one_line(text))

    def test_real_keys_with_and_without_line_breaks(self, root):
        for text in (
            root.key_pem(),
            root.key_pem("phrase"),
            pki.key_pem(root.key, traditional=True),
        ):
            assert contains_private_key(text)
            assert contains_private_key(pki.one_line(text))

    def test_key_hidden_after_certificates(self, root, intermediate):
        text = pki.pem(intermediate.certificate, root.certificate) + root.key_pem()
        assert contains_private_key(pki.one_line(text))

    def test_only_the_end_of_a_key(self, root):
        assert contains_private_key(root.key_pem().split("\n", 1)[1])

    def test_lower_case_label(self):
        assert contains_private_key("-----begin private key-----QUJD-----end private key-----")

    @pytest.mark.parametrize("text", ["", None, "not pem", "-----BEGIN PUBLIC KEY-----"])
    def test_no_private_key(self, text):
        assert not contains_private_key(text)  # type: ignore[arg-type]

    def test_certificates_and_csrs_are_not_keys(self, root, csr_pem):
        assert not contains_private_key(root.certificate_pem + csr_pem)
