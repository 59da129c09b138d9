#!/usr/bin/env python3
"""Benchmark the rollout at scale: the collection's role against a hand-written playbook.

For every size N, each implementation gets its own emulator (no creation delay), its own
RADIUS CA and trust store, and runs the scenarios in order; the two implementations take
turns scenario by scenario, so that both see the same load on a shared machine. Each run
is measured for wall time, API and token requests (the emulator's statistics, reset
before each run), tasks (a callback) and the controller's peak memory.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from emulator_control import Emulator
from inventory import RadiusFiles, ca_name, property_host, write_inventory
from outcome_checks import certificates_by_name, check_outcome
from playbook_run import run_playbook
from radius_ca import make_radius_ca
from report import write_report
from scenarios import SCENARIOS, Scenario

BENCH_DIR = Path(__file__).resolve().parent
REPOSITORY = BENCH_DIR.parent
PLAYBOOKS = {
    "collection": Path("playbooks") / "rollout.yml",
    "handwritten": BENCH_DIR / "handwritten" / "rollout.yml",
}
# What ansible-playbook loads of the collection; copied once, so that one benchmark run
# measures one version even while the working tree changes.
COLLECTION_CONTENT = ("galaxy.yml", "meta", "plugins", "roles", "playbooks")


@dataclass
class Lane:
    """One implementation at one size, with everything it owns."""

    implementation: str
    workdir: Path
    emulator: Emulator
    radius: RadiusFiles
    certificates_before: dict[str, str] = field(default_factory=dict)
    ca_ids: dict[str, str] = field(default_factory=dict)


def _parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10,100,500", help="property counts, e.g. 10,100")
    parser.add_argument("--forks", type=int, default=5, help="ansible-playbook --forks")
    parser.add_argument(
        "--implementations", default=",".join(PLAYBOOKS), help="collection,handwritten"
    )
    parser.add_argument(
        "--scenarios",
        default=",".join(scenario.key for scenario in SCENARIOS),
        help="any of " + ",".join(scenario.key for scenario in SCENARIOS),
    )
    parser.add_argument("--output-dir", type=Path, default=BENCH_DIR / "results")
    parser.add_argument("--workdir", type=Path, help="kept after the run (default: a temp dir)")
    parser.add_argument(
        "--timeout", type=float, default=3600, help="seconds one playbook run may take"
    )
    parser.add_argument(
        "--working-tree",
        action="store_true",
        help="measure the collection as it is on disk, not as committed at HEAD",
    )
    parser.add_argument(
        "--report-from",
        type=Path,
        nargs="+",
        help="only rewrite the report from saved JSON files (runs of other sizes are merged)",
    )
    return parser.parse_args()


def _tool(name: str) -> str:
    beside_python = Path(sys.executable).parent / name
    found = str(beside_python) if beside_python.exists() else shutil.which(name)
    if not found:
        raise SystemExit(f"{name} is not installed; run `make venv` first")
    return found


def _commit(working_tree: bool) -> str:
    """The commit measured; with the working tree, marked when it differs from it."""
    described = subprocess.run(
        ["git", "-C", str(REPOSITORY), "describe", "--always"]
        + (["--dirty"] if working_tree else []),
        capture_output=True,
        text=True,
        check=False,
    )
    return described.stdout.strip() or "unknown"


def _snapshot_collection(root: Path, working_tree: bool) -> Path:
    """Copy the collection's content under root; returns the collections path.

    The committed HEAD by default, so that the report names exactly what it measured and
    half-saved edits in the working tree cannot break a run; the working tree on request.
    """
    collection = root / "collections" / "ansible_collections" / "asp" / "enterprise_wifi"
    collection.mkdir(parents=True, exist_ok=True)
    if not working_tree:
        archive = subprocess.run(
            ["git", "-C", str(REPOSITORY), "archive", "HEAD", *COLLECTION_CONTENT],
            capture_output=True,
            check=True,
        )
        subprocess.run(["tar", "-x", "-C", str(collection)], input=archive.stdout, check=True)
        return root / "collections"
    for name in COLLECTION_CONTENT:
        source = REPOSITORY / name
        if source.is_dir():
            shutil.copytree(
                source, collection / name, ignore=shutil.ignore_patterns("__pycache__")
            )
        elif source.exists():
            shutil.copy2(source, collection / name)
    return root / "collections"


def _playbook(implementation: str, collections: Path) -> Path:
    playbook = PLAYBOOKS[implementation]
    if playbook.is_absolute():
        return playbook
    return collections / "ansible_collections" / "asp" / "enterprise_wifi" / playbook


def _ansible_environment(workdir: Path, collections: Path, emulator: Emulator) -> dict[str, str]:
    return {
        **os.environ,
        **emulator.environment(),
        "ANSIBLE_COLLECTIONS_PATH": str(collections),
        "ANSIBLE_CALLBACK_PLUGINS": str(BENCH_DIR / "callback_plugins"),
        "ANSIBLE_CALLBACKS_ENABLED": "bench_stats",
        "ANSIBLE_NOCOLOR": "1",
        "ANSIBLE_RETRY_FILES_ENABLED": "0",
        "ANSIBLE_LOCAL_TEMP": str(workdir / "ansible-tmp"),
        "PATH": f"{Path(sys.executable).parent}:{os.environ.get('PATH', '')}",
    }


def _open_lane(stack: ExitStack, implementation: str, size: int, root: Path) -> Lane:
    workdir = root / f"n{size}-{implementation}"
    radius_dir = workdir / "radius"
    radius_dir.mkdir(parents=True)
    radius = RadiusFiles(
        ca_certificate=radius_dir / "radius-ca.pem",
        ca_key=radius_dir / "radius-ca.key",
        openssl_dir=radius_dir / "openssl",
        trust_store_dir=radius_dir / "asp-trust.d",
        trust_store=radius_dir / "asp-trust.pem",
    )
    make_radius_ca(radius.ca_certificate, radius.ca_key)
    emulator = stack.enter_context(Emulator(_tool("asp-emulator"), workdir))
    return Lane(implementation, workdir, emulator, radius)


def _run_scenario(
    lane: Lane, scenario: Scenario, size: int, forks: int, timeout: float, collections: Path
) -> dict[str, Any]:
    run_name = f"{scenario.key}"
    inventory = lane.workdir / f"inventory-{run_name}.json"
    write_inventory(
        inventory,
        size,
        scenario.name_generation,
        lane.radius,
        scenario.state,
        scenario.validity_days,
        lane.ca_ids if scenario.with_ids else {},
    )
    if scenario.clock_advance_seconds:
        lane.emulator.advance_clock(scenario.clock_advance_seconds)
    lane.emulator.reset_stats()
    command = [
        _tool("ansible-playbook"),
        "-i",
        str(inventory),
        "--forks",
        str(forks),
        str(_playbook(lane.implementation, collections)),
    ]
    load_before = os.getloadavg()[0]
    run = run_playbook(
        command,
        _ansible_environment(lane.workdir, collections, lane.emulator),
        lane.workdir / f"{run_name}.log",
        lane.workdir / f"{run_name}.tasks.json",
        timeout,
    )
    stats = lane.emulator.stats()
    authorities = lane.emulator.certificate_authorities()
    results = run.task_stats.get("results", {})
    check = (
        f"playbook failed (rc {run.return_code}), see {lane.workdir / (run_name + '.log')}"
        if run.return_code
        else check_outcome(
            scenario,
            size,
            authorities,
            lane.radius.trust_store,
            lane.certificates_before,
            results.get("changed", 0),
        )
    )
    lane.certificates_before = certificates_by_name(authorities)
    ids_by_name = {ca["friendlyName"]["value"]["text"]: ca["id"] for ca in authorities}
    for index in range(1, size + 1):
        found = ids_by_name.get(ca_name(index, scenario.name_generation))
        if found:
            lane.ca_ids.setdefault(property_host(index), found)
    requests = stats["requests"]
    return {
        "size": size,
        "forks": forks,
        "implementation": lane.implementation,
        "scenario": scenario.key,
        "wall_seconds": round(run.wall_seconds, 2),
        "api_requests": sum(sum(outcomes.values()) for outcomes in requests.values()),
        "requests_by_operation": {
            operation: sum(outcomes.values()) for operation, outcomes in sorted(requests.items())
        },
        "requests_by_status": requests,
        "token_requests": stats["token_requests"],
        "task_starts": run.task_stats.get("task_starts", 0),
        "task_results": run.task_stats.get("task_results", 0),
        "results": results,
        "peak_pss_tree_mib": round(run.peak_pss_tree_mib, 1),
        "peak_rss_largest_mib": round(run.peak_rss_largest_mib, 1),
        "return_code": run.return_code,
        # The machine is shared: the 1-minute load average, before and after the run.
        "load_average": [round(load_before, 1), round(os.getloadavg()[0], 1)],
        "check": check,
        "tasks": run.task_stats.get("tasks", []),
    }


def _merged_settings(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """One report's settings for several saved runs: each command and commit is named."""

    def each(key: str) -> str:
        return "` and `".join(dict.fromkeys(str(run.get(key, "unknown")) for run in runs))

    return {
        **runs[0],
        "started": min(run["started"] for run in runs),
        "command": each("command"),
        "commit": each("commit"),
        "sizes": sorted({size for run in runs for size in run["sizes"]}),
    }


def _exit_on_terminate(signal_number: int, frame: object) -> None:
    # SystemExit unwinds the ExitStack, which stops the emulators; the running playbook is
    # stopped by run_playbook on the way out.
    raise SystemExit(128 + signal_number)


def main() -> int:
    signal.signal(signal.SIGTERM, _exit_on_terminate)
    arguments = _parse_arguments()
    if arguments.report_from:
        runs = [json.loads(path.read_text()) for path in arguments.report_from]
        measurements = [measurement for run in runs for measurement in run["measurements"]]
        write_report(
            measurements, _merged_settings([run["settings"] for run in runs]), arguments.output_dir
        )
        return 0
    sizes = [int(size) for size in arguments.sizes.split(",") if size]
    implementations = [name for name in arguments.implementations.split(",") if name]
    unknown = set(implementations) - set(PLAYBOOKS)
    if unknown:
        raise SystemExit(f"unknown implementations: {', '.join(sorted(unknown))}")
    wanted = set(arguments.scenarios.split(","))
    scenarios = [scenario for scenario in SCENARIOS if scenario.key in wanted]
    started = datetime.datetime.now(datetime.timezone.utc)
    root = arguments.workdir or Path(tempfile.mkdtemp(prefix="asp-bench-"))
    # A run's lanes, inventories and emulator state would mix with an earlier run's.
    if root.exists() and any(root.iterdir()):
        raise SystemExit(f"--workdir {root} is not empty; give a new or empty directory")
    root.mkdir(parents=True, exist_ok=True)
    settings = {
        "started": started.isoformat(timespec="seconds"),
        "command": " ".join(["bench/run_bench.py", *sys.argv[1:]]),
        "sizes": sizes,
        "forks": arguments.forks,
        "implementations": implementations,
        "scenarios": [scenario.key for scenario in scenarios],
        "cpus": os.cpu_count(),
        "commit": _commit(arguments.working_tree),
        "workdir": str(root),
    }
    collections = _snapshot_collection(root, arguments.working_tree)
    measurements: list[dict[str, Any]] = []
    # Named by its sizes too, so that a run of another size on the same day keeps this one.
    size_names = "-".join(str(size) for size in sizes)
    raw_path = arguments.output_dir / f"rollout-{started:%Y-%m-%d}-n{size_names}.json"
    arguments.output_dir.mkdir(parents=True, exist_ok=True)
    print(f"benchmark work files in {root}", flush=True)
    for size in sizes:
        with ExitStack() as stack:
            lanes = [_open_lane(stack, name, size, root) for name in implementations]
            for turn, scenario in enumerate(scenarios):
                # Alternating who goes first keeps a busy moment from always hitting one.
                for lane in lanes if turn % 2 == 0 else reversed(lanes):
                    measurement = _run_scenario(
                        lane, scenario, size, arguments.forks, arguments.timeout, collections
                    )
                    measurements.append(measurement)
                    print(
                        f"N={size:<4} {lane.implementation:<12} {scenario.key:<14}"
                        f" {measurement['wall_seconds']:>8.1f} s"
                        f" {measurement['api_requests']:>6} requests"
                        f" {measurement['token_requests']:>3} tokens"
                        f" {measurement['task_results']:>6} task results"
                        f"  {measurement['check']}",
                        flush=True,
                    )
                    raw_path.write_text(
                        json.dumps({"settings": settings, "measurements": measurements}, indent=1)
                    )
    write_report(measurements, settings, arguments.output_dir)
    failed = [measurement for measurement in measurements if measurement["check"] != "ok"]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
