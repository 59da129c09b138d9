#!/usr/bin/python
# Copyright: asp.enterprise_wifi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import annotations

DOCUMENTATION = r"""
module: asp_certificate_authority
short_description: Create, update and delete ASP private certificate authorities
version_added: 0.1.0
description:
  - Creates, renames, changes the rotation period of, and deletes a private certificate authority
    (CA) of Alexa Smart Properties (ASP), the CA that issues the certificates Alexa devices use on
    WPA2-Enterprise (EAP-TLS) Wi-Fi.
  - A new CA starts in status C(CREATING), then waits in C(PENDING_CERTIFICATE) for a CA
    certificate signed by the RADIUS server's CA; import that with
    M(asp.enterprise_wifi.asp_ca_certificate_import).
author:
  - asp.enterprise_wifi maintainers (@asp-enterprise-wifi)
options:
  state:
    description:
      - V(present) creates the CA when no CA matches and updates the fields that differ when one
        does.
      - V(absent) deletes the CA; a CA that does not exist is not an error.
    type: str
    choices: [present, absent]
    default: present
  id:
    description:
      - The id of the CA, such as C(amzn1.alexa.enterprise.certificateAuthority.did.1).
      - When given, the CA is found by its id only, and a different O(name) renames it.
      - A CA cannot be created with a chosen id; with O(state=present) the id must exist.
      - One of O(id) and O(name) is required.
    type: str
  name:
    description:
      - The friendly name of the CA, 1 to 128 characters.
      - Without O(id), the CA is found by this name. Names are not unique in ASP, so a name that
        matches several CAs fails the task and lists their ids; set O(id) to choose one.
    type: str
  rotation_period:
    description:
      - How often ASP rotates the certificates it issues to devices under this CA.
      - Required to create a CA; when left out, an existing CA keeps its rotation period.
    type: dict
    suboptions:
      value:
        description:
          - Number of O(rotation_period.interval) units, from 1 to 12.
        type: int
        required: true
      interval:
        description:
          - Unit of O(rotation_period.value).
        type: str
        choices: [MONTHS]
        default: MONTHS
  known_missing:
    description:
      - Set it when the caller has just listed the CAs (for instance with
        M(asp.enterprise_wifi.asp_ca_info)) and found none named O(name). The module then creates
        the CA without listing the CAs again to look the name up.
      - This keeps a play that creates many CAs from listing every CA once per CA. The role
        C(asp.enterprise_wifi.ca_rollout) sets it for each property its one listing did not find.
      - The module trusts the caller. Should a CA of that name exist after all, the module
        creates a second one, which is billed too; set it only right after such a listing.
      - When a create fails without a clear answer, the module still lists the CAs and adopts a
        CA of that name that the lost create made, so a retry never makes a duplicate.
      - Only with O(name) and O(state=present), and without O(id).
    type: bool
    default: false
  certificate_authorities:
    description:
      - Several CAs in one task, each a dict of O(id), O(name), O(rotation_period) and
        O(known_missing), which mean for that CA what they mean above, and an optional
        O(certificate_authorities[].key) that its result carries back.
      - O(state), O(wait) and O(wait_timeout) apply to every CA. Up to O(concurrency) CAs are
        handled at once, and the results come back in RV(results), in the order given.
      - One task for many CAs saves a module run per CA; the role C(asp.enterprise_wifi.ca_rollout)
        creates, renames and renews every property's CA this way.
      - Every CA is checked before any API call; a CA that then fails does not stop the others,
        and the task fails naming each CA that failed.
      - Mutually exclusive with O(id), O(name), O(rotation_period) and O(known_missing).
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
      rotation_period:
        description:
          - As O(rotation_period).
        type: dict
        suboptions:
          value:
            description:
              - As O(rotation_period.value).
            type: int
            required: true
          interval:
            description:
              - As O(rotation_period.interval).
            type: str
            choices: [MONTHS]
            default: MONTHS
      known_missing:
        description:
          - As O(known_missing).
        type: bool
        default: false
  wait:
    description:
      - Wait until the CA has left status C(CREATING) before returning.
      - A CA that ends in status C(FAILED) fails the task.
    type: bool
    default: true
  wait_timeout:
    description:
      - Seconds to wait when O(wait=true).
    type: int
    default: 300
extends_documentation_fragment:
  - asp.enterprise_wifi.connection
  - asp.enterprise_wifi.connection.action_group
  - asp.enterprise_wifi.batch
attributes:
  check_mode:
    description: Reports what would change without calling the API to change anything.
    support: full
  diff_mode:
    description: Shows the fields that change, and only those.
    support: full
notes:
  - Every CA that is not C(FAILED) is billed; a CA left behind costs money. The module never creates
    a second CA when a create request fails without a clear answer (a timeout, a dropped
    connection, a 5xx error); it first looks for a CA with the name and adopts it.
  - Deleting a CA does not revoke the device certificates it issued. They stay valid until the
    RADIUS server no longer trusts the CA chain.
  - The limits on O(name) and O(rotation_period) are not published; the module assumes 1 to 128
    characters and 1 to 12 months and checks them before calling the API.
seealso:
  - module: asp.enterprise_wifi.asp_ca_info
  - module: asp.enterprise_wifi.asp_ca_certificate_import
  - module: asp.enterprise_wifi.asp_access_token
"""

EXAMPLES = r"""
- name: Make sure the property's CA exists, rotating device certificates every 6 months
  asp.enterprise_wifi.asp_certificate_authority:
    name: Grand Hotel guest Wi-Fi
    rotation_period:
      value: 6
    client_id: "{{ asp_client_id }}"
    client_secret: "{{ asp_client_secret }}"
    refresh_token: "{{ asp_refresh_token }}"
  register: asp_ca

- name: List every CA once
  asp.enterprise_wifi.asp_ca_info:
  register: asp_cas

- name: Create the CA without listing again, as the list holds no CA of that name
  asp.enterprise_wifi.asp_certificate_authority:
    name: Grand Hotel spa Wi-Fi
    rotation_period:
      value: 6
    known_missing: true
  when: >-
    asp_cas.certificate_authorities
    | selectattr('name', 'equalto', 'Grand Hotel spa Wi-Fi') | list | length == 0

- name: Create or update two hotels' CAs in one task
  asp.enterprise_wifi.asp_certificate_authority:
    certificate_authorities:
      - key: grand-hotel
        name: Grand Hotel guest Wi-Fi
        rotation_period:
          value: 6
      - key: harbour-inn
        name: Harbour Inn guest Wi-Fi
        rotation_period:
          value: 3
  register: hotel_cas

- name: Show each hotel's CA id
  ansible.builtin.debug:
    msg: "{{ item.key }}: {{ item.certificate_authority.id }}"
  loop: "{{ hotel_cas.results }}"
  loop_control:
    label: "{{ item.key }}"

- name: Rename a CA found by its id
  asp.enterprise_wifi.asp_certificate_authority:
    id: "{{ asp_ca.certificate_authority.id }}"
    name: Grand Hotel staff Wi-Fi

- name: Delete the CA
  asp.enterprise_wifi.asp_certificate_authority:
    id: "{{ asp_ca.certificate_authority.id }}"
    state: absent
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
        name: Grand Hotel guest Wi-Fi
        status: PENDING_CERTIFICATE
      diff:
        before: {}
        after:
          name: Grand Hotel guest Wi-Fi
certificate_authority:
  description:
    - The CA after the change; in check mode, the CA as it would be.
    - With O(state=absent), the CA as it was before the deletion, or an empty dict when there was
      none.
  returned: when O(certificate_authorities) is not given
  type: dict
  contains:
    id:
      description: The CA's id; null in check mode for a CA that would be created.
      type: str
      sample: amzn1.alexa.enterprise.certificateAuthority.did.1
    name:
      description: The friendly name.
      type: str
      sample: Grand Hotel guest Wi-Fi
    status:
      description:
        - One of C(CREATING), C(PENDING_CERTIFICATE), C(ACTIVE), C(EXPIRED) and C(FAILED).
        - Null in check mode for a CA that would be created.
      type: str
      sample: PENDING_CERTIFICATE
    created_at:
      description: When the CA was created, ISO 8601 in UTC.
      type: str
      sample: "2024-03-15T12:10:00Z"
    updated_at:
      description: When the CA was last changed, ISO 8601 in UTC.
      type: str
      sample: "2024-03-15T12:10:00Z"
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
      description:
        The CA's certificate signing request as well-formed PEM, once the service has made it.
      type: str
      returned: when the CA is past C(CREATING)
      sample: "-----BEGIN CERTIFICATE REQUEST-----\nMIIC...\n-----END CERTIFICATE REQUEST-----\n"
    certificate_metadata:
      description: The imported CA certificate.
      type: dict
      returned: when a certificate has been imported
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
          description: When the CA certificate expires, ISO 8601 in UTC.
          type: str
          sample: "2025-03-15T12:10:00Z"
        active_from:
          description: When the CA certificate became valid, ISO 8601 in UTC.
          type: str
          sample: "2024-03-15T12:10:00Z"
"""

from functools import partial

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.asp.enterprise_wifi.plugins.module_utils._api_client import AspClient
from ansible_collections.asp.enterprise_wifi.plugins.module_utils._batch import (
    CONCURRENCY_OPTION,
    check_concurrency,
    exit_with_results,
    run_for_each,
)
from ansible_collections.asp.enterprise_wifi.plugins.module_utils._certificate_authority import (
    check_name,
    complete_rotation_period,
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
    changed_keys_diff,
    fail_from_error,
    item_labels,
    reject_collections,
)
from ansible_collections.asp.enterprise_wifi.plugins.module_utils._service_contract import (
    STATUS_CREATING,
    STATUS_FAILED,
)

# What names one CA and what it should be: given once, or per CA in certificate_authorities.
CA_OPTIONS = ("id", "name", "rotation_period", "known_missing")


def ca_argument_spec() -> dict:
    return {
        "id": {"type": "str"},
        "name": {"type": "str"},
        "rotation_period": {
            "type": "dict",
            "options": {
                "value": {"type": "int", "required": True},
                "interval": {"type": "str", "choices": ["MONTHS"], "default": "MONTHS"},
            },
        },
        "known_missing": {"type": "bool", "default": False},
    }


def argument_spec() -> dict:
    return connection_argument_spec(
        state={"type": "str", "choices": ["present", "absent"], "default": "present"},
        **ca_argument_spec(),
        certificate_authorities={
            "type": "list",
            "elements": "dict",
            "options": {"key": {"type": "str", "no_log": False}, **ca_argument_spec()},
            "required_one_of": [("id", "name")],
        },
        concurrency=CONCURRENCY_OPTION,
        wait={"type": "bool", "default": True},
        wait_timeout={"type": "int", "default": 300},
    )


def requested_cas(module: AnsibleModule) -> list[dict]:
    """Each CA asked for, checked and completed; fails the module before any API call."""
    params = module.params
    batch = params["certificate_authorities"]
    raw_cas = batch if batch is not None else [{"key": None, **{o: params[o] for o in CA_OPTIONS}}]
    cas = []
    for label, raw in zip(item_labels(module, "certificate_authorities"), raw_cas):
        try:
            cas.append(checked_ca(raw, state=params["state"]))
        except AspError as error:
            module.fail_json(msg=f"{label}{error}")
    if params["wait_timeout"] < 0:
        module.fail_json(msg="wait_timeout must be 0 or more seconds")
    check_concurrency(module)
    return cas


def checked_ca(raw: dict, *, state: str) -> dict:
    """One CA request with its rotation period completed; raises AspError naming the problem."""
    if raw["name"] is not None:
        check_name(raw["name"])
    if raw["known_missing"]:
        check_known_missing(raw, state=state)
    return {**raw, "rotation_period": complete_rotation_period(raw["rotation_period"])}


def check_known_missing(raw: dict, *, state: str) -> None:
    """Refuse known_missing without what it vouches for: a name to create."""
    if raw["id"]:
        raise AspError(
            "known_missing cannot be used with id: it says that no CA has the name, and a CA "
            "found by id is one that exists"
        )
    if raw["name"] is None:
        raise AspError("known_missing needs name, the name no CA has")
    if state != "present":
        raise AspError("known_missing applies to state=present only")


def ensure(module: AnsibleModule, client: AspClient, requested: dict) -> dict:
    """One CA made as requested (or as it would be, in check mode); its result."""
    current = None
    if not requested["known_missing"]:
        current = client.find_certificate_authority(
            certificate_authority_id=requested["id"], name=requested["name"]
        )
    desired = {"name": requested["name"], "rotation_period": requested["rotation_period"]}
    if module.params["state"] == "absent":
        diff, certificate_authority = ensure_absent(module, client, current)
    elif current is None and requested["id"]:
        raise AspStateError(
            f"No certificate authority has the id {requested['id']}; leave out id to create "
            "one by name"
        )
    elif current is None:
        diff, certificate_authority = create(module, client, desired)
    else:
        diff, certificate_authority = update(module, client, current, desired)
    return {
        "changed": diff["before"] != diff["after"],
        "certificate_authority": certificate_authority,
        "diff": diff,
    }


def ensure_absent(
    module: AnsibleModule, client: AspClient, current: dict | None
) -> tuple[dict, dict]:
    """The diff and the CA as it was; deletes unless in check mode."""
    if current is None:
        return _diff({}, {}), {}
    if not module.check_mode:
        client.delete_certificate_authority(current["id"])
    return _diff(_managed(current), {}), current


def create(module: AnsibleModule, client: AspClient, desired: dict) -> tuple[dict, dict]:
    if desired["rotation_period"] is None:
        raise AspError(
            f"No certificate authority is named '{desired['name']}'; rotation_period is "
            "required to create it"
        )
    diff = _diff({}, dict(desired))
    if module.check_mode:
        return diff, {"id": None, "status": None, **desired}
    # The caller has just listed this name and found nothing, so no id carries it yet.
    certificate_authority_id = client.create_certificate_authority(
        desired["name"], desired["rotation_period"], known_ids=[]
    )
    return diff, settle(module, client, certificate_authority_id, changed=True)


def update(
    module: AnsibleModule, client: AspClient, current: dict, desired: dict
) -> tuple[dict, dict]:
    if current["status"] == STATUS_FAILED:
        raise AspStateError(
            f"Certificate authority {current['id']} is FAILED and cannot be used or "
            "repaired; delete it and create a new one",
            current,
        )
    diff = changed_keys_diff(_managed(current), desired)
    changes = diff["after"]
    if module.check_mode:
        return diff, {**current, **changes}
    if changes:
        client.update_certificate_authority(
            current["id"],
            name=changes.get("name"),
            rotation_period=changes.get("rotation_period"),
        )
    if changes or (current["status"] == STATUS_CREATING and module.params["wait"]):
        current = settle(module, client, current["id"], changed=bool(changes))
    return diff, current


def settle(
    module: AnsibleModule, client: AspClient, certificate_authority_id: str, *, changed: bool
) -> dict:
    """The CA once it has left CREATING (when waiting); raises if it FAILED."""
    try:
        if module.params["wait"]:
            certificate_authority = client.wait_until(
                certificate_authority_id,
                lambda ca: ca["status"] != STATUS_CREATING,
                timeout=module.params["wait_timeout"],
            )
        else:
            certificate_authority = client.get_certificate_authority(certificate_authority_id)
    except AspStateError as error:
        error.changed = changed
        raise
    if certificate_authority is None:
        raise AspStateError(
            f"Certificate authority {certificate_authority_id} disappeared", changed=changed
        )
    if certificate_authority["status"] == STATUS_FAILED:
        raise AspStateError(
            f"Certificate authority {certificate_authority_id} ended in status FAILED; "
            "ASP cannot recover it (it is not billed); delete it and try again",
            certificate_authority,
            changed=changed,
        )
    return certificate_authority


def _managed(certificate_authority: dict) -> dict:
    return {
        "name": certificate_authority.get("name"),
        "rotation_period": certificate_authority.get("rotation_period"),
    }


def _diff(before: dict, after: dict) -> dict:
    return {"before": before, "after": after}


def main() -> None:
    module = AnsibleModule(
        argument_spec=argument_spec(),
        required_one_of=[("id", "name", "certificate_authorities")],
        mutually_exclusive=[("certificate_authorities", option) for option in CA_OPTIONS],
        supports_check_mode=True,
    )
    reject_collections(module, "id", "name", within="certificate_authorities")
    requested = requested_cas(module)

    try:
        make_client = client_factory_from_module(module)
    except AspError as error:
        fail_from_error(module, error)

    results = run_for_each(
        requested,
        partial(ensure, module),
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
