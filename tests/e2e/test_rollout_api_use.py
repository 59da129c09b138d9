"""How playbooks/rollout.yml talks to ASP: the credentials it takes from the environment alone,
and what a first rollout costs in requests.

No RADIUS server is needed: the trust store is written and assembled, and the
reload command does nothing.
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

import pytest
from asp_emulator.testing import EmulatorProcess

from . import pki
from .playbook_runner import REPOSITORY, PlaybookRun, run_playbook

PLAYBOOK = REPOSITORY / "playbooks" / "rollout.yml"
RADIUS_CA_PASSPHRASE = "a passphrase for the api-use suite"
# Past one list page, so that a look-up per property would cost more than one request each.
FIRST_ROLLOUT_SIZE = 11
CONNECTION_VARIABLES = (
    "ASP_API_URL",
    "ASP_ACCESS_TOKEN",
    "ASP_CLIENT_ID",
    "ASP_CLIENT_SECRET",
    "ASP_REFRESH_TOKEN",
    "ASP_LWA_TOKEN_URL",
)


def inventory(work: Path, radius_ca_paths: dict[str, Path], names: dict[str, str]) -> dict:
    radius_host_dir = work / "radius-host"
    return {
        "all": {
            "vars": {
                "ansible_connection": "local",
                "ansible_python_interpreter": sys.executable,
            },
            "children": {
                "asp_properties": {
                    "vars": {
                        "ca_rollout_radius_host": "radius",
                        "ca_rollout_radius_ca_certificate_path": str(
                            radius_ca_paths["certificate"]
                        ),
                        "ca_rollout_radius_ca_private_key_path": str(radius_ca_paths["key"]),
                        "ca_rollout_radius_ca_private_key_passphrase": RADIUS_CA_PASSPHRASE,
                        "ca_rollout_trust_store_dir": str(radius_host_dir / "trust.d"),
                        "ca_rollout_trust_store": str(radius_host_dir / "asp-trust.pem"),
                        "ca_rollout_reload_command": "true",
                    },
                    "hosts": {host: {"ca_rollout_ca_name": name} for host, name in names.items()},
                },
                "radius_servers": {"hosts": {"radius": {}}},
            },
        }
    }


def statuses_by_name(emulator: EmulatorProcess) -> dict[str, list[str]]:
    """Every CA's status under its name, reading all pages with a token of the test's own."""
    headers = {"Authorization": f"Bearer {emulator.mint_token()}"}
    found: dict[str, list[str]] = {}
    next_token = ""
    while True:
        query = "expand=all&maxResults=10" + (f"&nextToken={next_token}" if next_token else "")
        status, page = emulator.request(
            "GET", f"/v1/enterprise/certificateAuthorities?{query}", headers=headers
        )
        assert status == 200, page
        for ca in page["certificateAuthorities"]:
            found.setdefault(ca["friendlyName"]["value"]["text"], []).append(ca["status"])
        next_token = page.get("paginationContext", {}).get("nextToken")
        if not next_token:
            return found


@pytest.fixture(scope="module")
def radius_ca_paths(work_dir: Path) -> dict[str, Path]:
    return pki.root_authority("API-use RADIUS CA").write(
        work_dir / "radius-ca", "ca", RADIUS_CA_PASSPHRASE
    )


@pytest.fixture
def only_the_given_connection(monkeypatch: pytest.MonkeyPatch) -> None:
    """The runs see the ASP variables each test gives, and none from the calling shell."""
    for variable in CONNECTION_VARIABLES:
        monkeypatch.delenv(variable, raising=False)


def rollout(
    work: Path, radius_ca_paths, names: dict[str, str], env: dict[str, str]
) -> PlaybookRun:
    run = run_playbook(PLAYBOOK, inventory(work, radius_ca_paths, names), work, env=env)
    assert run.returncode == 0, run.output[-6000:]
    return run


def test_an_access_token_from_the_environment_alone_rolls_out(
    emulator, work_dir, radius_ca_paths, only_the_given_connection
):
    env = {"ASP_API_URL": emulator.url, "ASP_ACCESS_TOKEN": emulator.mint_token()}
    emulator.reset_stats()

    rollout(work_dir / "environment-token", radius_ca_paths, {"porch": "API-use porch"}, env)

    stats = emulator.stats()
    assert statuses_by_name(emulator)["API-use porch"] == ["ACTIVE"]
    assert stats["token_requests"] == 0, "the play exchanged credentials it was never given"
    assert stats["requests"]["import"] == {"204": 1}


def test_a_first_rollout_lists_the_cas_once(
    emulator, work_dir, radius_ca_paths, only_the_given_connection
):
    existing = sum(len(statuses) for statuses in statuses_by_name(emulator).values())
    names = {
        f"room{index:02d}": f"API-use room {index:02d}" for index in range(FIRST_ROLLOUT_SIZE)
    }
    emulator.reset_stats()

    rollout(work_dir / "first-rollout", radius_ca_paths, names, emulator.connection_env())

    # Read before the test's own listing below adds to them.
    stats = emulator.stats()
    statuses = statuses_by_name(emulator)
    assert all(statuses[name] == ["ACTIVE"] for name in names.values()), statuses
    requests = stats["requests"]
    one_listing = max(1, math.ceil(existing / 10))
    assert requests["list"] == {"200": one_listing}, requests
    assert requests["create"] == {"201": FIRST_ROLLOUT_SIZE}, requests
    assert requests["import"] == {"204": FIRST_ROLLOUT_SIZE}, requests
    assert stats["token_requests"] == 1


def test_check_mode_before_the_first_rollout_changes_nothing(
    emulator, work_dir, radius_ca_paths, only_the_given_connection
):
    """On a RADIUS host the role never ran on, --check reports each property and writes nothing."""
    work = work_dir / "check-first"
    names = {"attic": "API-use attic", "cellar": "API-use cellar"}
    emulator.reset_stats()

    run = run_playbook(
        PLAYBOOK,
        inventory(work, radius_ca_paths, names),
        work,
        env=emulator.connection_env(),
        check=True,
    )

    assert run.returncode == 0, run.output[-6000:]
    assert set(run.changed_hosts()) == set(names), run.output[-6000:]
    assert set(emulator.stats()["requests"]) <= {"list", "get"}
    assert not set(names.values()) & set(statuses_by_name(emulator))
    assert not (work / "radius-host").exists(), "check mode wrote on the RADIUS host"


def test_a_ca_that_asp_fails_stops_its_own_property_only(
    emulator, work_dir, radius_ca_paths, only_the_given_connection
):
    """The CAs go out in one module run; the one ASP fails fails its property, with the reason."""
    work = work_dir / "one-fails"
    names = {"north": "API-use north", "south": "API-use south", "west": "API-use west"}
    emulator.add_fault({"operation": "create", "kind": "fail_create", "count": 1})
    try:
        run = run_playbook(
            PLAYBOOK, inventory(work, radius_ca_paths, names), work, env=emulator.connection_env()
        )
    finally:
        emulator.clear_faults()

    failed = [host for host, counts in run.recap.items() if counts["failed"]]
    assert len(failed) == 1, run.output[-6000:]
    assert run.returncode != 0
    assert "ended in status FAILED" in run.output, run.output[-6000:]
    statuses = statuses_by_name(emulator)
    assert statuses[names[failed[0]]] == ["FAILED"], statuses
    for host in set(names) - set(failed):
        assert statuses[names[host]] == ["ACTIVE"], statuses
        assert run.recap[host]["changed"] > 0, run.output[-6000:]
        assert (work / "radius-host" / "trust.d" / f"property-{host}.pem").is_file()
    assert not (work / "radius-host" / "trust.d" / f"property-{failed[0]}.pem").exists()
