"""Every way a create body can be wrong, each a 400 that says what is wrong."""

from __future__ import annotations

import copy

import pytest

from conftest import SERVICE, ServiceClient, assert_error, creation_body
from conftest import every_certificate_authority


def _without(path: tuple[str, ...]) -> dict:
    body = creation_body()
    target = body
    for name in path[:-1]:
        target = target[name]
    del target[path[-1]]
    return body


def _with(path: tuple[str, ...], value: object) -> dict:
    body = copy.deepcopy(creation_body())
    target = body
    for name in path[:-1]:
        target = target[name]
    target[path[-1]] = value
    return body


INVALID_BODIES = [
    pytest.param(_without(("friendlyName",)), "friendlyName is required", id="no-name"),
    pytest.param(_with(("friendlyName",), "Net"), "friendlyName must be an object", id="name-str"),
    pytest.param(_with(("friendlyName",), None), "friendlyName is required", id="name-null"),
    pytest.param(
        _without(("friendlyName", "type")), "friendlyName.type is required", id="no-type"
    ),
    pytest.param(_with(("friendlyName", "type"), "HTML"), "must be PLAIN", id="type-html"),
    pytest.param(
        _with(("friendlyName", "type"), 1), "friendlyName.type must be a string", id="type-int"
    ),
    pytest.param(
        _without(("friendlyName", "value")), "friendlyName.value is required", id="no-value"
    ),
    pytest.param(
        _with(("friendlyName", "value"), "Net"),
        "friendlyName.value must be an object",
        id="value-str",
    ),
    pytest.param(
        _without(("friendlyName", "value", "text")),
        "friendlyName.value.text is required",
        id="no-text",
    ),
    pytest.param(
        _with(("friendlyName", "value", "text"), 7), "text must be a string", id="text-int"
    ),
    pytest.param(
        _with(("friendlyName", "value", "text"), ""), "must not be empty", id="text-empty"
    ),
    pytest.param(
        _with(("friendlyName", "value", "text"), "n" * 129), "the limit is 128", id="text-long"
    ),
    pytest.param(_without(("rotationPeriod",)), "rotationPeriod is required", id="no-rotation"),
    pytest.param(
        _with(("rotationPeriod",), 6), "rotationPeriod must be an object", id="rotation-int"
    ),
    pytest.param(
        _without(("rotationPeriod", "value")), "rotationPeriod.value is required", id="no-months"
    ),
    pytest.param(
        _with(("rotationPeriod", "value"), "6"), "value must be an integer", id="months-str"
    ),
    pytest.param(
        _with(("rotationPeriod", "value"), 6.5), "value must be an integer", id="months-float"
    ),
    pytest.param(
        _with(("rotationPeriod", "value"), True), "value must be an integer", id="months-bool"
    ),
    pytest.param(_with(("rotationPeriod", "value"), 0), "from 1 to 12", id="months-0"),
    pytest.param(_with(("rotationPeriod", "value"), 13), "from 1 to 12", id="months-13"),
    pytest.param(
        _without(("rotationPeriod", "interval")), "interval is required", id="no-interval"
    ),
    pytest.param(_with(("rotationPeriod", "interval"), "DAYS"), "must be MONTHS", id="days"),
    pytest.param(
        _with(("rotationPeriod", "interval"), 1), "interval must be a string", id="interval-int"
    ),
    pytest.param(_with(("colour",), "blue"), "Unknown field 'colour'", id="unknown-top"),
    pytest.param(
        _with(("friendlyName", "locale"), "en"),
        "Unknown field 'locale' in friendlyName",
        id="unknown-name",
    ),
    pytest.param(
        _with(("friendlyName", "value", "lang"), "en"), "in friendlyName.value", id="unknown-value"
    ),
    pytest.param(
        _with(("rotationPeriod", "unit"), "x"), "in rotationPeriod", id="unknown-rotation"
    ),
    pytest.param([creation_body()], "must be a JSON object", id="array"),
]


@pytest.mark.parametrize(("body", "fragment"), INVALID_BODIES)
def test_create_rejects_a_wrong_body_precisely(
    api: ServiceClient, body: object, fragment: str
) -> None:
    response = api.request("POST", SERVICE, json=body)

    assert_error(response, 400, "BAD_REQUEST", fragment)


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        (b'{"friendlyName": ', "not valid JSON"),
        (b"", "empty"),
        (b"\xff\xfe", "not valid JSON"),
    ],
    ids=["truncated", "empty", "not-utf8"],
)
def test_create_rejects_a_body_that_is_not_json(
    api: ServiceClient, raw: bytes, fragment: str
) -> None:
    response = api.request(
        "POST", SERVICE, content=raw, headers={"Content-Type": "application/json"}
    )

    assert_error(response, 400, "BAD_REQUEST", fragment)


def test_a_rejected_create_stores_nothing(api: ServiceClient) -> None:
    body = creation_body("Rejected for its rotation period", 99)

    response = api.request("POST", SERVICE, json=body)

    assert response.status_code == 400
    names = [ca["friendlyName"]["value"]["text"] for ca in every_certificate_authority(api)]
    assert "Rejected for its rotation period" not in names


@pytest.mark.parametrize("months", [1, 6, 12])
def test_rotation_periods_from_one_to_twelve_months_are_accepted(
    api: ServiceClient, months: int
) -> None:
    response = api.request("POST", SERVICE, json=creation_body("Rotation", months))

    assert response.status_code == 201


def test_a_name_of_128_characters_is_accepted(api: ServiceClient) -> None:
    response = api.request("POST", SERVICE, json=creation_body("é" * 128))

    assert response.status_code == 201
    assert api.get(response.json()["id"])["friendlyName"]["value"]["text"] == "é" * 128
