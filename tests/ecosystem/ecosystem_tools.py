"""Running the ecosystem's command-line tools from the test suite."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
# The tools come from the virtual environment that runs pytest, never from whatever
# else happens to be on PATH.
TOOLS_DIR = Path(sys.executable).parent


def tool_environment(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The test's environment with the virtual environment's tools first on PATH."""
    environment = dict(os.environ)
    environment["PATH"] = f"{TOOLS_DIR}{os.pathsep}{environment.get('PATH', '')}"
    environment.update(extra or {})
    return environment


def run_tool(
    command: Sequence[str],
    *,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
    timeout: float = 600,
    check: bool = True,
) -> subprocess.CompletedProcess[str]:
    """Run a tool; with `check`, a non-zero exit fails the test with everything it printed."""
    completed = subprocess.run(
        list(command),
        cwd=cwd,
        env=tool_environment(env),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if check and completed.returncode != 0:
        pytest.fail(
            f"{' '.join(command)} exited {completed.returncode}\n"
            f"--- stdout\n{completed.stdout}\n--- stderr\n{completed.stderr}",
            pytrace=False,
        )
    return completed
