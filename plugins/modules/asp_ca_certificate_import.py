#!/usr/bin/python
# Copyright: asp.enterprise_wifi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import annotations

DOCUMENTATION = r"""
module: asp_ca_certificate_import
short_description: Import the signed CA certificate into an ASP private certificate authority
version_added: 0.1.0
description:
  - Imports the CA certificate that the RADIUS server's CA signed from the ASP CA's certificate
    signing request (CSR), with the chain up to the root, into a private certificate authority
    (CA) of Alexa Smart Properties. ASP then marks the CA C(ACTIVE) and issues device certificates
    under it.
  - Before anything is sent, the module checks on the host that runs it that the certificate and
    chain parse, that neither holds a private key, that the certificate's public key is the one in
    the CA's CSR, that it is a CA certificate, that it is valid now, and that the chain verifies it
    link by link. Each failure names what is wrong and sends nothing.
  - A CA that already holds the same certificate and chain (compared as DER) is left alone.
  - Importing a different certificate into an C(ACTIVE) or C(EXPIRED) CA replaces its certificate,
    which is how a CA certificate is renewed.
author:
  - asp.enterprise_wifi maintainers (@asp-enterprise-wifi)
options:
  id:
    description:
      - The id of the CA.
      - Exactly one of O(id) and O(name) is required.
    type: str
  name:
    description:
      - The friendly name of the CA; it must match exactly one CA.
    type: str
  certificate:
    description:
      - The signed CA certificate as PEM, with or without line breaks.
      - Exactly one of O(certificate) and O(certificate_path) is required.
    type: str
  certificate_path:
    description:
      - Path of a PEM file holding the signed CA certificate, read on the host that runs the
        module.
    type: path
  certificate_chain:
    description:
      - The certificates that issued O(certificate) as PEM, the issuer first and the root last.
      - Exactly one of O(certificate_chain) and O(certificate_chain_path) is required.
    type: str
  certificate_chain_path:
    description:
      - Path of a PEM file holding the chain, read on the host that runs the module.
    type: path
  wait:
    description:
      - Wait until the CA is C(ACTIVE) after the import.
      - A CA still in C(CREATING) has no CSR yet; with O(wait=true) the module first waits until it
        has one, with O(wait=false) it fails.
    type: bool
    default: true
  wait_timeout:
    description:
      - Seconds to wait for each of those states when O(wait=true).
    type: int
    default: 300
extends_documentation_fragment:
  - asp.enterprise_wifi.connection
  - asp.enterprise_wifi.connection.action_group
attributes:
  check_mode:
    description: Runs every local check and reports whether the certificate would be imported.
    support: full
  diff_mode:
    description: Shows the certificate and chain before and after, when they change.
    support: full
requirements:
  - cryptography >= 3.4
notes:
  - What ASP itself checks on import is not published. The local checks follow what AWS Private CA,
    on which ASP appears to be built, requires of a subordinate CA certificate.
  - A certificate signed with a plain C(openssl x509 -req) has no CA extensions and is refused;
    sign the CSR with C(basicConstraints=critical,CA:TRUE) and
    C(keyUsage=critical,keyCertSign,cRLSign).
seealso:
  - module: asp.enterprise_wifi.asp_certificate_authority
  - module: asp.enterprise_wifi.asp_ca_info
"""

EXAMPLES = r"""
- name: Import the certificate the RADIUS CA signed
  asp.enterprise_wifi.asp_ca_certificate_import:
    name: Grand Hotel guest Wi-Fi
    certificate_path: /etc/freeradius/3.0/certs/asp-ca.pem
    certificate_chain_path: /etc/freeradius/3.0/certs/ca.pem
  register: asp_import

- name: Import certificate and chain given as text
  asp.enterprise_wifi.asp_ca_certificate_import:
    id: "{{ asp_ca.certificate_authority.id }}"
    certificate: "{{ signed.certificate }}"
    certificate_chain: "{{ lookup('ansible.builtin.file', 'radius-ca.pem') }}"
"""

RETURN = r"""
certificate_authority:
  description: The CA after the import; in check mode, the CA as it would be.
  returned: success
  type: dict
  contains:
    id:
      description: The CA's id.
      type: str
      sample: amzn1.alexa.enterprise.certificateAuthority.did.1
    name:
      description: The friendly name.
      type: str
      sample: Grand Hotel guest Wi-Fi
    status:
      description: The CA's status, C(ACTIVE) once the import has taken effect.
      type: str
      sample: ACTIVE
    created_at:
      description: When the CA was created, ISO 8601 in UTC.
      type: str
      sample: "2024-03-15T12:10:00Z"
    updated_at:
      description: When the CA was last changed, ISO 8601 in UTC.
      type: str
      sample: "2024-03-15T12:15:00Z"
    rotation_period:
      description: How often device certificates are rotated.
      type: dict
      contains:
        value:
          description: Number of intervals.
          type: int
          sample: 6
        interval:
          description: Unit of the value.
          type: str
          sample: MONTHS
    csr:
      description: The CA's certificate signing request as well-formed PEM.
      type: str
      sample: "-----BEGIN CERTIFICATE REQUEST-----\nMIIC...\n-----END CERTIFICATE REQUEST-----\n"
    certificate_metadata:
      description: The imported CA certificate.
      type: dict
      contains:
        certificate:
          description: The CA certificate as well-formed PEM.
          type: str
          sample: "-----BEGIN CERTIFICATE-----\nMIID...\n-----END CERTIFICATE-----\n"
        certificate_chain:
          description: The chain up to the root as well-formed PEM.
          type: str
          sample: "-----BEGIN CERTIFICATE-----\nMIID...\n-----END CERTIFICATE-----\n"
        expires_at:
          description: When the CA certificate expires, ISO 8601 in UTC; null in check mode.
          type: str
          sample: "2025-03-15T12:10:00Z"
        active_from:
          description: When the CA certificate became valid, ISO 8601 in UTC; null in check mode.
          type: str
          sample: "2024-03-15T12:10:00Z"
"""

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

from ansible_collections.asp.enterprise_wifi.plugins.module_utils._api_client import AspClient
from ansible_collections.asp.enterprise_wifi.plugins.module_utils._certificate_checks import (
    CRYPTOGRAPHY_IMPORT_ERROR,
    CRYPTOGRAPHY_REQUIREMENT,
    HAS_CRYPTOGRAPHY,
    CertificateCheckError,
    check_import,
    same_certificates,
)
from ansible_collections.asp.enterprise_wifi.plugins.module_utils._connection import (
    client_from_module,
    connection_argument_spec,
)
from ansible_collections.asp.enterprise_wifi.plugins.module_utils._errors import AspError
from ansible_collections.asp.enterprise_wifi.plugins.module_utils._module_support import (
    fail_from_error,
    reject_collections,
)
from ansible_collections.asp.enterprise_wifi.plugins.module_utils._pem import (
    PemError,
    contains_private_key,
    normalize_pem,
)
from ansible_collections.asp.enterprise_wifi.plugins.module_utils._service_contract import (
    STATUS_ACTIVE,
    STATUS_CREATING,
    STATUS_FAILED,
    STATUSES_ALLOWING_IMPORT,
)


def argument_spec() -> dict:
    return connection_argument_spec(
        id={"type": "str"},
        name={"type": "str"},
        certificate={"type": "str"},
        certificate_path={"type": "path"},
        certificate_chain={"type": "str"},
        certificate_chain_path={"type": "path"},
        wait={"type": "bool", "default": True},
        wait_timeout={"type": "int", "default": 300},
    )


def read_pem(module: AnsibleModule, option: str) -> str:
    """The option's PEM, from its text or its *_path file, well-formed; fails on bad input."""
    path = module.params[f"{option}_path"]
    if path is None:
        text = module.params[option]
    else:
        try:
            with open(path, encoding="utf-8") as pem_file:
                text = pem_file.read()
        except (OSError, UnicodeDecodeError) as error:
            module.fail_json(msg=f"Failed to read {option}_path {path}: {error}")
    source = f"{option}_path {path}" if path else option
    # Checked before parsing so that no message can ever quote a key.
    if contains_private_key(text):
        # Keeps the key out of the invocation that Ansible echoes with the failure.
        module.no_log_values.add(text)
        module.fail_json(
            msg=f"{source} contains a private key; give only certificates "
            "(the key must stay where it was made)"
        )
    try:
        return normalize_pem(text)
    except PemError as error:
        module.fail_json(msg=f"{source} is not PEM: {error}")


def ready_for_import(module: AnsibleModule, client: AspClient, certificate_authority: dict) -> dict:
    """The CA with its CSR, after waiting out CREATING when allowed; fails otherwise."""
    certificate_authority_id = certificate_authority["id"]
    if certificate_authority["status"] == STATUS_CREATING and module.params["wait"]:
        certificate_authority = client.wait_until(
            certificate_authority_id,
            STATUSES_ALLOWING_IMPORT,
            timeout=module.params["wait_timeout"],
        )
    status = certificate_authority["status"]
    if status not in STATUSES_ALLOWING_IMPORT:
        advice = (
            "wait until it is PENDING_CERTIFICATE or set wait"
            if status == STATUS_CREATING
            else "it cannot take a certificate"
        )
        module.fail_json(
            msg=f"Failed to import the certificate into certificate authority "
            f"{certificate_authority_id}: its status is {status}; {advice}",
            certificate_authority=certificate_authority,
        )
    if not certificate_authority.get("csr"):
        module.fail_json(
            msg=f"Failed to import the certificate into certificate authority "
            f"{certificate_authority_id}: the service returned no CSR to check it against",
            certificate_authority=certificate_authority,
        )
    return certificate_authority


def imported_pems(certificate_authority: dict) -> dict:
    metadata = certificate_authority.get("certificate_metadata") or {}
    return {
        "certificate": metadata.get("certificate"),
        "certificate_chain": metadata.get("certificate_chain"),
    }


def import_diff(current: dict, wanted: dict) -> dict:
    """Only the PEMs whose certificates differ as DER, so re-encoded PEM is no change."""
    before: dict = {}
    after: dict = {}
    for key, pem in wanted.items():
        if not same_certificates(current[key] or "", pem):
            before[key] = current[key]
            after[key] = pem
    return {"before": before, "after": after}


def main() -> None:
    module = AnsibleModule(
        argument_spec=argument_spec(),
        required_one_of=[
            ("id", "name"),
            ("certificate", "certificate_path"),
            ("certificate_chain", "certificate_chain_path"),
        ],
        mutually_exclusive=[
            ("id", "name"),
            ("certificate", "certificate_path"),
            ("certificate_chain", "certificate_chain_path"),
        ],
        supports_check_mode=True,
    )
    reject_collections(module, "id", "name", "certificate", "certificate_chain")
    params = module.params

    if not HAS_CRYPTOGRAPHY:
        module.fail_json(
            msg=missing_required_lib(CRYPTOGRAPHY_REQUIREMENT), exception=CRYPTOGRAPHY_IMPORT_ERROR
        )
    wanted = {
        "certificate": read_pem(module, "certificate"),
        "certificate_chain": read_pem(module, "certificate_chain"),
    }

    try:
        client = client_from_module(module)
        current = client.find_certificate_authority(
            certificate_authority_id=params["id"], name=params["name"]
        )
        if current is None:
            which = f"the id {params['id']}" if params["id"] else f"the name '{params['name']}'"
            module.fail_json(msg=f"No certificate authority has {which}")
        current = ready_for_import(module, client, current)
        certificate_authority_id = current["id"]

        try:
            check_import(wanted["certificate"], wanted["certificate_chain"], current["csr"])
        except (CertificateCheckError, PemError) as error:
            module.fail_json(
                msg=f"Failed to import the certificate into certificate authority "
                f"{certificate_authority_id}: {error}"
            )

        diff = import_diff(imported_pems(current), wanted)
        needs_import = bool(diff["after"])
        if module.check_mode:
            certificate_authority = current
            if needs_import:
                metadata = {**wanted, "expires_at": None, "active_from": None}
                certificate_authority = {
                    **current,
                    "status": STATUS_ACTIVE,
                    "certificate_metadata": metadata,
                }
        else:
            if needs_import:
                client.import_certificate(
                    certificate_authority_id, wanted["certificate"], wanted["certificate_chain"]
                )
            certificate_authority = current
            if params["wait"] and (needs_import or current["status"] != STATUS_ACTIVE):
                certificate_authority = client.wait_until(
                    certificate_authority_id,
                    (STATUS_ACTIVE,),
                    timeout=params["wait_timeout"],
                )
            elif needs_import:
                certificate_authority = (
                    client.get_certificate_authority(certificate_authority_id) or current
                )
            if certificate_authority["status"] == STATUS_FAILED:
                module.fail_json(
                    msg=f"Certificate authority {certificate_authority_id} is FAILED",
                    changed=needs_import,
                    certificate_authority=certificate_authority,
                )
    except AspError as error:
        fail_from_error(module, error)

    module.exit_json(
        changed=diff["before"] != diff["after"],
        certificate_authority=certificate_authority,
        diff=diff,
    )


if __name__ == "__main__":
    main()
