# Copyright: asp.enterprise_wifi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The connection options every API module shares, and the client built from them.

The options are documented once, in the asp.enterprise_wifi.connection doc fragment.
"""

from __future__ import annotations

import copy
from typing import Any, Callable

from ansible.module_utils.basic import AnsibleModule, env_fallback, missing_required_lib

from ansible_collections.asp.enterprise_wifi.plugins.module_utils._api_client import AspClient
from ansible_collections.asp.enterprise_wifi.plugins.module_utils._auth import TokenSource
from ansible_collections.asp.enterprise_wifi.plugins.module_utils._http import (
    HAS_REQUESTS,
    REQUESTS_IMPORT_ERROR,
    HttpTransport,
)
from ansible_collections.asp.enterprise_wifi.plugins.module_utils._retries import (
    Retrier,
    RetryPolicy,
)
from ansible_collections.asp.enterprise_wifi.plugins.module_utils._service_contract import (
    DEFAULT_API_URL,
    DEFAULT_LWA_TOKEN_URL,
)

CONNECTION_ARGUMENT_SPEC: dict[str, dict[str, Any]] = {
    "api_url": {
        "type": "str",
        "default": DEFAULT_API_URL,
        "fallback": (env_fallback, ["ASP_API_URL"]),
    },
    "access_token": {
        "type": "str",
        "no_log": True,
        "fallback": (env_fallback, ["ASP_ACCESS_TOKEN"]),
    },
    "client_id": {"type": "str", "fallback": (env_fallback, ["ASP_CLIENT_ID"])},
    "client_secret": {
        "type": "str",
        "no_log": True,
        "fallback": (env_fallback, ["ASP_CLIENT_SECRET"]),
    },
    "refresh_token": {
        "type": "str",
        "no_log": True,
        "fallback": (env_fallback, ["ASP_REFRESH_TOKEN"]),
    },
    "lwa_token_url": {
        "type": "str",
        "no_log": False,
        "default": DEFAULT_LWA_TOKEN_URL,
        "fallback": (env_fallback, ["ASP_LWA_TOKEN_URL"]),
    },
    "validate_certs": {
        "type": "bool",
        "default": True,
        "fallback": (env_fallback, ["ASP_VALIDATE_CERTS"]),
    },
    "ca_path": {"type": "path", "fallback": (env_fallback, ["ASP_CA_PATH"])},
    "timeout": {"type": "float", "default": 30},
    "retries": {"type": "int", "default": 5},
}

CONNECTION_OPTIONS = tuple(CONNECTION_ARGUMENT_SPEC)


def connection_argument_spec(**module_options: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """A fresh copy of the connection options, with a module's own options added."""
    spec = copy.deepcopy(CONNECTION_ARGUMENT_SPEC)
    spec.update(module_options)
    return spec


def require_requests(module: AnsibleModule) -> None:
    if not HAS_REQUESTS:
        module.fail_json(msg=missing_required_lib("requests"), exception=REQUESTS_IMPORT_ERROR)


def check_connection_options(module: AnsibleModule) -> str | None:
    """A message for a connection option out of range, or None."""
    if module.params["timeout"] <= 0:
        return "timeout must be more than 0 seconds"
    if module.params["retries"] < 0:
        return "retries must be 0 or more"
    for option in ("api_url", "lwa_token_url"):
        if not module.params[option].startswith(("https://", "http://")):
            return f"{option} must be an http:// or https:// URL"
    return None


def token_source_from_module(
    module: AnsibleModule, transport: HttpTransport, retrier: Retrier
) -> TokenSource:
    params = module.params
    return TokenSource(
        transport=transport,
        retrier=retrier,
        token_url=params["lwa_token_url"],
        access_token=params["access_token"],
        client_id=params["client_id"],
        client_secret=params["client_secret"],
        refresh_token=params["refresh_token"],
    )


def transport_and_retrier_from_module(module: AnsibleModule) -> tuple[HttpTransport, Retrier]:
    """Fails the module when requests is missing or an option is out of range."""
    require_requests(module)
    problem = check_connection_options(module)
    if problem:
        module.fail_json(msg=problem)
    if not module.params["validate_certs"]:
        module.warn(
            "validate_certs is false: the identity of the ASP API and Login with Amazon "
            "endpoints is not checked, and tokens could be sent to an impostor"
        )
    retrier = Retrier(RetryPolicy(retries=module.params["retries"]), log=module.log)
    return transport_from_module(module), retrier


def transport_from_module(module: AnsibleModule) -> HttpTransport:
    params = module.params
    return HttpTransport(
        timeout=params["timeout"],
        validate_certs=params["validate_certs"],
        ca_path=params["ca_path"],
    )


def client_factory_from_module(module: AnsibleModule) -> Callable[[], AspClient]:
    """Makes API clients that share one token source, each with its own HTTP session.

    A session is not safe to share between threads; the token source is, so that many CAs
    handled at once still cost one token exchange. Raises AspError for bad credentials.
    """
    transport, retrier = transport_and_retrier_from_module(module)
    token_source = token_source_from_module(module, transport, retrier)

    def make_client() -> AspClient:
        return AspClient(
            api_url=module.params["api_url"],
            transport=transport_from_module(module),
            token_source=token_source,
            retrier=retrier,
            log=module.log,
        )

    return make_client


def client_from_module(module: AnsibleModule) -> AspClient:
    """The API client for a module's connection options; raises AspError for bad credentials."""
    return client_factory_from_module(module)()
