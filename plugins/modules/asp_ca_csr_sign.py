#!/usr/bin/python
# Copyright: asp.enterprise_wifi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: asp_ca_csr_sign
short_description: Sign an ASP CA's CSR as a subordinate CA of the RADIUS server's CA
version_added: 0.1.0
description:
  - Signs the certificate signing request (CSR) of an Alexa Smart Properties private CA with
    the certificate and private key of the RADIUS server's CA, and writes the certificate to
    O(dest).
  - Run it on the host that holds the RADIUS CA's key (usually with C(delegate_to)); the key
    never leaves that host and is neither returned nor logged.
  - Whatever the CSR asks for, the result is a subordinate CA certificate that strict
    verifiers accept. The subject comes from the CSR. basicConstraints is V(CA:TRUE) with
    path length 0 and keyUsage is keyCertSign, cRLSign and digitalSignature, both critical.
    The subject key identifier comes from the CSR's key and the authority key identifier
    from the issuer. The signature uses SHA-256 and the serial number is random.
  - A certificate already at O(dest) is kept when it is for the CSR's public key, was signed
    by the issuer, has that profile and stays valid for longer than O(renewal_margin_days).
  - Given neither O(csr) nor O(csr_path), the module only checks the issuer, as it would before
    signing. The issuer certificate must be a CA certificate that may sign and is valid now, the
    key must be readable with O(issuer_private_key_passphrase) and belong to it, and
    O(issuer_chain_path) must verify it. It then returns RV(issuer_subject), RV(issuer_not_after)
    and RV(certificate_chain), signs nothing and writes nothing. Run it before creating the CA
    in ASP, so that a wrong passphrase, an expired RADIUS CA or a key of another certificate
    fails the play before anything is created.
  - This module does not call the ASP API, so it is not in the C(asp.enterprise_wifi.asp)
    action group and takes no connection options.
author:
  - asp.enterprise_wifi maintainers (@asp-enterprise-wifi)
requirements:
  - cryptography >= 3.4 on the host that signs
extends_documentation_fragment:
  - ansible.builtin.files
  - ansible.builtin.action_common_attributes
  - action_common_attributes.files
attributes:
  check_mode:
    support: full
    details:
      - In check mode the module signs in memory and returns that certificate without writing
        it, so that later tasks can check it; its serial number and dates differ from those of
        a real run.
  diff_mode:
    support: full
    details:
      - The diff shows the subject, serial number and expiry of the certificate before and
        after, never key material.
  platform:
    platforms: posix
  safe_file_operations:
    support: full
  vault:
    support: none
options:
  csr:
    description:
      - The CSR as PEM text, for example the C(csr) of a CA returned by
        M(asp.enterprise_wifi.asp_ca_info). PEM without line breaks is accepted.
      - At most one of O(csr) and O(csr_path). With neither, the module checks the issuer only.
    type: str
  csr_path:
    description:
      - Path on the signing host of a file holding the CSR as PEM.
    type: path
  issuer_certificate_path:
    description:
      - Path of the issuing CA's certificate (PEM), usually the RADIUS server's CA.
      - It must be a CA certificate (basicConstraints V(CA:TRUE)) that may sign certificates
        and is valid now; the file must hold that one certificate only.
    type: path
    required: true
  issuer_private_key_path:
    description:
      - Path of the issuing CA's private key (PEM, PKCS#8 or traditional OpenSSL format).
      - It must belong to O(issuer_certificate_path).
    type: path
    required: true
  issuer_private_key_passphrase:
    description:
      - Passphrase of an encrypted O(issuer_private_key_path).
    type: str
  issuer_chain_path:
    description:
      - Path of the issuer's own chain up to the root (PEM), issuer of the issuer first.
      - Leave it out when the issuer is the root.
    type: path
  dest:
    description:
      - Where to write the signed certificate (PEM). Its mode is V(0644) unless O(mode) says
        otherwise.
      - Required with O(csr) or O(csr_path), and refused without them, so that a CSR left out
        by mistake fails the task instead of signing nothing.
    type: path
  validity_days:
    description:
      - How many days the certificate is valid from now.
      - The certificate never outlives the issuer; a longer request is shortened to the
        issuer's notAfter with a warning.
    type: int
    default: 365
  renewal_margin_days:
    description:
      - A certificate at O(dest) that expires within this many days is replaced.
    type: int
    default: 30
  force:
    description:
      - Sign a new certificate even when the one at O(dest) is still good.
    type: bool
    default: false
notes:
  - This module exists because C(community.crypto.x509_certificate) with the C(ownca) provider
    cannot enforce the profile above. That provider copies the CSR's extensions into the
    certificate as they are and adds only key identifiers; it has no option to add
    basicConstraints or keyUsage, and its idempotence check does not look at them. Given a
    CSR that does not request V(CA:TRUE) it makes a certificate that is not a CA, which ASP
    and strict verifiers reject, and the ASP CA's key is not available to make a new CSR.
    The collection also has no dependency on community.crypto.
  - Extensions the CSR requests are ignored, including subject alternative names and any
    basicConstraints or keyUsage it asks for.
  - The certificate is valid from five minutes before now, so that hosts whose clocks run
    slightly behind accept it at once.
  - An issuer certificate without a keyUsage extension is accepted with a warning; strict
    verifiers may refuse the chain. An issuer whose keyUsage lacks keyCertSign is refused.
  - When the issuer expires within O(renewal_margin_days), or O(validity_days) is not more
    than O(renewal_margin_days), every run signs a new certificate; the module warns.
seealso:
  - module: asp.enterprise_wifi.asp_ca_info
  - module: asp.enterprise_wifi.asp_ca_certificate_import
"""

EXAMPLES = r"""
- name: Read the CA and its CSR from ASP
  asp.enterprise_wifi.asp_ca_info:
    name: Lobby devices
  register: asp_ca

- name: Sign the CSR with the RADIUS server's CA, on the RADIUS host
  asp.enterprise_wifi.asp_ca_csr_sign:
    csr: "{{ asp_ca.certificate_authorities[0].csr }}"
    issuer_certificate_path: /etc/freeradius/3.0/certs/ca.pem
    issuer_private_key_path: /etc/freeradius/3.0/certs/ca.key
    issuer_private_key_passphrase: "{{ radius_ca_passphrase }}"
    dest: /etc/freeradius/3.0/certs/asp-lobby-ca.pem
    validity_days: 365
    renewal_margin_days: 30
  delegate_to: radius.example.com
  register: signed

- name: Check the RADIUS server's CA and its key before creating anything in ASP
  asp.enterprise_wifi.asp_ca_csr_sign:
    issuer_certificate_path: /etc/freeradius/3.0/certs/ca.pem
    issuer_private_key_path: /etc/freeradius/3.0/certs/ca.key
    issuer_private_key_passphrase: "{{ radius_ca_passphrase }}"
  delegate_to: radius.example.com
  register: radius_ca

- name: Import the signed certificate and its chain into ASP
  asp.enterprise_wifi.asp_ca_certificate_import:
    id: "{{ asp_ca.certificate_authorities[0].id }}"
    certificate: "{{ signed.certificate }}"
    certificate_chain: "{{ signed.certificate_chain }}"
"""

RETURN = r"""
certificate:
  description: The subordinate CA certificate at O(dest), as PEM.
  returned: when O(csr) or O(csr_path) is given
  type: str
  sample: "-----BEGIN CERTIFICATE-----\nMIIB...\n-----END CERTIFICATE-----\n"
certificate_chain:
  description:
    - The chain that verifies the certificate, as PEM, issuer first and root last
      (the issuer's certificate followed by O(issuer_chain_path)).
    - When only the issuer is checked, the chain that would verify a certificate it signs.
  returned: success
  type: str
  sample: "-----BEGIN CERTIFICATE-----\nMIIB...\n-----END CERTIFICATE-----\n"
serial_number:
  description: The certificate's serial number in hexadecimal, as C(openssl x509 -serial) shows it.
  returned: when O(csr) or O(csr_path) is given
  type: str
  sample: 3A1F0C9D2E4B5A6978C1D2E3F405162738495A6B
not_before:
  description: Start of the certificate's validity, ISO 8601 in UTC.
  returned: when O(csr) or O(csr_path) is given
  type: str
  sample: "2026-03-15T12:05:00Z"
not_after:
  description: End of the certificate's validity, ISO 8601 in UTC.
  returned: when O(csr) or O(csr_path) is given
  type: str
  sample: "2027-03-15T12:10:00Z"
dest:
  description: Path of the certificate file.
  returned: when O(csr) or O(csr_path) is given
  type: str
  sample: /etc/freeradius/3.0/certs/asp-lobby-ca.pem
issuer_subject:
  description: The issuer certificate's subject, as RFC 4514 text.
  returned: success
  type: str
  sample: CN=Grand Hotel RADIUS CA,O=Grand Hotel
issuer_not_after:
  description: End of the issuer certificate's validity, ISO 8601 in UTC; no certificate it
    signs is valid for longer.
  returned: success
  type: str
  sample: "2030-03-15T12:10:00Z"
"""

import os
import re
import tempfile
from datetime import datetime, timedelta
from typing import NamedTuple, NoReturn

from ansible.module_utils.basic import AnsibleModule, missing_required_lib
from ansible.module_utils.common.text.converters import to_bytes, to_native
from ansible_collections.asp.enterprise_wifi.plugins.module_utils._certificate_checks import (
    CRYPTOGRAPHY_IMPORT_ERROR,
    CRYPTOGRAPHY_REQUIREMENT,
    HAS_CRYPTOGRAPHY,
    CertificateCheckError,
    describe,
    format_time,
    is_ca_certificate,
    load_certificates,
    load_csr,
    may_sign_certificates,
    not_valid_after,
    not_valid_before,
    public_key_der,
    signature_verifies,
    utc_now,
    verify_chain,
)
from ansible_collections.asp.enterprise_wifi.plugins.module_utils._pem import (
    contains_private_key,
)

if HAS_CRYPTOGRAPHY:
    from cryptography import x509
    from cryptography.exceptions import UnsupportedAlgorithm
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ed448, ed25519

CLOCK_SKEW = timedelta(minutes=5)
DEFAULT_MODE = 0o644


class SigningError(Exception):
    """An expected failure; its message is shown to the user as it is."""


class Issuer(NamedTuple):
    certificate: x509.Certificate
    private_key: object
    chain: list[x509.Certificate]


def main() -> None:
    module = AnsibleModule(
        argument_spec=dict(
            csr=dict(type="str"),
            csr_path=dict(type="path"),
            issuer_certificate_path=dict(type="path", required=True),
            issuer_private_key_path=dict(type="path", required=True),
            issuer_private_key_passphrase=dict(type="str", no_log=True),
            issuer_chain_path=dict(type="path"),
            dest=dict(type="path"),
            validity_days=dict(type="int", default=365),
            renewal_margin_days=dict(type="int", default=30),
            force=dict(type="bool", default=False),
        ),
        mutually_exclusive=[("csr", "csr_path")],
        required_by={"csr": "dest", "csr_path": "dest"},
        add_file_common_args=True,
        supports_check_mode=True,
    )

    if not HAS_CRYPTOGRAPHY:
        module.fail_json(
            msg=missing_required_lib(CRYPTOGRAPHY_REQUIREMENT),
            exception=CRYPTOGRAPHY_IMPORT_ERROR,
        )

    params = module.params
    dest = params["dest"]
    now = utc_now()
    if params["csr"] is None and params["csr_path"] is None:
        check_issuer_only(module, now)

    try:
        _check_numbers(params["validity_days"], params["renewal_margin_days"])
        issuer = _load_issuer(module, now)
        csr = _load_request(params["csr"], params["csr_path"])
        existing = _read_existing_certificate(dest)

        renewal_reason = _renewal_reason(
            existing, csr, issuer, now, params["renewal_margin_days"], params["force"]
        )
        certificate = existing
        if renewal_reason is not None:
            certificate = _sign(module, csr, issuer, now)
            if not module.check_mode:
                _write_atomically(module, dest, _pem_of(certificate))
    except SigningError as exc:
        module.fail_json(msg=f"Failed to sign the certificate signing request for {dest}: {exc}")

    diff = {"before": _summary(existing), "after": _summary(certificate)}
    file_changed = _apply_file_attributes(module, dest, renewal_reason is not None, diff)
    result = dict(
        changed=renewal_reason is not None or file_changed,
        certificate=_pem_of(certificate),
        certificate_chain=_chain_pem(issuer),
        serial_number=_serial_hex(certificate),
        not_before=format_time(not_valid_before(certificate)),
        not_after=format_time(not_valid_after(certificate)),
        dest=dest,
        **_issuer_summary(issuer),
    )
    if module._diff:
        result["diff"] = diff
    module.exit_json(**result)


def check_issuer_only(module: AnsibleModule, now: datetime) -> NoReturn:
    """Check the issuer as signing would, and exit with what it is; signs and writes nothing."""
    if module.params["dest"] is not None:
        module.fail_json(
            msg=f"Failed to sign for {module.params['dest']}: dest is set but neither csr nor "
            "csr_path; give the certificate signing request, or leave out dest to check the "
            "issuer only"
        )
    try:
        _check_numbers(module.params["validity_days"], module.params["renewal_margin_days"])
        issuer = _load_issuer(module, now)
    except SigningError as exc:
        module.fail_json(msg=f"Failed to check the issuer for signing: {exc}")
    module.exit_json(
        changed=False,
        certificate_chain=_chain_pem(issuer),
        **_issuer_summary(issuer),
    )


def _issuer_summary(issuer: Issuer) -> dict:
    return {
        "issuer_subject": issuer.certificate.subject.rfc4514_string(),
        "issuer_not_after": format_time(not_valid_after(issuer.certificate)),
    }


def _chain_pem(issuer: Issuer) -> str:
    return "".join(_pem_of(item) for item in [issuer.certificate, *issuer.chain])


def _check_numbers(validity_days: int, renewal_margin_days: int) -> None:
    if validity_days < 1:
        raise SigningError(f"validity_days must be at least 1, not {validity_days}")
    if renewal_margin_days < 0:
        raise SigningError(f"renewal_margin_days must not be negative, not {renewal_margin_days}")


def _load_issuer(module: AnsibleModule, now: datetime) -> Issuer:
    params = module.params
    certificate_path = params["issuer_certificate_path"]
    certificates = _load_certificate_file(certificate_path, "the issuer certificate")
    if len(certificates) != 1:
        raise SigningError(
            f"the issuer certificate {certificate_path} holds {len(certificates)} certificates;"
            " keep the issuer's certificate alone in it and its chain in issuer_chain_path"
        )
    certificate = certificates[0]
    _check_issuer_certificate(module, certificate, certificate_path, now)

    private_key = _load_private_key(
        module, params["issuer_private_key_path"], params["issuer_private_key_passphrase"]
    )
    if public_key_der(private_key.public_key()) != public_key_der(certificate.public_key()):
        raise SigningError(
            f"the issuer private key {params['issuer_private_key_path']} does not belong to"
            f" the issuer certificate {certificate_path}"
        )

    chain: list[x509.Certificate] = []
    if params["issuer_chain_path"]:
        chain = _load_certificate_file(params["issuer_chain_path"], "the issuer chain")
        try:
            verify_chain(certificate, chain, now=now, chain_name="issuer_chain_path")
        except CertificateCheckError as exc:
            raise SigningError(
                f"the issuer chain {params['issuer_chain_path']} does not verify the issuer: {exc}"
            ) from None
    return Issuer(certificate=certificate, private_key=private_key, chain=chain)


def _check_issuer_certificate(
    module: AnsibleModule, certificate: x509.Certificate, path: str, now: datetime
) -> None:
    if not is_ca_certificate(certificate):
        raise SigningError(
            f"the issuer certificate {path} ({describe(certificate)}) is not a CA certificate"
            " (it lacks basicConstraints CA:TRUE)"
        )
    if not may_sign_certificates(certificate):
        raise SigningError(
            f"the issuer certificate {path} ({describe(certificate)}) may not sign"
            " certificates: its keyUsage lacks keyCertSign"
        )
    if _extension(certificate, x509.KeyUsage) is None:
        module.warn(
            f"The issuer certificate {path} has no keyUsage extension; strict verifiers may"
            " refuse certificates issued under it."
        )
    if now < not_valid_before(certificate):
        raise SigningError(
            f"the issuer certificate {path} is not valid yet: it is valid from"
            f" {format_time(not_valid_before(certificate))}"
        )
    if now >= not_valid_after(certificate):
        raise SigningError(
            f"the issuer certificate {path} expired on {format_time(not_valid_after(certificate))}"
        )


def _load_private_key(module: AnsibleModule, path: str, passphrase: str | None) -> object:
    key_text = _read_text(path, "the issuer private key")
    if not contains_private_key(key_text):
        raise SigningError(f"the issuer private key {path} holds no PEM private key")
    encrypted = re.search(r"ENCRYPTED", key_text) is not None
    if encrypted and not passphrase:
        raise SigningError(
            f"the issuer private key {path} is encrypted; set issuer_private_key_passphrase"
        )
    if passphrase and not encrypted:
        module.warn(
            f"issuer_private_key_passphrase is set but the issuer private key {path} is not"
            " encrypted; the passphrase was not used."
        )
    password = to_bytes(passphrase) if encrypted else None
    try:
        return serialization.load_pem_private_key(to_bytes(key_text), password=password)
    except (ValueError, TypeError, UnsupportedAlgorithm):
        # The library's message is not shown: it may quote the key file's content.
        if encrypted:
            raise SigningError(
                f"cannot decrypt the issuer private key {path}: the passphrase is wrong"
            ) from None
        raise SigningError(
            f"cannot read the issuer private key {path}: it is not a supported PEM private key"
        ) from None


def _load_request(csr_text: str | None, csr_path: str | None) -> x509.CertificateSigningRequest:
    if csr_path:
        csr_text = _read_text(csr_path, "the certificate signing request")
    source = csr_path or "csr"
    if contains_private_key(csr_text or ""):
        raise SigningError(f"{source} holds a private key, not a certificate signing request")
    try:
        csr = load_csr(csr_text or "")
    except CertificateCheckError as exc:
        raise SigningError(f"cannot read {source}: {exc}") from None
    if not csr.is_signature_valid:
        raise SigningError(f"the signature of the certificate signing request in {source} is bad")
    if not list(csr.subject):
        raise SigningError(f"the certificate signing request in {source} has an empty subject")
    return csr


def _read_existing_certificate(dest: str) -> x509.Certificate | None:
    """The certificate at ``dest``, or None when there is none that can be read."""
    if os.path.isdir(dest):
        raise SigningError(f"{dest} is a directory")
    if not os.path.exists(dest):
        return None
    text = _read_text(dest, "the certificate file")
    if contains_private_key(text):
        raise SigningError(f"{dest} holds a private key; refusing to overwrite it")
    try:
        return load_certificates(text, dest)[0]
    except CertificateCheckError:
        return None


def _renewal_reason(
    existing: x509.Certificate | None,
    csr: x509.CertificateSigningRequest,
    issuer: Issuer,
    now: datetime,
    renewal_margin_days: int,
    force: bool,
) -> str | None:
    """Why a new certificate is needed, or None when the one at dest is good."""
    if force:
        return "force is set"
    if existing is None:
        return "there is no readable certificate at dest"
    if public_key_der(existing.public_key()) != public_key_der(csr.public_key()):
        return "the certificate is for another public key"
    if existing.subject != csr.subject:
        return "the certificate's subject is not the request's"
    if not _issued_by(existing, issuer.certificate):
        return "the certificate was issued by another CA"
    if not _has_profile(existing):
        return "the certificate lacks the subordinate CA profile"
    if now < not_valid_before(existing):
        return "the certificate is not valid yet"
    if not_valid_after(existing) - now <= timedelta(days=renewal_margin_days):
        return "the certificate expires within the renewal margin"
    return None


def _issued_by(certificate: x509.Certificate, issuer: x509.Certificate) -> bool:
    if certificate.issuer != issuer.subject:
        return False
    authority_key = _extension(certificate, x509.AuthorityKeyIdentifier)
    issuer_key = _extension(issuer, x509.SubjectKeyIdentifier)
    if authority_key is not None and issuer_key is not None:
        expected = issuer_key.value.digest
        if authority_key.value.key_identifier not in (None, expected):
            return False
    return signature_verifies(certificate, issuer.public_key())


def _has_profile(certificate: x509.Certificate) -> bool:
    constraints = _extension(certificate, x509.BasicConstraints)
    if constraints is None or not constraints.critical:
        return False
    if not constraints.value.ca or constraints.value.path_length != 0:
        return False
    key_usage = _extension(certificate, x509.KeyUsage)
    if key_usage is None or not key_usage.critical:
        return False
    if not (key_usage.value.key_cert_sign and key_usage.value.crl_sign):
        return False
    if _extension(certificate, x509.SubjectKeyIdentifier) is None:
        return False
    if _extension(certificate, x509.AuthorityKeyIdentifier) is None:
        return False
    try:
        algorithm = certificate.signature_hash_algorithm
    except UnsupportedAlgorithm:
        return False
    return algorithm is None or isinstance(algorithm, hashes.SHA256)


def _sign(
    module: AnsibleModule,
    csr: x509.CertificateSigningRequest,
    issuer: Issuer,
    now: datetime,
) -> x509.Certificate:
    validity_days = module.params["validity_days"]
    margin = timedelta(days=module.params["renewal_margin_days"])
    issuer_not_after = not_valid_after(issuer.certificate)
    starts = max(now - CLOCK_SKEW, not_valid_before(issuer.certificate))
    ends = now + timedelta(days=validity_days)
    if ends > issuer_not_after:
        ends = issuer_not_after
        module.warn(
            f"validity_days {validity_days} would outlive the issuer certificate; the"
            f" certificate ends with the issuer on {format_time(ends)}."
        )
    if ends - now <= margin:
        module.warn(
            f"The certificate ends on {format_time(ends)}, within the renewal margin of"
            f" {margin.days} days, so every run will sign a new one."
        )

    public_key = csr.public_key()
    builder = (
        x509.CertificateBuilder()
        .subject_name(csr.subject)
        .issuer_name(issuer.certificate.subject)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(starts)
        .not_valid_after(ends)
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
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
        .add_extension(_authority_key_identifier(issuer.certificate), critical=False)
    )
    algorithm = None
    if not isinstance(issuer.private_key, (ed25519.Ed25519PrivateKey, ed448.Ed448PrivateKey)):
        algorithm = hashes.SHA256()
    try:
        return builder.sign(issuer.private_key, algorithm)
    except (ValueError, TypeError, UnsupportedAlgorithm) as exc:
        raise SigningError(f"the issuer's key could not sign: {to_native(exc)}") from None


def _authority_key_identifier(issuer: x509.Certificate) -> x509.AuthorityKeyIdentifier:
    issuer_key = _extension(issuer, x509.SubjectKeyIdentifier)
    if issuer_key is not None:
        return x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(issuer_key.value)
    return x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer.public_key())


def _write_atomically(module: AnsibleModule, dest: str, content: str) -> None:
    directory = os.path.dirname(os.path.abspath(dest))
    if not os.path.isdir(directory):
        raise SigningError(f"the directory {directory} does not exist")
    try:
        handle, temporary_path = tempfile.mkstemp(prefix=".asp_ca_csr_sign.", dir=directory)
        module.add_cleanup_file(temporary_path)
        with os.fdopen(handle, "wb") as temporary:
            temporary.write(to_bytes(content))
    except OSError as exc:
        raise SigningError(f"cannot write to {directory}: {to_native(exc)}") from None
    module.atomic_move(temporary_path, dest, unsafe_writes=module.params["unsafe_writes"])


def _apply_file_attributes(module: AnsibleModule, dest: str, changed: bool, diff: dict) -> bool:
    if not os.path.exists(dest):
        # Only in check mode: the file that would be written does not exist yet.
        return False
    file_args = module.load_file_common_arguments(module.params, path=dest)
    if file_args.get("mode") is None:
        file_args["mode"] = DEFAULT_MODE
    return module.set_fs_attributes_if_different(file_args, changed, diff=diff)


def _summary(certificate: x509.Certificate | None) -> dict:
    if certificate is None:
        return {}
    return {
        "subject": certificate.subject.rfc4514_string(),
        "serial_number": _serial_hex(certificate),
        "not_after": format_time(not_valid_after(certificate)),
    }


def _load_certificate_file(path: str, what: str) -> list[x509.Certificate]:
    text = _read_text(path, what)
    if contains_private_key(text):
        raise SigningError(f"{what} {path} holds a private key; it must hold certificates only")
    try:
        return load_certificates(text, f"{what} {path}")
    except CertificateCheckError as exc:
        raise SigningError(str(exc)) from None


def _read_text(path: str, what: str) -> str:
    try:
        with open(path, "rb") as handle:
            content = handle.read()
    except OSError as exc:
        raise SigningError(f"cannot read {what} {path}: {exc.strerror}") from None
    # Only the PEM markers and base64 matter; stray bytes elsewhere are harmless.
    return content.decode("utf-8", errors="replace")


def _extension(certificate: x509.Certificate, extension_type: type) -> x509.Extension | None:
    try:
        return certificate.extensions.get_extension_for_class(extension_type)
    except x509.ExtensionNotFound:
        return None


def _serial_hex(certificate: x509.Certificate) -> str:
    digits = f"{certificate.serial_number:X}"
    # openssl prints whole bytes, so a serial never starts with half of one.
    return digits.zfill(len(digits) + len(digits) % 2)


def _pem_of(certificate: x509.Certificate) -> str:
    return certificate.public_bytes(serialization.Encoding.PEM).decode("ascii")


if __name__ == "__main__":
    main()
