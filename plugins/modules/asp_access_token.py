#!/usr/bin/python
# Copyright: asp.enterprise_wifi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import annotations

DOCUMENTATION = r"""
module: asp_access_token
short_description: Get one Login with Amazon access token for a whole play
version_added: 0.1.0
description:
  - Exchanges the Login with Amazon (LWA) refresh credentials O(client_id), O(client_secret) and
    O(refresh_token) for an access token, once, and returns it.
  - Give the token to the other modules as O(access_token), for instance through
    C(module_defaults) for C(group/asp.enterprise_wifi.asp), so that a play makes one token request
    instead of one per task.
  - Without refresh credentials there is nothing to exchange; the task then returns the
    O(access_token) it was given as RV(access_token), or null when that token came from the
    E(ASP_ACCESS_TOKEN) environment variable. Pass the result through the C(default) filter with
    C(omit), as the example does, so that each module can fall back to its own O(access_token).
  - The task's output is hidden as with C(no_log), because it holds the token; the registered
    result still carries it. A failure stays visible, as it holds no token.
author:
  - asp.enterprise_wifi maintainers (@asp-enterprise-wifi)
options: {}
extends_documentation_fragment:
  - asp.enterprise_wifi.connection
  - asp.enterprise_wifi.connection.action_group
attributes:
  action:
    description: An action plugin of the same name hides the module's result from the output.
    support: full
  check_mode:
    description: Changes nothing, so it gets the token in check mode too.
    support: full
  diff_mode:
    description: Changes nothing, so there is no diff.
    support: N/A
notes:
  - LWA access tokens live one hour. Keep the refresh credentials set on the other modules as well
    if a play can run longer; they then renew the token when the API rejects it.
  - The module never reports C(changed).
seealso:
  - module: asp.enterprise_wifi.asp_certificate_authority
"""

EXAMPLES = r"""
- name: Manage ASP CAs with one access token
  hosts: localhost
  gather_facts: false
  tasks:
    - name: Get an access token
      asp.enterprise_wifi.asp_access_token:
        client_id: "{{ asp_client_id }}"
        client_secret: "{{ asp_client_secret }}"
        refresh_token: "{{ asp_refresh_token }}"
      register: asp_token

    - name: Use it for every ASP module in the block
      module_defaults:
        group/asp.enterprise_wifi.asp:
          access_token: "{{ asp_token.access_token | default(omit, true) }}"
      block:
        - name: Read every CA
          asp.enterprise_wifi.asp_ca_info:
          register: asp_cas
"""

RETURN = r"""
access_token:
  description:
    - The LWA access token, to pass as O(access_token) to the other modules.
    - Without refresh credentials, the given O(access_token), or null when it came from the
      environment.
  returned: success
  type: str
  sample: Atza|IwEBIExample
expires_at:
  description:
    - When the token expires, ISO 8601 in UTC.
    - Null without refresh credentials.
  returned: success
  type: str
  sample: "2024-03-15T13:10:00Z"
"""

from datetime import datetime, timezone

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.asp.enterprise_wifi.plugins.module_utils._connection import (
    connection_argument_spec,
    token_source_from_module,
    transport_and_retrier_from_module,
)
from ansible_collections.asp.enterprise_wifi.plugins.module_utils._errors import AspError
from ansible_collections.asp.enterprise_wifi.plugins.module_utils._module_support import (
    fail_from_error,
)


def iso_utc(epoch_seconds: float | None) -> str | None:
    if epoch_seconds is None:
        return None
    moment = datetime.fromtimestamp(int(epoch_seconds), tz=timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def main() -> None:
    module = AnsibleModule(argument_spec=connection_argument_spec(), supports_check_mode=True)

    transport, retrier = transport_and_retrier_from_module(module)

    try:
        token_source = token_source_from_module(module, transport, retrier)
        if token_source.can_refresh:
            access_token = token_source.refresh()
            token, expires_at = access_token.token, access_token.expires_at
        else:
            # Ansible masks every value of a no_log option in results, so echoing the
            # given token would return a useless placeholder.
            token, expires_at = None, None
    except AspError as error:
        fail_from_error(module, error)

    # The module's action plugin hides this result from the output.
    module.exit_json(changed=False, access_token=token, expires_at=iso_utc(expires_at))


if __name__ == "__main__":
    main()
