"""Names, ids and rotation periods that asp_certificate_authority must refuse."""

from __future__ import annotations

import pytest

from rollout_harness.rejection import assert_refused, run_tasks
from rollout_harness.service import create_certificate_authority

CERTIFICATE_AUTHORITY = "asp.enterprise_wifi.asp_certificate_authority"


def _ensure_task(**options) -> dict:
    return {
        "name": "Ensure a CA with options that must be refused",
        CERTIFICATE_AUTHORITY: {"retries": 1, "timeout": 10, **options},
    }


@pytest.mark.parametrize(
    "rotation_value",
    [0, -1, "six", 13],
    ids=["zero", "negative", "six-as-a-word", "beyond-twelve-months"],
)
def test_rotation_period_value(rotation_value, workdir, connection_env, service_guard):
    task = _ensure_task(
        name="bad rotation period", rotation_period={"value": rotation_value, "interval": "MONTHS"}
    )
    run = run_tasks(workdir, [task], env=connection_env)
    assert_refused(run, ("rotation_period", "rotation period"), ("value",))
    service_guard.assert_unchanged()


def test_rotation_period_interval(workdir, connection_env, service_guard):
    task = _ensure_task(
        name="bad rotation interval", rotation_period={"value": 6, "interval": "FORTNIGHTS"}
    )
    run = run_tasks(workdir, [task], env=connection_env)
    assert_refused(run, ("interval",), ("months",))
    service_guard.assert_unchanged()


def test_empty_name(workdir, connection_env, service_guard):
    run = run_tasks(
        workdir, [_ensure_task(name="", rotation_period={"value": 6})], env=connection_env
    )
    assert_refused(run, ("name",), ("empty", "1 to 128", "at least", "characters", "required"))
    service_guard.assert_unchanged()


def test_name_of_only_spaces(workdir, connection_env, service_guard):
    run = run_tasks(
        workdir, [_ensure_task(name="   ", rotation_period={"value": 6})], env=connection_env
    )
    assert_refused(run, ("name",), ("empty", "blank", "space", "whitespace", "characters"))
    service_guard.assert_unchanged()


def test_over_long_name(workdir, connection_env, service_guard):
    run = run_tasks(
        workdir, [_ensure_task(name="n" * 129, rotation_period={"value": 6})], env=connection_env
    )
    assert_refused(run, ("name",), ("128", "long", "characters"))
    service_guard.assert_unchanged()


@pytest.mark.parametrize("name", [["a", "list"], {"a": "mapping"}], ids=["list", "mapping"])
def test_name_that_is_not_a_string(name, workdir, connection_env, service_guard):
    run = run_tasks(
        workdir, [_ensure_task(name=name, rotation_period={"value": 6})], env=connection_env
    )
    assert_refused(run, ("name",), ("str", "string"))
    service_guard.assert_unchanged()


def test_neither_name_nor_id(workdir, connection_env, service_guard):
    run = run_tasks(workdir, [_ensure_task(rotation_period={"value": 6})], env=connection_env)
    assert_refused(run, ("name",), ("id",))
    service_guard.assert_unchanged()


def test_unknown_id(workdir, connection_env, service_guard):
    unknown = "amzn1.alexa.enterprise.certificateAuthority.did.no-such-ca"
    task = _ensure_task(id=unknown, name="renamed", rotation_period={"value": 6})
    run = run_tasks(workdir, [task], env=connection_env)
    message = assert_refused(run, ("not found", "no certificate authority", "does not exist"))
    assert unknown in message, message
    service_guard.assert_unchanged()


def test_name_shared_by_two_cas(workdir, connection_env, emulator, request):
    name = f"shared-{request.node.name[-20:]}"
    first = create_certificate_authority(emulator, name)
    second = create_certificate_authority(emulator, name)
    emulator.reset_stats()
    task = _ensure_task(name=name, rotation_period={"value": 9})
    run = run_tasks(workdir, [task], env=connection_env)
    message = assert_refused(run, (name,))
    assert first in message and second in message, message
    writes = {
        operation: by_status
        for operation, by_status in emulator.stats()["requests"].items()
        if operation in ("create", "update", "delete")
    }
    assert not writes, f"the ambiguous name still changed the service: {writes}"
