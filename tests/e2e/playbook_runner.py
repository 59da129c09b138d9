"""Run the collection's playbooks with `ansible-playbook`, as a user would, and read the recap."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[2]
ANSIBLE_PLAYBOOK = str(Path(sys.executable).with_name("ansible-playbook"))
_RECAP_LINE = re.compile(
    r"^(?P<host>\S+)\s+:\s+ok=(?P<ok>\d+)\s+changed=(?P<changed>\d+)\s+"
    r"unreachable=(?P<unreachable>\d+)\s+failed=(?P<failed>\d+)\s+skipped=(?P<skipped>\d+)",
    re.MULTILINE,
)


@dataclass
class PlaybookRun:
    returncode: int
    output: str

    @property
    def recap(self) -> dict[str, dict[str, int]]:
        """Per host, the PLAY RECAP counts (ok, changed, unreachable, failed, skipped)."""
        tail = self.output.rsplit("PLAY RECAP", 1)[-1]
        return {
            match["host"]: {
                key: int(match[key])
                for key in ("ok", "changed", "unreachable", "failed", "skipped")
            }
            for match in _RECAP_LINE.finditer(tail)
        }

    def changed_hosts(self) -> dict[str, int]:
        return {
            host: counts["changed"] for host, counts in self.recap.items() if counts["changed"]
        }


def collections_path(directory: Path) -> Path:
    """An `ansible_collections/asp/enterprise_wifi` tree that points at this repository."""
    if ":" in str(directory):
        raise ValueError(f"{directory}: ANSIBLE_COLLECTIONS_PATH cannot hold a path with ':'")
    namespace = directory / "ansible_collections" / "asp"
    namespace.mkdir(parents=True, exist_ok=True)
    link = namespace / "enterprise_wifi"
    if not link.exists():
        link.symlink_to(REPOSITORY, target_is_directory=True)
    return directory


def run_playbook(
    playbook: Path,
    inventory: dict,
    work: Path,
    *,
    env: dict[str, str],
    extra_vars: dict | None = None,
    limit: str | None = None,
    check: bool = False,
    timeout: float = 600,
) -> PlaybookRun:
    """Write `inventory` as JSON under `work` and run `playbook` against it."""
    work.mkdir(parents=True, exist_ok=True)
    inventory_path = work / "inventory.json"
    inventory_path.write_text(json.dumps(inventory, indent=2))
    command = [ANSIBLE_PLAYBOOK, "-i", str(inventory_path), str(playbook)]
    if extra_vars:
        command += ["--extra-vars", json.dumps(extra_vars)]
    if limit:
        command += ["--limit", limit]
    if check:
        command.append("--check")
    run_env = {
        **os.environ,
        "ANSIBLE_COLLECTIONS_PATH": str(collections_path(work / "collections")),
        "ANSIBLE_NOCOLOR": "1",
        "ANSIBLE_RETRY_FILES_ENABLED": "0",
        "ANSIBLE_LOCAL_TEMP": str(work / "ansible-tmp"),
        "ANSIBLE_FORKS": "10",
        "ANSIBLE_PIPELINING": "1",
        **env,
    }
    completed = subprocess.run(
        command,
        env=run_env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        cwd=work,
    )
    return PlaybookRun(completed.returncode, completed.stdout + completed.stderr)
