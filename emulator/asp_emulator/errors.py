"""The service's Error object, raised anywhere and rendered in one place."""

from __future__ import annotations


class ServiceError(Exception):
    """An answer with the reference's Error object: `{"type": ..., "message": ...}`."""

    def __init__(
        self,
        status: int,
        error_type: str,
        message: str,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.error_type = error_type
        self.message = message
        self.headers = headers or {}

    def body(self) -> dict[str, str]:
        return {"type": self.error_type, "message": self.message}


def bad_request(message: str) -> ServiceError:
    return ServiceError(400, "BAD_REQUEST", message)


def invalid_state(message: str) -> ServiceError:
    return ServiceError(400, "INVALID_STATE", message)


def not_found(certificate_authority_id: str) -> ServiceError:
    return ServiceError(
        404, "NOT_FOUND", f"No certificate authority with id {certificate_authority_id!r}."
    )


def unauthorized(message: str) -> ServiceError:
    return ServiceError(401, "UNAUTHORIZED", message)


def forbidden(message: str) -> ServiceError:
    return ServiceError(403, "FORBIDDEN", message)


class LoginWithAmazonError(Exception):
    """An answer in Login with Amazon's own shape: `{"error": ..., "error_description": ...}`."""

    def __init__(self, status: int, error: str, description: str) -> None:
        super().__init__(description)
        self.status = status
        self.error = error
        self.description = description

    def body(self) -> dict[str, str]:
        return {"error": self.error, "error_description": self.description}
