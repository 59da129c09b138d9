"""Inputs the ca_rollout role must refuse before it creates anything, in ASP or on the host."""

from __future__ import annotations

import datetime
import uuid
from pathlib import Path

import pytest

from rollout_harness.inventory import RolloutLayout, write_rollout
from rollout_harness.pki import key_pem, new_key, new_root, utc_now, write_radius_ca
from rollout_harness.playbook import run_playbook
from rollout_harness.rejection import assert_refused

PASSPHRASE = "the right radius passphrase"
PLACEHOLDER = "placeholder.pem"


def _rollout(workdir: Path, connection_env, radius_ca, **property_vars):
    """Roll out one freshly named property: a CA an earlier test left cannot hide a create."""
    layout = RolloutLayout(workdir)
    host_vars = {}
    if "ca_rollout_ca_name" in property_vars:
        host_vars["ca_rollout_ca_name"] = property_vars.pop("ca_rollout_ca_name")
    write_rollout(
        layout,
        radius_ca,
        [f"role-input-{uuid.uuid4().hex[:8]}"],
        property_vars=property_vars,
        host_vars=host_vars,
    )
    run = run_playbook(layout.playbook, layout.inventory, workdir, verbosity=3, env=connection_env)
    return layout, run


def _assert_radius_host_untouched(layout: RolloutLayout) -> None:
    """No trust entry (signed certificate) or trust store: the RADIUS server trusts nothing new.

    The role may prepare its empty directories and the placeholder that keeps FreeRADIUS
    starting; those trust nothing.
    """
    entries = (
        sorted(p.name for p in layout.trust_store_dir.glob("*") if p.name != PLACEHOLDER)
        if layout.trust_store_dir.exists()
        else []
    )
    assert not entries, f"trust entries were written: {entries}"
    assert not layout.trust_store.exists(), "a trust store was assembled"


@pytest.fixture
def radius_ca(workdir):
    return write_radius_ca(workdir / "radius-ca", passphrase=PASSPHRASE)


def test_radius_ca_key_with_the_wrong_passphrase(
    workdir, connection_env, radius_ca, service_guard
):
    radius_ca.passphrase = "not the passphrase"
    layout, run = _rollout(workdir, connection_env, radius_ca)
    assert_refused(run, ("passphrase",), ("key",))
    assert "not the passphrase" not in run.output
    service_guard.assert_unchanged()
    _assert_radius_host_untouched(layout)


def test_radius_ca_key_encrypted_but_no_passphrase(
    workdir, connection_env, radius_ca, service_guard
):
    radius_ca.passphrase = None
    layout, run = _rollout(workdir, connection_env, radius_ca)
    assert_refused(run, ("passphrase", "encrypted"), ("key",))
    service_guard.assert_unchanged()
    _assert_radius_host_untouched(layout)


def test_radius_ca_certificate_that_is_not_a_ca(workdir, connection_env, service_guard):
    radius_ca = write_radius_ca(workdir / "radius-ca", passphrase=PASSPHRASE, is_ca=False)
    layout, run = _rollout(workdir, connection_env, radius_ca)
    assert_refused(run, ("not a ca", "basicconstraints", "ca certificate", "ca:true"))
    service_guard.assert_unchanged()
    _assert_radius_host_untouched(layout)


def test_radius_ca_key_that_is_not_the_certificates(
    workdir, connection_env, radius_ca, service_guard
):
    radius_ca.key_path.write_text(key_pem(new_key(), PASSPHRASE))
    layout, run = _rollout(workdir, connection_env, radius_ca)
    assert_refused(run, ("key",), ("match", "not the", "does not belong", "certificate's"))
    service_guard.assert_unchanged()
    _assert_radius_host_untouched(layout)


def test_expired_radius_ca_certificate(workdir, connection_env, radius_ca, service_guard):
    expired = new_root(
        "Expired RADIUS CA",
        not_before=utc_now() - datetime.timedelta(days=400),
        not_after=utc_now() - datetime.timedelta(days=1),
    )
    radius_ca.certificate_path.write_text(expired.certificate_pem)
    radius_ca.key_path.write_text(key_pem(expired.key, PASSPHRASE))
    layout, run = _rollout(workdir, connection_env, radius_ca)
    assert_refused(run, ("expired", "expires"))
    service_guard.assert_unchanged()
    _assert_radius_host_untouched(layout)


@pytest.mark.parametrize(
    "rotation_value", [0, -1, "six"], ids=["zero", "negative", "six-as-a-word"]
)
def test_role_rotation_period(rotation_value, workdir, connection_env, radius_ca, service_guard):
    layout, run = _rollout(
        workdir,
        connection_env,
        radius_ca,
        ca_rollout_rotation_period={"value": rotation_value, "interval": "MONTHS"},
    )
    assert_refused(run, ("rotation_period", "rotation period"))
    service_guard.assert_unchanged()
    _assert_radius_host_untouched(layout)


@pytest.mark.parametrize(
    "name", ["", "n" * 129, ["a", "list"]], ids=["empty", "over-long", "list"]
)
def test_role_ca_name(name, workdir, connection_env, radius_ca, service_guard):
    layout, run = _rollout(workdir, connection_env, radius_ca, ca_rollout_ca_name=name)
    assert_refused(run, ("ca_rollout_ca_name", "name"))
    service_guard.assert_unchanged()
    _assert_radius_host_untouched(layout)
