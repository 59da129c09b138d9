"""Opaque LWA access tokens: issued, remembered (hashed) and checked on every call."""

from __future__ import annotations

import hashlib
import secrets
import threading
from dataclasses import dataclass

from asp_emulator.clock import EmulatorClock
from asp_emulator.errors import forbidden, unauthorized
from asp_emulator.store import EmulatorStore

MANAGEMENT_SCOPE = "alexa::enterprise:management"
WIFI_SCOPE = "credential_locker::wifi_management"
REQUIRED_SCOPES = (MANAGEMENT_SCOPE, WIFI_SCOPE)


@dataclass(frozen=True)
class _Grant:
    scopes: frozenset[str]
    expires_at: float


def _digest(access_token: str) -> str:
    return hashlib.sha256(access_token.encode("utf-8", "surrogatepass")).hexdigest()


class AccessTokenRegistry:
    """Tokens live in memory for speed and in the store so a restart keeps them valid."""

    def __init__(self, store: EmulatorStore, clock: EmulatorClock) -> None:
        self._store = store
        self._clock = clock
        self._lock = threading.Lock()
        self._grants = {
            token_hash: _Grant(frozenset(filter(None, scopes.split(" "))), expires_at)
            for token_hash, scopes, expires_at in store.access_tokens()
        }

    def issue(self, scopes: list[str], lifetime_seconds: float) -> str:
        access_token = f"Atza|{secrets.token_urlsafe(48)}"
        grant = _Grant(frozenset(scopes), self._clock.now() + lifetime_seconds)
        token_hash = _digest(access_token)
        self._store.insert_access_token(token_hash, " ".join(sorted(scopes)), grant.expires_at)
        with self._lock:
            self._grants[token_hash] = grant
        return access_token

    def authorize(self, authorization: str | None) -> None:
        """Raise the service's 401 or 403 unless the header carries a live, full token."""
        if not authorization:
            raise unauthorized("The request has no Authorization header.")
        scheme, _, access_token = authorization.partition(" ")
        if scheme.lower() != "bearer" or not access_token.strip():
            raise unauthorized("The Authorization header is not 'Bearer <access token>'.")
        with self._lock:
            grant = self._grants.get(_digest(access_token.strip()))
        if grant is None:
            raise unauthorized("The access token is not valid.")
        if self._clock.now() >= grant.expires_at:
            raise unauthorized("The access token has expired.")
        missing = [scope for scope in REQUIRED_SCOPES if scope not in grant.scopes]
        if missing:
            raise forbidden(f"The access token lacks the scope {', '.join(missing)}.")
