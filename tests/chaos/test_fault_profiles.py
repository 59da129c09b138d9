"""Roll out many properties under each fault profile, then check that nothing is lost or doubled.

CHAOS_SIZE sets how many properties each profile rolls out (the CI default is small;
`make test-chaos CHAOS_SIZE=20` is the full run) and CHAOS_SEED the seed every random
choice derives from. Both are printed: a failure is replayed with the same values. The
seed fixes which requests fail and when things are killed, not how ansible's forks
interleave, so a replay is close to, not identical with, the original.
"""

from __future__ import annotations

import os
import random
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from asp_emulator.testing import EmulatorProcess, running_emulator

from rollout_harness.inventory import RolloutLayout, property_name, write_rollout
from rollout_harness.invariants import rollout_problems
from rollout_harness.pki import write_radius_ca
from rollout_harness.playbook import BackgroundPlaybook, PlaybookRun, run_playbook
from rollout_harness.service import certificate_authorities, successful_writes

CHAOS_SIZE = int(os.environ.get("CHAOS_SIZE", "5"))
CHAOS_SEED = int(os.environ.get("CHAOS_SEED", "4242"))
CREATION_DELAY = 1.0
# Generous retries: the profiles fail up to 30 % of requests, and the point is to see the
# rollout converge, not to see a retry budget run out.
RETRIES = 8
# Points of a run where a crash hurts most: between a create and its answer, between
# signing and importing, while the trust store is written or the server restarted.
CRASH_POINTS = (
    "Create the CA",
    "Sign the CA's CSR",
    "Import the signed certificate",
    "Write the CA certificate",
    "Assemble",
    "Restart the RADIUS",
)
PLAYBOOK_KILLS = 5
EMULATOR_KILLS = 2


@dataclass(frozen=True)
class FaultProfile:
    name: str
    faults: tuple[dict, ...] = ()
    timeout: float = 10
    disturbance: str = "none"


PROFILES = (
    FaultProfile(
        "throttled_with_retry_after",
        (
            {"operation": "*", "kind": "429", "rate": 0.3, "retry_after": 1},
            {"operation": "token", "kind": "429", "rate": 0.3, "retry_after": 1},
        ),
    ),
    FaultProfile(
        "throttled_without_retry_after",
        (
            {"operation": "*", "kind": "429", "rate": 0.3},
            {"operation": "token", "kind": "429", "rate": 0.3},
        ),
    ),
    # Rules are tried in order: 2 % dropped, then about 5 % each of 500 and 503.
    FaultProfile(
        "server_errors_and_drops",
        (
            {"operation": "*", "kind": "drop", "rate": 0.02},
            {"operation": "*", "kind": "500", "rate": 0.051},
            {"operation": "*", "kind": "503", "rate": 0.054},
        ),
    ),
    FaultProfile("lost_creates", ({"operation": "create", "kind": "lost_create", "rate": 0.5},)),
    # A stall outlasts the 3 s client timeout many times over.
    FaultProfile(
        "stalls",
        (
            {"operation": "*", "kind": "stall", "rate": 0.1, "seconds": 30},
            {"operation": "token", "kind": "stall", "rate": 0.1, "seconds": 30},
        ),
        timeout=3,
    ),
    FaultProfile("emulator_killed", disturbance="emulator_crash"),
    FaultProfile("playbook_killed", disturbance="playbook_crash"),
)


@dataclass
class Rollout:
    """One profile's world: the emulator, the RADIUS CA files and the inventory."""

    emulator: EmulatorProcess
    layout: RolloutLayout
    property_names: list[str]
    env: dict[str, str]
    rng: random.Random

    def run(self) -> PlaybookRun:
        return run_playbook(
            self.layout.playbook, self.layout.inventory, self.layout.workdir, env=self.env
        )

    def start(self, log_name: str) -> BackgroundPlaybook:
        return BackgroundPlaybook(
            self.layout.playbook,
            self.layout.inventory,
            self.layout.workdir,
            env=self.env,
            log_name=log_name,
        )


def _wait_for_crash_point(run: BackgroundPlaybook, log_path: Path, point: str) -> bool:
    """Wait until the run starts the task at point; False when it ended first."""
    while run.running():
        if f"TASK [asp.enterprise_wifi.ca_rollout : {point}" in log_path.read_text():
            return True
        time.sleep(0.1)
    return False


def _rollout_with_playbook_crashes(rollout: Rollout) -> PlaybookRun:
    for kill in range(1, PLAYBOOK_KILLS + 1):
        point = rollout.rng.choice(CRASH_POINTS)
        delay = rollout.rng.uniform(0.0, 2.0)
        log_name = f"killed-run-{kill}.log"
        run = rollout.start(log_name)
        reached = _wait_for_crash_point(run, rollout.layout.workdir / log_name, point)
        time.sleep(delay)
        killed = run.kill()
        print(
            f"kill -9 {kill} of {PLAYBOOK_KILLS}: {delay:.2f} s after '{point}' "
            f"({'reached' if reached else 'run ended first'}), exit {killed.returncode}"
        )
    return rollout.run()


def _rollout_with_emulator_crashes(rollout: Rollout) -> PlaybookRun:
    run = rollout.start("run-during-emulator-crashes.log")
    points = rollout.rng.sample(CRASH_POINTS[:4], EMULATOR_KILLS)
    for crash, point in enumerate(points, start=1):
        reached = _wait_for_crash_point(
            run, rollout.layout.workdir / "run-during-emulator-crashes.log", point
        )
        delay = rollout.rng.uniform(0.0, 1.5)
        downtime = rollout.rng.uniform(0.5, 2.0)
        time.sleep(delay)
        rollout.emulator.kill()
        time.sleep(downtime)
        rollout.emulator.restart()
        print(
            f"emulator kill -9 {crash} of {EMULATOR_KILLS}: {delay:.2f} s after '{point}' "
            f"({'reached' if reached else 'run ended first'}), down {downtime:.2f} s, "
            f"back at {rollout.emulator.url}"
        )
    return run.wait(timeout=900)


@pytest.mark.parametrize("profile", PROFILES, ids=[profile.name for profile in PROFILES])
def test_rollout_converges_under(profile: FaultProfile, workdir: Path) -> None:
    seed = CHAOS_SEED + PROFILES.index(profile)
    print(
        f"profile {profile.name}: CHAOS_SEED={CHAOS_SEED} (profile seed {seed}), "
        f"CHAOS_SIZE={CHAOS_SIZE}"
    )
    radius_ca = write_radius_ca(workdir / "radius-ca", passphrase="chaos radius passphrase")
    layout = RolloutLayout(workdir)
    names = [property_name(index, "chaos") for index in range(1, CHAOS_SIZE + 1)]
    connection = {"ca_rollout_timeout": profile.timeout, "ca_rollout_retries": RETRIES}
    write_rollout(layout, radius_ca, names, connection=connection)

    with running_emulator(
        creation_delay=CREATION_DELAY,
        fault=list(profile.faults),
        fault_seed=seed,
        db=str(workdir / "asp.db"),
    ) as emulator:
        env = {**emulator.connection_env(), "ANSIBLE_FORKS": str(min(CHAOS_SIZE, 10))}
        rollout = Rollout(emulator, layout, names, env, random.Random(seed))
        if profile.disturbance == "playbook_crash":
            first = _rollout_with_playbook_crashes(rollout)
        elif profile.disturbance == "emulator_crash":
            first = _rollout_with_emulator_crashes(rollout)
        else:
            first = rollout.run()
        print(
            f"rollout: exit {first.returncode} in {first.seconds:.1f} s; stats {emulator.stats()}"
        )
        assert first.returncode == 0, first.describe()
        assert first.total("failed") == 0, first.describe()

        # The audit reads the service with no fault in the way.
        emulator.clear_faults()
        problems = rollout_problems(
            certificate_authorities(emulator),
            names,
            radius_ca.authority.certificate,
            layout.trust_store,
        )
        assert not problems, "\n".join(problems)

        for rule in profile.faults:
            emulator.add_fault(rule)
        emulator.reset_stats()
        reloads = layout.reloads()
        again = rollout.run()
        print(
            f"re-run: exit {again.returncode} in {again.seconds:.1f} s; stats {emulator.stats()}"
        )
        assert again.returncode == 0, again.describe()
        assert again.total("changed") == 0, again.describe()
        assert successful_writes(emulator.stats()) == {}, again.describe()
        assert layout.reloads() == reloads, "the re-run restarted the RADIUS server"
