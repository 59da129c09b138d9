"""Run tasks that must be refused, and read what ansible said about the refusal."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from rollout_harness.playbook import TRACEBACK, PlaybookRun, run_playbook

_FAILED = re.compile(r"(?:fatal|failed): \[[^\]]+\][^:]*: FAILED! => ")
# Ansible's own files and the test's own inputs change on every run; only the rest counts.
_IGNORED_PARTS = {".ansible", "__pycache__"}
_IGNORED_SUFFIXES = (".log",)
_IGNORED_NAMES = {
    "playbook.yml",
    "inventory.yml",
    "ansible.cfg",
    "asp.db",
    "asp.db-wal",
    "asp.db-shm",
}


def task_playbook(tasks: list[dict], *, name: str = "A task that must be refused") -> str:
    play = {"name": name, "hosts": "localhost", "gather_facts": False, "tasks": tasks}
    return yaml.safe_dump([play], sort_keys=False, width=1000)


def run_tasks(
    workdir: Path, tasks: list[dict], *, env: dict[str, str], verbosity: int = 3
) -> PlaybookRun:
    """A one-play playbook on localhost; -vvv by default, the most a user shows in a bug report."""
    playbook = workdir / "playbook.yml"
    playbook.write_text(task_playbook(tasks))
    inventory = workdir / "inventory.yml"
    if not inventory.exists():
        inventory.write_text("all:\n  hosts:\n    localhost:\n      ansible_connection: local\n")
    run = run_playbook(playbook, inventory, workdir, verbosity=verbosity, env=env)
    (workdir / "ansible-playbook.log").write_text(run.describe())
    return run


def failures(run: PlaybookRun) -> list[dict]:
    """Every failed task result the default callback printed, decoded."""
    decoder = json.JSONDecoder()
    results = []
    for match in _FAILED.finditer(run.stdout):
        try:
            result, _ = decoder.raw_decode(run.stdout, match.end())
        except ValueError:
            continue
        results.append(result)
    return results


def failure_message(run: PlaybookRun) -> str:
    """The message of the one failed task; the assertion explains when there is not one."""
    found = failures(run)
    assert len(found) == 1, f"expected one failed task, found {len(found)}\n{run.describe()}"
    message = found[0].get("msg")
    assert isinstance(message, str) and message, f"the failure has no msg\n{run.describe()}"
    return message


def assert_refused(run: PlaybookRun, *keyword_groups: tuple[str, ...]) -> str:
    """The run failed in one task, with a message holding a word of every group, no traceback."""
    assert run.returncode != 0, f"the task was not refused\n{run.describe()}"
    assert TRACEBACK not in run.output, f"a Python traceback was printed\n{run.describe()}"
    assert "MODULE FAILURE" not in run.output, f"the module crashed\n{run.describe()}"
    message = failure_message(run)
    print(f"refused: {message}")
    lowered = message.lower()
    for group in keyword_groups:
        assert any(
            word.lower() in lowered for word in group
        ), f"the message does not name the problem (none of {group}): {message!r}"
    return message


def file_fingerprints(directory: Path) -> dict[str, tuple[int, str]]:
    """Mode and content hash of every file a test's subject could have written."""
    fingerprints = {}
    for path in sorted(directory.rglob("*")):
        relative = path.relative_to(directory)
        if (
            _IGNORED_PARTS.intersection(relative.parts)
            or path.name in _IGNORED_NAMES
            or path.name.endswith(_IGNORED_SUFFIXES)
        ):
            continue
        if path.is_file():
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            fingerprints[str(relative)] = (path.stat().st_mode & 0o7777, digest)
        elif path.is_dir():
            fingerprints[f"{relative}/"] = (path.stat().st_mode & 0o7777, "")
    return fingerprints
