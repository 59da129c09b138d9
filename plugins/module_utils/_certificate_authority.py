# Copyright: asp.enterprise_wifi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The CA object: the service's camelCase shape, the modules' snake_case shape, and checks."""

from __future__ import annotations

from typing import Any

from ansible_collections.asp.enterprise_wifi.plugins.module_utils._errors import (
    AspError,
    AspServiceDataError,
)
from ansible_collections.asp.enterprise_wifi.plugins.module_utils._pem import (
    PemError,
    normalize_pem,
)
from ansible_collections.asp.enterprise_wifi.plugins.module_utils._service_contract import (
    DEFAULT_ROTATION_INTERVAL,
    FRIENDLY_NAME_TYPE,
    NAME_MAX_LENGTH,
    NAME_MIN_LENGTH,
    ROTATION_INTERVALS,
    ROTATION_VALUE_MAX,
    ROTATION_VALUE_MIN,
    STATUSES,
)


def normalize_certificate_authority(raw: Any) -> dict:
    """The snake_case CA every module returns, with PEM that OpenSSL reads.

    A CA without an id, a friendly name or a known status is refused: every
    decision the modules make rests on those three.
    """
    if not isinstance(raw, dict) or not isinstance(raw.get("id"), str) or not raw["id"]:
        raise AspServiceDataError(
            "The service returned a certificate authority without the field id"
        )
    certificate_authority_id = raw["id"]
    name = friendly_name_text(raw.get("friendlyName"))
    if name is None:
        raise AspServiceDataError(
            f"The service returned certificate authority {certificate_authority_id} without "
            "the field friendlyName.value.text"
        )
    status = raw.get("status")
    if not isinstance(status, str):
        raise AspServiceDataError(
            f"The service returned certificate authority {certificate_authority_id} without "
            "the field status"
        )
    if status not in STATUSES:
        raise AspServiceDataError(
            f"The service returned certificate authority {certificate_authority_id} with the "
            f"unknown status {status!r} (known: {', '.join(STATUSES)}); the collection cannot "
            "tell what it allows"
        )
    rotation = raw.get("rotationPeriod") if isinstance(raw.get("rotationPeriod"), dict) else {}
    certificate_authority: dict[str, Any] = {
        "id": certificate_authority_id,
        "name": name,
        "status": status,
        "created_at": raw.get("createdAt"),
        "updated_at": raw.get("updatedAt"),
        "rotation_period": {
            "value": rotation.get("value"),
            "interval": rotation.get("interval"),
        },
    }
    if raw.get("csr"):
        certificate_authority["csr"] = _well_formed(raw["csr"], "CSR", certificate_authority_id)
    metadata = raw.get("certificateMetadata")
    if isinstance(metadata, dict) and metadata:
        certificate_authority["certificate_metadata"] = {
            "certificate": _optional_pem(
                metadata.get("certificate"), "certificate", certificate_authority_id
            ),
            "certificate_chain": _optional_pem(
                metadata.get("certificateChain"), "certificate chain", certificate_authority_id
            ),
            "expires_at": metadata.get("expiresAt"),
            "active_from": metadata.get("activeFrom"),
        }
    return certificate_authority


def friendly_name_text(friendly_name: Any) -> str | None:
    if not isinstance(friendly_name, dict):
        return None
    value = friendly_name.get("value")
    if isinstance(value, dict) and isinstance(value.get("text"), str):
        return value["text"]
    return None


def api_friendly_name(name: str) -> dict:
    return {"type": FRIENDLY_NAME_TYPE, "value": {"text": name}}


def api_rotation_period(rotation_period: dict) -> dict:
    return {"value": rotation_period["value"], "interval": rotation_period["interval"]}


def check_name(name: str) -> None:
    """Reject a friendly name the service is assumed to refuse, before any call."""
    if not isinstance(name, str) or not name.strip():
        raise AspError("name must be a non-empty string")
    if not NAME_MIN_LENGTH <= len(name) <= NAME_MAX_LENGTH:
        raise AspError(
            f"name must have {NAME_MIN_LENGTH} to {NAME_MAX_LENGTH} characters, " f"not {len(name)}"
        )


def complete_rotation_period(rotation_period: dict | None) -> dict | None:
    """The rotation period with its interval filled in, checked against the assumed limits."""
    if rotation_period is None:
        return None
    value = rotation_period.get("value")
    interval = rotation_period.get("interval") or DEFAULT_ROTATION_INTERVAL
    if interval not in ROTATION_INTERVALS:
        raise AspError(
            f"rotation_period.interval must be one of {', '.join(ROTATION_INTERVALS)}, "
            f"not {interval}"
        )
    if isinstance(value, bool) or not isinstance(value, int):
        raise AspError("rotation_period.value must be an integer")
    if not ROTATION_VALUE_MIN <= value <= ROTATION_VALUE_MAX:
        raise AspError(
            f"rotation_period.value must be from {ROTATION_VALUE_MIN} to "
            f"{ROTATION_VALUE_MAX} {interval}, not {value}"
        )
    return {"value": value, "interval": interval}


def _well_formed(text: Any, what: str, certificate_authority_id: str) -> str:
    if not isinstance(text, str):
        raise AspServiceDataError(
            f"The service returned a {what} for certificate authority "
            f"{certificate_authority_id} that is not text"
        )
    try:
        return normalize_pem(text)
    except PemError as error:
        raise AspServiceDataError(
            f"The service returned a {what} for certificate authority "
            f"{certificate_authority_id} that is not PEM: {error}"
        ) from None


def _optional_pem(text: Any, what: str, certificate_authority_id: str) -> str | None:
    if not text:
        return None
    return _well_formed(text, what, certificate_authority_id)
