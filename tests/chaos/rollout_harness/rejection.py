"""Run tasks that must be refused, and read what ansible said about the refusal."""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml

from rollout_harness.playbook import TRACEBACK, PlaybookRun, run_playbook

_FAILED = re.compile(r"(?:fatal|failed): \[[^\]]+\][^:]*: FAILED! => ")


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
    return run_playbook(playbook, inventory, workdir, verbosity=verbosity, env=env)


def failures(run: PlaybookRun) -> list[dict]:
    """Every failed task result the default callback printed, decoded."""
    decoder = json.JSONDecoder()
    results = []
    for match in _FAILED.finditer(run.stdout):
        try:
            result = decoder.raw_decode(run.stdout, match.end())[0]
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
