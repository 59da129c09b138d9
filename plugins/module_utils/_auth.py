# Copyright: asp.enterprise_wifi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Bearer access tokens: a given one, or one exchanged from LWA refresh credentials."""

from __future__ import annotations

import threading
import time
from typing import Callable

from ansible_collections.asp.enterprise_wifi.plugins.module_utils._errors import (
    AspAuthError,
    AspError,
)
from ansible_collections.asp.enterprise_wifi.plugins.module_utils._http import (
    HttpTransport,
    TransportError,
)
from ansible_collections.asp.enterprise_wifi.plugins.module_utils._retries import Retrier
from ansible_collections.asp.enterprise_wifi.plugins.module_utils._service_contract import (
    ACCESS_TOKEN_LIFETIME_SECONDS,
    ACCESS_TOKEN_REFRESH_MARGIN_SECONDS,
    LWA_GRANT_TYPE,
)

TOKEN_OPERATION = "get an access token from Login with Amazon"
_REFRESH_OPTIONS = ("client_id", "client_secret", "refresh_token")


class AccessToken:
    """A bearer token and when it stops working (seconds since the epoch, or None if unknown)."""

    def __init__(self, token: str, expires_at: float | None) -> None:
        self.token = token
        self.expires_at = expires_at

    def __repr__(self) -> str:
        return f"AccessToken(token=<hidden>, expires_at={self.expires_at!r})"


class TokenSource:
    """Hands out the bearer token for each request and renews it when it can.

    A given access token is used as is; with refresh credentials as well, a
    rejected or soon-expiring token is replaced by exchanging them with LWA.
    """

    def __init__(
        self,
        *,
        transport: HttpTransport,
        retrier: Retrier,
        token_url: str,
        access_token: str | None = None,
        client_id: str | None = None,
        client_secret: str | None = None,
        refresh_token: str | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        check_credentials(
            access_token=access_token,
            client_id=client_id,
            client_secret=client_secret,
            refresh_token=refresh_token,
        )
        self._transport = transport
        self._retrier = retrier
        self._token_url = token_url
        self._client_id = client_id
        self._client_secret = client_secret
        self._refresh_token = refresh_token
        self._clock = clock
        self._current = AccessToken(access_token, None) if access_token else None
        self.exchanges = 0
        # A module that handles several CAs at once shares one token source between threads.
        self._lock = threading.Lock()

    @property
    def can_refresh(self) -> bool:
        return bool(self._client_id and self._client_secret and self._refresh_token)

    def bearer(self) -> str:
        """The token to send now, exchanging refresh credentials if there is none yet."""
        with self._lock:
            if self._current is None or self._expiring(self._current):
                return self._renew().token
            return self._current.token

    def refresh(self, rejected: str | None = None) -> AccessToken:
        """Replace the current token with a new one from LWA.

        Given the token the service ``rejected``, a token another thread has renewed since
        is kept, so that concurrent rejections cost one exchange.
        """
        with self._lock:
            if rejected is not None and self._current and self._current.token != rejected:
                return self._current
            return self._renew()

    def _renew(self) -> AccessToken:
        if not self.can_refresh:
            raise AspError(
                "The access token was rejected and cannot be renewed: set client_id, "
                "client_secret and refresh_token to let the modules get new tokens"
            )
        self._current = self._retrier.run(self._exchange_once)
        return self._current

    def _expiring(self, token: AccessToken) -> bool:
        if token.expires_at is None or not self.can_refresh:
            return False
        return self._clock() >= token.expires_at - ACCESS_TOKEN_REFRESH_MARGIN_SECONDS

    def _exchange_once(self) -> AccessToken:
        self.exchanges += 1
        form = {
            "grant_type": LWA_GRANT_TYPE,
            "client_id": self._client_id or "",
            "client_secret": self._client_secret or "",
            "refresh_token": self._refresh_token or "",
        }
        started = self._clock()
        try:
            answer = self._transport.request("POST", self._token_url, form=form)
        except TransportError as error:
            raise AspAuthError(
                TOKEN_OPERATION, reason=error.reason, maybe_sent=error.maybe_sent
            ) from None
        body = answer.json()
        if answer.status != 200:
            details = body if isinstance(body, dict) else {}
            raise AspAuthError(
                TOKEN_OPERATION,
                status=answer.status,
                error_type=_text(details.get("error")),
                service_message=_text(details.get("error_description")),
                request_id=answer.request_id,
                reason=None if details else answer.describe_body(),
                retry_after=answer.retry_after,
            )
        if not isinstance(body, dict) or not isinstance(body.get("access_token"), str):
            raise AspAuthError(
                TOKEN_OPERATION,
                status=answer.status,
                request_id=answer.request_id,
                reason=f"the answer holds no access_token ({answer.describe_body()})",
            )
        lifetime = body.get("expires_in", ACCESS_TOKEN_LIFETIME_SECONDS)
        if not isinstance(lifetime, (int, float)) or isinstance(lifetime, bool):
            lifetime = ACCESS_TOKEN_LIFETIME_SECONDS
        return AccessToken(body["access_token"], started + float(lifetime))


def check_credentials(
    *,
    access_token: str | None,
    client_id: str | None,
    client_secret: str | None,
    refresh_token: str | None,
) -> None:
    """Fail with the names of what is missing; never with any value."""
    given = {
        "client_id": client_id,
        "client_secret": client_secret,
        "refresh_token": refresh_token,
    }
    missing = [name for name in _REFRESH_OPTIONS if not given[name]]
    if access_token:
        if 0 < len(missing) < len(_REFRESH_OPTIONS):
            raise AspError(
                "Incomplete refresh credentials: also set "
                + ", ".join(missing)
                + " or leave out all of client_id, client_secret and refresh_token"
            )
        return
    if len(missing) == len(_REFRESH_OPTIONS):
        raise AspError(
            "No credentials for the ASP API: set access_token (ASP_ACCESS_TOKEN), or "
            "client_id, client_secret and refresh_token (ASP_CLIENT_ID, ASP_CLIENT_SECRET, "
            "ASP_REFRESH_TOKEN)"
        )
    if missing:
        raise AspError(
            "Incomplete refresh credentials: also set "
            + ", ".join(missing)
            + " (or give access_token instead)"
        )


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None
