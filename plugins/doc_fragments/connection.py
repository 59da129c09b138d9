# Copyright: asp.enterprise_wifi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import annotations


class ModuleDocFragment:
    # The options every module that calls the ASP API shares.
    DOCUMENTATION = r"""
options:
  api_url:
    description:
      - Base URL of the ASP API.
      - Europe (UK, FR, DE, IT, ES) uses U(https://api.eu.amazonalexa.com).
      - If not set, the value of the E(ASP_API_URL) environment variable is used.
    type: str
    default: https://api.amazonalexa.com
  access_token:
    description:
      - A Login with Amazon access token (C(Atza|...)) with the scopes
        C(alexa::enterprise:management) and C(credential_locker::wifi_management).
      - Give either O(access_token), or O(client_id), O(client_secret) and O(refresh_token),
        or both; with both, the access token is used first and replaced through the refresh
        credentials when the API rejects it.
      - Use M(asp.enterprise_wifi.asp_access_token) to get one token for a whole play.
      - If not set, the value of the E(ASP_ACCESS_TOKEN) environment variable is used.
    type: str
  client_id:
    description:
      - Login with Amazon client id of the ASP integration.
      - If not set, the value of the E(ASP_CLIENT_ID) environment variable is used.
    type: str
  client_secret:
    description:
      - Login with Amazon client secret of the ASP integration.
      - If not set, the value of the E(ASP_CLIENT_SECRET) environment variable is used.
    type: str
  refresh_token:
    description:
      - Login with Amazon refresh token (C(Atzr|...)) from the integration's
        authorization-code grant.
      - If not set, the value of the E(ASP_REFRESH_TOKEN) environment variable is used.
    type: str
  lwa_token_url:
    description:
      - Login with Amazon token endpoint where refresh credentials are exchanged for an
        access token.
      - If not set, the value of the E(ASP_LWA_TOKEN_URL) environment variable is used.
    type: str
    default: https://api.amazon.com/auth/o2/token
  validate_certs:
    description:
      - Whether to verify the TLS certificates of O(api_url) and O(lwa_token_url).
      - Set to V(false) only against a test service; the module warns when it is.
      - If not set, the value of the E(ASP_VALIDATE_CERTS) environment variable is used.
    type: bool
    default: true
  ca_path:
    description:
      - File or directory of CA certificates (PEM) to verify the endpoints with, instead of
        the ones C(requests) trusts by default.
      - If not set, the value of the E(ASP_CA_PATH) environment variable is used.
    type: path
  timeout:
    description:
      - Seconds to wait for each HTTP answer.
    type: float
    default: 30
  retries:
    description:
      - How many times to retry a call that failed with HTTP 429, 500, 502, 503 or 504, or
        without an answer.
      - Retries wait with exponential back-off and jitter, at least as long as the
        C(Retry-After) header asks and at least 2 seconds between attempts to create a CA;
        all retries of one call wait 120 seconds at most.
    type: int
    default: 5
requirements:
  - python >= 3.9
  - requests >= 2.25
notes:
  - Each call sends the access token as a bearer token in the C(Authorization) header; a call
    rejected with HTTP 401 is repeated once with a new token when refresh credentials are set.
  - Error messages name the operation, the HTTP status, the error type and the request id, and
    never hold a token or secret.
"""

    ACTION_GROUP = r"""
attributes:
  action_group:
    description: Use C(group/asp.enterprise_wifi.asp) in C(module_defaults) to set the options
      of this module.
    support: full
    membership:
      - asp.enterprise_wifi.asp
"""
