"""The request bodies the service accepts, checked field by field with precise messages."""

from __future__ import annotations

import json
from dataclasses import dataclass

from asp_emulator.errors import bad_request

NAME_MAX_LENGTH = 128
ROTATION_MONTHS_MIN = 1
ROTATION_MONTHS_MAX = 12
ROTATION_INTERVALS = ("MONTHS",)


@dataclass(frozen=True)
class CertificateAuthorityFields:
    friendly_name: str | None
    rotation_value: int | None
    rotation_interval: str | None


@dataclass(frozen=True)
class ImportFields:
    certificate: str
    certificate_chain: str


def parse_json_object(raw: bytes) -> dict:
    if not raw.strip():
        raise bad_request("The request body is empty; a JSON object is required.")
    try:
        body = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise bad_request(f"The request body is not valid JSON: {error}.") from None
    if not isinstance(body, dict):
        raise bad_request("The request body must be a JSON object.")
    return body


def _reject_unknown(body: dict, allowed: tuple[str, ...], where: str) -> None:
    for name in body:
        if name not in allowed:
            place = f" in {where}" if where else ""
            raise bad_request(f"Unknown field {name!r}{place}.")


def _object(value: object, where: str) -> dict:
    if not isinstance(value, dict):
        raise bad_request(f"{where} must be an object.")
    return value


def _required(body: dict, name: str, where: str) -> object:
    if name not in body or body[name] is None:
        raise bad_request(f"{where}{name} is required.")
    return body[name]


def _friendly_name(value: object) -> str:
    friendly_name = _object(value, "friendlyName")
    _reject_unknown(friendly_name, ("type", "value"), "friendlyName")
    name_type = _required(friendly_name, "type", "friendlyName.")
    if not isinstance(name_type, str):
        raise bad_request("friendlyName.type must be a string.")
    if name_type != "PLAIN":
        raise bad_request(f"friendlyName.type must be PLAIN, not {name_type[:40]!r}.")
    name_value = _object(_required(friendly_name, "value", "friendlyName."), "friendlyName.value")
    _reject_unknown(name_value, ("text",), "friendlyName.value")
    text = _required(name_value, "text", "friendlyName.value.")
    if not isinstance(text, str):
        raise bad_request("friendlyName.value.text must be a string.")
    if not text:
        raise bad_request("friendlyName.value.text must not be empty.")
    if len(text) > NAME_MAX_LENGTH:
        raise bad_request(
            f"friendlyName.value.text is {len(text)} characters long; "
            f"the limit is {NAME_MAX_LENGTH}."
        )
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise bad_request("friendlyName.value.text is not valid Unicode text.") from None
    return text


def _rotation_period(value: object) -> tuple[int, str]:
    rotation_period = _object(value, "rotationPeriod")
    _reject_unknown(rotation_period, ("value", "interval"), "rotationPeriod")
    months = _required(rotation_period, "value", "rotationPeriod.")
    if isinstance(months, bool) or not isinstance(months, int):
        raise bad_request("rotationPeriod.value must be an integer.")
    interval = _required(rotation_period, "interval", "rotationPeriod.")
    if not isinstance(interval, str):
        raise bad_request("rotationPeriod.interval must be a string.")
    if interval not in ROTATION_INTERVALS:
        raise bad_request(f"rotationPeriod.interval must be MONTHS, not {interval[:40]!r}.")
    if not ROTATION_MONTHS_MIN <= months <= ROTATION_MONTHS_MAX:
        raise bad_request(
            f"rotationPeriod.value must be from {ROTATION_MONTHS_MIN} to "
            f"{ROTATION_MONTHS_MAX} MONTHS, not {months}."
        )
    return months, interval


def create_fields(raw: bytes) -> CertificateAuthorityFields:
    body = parse_json_object(raw)
    _reject_unknown(body, ("friendlyName", "rotationPeriod"), "")
    friendly_name = _friendly_name(_required(body, "friendlyName", ""))
    months, interval = _rotation_period(_required(body, "rotationPeriod", ""))
    return CertificateAuthorityFields(friendly_name, months, interval)


def update_fields(raw: bytes) -> CertificateAuthorityFields:
    body = parse_json_object(raw)
    _reject_unknown(body, ("friendlyName", "rotationPeriod"), "")
    if not body:
        raise bad_request("An update needs friendlyName, rotationPeriod or both.")
    friendly_name = None
    months = interval = None
    if "friendlyName" in body:
        friendly_name = _friendly_name(body["friendlyName"])
    if "rotationPeriod" in body:
        months, interval = _rotation_period(body["rotationPeriod"])
    return CertificateAuthorityFields(friendly_name, months, interval)


def import_fields(raw: bytes) -> ImportFields:
    body = parse_json_object(raw)
    _reject_unknown(body, ("certificate", "certificateChain"), "")
    certificate = _required(body, "certificate", "")
    if not isinstance(certificate, str):
        raise bad_request("certificate must be a string of PEM text.")
    certificate_chain = _required(body, "certificateChain", "")
    if not isinstance(certificate_chain, str):
        raise bad_request("certificateChain must be a string of PEM text.")
    return ImportFields(certificate, certificate_chain)
