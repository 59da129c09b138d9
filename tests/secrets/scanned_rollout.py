"""One -vvvv rollout with distinctive secrets, shared by the leak scan and the file checks.

Imported by the suite's conftest; the test files import its constants by this name.
"""

from __future__ import annotations

import grp
import os
import secrets
import shutil
import stat
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import pytest
from asp_emulator.testing import running_emulator

from rollout_harness.inventory import RolloutLayout, write_rollout
from rollout_harness.local_http import TokenRecorder
from rollout_harness.pki import RadiusCaFiles, write_radius_ca
from rollout_harness.playbook import PlaybookRun, run_playbook

RADIUS_GROUP = "freerad"
# Records every task result as AWX would store it as a job event.
CALLBACK_PLUGINS = Path(__file__).with_name("callback_plugins")
PROPERTIES = ["secrets-property-1", "secrets-property-2"]


def radius_group() -> str | None:
    """The group FreeRADIUS runs as on Debian, when the package is installed."""
    try:
        grp.getgrnam(RADIUS_GROUP)
    except KeyError:
        return None
    return RADIUS_GROUP


@dataclass
class SecretRollout:
    """Everything a rollout printed or wrote, and every secret that must not be in it."""

    layout: RolloutLayout
    radius_ca: RadiusCaFiles
    radius_key_before: tuple[int, bytes]
    runs: list[PlaybookRun] = field(default_factory=list)
    emulator_log: str = ""
    ansible_log: str = ""
    registered_results: str = ""
    secrets: dict[str, str] = field(default_factory=dict)


def _distinctive(label: str) -> str:
    return f"{label}-{secrets.token_hex(12)}"


@pytest.fixture(scope="session")
def secret_rollout(collection_copy: Path) -> Iterator[SecretRollout]:
    """Roll out one property at -vvvv, then a second one with every task result recorded.

    The RADIUS host's files live in a directory anyone may enter (pytest's own is 0700), so
    that the file checks can read them as the RADIUS service's user.
    """
    del collection_copy
    base = Path(tempfile.mkdtemp(prefix="asp-secrets-"))
    base.chmod(0o755)
    client_secret = _distinctive("client-secret")
    refresh_token = "Atzr|" + _distinctive("refresh-token")
    passphrase = _distinctive("radius-passphrase")
    radius_ca = write_radius_ca(base / "radius-ca", passphrase=passphrase)
    key_stat = radius_ca.key_path.stat()
    layout = RolloutLayout(base)
    group = radius_group()
    property_vars = {"ca_rollout_file_group": group} if group else {}

    with running_emulator(
        creation_delay=0.5,
        client_id="secrets-suite-client",
        client_secret=client_secret,
        refresh_token=refresh_token,
    ) as emulator, TokenRecorder(emulator.url) as recorder:
        env = {
            **emulator.connection_env(),
            "ASP_LWA_TOKEN_URL": f"{recorder.url}/auth/o2/token",
            "ANSIBLE_LOG_PATH": str(base / "ansible.log"),
        }
        rollout = SecretRollout(
            layout, radius_ca, (stat.S_IMODE(key_stat.st_mode), radius_ca.key_path.read_bytes())
        )
        write_rollout(layout, radius_ca, PROPERTIES[:1], property_vars=property_vars)
        rollout.runs.append(
            run_playbook(layout.playbook, layout.inventory, base, verbosity=4, env=env)
        )
        # The second property makes the recorded run sign and import too, not only look.
        write_rollout(layout, radius_ca, PROPERTIES, property_vars=property_vars)
        recording_env = {
            **env,
            "ANSIBLE_CALLBACK_PLUGINS": str(CALLBACK_PLUGINS),
            "ANSIBLE_CALLBACKS_ENABLED": "result_recorder",
            "ASP_RESULT_RECORD": str(base / "results.jsonl"),
        }
        rollout.runs.append(
            run_playbook(layout.playbook, layout.inventory, base, verbosity=4, env=recording_env)
        )
        rollout.registered_results = (base / "results.jsonl").read_text()
        rollout.emulator_log = Path(emulator.log_path).read_text(errors="replace")
        rollout.ansible_log = (base / "ansible.log").read_text(errors="replace")
        rollout.secrets = {
            "client secret": client_secret,
            "refresh token": refresh_token,
            "RADIUS CA key passphrase": passphrase,
        }
        for number, access_token in enumerate(recorder.access_tokens, start=1):
            rollout.secrets[f"access token {number}"] = access_token
        yield rollout
    if os.environ.get("ASP_KEEP_TEST_FILES") is None:
        shutil.rmtree(base, ignore_errors=True)
