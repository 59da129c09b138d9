#!/usr/bin/python
# Copyright: asp.enterprise_wifi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import annotations

DOCUMENTATION = r"""
module: asp_ca_info
short_description: Read ASP private certificate authorities
version_added: 0.1.0
description:
  - Returns one private certificate authority (CA) of Alexa Smart Properties, found by O(id) or
    O(name), or every CA of the caller, reading all pages of the list.
  - With O(expand=all), each CA carries its certificate signing request (CSR) and the metadata of
    its imported certificate, as well-formed PEM.
author:
  - asp.enterprise_wifi maintainers (@asp-enterprise-wifi)
options:
  id:
    description:
      - The id of the CA to return.
      - Mutually exclusive with O(name). With neither, every CA is returned.
    type: str
  name:
    description:
      - The friendly name of the CAs to return. Names are not unique, so this can return several.
      - Mutually exclusive with O(id).
    type: str
  expand:
    description:
      - V(all) includes each CA's CSR and certificate metadata; V(none) leaves them out.
    type: str
    choices: [all, none]
    default: all
extends_documentation_fragment:
  - asp.enterprise_wifi.connection
  - asp.enterprise_wifi.connection.action_group
attributes:
  check_mode:
    description: Reads only, so it runs the same in check mode.
    support: full
  diff_mode:
    description: Changes nothing, so there is no diff.
    support: N/A
notes:
  - A CA that does not exist (unknown O(id), or no CA with the O(name)) gives an empty list, not an
    error.
seealso:
  - module: asp.enterprise_wifi.asp_certificate_authority
"""

EXAMPLES = r"""
- name: Read every CA of the integration
  asp.enterprise_wifi.asp_ca_info:
  register: asp_cas

- name: Show each CA's status
  ansible.builtin.debug:
    msg: "{{ item.name }} ({{ item.id }}) is {{ item.status }}"
  loop: "{{ asp_cas.certificate_authorities }}"
  loop_control:
    label: "{{ item.id }}"

- name: Get the CSR of the property's CA
  asp.enterprise_wifi.asp_ca_info:
    name: Grand Hotel guest Wi-Fi
  register: asp_ca

- name: Save the CSR for the RADIUS CA to sign
  ansible.builtin.copy:
    content: "{{ asp_ca.certificate_authorities[0].csr }}"
    dest: /etc/freeradius/3.0/certs/asp-ca.csr
    mode: "0644"
  when: asp_ca.certificate_authorities[0].csr is defined
"""

RETURN = r"""
certificate_authorities:
  description: The matching CAs; an empty list when none matches.
  returned: always
  type: list
  elements: dict
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
      description: One of C(CREATING), C(PENDING_CERTIFICATE), C(ACTIVE), C(EXPIRED) and C(FAILED).
      type: str
      sample: ACTIVE
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
      description: The CA's certificate signing request as well-formed PEM.
      type: str
      returned: with O(expand=all), once the CA is past C(CREATING)
      sample: "-----BEGIN CERTIFICATE REQUEST-----\nMIIC...\n-----END CERTIFICATE REQUEST-----\n"
    certificate_metadata:
      description: The imported CA certificate.
      type: dict
      returned: with O(expand=all), when a certificate has been imported
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

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.asp.enterprise_wifi.plugins.module_utils._api_client import AspClient
from ansible_collections.asp.enterprise_wifi.plugins.module_utils._connection import (
    client_from_module,
    connection_argument_spec,
)
from ansible_collections.asp.enterprise_wifi.plugins.module_utils._errors import AspError
from ansible_collections.asp.enterprise_wifi.plugins.module_utils._module_support import (
    fail_from_error,
    reject_collections,
)


def argument_spec() -> dict:
    return connection_argument_spec(
        id={"type": "str"},
        name={"type": "str"},
        expand={"type": "str", "choices": ["all", "none"], "default": "all"},
    )


def read(client: AspClient, params: dict) -> list[dict]:
    expand = params["expand"] == "all"
    if params["id"]:
        found = client.get_certificate_authority(params["id"], expand=expand)
        return [found] if found else []
    certificate_authorities = client.list_certificate_authorities(expand=expand)
    if params["name"] is not None:
        return [ca for ca in certificate_authorities if ca["name"] == params["name"]]
    return certificate_authorities


def main() -> None:
    module = AnsibleModule(
        argument_spec=argument_spec(),
        mutually_exclusive=[("id", "name")],
        supports_check_mode=True,
    )
    reject_collections(module, "id", "name")

    try:
        client = client_from_module(module)
        certificate_authorities = read(client, module.params)
    except AspError as error:
        fail_from_error(module, error)

    module.exit_json(changed=False, certificate_authorities=certificate_authorities)


if __name__ == "__main__":
    main()
