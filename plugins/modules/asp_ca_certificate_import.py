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
  certificate_authorities:
    description:
      - Imports into several CAs in one task, each given as a dict of O(id) or O(name),
        O(certificate) or O(certificate_path), and O(certificate_chain) or
        O(certificate_chain_path), which mean for that CA what they mean above, and an optional
        O(certificate_authorities[].key) that its result carries back.
      - O(wait) and O(wait_timeout) apply to every CA. Up to O(concurrency) CAs are handled at
        once, and the results come back in RV(results), in the order given.
      - Every certificate and chain is read and checked for private keys before any API call;
        a CA that then fails does not stop the others, and the task fails naming each CA that
        failed.
      - Mutually exclusive with the options above that name one CA or its certificates.
    type: list
    elements: dict
    suboptions:
      key:
        description:
          - A label of the caller's, such as the inventory host the CA belongs to; returned
            unchanged in the CA's result and used in messages.
        type: str
      id:
        description:
          - As O(id).
        type: str
      name:
        description:
          - As O(name).
        type: str
      certificate:
        description:
          - As O(certificate).
        type: str
      certificate_path:
        description:
          - As O(certificate_path).
        type: path
      certificate_chain:
        description:
          - As O(certificate_chain).
        type: str
      certificate_chain_path:
        description:
          - As O(certificate_chain_path).
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
  - asp.enterprise_wifi.batch
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

- name: Import the certificates of two hotels' CAs in one task
  asp.enterprise_wifi.asp_ca_certificate_import:
    certificate_authorities:
      - key: grand-hotel
        id: "{{ grand_hotel_ca_id }}"
        certificate_path: /etc/freeradius/3.0/certs/asp/grand-hotel.pem
        certificate_chain_path: /etc/freeradius/3.0/certs/ca.pem
      - key: harbour-inn
        id: "{{ harbour_inn_ca_id }}"
        certificate_path: /etc/freeradius/3.0/certs/asp/harbour-inn.pem
        certificate_chain_path: /etc/freeradius/3.0/certs/ca.pem

- name: Import certificate and chain given as text
  asp.enterprise_wifi.asp_ca_certificate_import:
    id: "{{ asp_ca.certificate_authority.id }}"
    certificate: "{{ signed.certificate }}"
    certificate_chain: "{{ lookup('ansible.builtin.file', 'radius-ca.pem') }}"
"""

RETURN = r"""
results:
  description:
    - With O(certificate_authorities), one result per CA in the order given.
    - Each holds C(key), C(changed), C(diff) and RV(certificate_authority) as the module returns
      them for one CA, or C(failed) and C(msg) for a CA that failed.
  returned: when O(certificate_authorities) is given
  type: list
  elements: dict
  sample:
    - key: grand-hotel
      changed: true
      certificate_authority:
        id: amzn1.alexa.enterprise.certificateAuthority.did.1
        status: ACTIVE
certificate_authority:
  description: The CA after the import; in check mode, the CA as it would be.
  returned: success, when O(certificate_authorities) is not given
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

from functools import partial

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

from ansible_collections.asp.enterprise_wifi.plugins.module_utils._api_client import AspClient
from ansible_collections.asp.enterprise_wifi.plugins.module_utils._batch import (
    CONCURRENCY_OPTION,
    check_concurrency,
    exit_with_results,
    run_for_each,
)
from ansible_collections.asp.enterprise_wifi.plugins.module_utils._certificate_checks import (
    CRYPTOGRAPHY_IMPORT_ERROR,
    CRYPTOGRAPHY_REQUIREMENT,
    HAS_CRYPTOGRAPHY,
    CertificateCheckError,
    check_import,
    same_certificates,
)
from ansible_collections.asp.enterprise_wifi.plugins.module_utils._connection import (
    client_factory_from_module,
    connection_argument_spec,
)
from ansible_collections.asp.enterprise_wifi.plugins.module_utils._errors import (
    AspError,
    AspStateError,
)
from ansible_collections.asp.enterprise_wifi.plugins.module_utils._module_support import (
    fail_from_error,
    item_labels,
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

# What names one CA and what to import into it: given once, or per CA in
# certificate_authorities.
IMPORT_OPTIONS = (
    "id",
    "name",
    "certificate",
    "certificate_path",
    "certificate_chain",
    "certificate_chain_path",
)
EXCLUSIVE_PAIRS = [
    ("id", "name"),
    ("certificate", "certificate_path"),
    ("certificate_chain", "certificate_chain_path"),
]


def import_argument_spec() -> dict:
    return {
        "id": {"type": "str"},
        "name": {"type": "str"},
        "certificate": {"type": "str"},
        "certificate_path": {"type": "path"},
        "certificate_chain": {"type": "str"},
        "certificate_chain_path": {"type": "path"},
    }


def argument_spec() -> dict:
    return connection_argument_spec(
        **import_argument_spec(),
        certificate_authorities={
            "type": "list",
            "elements": "dict",
            "options": {"key": {"type": "str", "no_log": False}, **import_argument_spec()},
            "required_one_of": EXCLUSIVE_PAIRS,
            "mutually_exclusive": EXCLUSIVE_PAIRS,
        },
        concurrency=CONCURRENCY_OPTION,
        wait={"type": "bool", "default": True},
        wait_timeout={"type": "int", "default": 300},
    )


def requested_imports(module: AnsibleModule) -> list[dict]:
    """Each import asked for, with its PEM read and checked; fails before any API call."""
    params = module.params
    batch = params["certificate_authorities"]
    raw_imports = (
        batch if batch is not None else [{"key": None, **{o: params[o] for o in IMPORT_OPTIONS}}]
    )
    imports = []
    for label, raw in zip(item_labels(module, "certificate_authorities"), raw_imports):
        wanted = {
            "certificate": read_pem(module, raw, "certificate", label),
            "certificate_chain": read_pem(module, raw, "certificate_chain", label),
        }
        imports.append({"key": raw["key"], "id": raw["id"], "name": raw["name"], **wanted})
    check_concurrency(module)
    return imports


def read_pem(module: AnsibleModule, raw: dict, option: str, label: str) -> str:
    """The option's PEM, from its text or its *_path file, well-formed; fails on bad input."""
    path = raw[f"{option}_path"]
    if path is None:
        text = raw[option]
    else:
        try:
            with open(path, encoding="utf-8") as pem_file:
                text = pem_file.read()
        except (OSError, UnicodeDecodeError) as error:
            module.fail_json(msg=f"{label}Failed to read {option}_path {path}: {error}")
    source = f"{label}{option}_path {path}" if path else f"{label}{option}"
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


def ensure_imported(module: AnsibleModule, client: AspClient, requested: dict) -> dict:
    """The certificate and chain imported into one CA unless it holds them; its result."""
    wanted = {
        "certificate": requested["certificate"],
        "certificate_chain": requested["certificate_chain"],
    }
    current = client.find_certificate_authority(
        certificate_authority_id=requested["id"], name=requested["name"]
    )
    if current is None:
        which = (
            f"the id {requested['id']}" if requested["id"] else f"the name '{requested['name']}'"
        )
        raise AspStateError(f"No certificate authority has {which}")
    current = ready_for_import(module, client, current)
    certificate_authority_id = current["id"]

    try:
        check_import(wanted["certificate"], wanted["certificate_chain"], current["csr"])
    except (CertificateCheckError, PemError) as error:
        raise AspError(
            f"Failed to import the certificate into certificate authority "
            f"{certificate_authority_id}: {error}"
        ) from None

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
        certificate_authority = settle(module, client, current, changed=needs_import)
    return {
        "changed": diff["before"] != diff["after"],
        "certificate_authority": certificate_authority,
        "diff": diff,
    }


def ready_for_import(module: AnsibleModule, client: AspClient, certificate_authority: dict) -> dict:
    """The CA with its CSR, after waiting out CREATING when allowed; raises otherwise."""
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
        raise AspStateError(
            f"Failed to import the certificate into certificate authority "
            f"{certificate_authority_id}: its status is {status}; {advice}",
            certificate_authority,
        )
    if not certificate_authority.get("csr"):
        raise AspStateError(
            f"Failed to import the certificate into certificate authority "
            f"{certificate_authority_id}: the service returned no CSR to check it against",
            certificate_authority,
        )
    return certificate_authority


def settle(module: AnsibleModule, client: AspClient, current: dict, *, changed: bool) -> dict:
    """The CA after an import, once ACTIVE when waiting; raises if it is FAILED."""
    certificate_authority_id = current["id"]
    certificate_authority = current
    try:
        if module.params["wait"] and (changed or current["status"] != STATUS_ACTIVE):
            certificate_authority = client.wait_until(
                certificate_authority_id,
                (STATUS_ACTIVE,),
                timeout=module.params["wait_timeout"],
            )
        elif changed:
            certificate_authority = (
                client.get_certificate_authority(certificate_authority_id) or current
            )
    except AspStateError as error:
        error.changed = changed
        raise
    if certificate_authority["status"] == STATUS_FAILED:
        raise AspStateError(
            f"Certificate authority {certificate_authority_id} is FAILED",
            certificate_authority,
            changed=changed,
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
        required_one_of=[(*pair, "certificate_authorities") for pair in EXCLUSIVE_PAIRS],
        mutually_exclusive=EXCLUSIVE_PAIRS
        + [("certificate_authorities", option) for option in IMPORT_OPTIONS],
        supports_check_mode=True,
    )
    reject_collections(
        module, "id", "name", "certificate", "certificate_chain", within="certificate_authorities"
    )
    if not HAS_CRYPTOGRAPHY:
        module.fail_json(
            msg=missing_required_lib(CRYPTOGRAPHY_REQUIREMENT), exception=CRYPTOGRAPHY_IMPORT_ERROR
        )
    requested = requested_imports(module)

    try:
        make_client = client_factory_from_module(module)
    except AspError as error:
        fail_from_error(module, error)

    results = run_for_each(
        requested,
        partial(ensure_imported, module),
        make_client=make_client,
        concurrency=module.params["concurrency"],
    )
    exit_with_results(
        module,
        results,
        batch=module.params["certificate_authorities"] is not None,
        thing="certificate authorities",
    )


if __name__ == "__main__":
    main()
