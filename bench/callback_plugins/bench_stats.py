# Copyright: asp.enterprise_wifi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Counts the tasks a playbook runs and how long each takes, for the benchmark."""

from __future__ import annotations

DOCUMENTATION = """
name: bench_stats
type: aggregate
short_description: Write task counts and per-task wall time to a JSON file
description:
  - Counts task starts and per-host task results (ok, changed, skipped, failed) and
    measures the wall time of each task, from its start to the start of the next one.
  - Writes them to the file named by the environment variable C(BENCH_STATS_FILE).
requirements:
  - enabled through C(ANSIBLE_CALLBACKS_ENABLED=bench_stats)
"""

import json
import os
import time
from collections import Counter
from typing import Any

from ansible.plugins.callback import CallbackBase


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "bench_stats"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self) -> None:
        super().__init__()
        self._started = time.monotonic()
        self._current: dict[str, Any] | None = None
        self._tasks: list[dict[str, Any]] = []
        self._results: Counter[str] = Counter()

    def _start(self, task: Any, kind: str) -> None:
        # Some meta tasks (flush_handlers) announce their start once per host.
        if self._current is not None and self._current["uuid"] == task._uuid:
            return
        self._finish_current()
        role = task._role.get_name() if task._role else ""
        self._current = {
            "name": task.get_name(),
            "role": role,
            "action": task.action,
            "kind": kind,
            "uuid": task._uuid,
            "started": time.monotonic(),
            "results": 0,
        }

    def _finish_current(self) -> None:
        if self._current is None:
            return
        self._current["seconds"] = time.monotonic() - self._current.pop("started")
        self._tasks.append(self._current)
        self._current = None

    def _count(self, outcome: str) -> None:
        self._results[outcome] += 1
        if self._current is not None:
            self._current["results"] += 1

    def v2_playbook_on_task_start(self, task: Any, is_conditional: bool) -> None:
        self._start(task, "task")

    def v2_playbook_on_handler_task_start(self, task: Any) -> None:
        self._start(task, "handler")

    def v2_playbook_on_play_start(self, play: Any) -> None:
        self._finish_current()

    def v2_runner_on_ok(self, result: Any) -> None:
        self._count("changed" if result._result.get("changed") else "ok")

    def v2_runner_on_failed(self, result: Any, ignore_errors: bool = False) -> None:
        self._count("ignored" if ignore_errors else "failed")

    def v2_runner_on_skipped(self, result: Any) -> None:
        self._count("skipped")

    def v2_runner_on_unreachable(self, result: Any) -> None:
        self._count("unreachable")

    def v2_playbook_on_stats(self, stats: Any) -> None:
        self._finish_current()
        path = os.environ.get("BENCH_STATS_FILE")
        if not path:
            return
        report = {
            "seconds": time.monotonic() - self._started,
            "task_starts": len(self._tasks),
            "task_results": sum(self._results.values()),
            "results": dict(self._results),
            "tasks": self._tasks,
        }
        with open(path, "w", encoding="utf-8") as stats_file:
            json.dump(report, stats_file, indent=1)
