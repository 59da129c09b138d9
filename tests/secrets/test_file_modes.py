"""The files the role writes on the RADIUS host: modes, owners, and readable by FreeRADIUS."""

from __future__ import annotations

import grp
import pwd
import stat
import subprocess
from pathlib import Path

import pytest

from scanned_rollout import PROPERTIES, RADIUS_GROUP, radius_group

needs_radius_group = pytest.mark.skipif(
    radius_group() is None, reason=f"the {RADIUS_GROUP} group exists once freeradius is installed"
)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _certificate_files(secret_rollout) -> list[Path]:
    layout = secret_rollout.layout
    return [layout.trust_store, *layout.trust_store_dir.glob("*.pem")]


def test_every_property_has_its_files(secret_rollout):
    layout = secret_rollout.layout
    assert layout.trust_store.is_file()
    entries = [p for p in layout.trust_store_dir.glob("*.pem") if p.name != "placeholder.pem"]
    assert len(entries) == len(PROPERTIES)


def test_certificates_and_trust_store_are_0644(secret_rollout):
    wrong = {
        str(path): oct(_mode(path))
        for path in _certificate_files(secret_rollout)
        if _mode(path) != 0o644
    }
    assert not wrong, f"these should be 0644: {wrong}"


def test_directories_let_the_server_in(secret_rollout):
    layout = secret_rollout.layout
    directory = layout.trust_store_dir
    assert _mode(directory) & 0o055 == 0o055, f"{directory} is {oct(_mode(directory))}"


def test_radius_ca_key_stays_0600_and_unchanged(secret_rollout):
    """The role reads the RADIUS CA key and must neither loosen nor rewrite it."""
    key_path = secret_rollout.radius_ca.key_path
    assert (_mode(key_path), key_path.read_bytes()) == secret_rollout.radius_key_before
    assert _mode(key_path) == 0o600


def test_no_other_key_file_is_written(secret_rollout):
    """Keys the role writes must be 0600; today it writes none, and any new one must be."""
    layout = secret_rollout.layout
    loose = [
        f"{path} {oct(_mode(path))}"
        for path in layout.radius_dir.rglob("*")
        if path.is_file() and "PRIVATE KEY" in path.read_text() and _mode(path) != 0o600
    ]
    assert not loose, f"key files readable by others: {loose}"


@needs_radius_group
def test_files_belong_to_the_radius_group(secret_rollout):
    gid = grp.getgrnam(RADIUS_GROUP).gr_gid
    wrong = [str(path) for path in _certificate_files(secret_rollout) if path.stat().st_gid != gid]
    assert not wrong, f"not in group {RADIUS_GROUP}: {wrong}"


@needs_radius_group
def test_radius_service_user_can_read_them(secret_rollout):
    """Read each file as the freerad user itself, through every directory on the way."""
    user = pwd.getpwnam(RADIUS_GROUP)
    for path in _certificate_files(secret_rollout):
        read = subprocess.run(
            ["cat", str(path)],
            user=user.pw_uid,
            group=user.pw_gid,
            extra_groups=[],
            capture_output=True,
            text=True,
            check=False,
        )
        assert read.returncode == 0, f"{RADIUS_GROUP} cannot read {path}: {read.stderr}"
        assert "BEGIN CERTIFICATE" in read.stdout
