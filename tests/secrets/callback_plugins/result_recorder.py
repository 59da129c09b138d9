# Copyright: asp.enterprise_wifi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Write every task result ansible hands to callbacks into one JSON-lines file.

This is what AWX and Automation Controller store as job events, so whatever reaches it
is kept and shown to everyone who can read the job. The secrets suite scans the file.
"""

from __future__ import annotations

import json
import os

from ansible.plugins.callback import CallbackBase

DOCUMENTATION = r"""
name: result_recorder
type: aggregate
short_description: Record every task result as JSON lines, for the secrets suite
description:
  - Appends one JSON object per task result to the file named by E(ASP_RESULT_RECORD).
options: {}
"""


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "result_recorder"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self) -> None:
        super().__init__()
        self._path = os.environ.get("ASP_RESULT_RECORD", "")

    def _record(self, outcome: str, result) -> None:
        if not self._path:
            return
        event = {
            "outcome": outcome,
            "host": result.host.get_name(),
            "task": result.task.get_name(),
            "result": result.result,
        }
        with open(self._path, "a", encoding="utf-8") as record:
            record.write(json.dumps(event, default=str) + "\n")

    def v2_runner_on_ok(self, result) -> None:
        self._record("ok", result)

    def v2_runner_on_failed(self, result, ignore_errors=False) -> None:
        self._record("failed", result)

    def v2_runner_on_skipped(self, result) -> None:
        self._record("skipped", result)

    def v2_runner_item_on_ok(self, result) -> None:
        self._record("item ok", result)

    def v2_runner_item_on_failed(self, result) -> None:
        self._record("item failed", result)
