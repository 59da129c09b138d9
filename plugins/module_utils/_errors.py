# Copyright: asp.enterprise_wifi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Exceptions the API client raises; each message is safe to show a user."""

from __future__ import annotations

from ansible_collections.asp.enterprise_wifi.plugins.module_utils._service_contract import (
    RETRYABLE_STATUSES,
)

# The service's own message is for logs only; a long one would drown the useful part.
_SERVICE_MESSAGE_LIMIT = 200


class AspError(Exception):
    """Base of every failure the collection reports to a user."""


class AspApiError(AspError):
    """The service (or something in front of it) answered with an error, or did not answer.

    ``status`` is None when no HTTP answer arrived. ``error_type`` is the
    ``type`` of the service's error body; decisions may use it and ``status``,
    never ``service_message``.
    """

    def __init__(
        self,
        operation: str,
        *,
        status: int | None = None,
        error_type: str | None = None,
        request_id: str | None = None,
        service_message: str | None = None,
        reason: str | None = None,
        attempts: int = 1,
        retry_after: float | None = None,
        maybe_sent: bool = True,
    ) -> None:
        self.operation = operation
        self.status = status
        self.error_type = error_type
        self.request_id = request_id
        self.service_message = service_message
        self.reason = reason
        self.attempts = attempts
        self.retry_after = retry_after
        self.maybe_sent = maybe_sent
        # Set once retries ran out, so an outer retry loop does not start over.
        self.exhausted = False
        super().__init__(self._compose())

    @property
    def retryable(self) -> bool:
        if self.exhausted:
            return False
        return self.status is None or self.status in RETRYABLE_STATUSES

    @property
    def may_have_taken_effect(self) -> bool:
        """True when the service may have acted on the request despite the failure."""
        if self.status is None:
            return self.maybe_sent
        return self.status >= 500

    def _compose(self) -> str:
        if self.status is None:
            answer = f"no answer from the service ({self.reason or 'connection failed'})"
        else:
            answer = f"HTTP {self.status}"
            if self.error_type:
                answer += f" {self.error_type}"
            if self.service_message:
                answer += f": {_shorten(self.service_message)}"
            elif self.reason:
                answer += f" ({self.reason})"
        if self.request_id:
            answer += f" [request id {self.request_id}]"
        if self.attempts > 1:
            return f"Failed to {self.operation}: gave up after {self.attempts} attempts; {answer}"
        return f"Failed to {self.operation}: {answer}"

    def with_attempts(self, attempts: int) -> AspApiError:
        """The same failure, marked as the last of several tries."""
        final = type(self)(
            self.operation,
            status=self.status,
            error_type=self.error_type,
            request_id=self.request_id,
            service_message=self.service_message,
            reason=self.reason,
            attempts=attempts,
            retry_after=self.retry_after,
            maybe_sent=self.maybe_sent,
        )
        final.exhausted = True
        return final

    def to_result(self) -> dict:
        """What a module adds to fail_json so playbooks can branch on status and type."""
        return {
            "status": self.status,
            "error_type": self.error_type,
            "request_id": self.request_id,
            "attempts": self.attempts,
        }


class AspAuthError(AspApiError):
    """Login with Amazon refused or failed the token exchange."""


class AspStateError(AspError):
    """A CA is missing or in a state the operation cannot use; holds the CA as last seen.

    ``changed`` is true when the module had already changed the CA before finding this.
    """

    def __init__(
        self, message: str, certificate_authority: dict | None = None, *, changed: bool = False
    ) -> None:
        self.certificate_authority = certificate_authority
        self.changed = changed
        super().__init__(message)


class AspWaitTimeoutError(AspStateError):
    """A CA did not reach the wanted state within the wait timeout."""


class AspAmbiguousNameError(AspError):
    """A friendly name matches more than one CA and no id says which one is meant."""

    def __init__(self, name: str, ids: list[str]) -> None:
        self.name = name
        self.ids = ids
        super().__init__(
            f"The name '{name}' matches {len(ids)} certificate authorities "
            f"({', '.join(ids)}); set id to choose one"
        )


class AspServiceDataError(AspError):
    """The service answered 2xx with a body the client cannot use."""


def _shorten(text: str) -> str:
    flat = " ".join(text.split())
    if len(flat) <= _SERVICE_MESSAGE_LIMIT:
        return flat
    return flat[: _SERVICE_MESSAGE_LIMIT - 3] + "..."
