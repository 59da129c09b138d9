# Copyright: asp.enterprise_wifi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every fact about the ASP service that the collection relies on, in one place.

The published reference leaves many details open. What it states is marked
"documented"; everything else is an assumption taken from Amazon's asp-cli or
from AWS Private CA. Correct a value here when the real service disagrees.
"""

from __future__ import annotations

from urllib.parse import quote

# Documented.
DEFAULT_API_URL = "https://api.amazonalexa.com"
DEFAULT_LWA_TOKEN_URL = "https://api.amazon.com/auth/o2/token"

# Documented; asp-cli uses the same paths.
CERTIFICATE_AUTHORITIES_PATH = "/v1/enterprise/certificateAuthorities"
# Older copies of the reference end the create path with "/"; both reach the service.
CREATE_PATH = CERTIFICATE_AUTHORITIES_PATH


def certificate_authority_path(certificate_authority_id: str) -> str:
    """Path of one CA; the id is opaque, so it is percent-encoded."""
    return f"{CERTIFICATE_AUTHORITIES_PATH}/{quote(certificate_authority_id, safe='')}"


def import_certificate_path(certificate_authority_id: str) -> str:
    return f"{certificate_authority_path(certificate_authority_id)}/importCertificate"


# Documented: "expand=all" is the only value. Without it csr and
# certificateMetadata are assumed to be left out.
EXPAND_ALL = "all"

# Documented (ASP pagination convention): 0 < maxResults <= 10. The default is assumed.
PAGE_SIZE = 10
MAX_PAGE_SIZE = 10
# Documented: "certificateAuthorities"; asp-cli reads "results".
LIST_ARRAY_NAMES = ("certificateAuthorities", "results")
PAGINATION_CONTEXT = "paginationContext"
NEXT_TOKEN = "nextToken"

# Assumed, named as in AWS Private CA, whose status table matches the reference row for row.
STATUS_CREATING = "CREATING"
STATUS_PENDING_CERTIFICATE = "PENDING_CERTIFICATE"
STATUS_ACTIVE = "ACTIVE"
STATUS_EXPIRED = "EXPIRED"
STATUS_FAILED = "FAILED"
STATUSES = (
    STATUS_CREATING,
    STATUS_PENDING_CERTIFICATE,
    STATUS_ACTIVE,
    STATUS_EXPIRED,
    STATUS_FAILED,
)
# Documented in the status table: the CSR can be read and a certificate imported.
STATUSES_ALLOWING_IMPORT = (STATUS_PENDING_CERTIFICATE, STATUS_ACTIVE, STATUS_EXPIRED)
STATUSES_WITH_CSR = STATUSES_ALLOWING_IMPORT

# Documented: PLAIN is the only friendly name type. The length limit is assumed.
FRIENDLY_NAME_TYPE = "PLAIN"
NAME_MIN_LENGTH = 1
NAME_MAX_LENGTH = 128

# Documented: MONTHS. asp-cli accepts only 6 or 12; the service's range is assumed.
ROTATION_INTERVALS = ("MONTHS",)
DEFAULT_ROTATION_INTERVAL = "MONTHS"
ROTATION_VALUE_MIN = 1
ROTATION_VALUE_MAX = 12

# Documented for 429, 500 and 503; 502 and 504 come from proxies in front of the service.
RETRYABLE_STATUSES = frozenset({429, 500, 502, 503, 504})
# Documented: "two to three second gaps for retries of CA creation".
CREATE_RETRY_MIN_GAP_SECONDS = 2.0

# Documented: only BAD_REQUEST is shown; the other names are assumed.
ERROR_BAD_REQUEST = "BAD_REQUEST"
ERROR_INVALID_STATE = "INVALID_STATE"
ERROR_UNAUTHORIZED = "UNAUTHORIZED"
ERROR_FORBIDDEN = "FORBIDDEN"
ERROR_NOT_FOUND = "NOT_FOUND"
ERROR_TOO_MANY_REQUESTS = "TOO_MANY_REQUESTS"
ERROR_INTERNAL_FAILURE = "INTERNAL_FAILURE"
ERROR_SERVICE_UNAVAILABLE = "SERVICE_UNAVAILABLE"
ERROR_TYPES = (
    ERROR_BAD_REQUEST,
    ERROR_INVALID_STATE,
    ERROR_UNAUTHORIZED,
    ERROR_FORBIDDEN,
    ERROR_NOT_FOUND,
    ERROR_TOO_MANY_REQUESTS,
    ERROR_INTERNAL_FAILURE,
    ERROR_SERVICE_UNAVAILABLE,
)

# Assumed: Amazon front ends name the request id in one of these headers.
REQUEST_ID_HEADERS = ("x-amzn-RequestId", "x-amz-request-id", "x-amzn-request-id", "x-request-id")

# Documented by LWA: access tokens live 3600 s; asp-cli refreshes 60 s early.
ACCESS_TOKEN_LIFETIME_SECONDS = 3600
ACCESS_TOKEN_REFRESH_MARGIN_SECONDS = 60
LWA_GRANT_TYPE = "refresh_token"
