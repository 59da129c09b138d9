"""Run ansible-playbook as a user would, against the collection copy `make collection` made."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[3]
COLLECTIONS_PATH = REPOSITORY / ".build"
COLLECTION = COLLECTIONS_PATH / "ansible_collections" / "asp" / "enterprise_wifi"
ANSIBLE_PLAYBOOK = Path(sys.executable).with_name("ansible-playbook")
TRACEBACK = "Traceback (most recent call last)"
_RECAP_LINE = re.compile(r"^(\S+)\s+:\s+((?:\w+=\d+\s*)+)$")


def ensure_collection() -> None:
    """Refresh the collection copy so a test never runs yesterday's code."""
    subprocess.run(["make", "-s", "collection"], cwd=REPOSITORY, check=True)


def ansible_environment(workdir: Path, extra: dict[str, str] | None = None) -> dict[str, str]:
    """An environment that isolates ansible from the user's own configuration."""
    environment = {
        key: value for key, value in os.environ.items() if not key.startswith(("ANSIBLE_", "ASP_"))
    }
    environment.update(
        {
            "ANSIBLE_CONFIG": str(workdir / "ansible.cfg"),
            "ANSIBLE_COLLECTIONS_PATH": str(COLLECTIONS_PATH),
            "ANSIBLE_HOME": str(workdir / ".ansible"),
            "ANSIBLE_LOCAL_TEMP": str(workdir / ".ansible" / "tmp"),
            "ANSIBLE_REMOTE_TEMP": str(workdir / ".ansible" / "remote-tmp"),
            "ANSIBLE_PYTHON_INTERPRETER": sys.executable,
            "ANSIBLE_NOCOLOR": "1",
            "ANSIBLE_FORCE_COLOR": "0",
            "ANSIBLE_RETRY_FILES_ENABLED": "0",
            "ANSIBLE_PIPELINING": "1",
            "ANSIBLE_HOST_KEY_CHECKING": "0",
            "PATH": f"{ANSIBLE_PLAYBOOK.parent}{os.pathsep}{os.environ.get('PATH', '')}",
        }
    )
    (workdir / "ansible.cfg").touch()
    environment.update(extra or {})
    return environment


@dataclass
class PlaybookRun:
    """What one ansible-playbook run printed and how it ended."""

    command: list[str]
    returncode: int
    stdout: str
    stderr: str
    seconds: float
    recap: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def output(self) -> str:
        return self.stdout + self.stderr

    def total(self, counter: str) -> int:
        return sum(host.get(counter, 0) for host in self.recap.values())

    def describe(self) -> str:
        """Enough of the run to debug a failed assertion from the pytest report alone."""
        return (
            f"$ {' '.join(self.command)}\nexit {self.returncode} after {self.seconds:.1f}s\n"
            f"--- stdout (last 6000 chars)\n{self.stdout[-6000:]}\n"
            f"--- stderr (last 3000 chars)\n{self.stderr[-3000:]}"
        )


def parse_recap(stdout: str) -> dict[str, dict[str, int]]:
    recap: dict[str, dict[str, int]] = {}
    if "PLAY RECAP" not in stdout:
        return recap
    tail = stdout.rpartition("PLAY RECAP")[2]
    for line in tail.splitlines()[1:]:
        match = _RECAP_LINE.match(line.strip())
        if match:
            counters = dict(pair.split("=") for pair in match.group(2).split())
            recap[match.group(1)] = {name: int(value) for name, value in counters.items()}
    return recap


def playbook_command(
    playbook: Path,
    inventory: Path,
    *,
    verbosity: int = 0,
    extra_args: list[str] | None = None,
) -> list[str]:
    command = [str(ANSIBLE_PLAYBOOK), "-i", str(inventory), str(playbook)]
    if verbosity:
        command.append("-" + "v" * verbosity)
    return command + (extra_args or [])


def run_playbook(
    playbook: Path,
    inventory: Path,
    workdir: Path,
    *,
    verbosity: int = 0,
    extra_args: list[str] | None = None,
    env: dict[str, str] | None = None,
    timeout: float = 900,
) -> PlaybookRun:
    command = playbook_command(playbook, inventory, verbosity=verbosity, extra_args=extra_args)
    started = time.monotonic()
    completed = subprocess.run(
        command,
        cwd=workdir,
        env=ansible_environment(workdir, env),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    run = PlaybookRun(
        command,
        completed.returncode,
        completed.stdout,
        completed.stderr,
        time.monotonic() - started,
        parse_recap(completed.stdout),
    )
    _keep_log(workdir, run)
    return run


def _keep_log(workdir: Path, run: PlaybookRun) -> None:
    """Every run's output stays beside the test's files, to debug a failure after the fact."""
    number = len(list(workdir.glob("ansible-playbook-*.log"))) + 1
    (workdir / f"ansible-playbook-{number}.log").write_text(
        f"$ {' '.join(run.command)}\nexit {run.returncode} after {run.seconds:.1f}s\n"
        f"--- stdout\n{run.stdout}\n--- stderr\n{run.stderr}\n"
    )


def _children(pid: int) -> list[int]:
    children = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        try:
            children.extend(int(child) for child in task.read_text().split())
        except OSError:
            continue
    return children


def kill_process_tree(pid: int) -> None:
    """SIGKILL a process and everything it forked, found by parentage, each by its id.

    Ansible's workers call setsid, so a process group does not hold them. Every process
    is stopped first so that none forks a new one while the tree is being read.
    """
    seen: set[int] = set()
    pending = [pid]
    while pending:
        current = pending.pop()
        if current in seen:
            continue
        seen.add(current)
        try:
            os.kill(current, signal.SIGSTOP)
        except ProcessLookupError:
            continue
        pending.extend(_children(current))
    for current in seen:
        try:
            os.kill(current, signal.SIGKILL)
        except ProcessLookupError:
            pass


class BackgroundPlaybook:
    """A run that goes on while the test disturbs the world around it."""

    def __init__(
        self,
        playbook: Path,
        inventory: Path,
        workdir: Path,
        *,
        env: dict[str, str] | None = None,
        log_name: str = "background-run.log",
    ) -> None:
        self.command = playbook_command(playbook, inventory)
        self._log_path = workdir / log_name
        self._started = time.monotonic()
        with self._log_path.open("w") as log:
            self._process = subprocess.Popen(  # pylint: disable=consider-using-with
                self.command,
                cwd=workdir,
                env=ansible_environment(workdir, env),
                stdout=log,
                stderr=subprocess.STDOUT,
            )

    def running(self) -> bool:
        return self._process.poll() is None

    def wait(self, timeout: float | None = None) -> PlaybookRun:
        """Raises subprocess.TimeoutExpired when the run outlives the timeout."""
        returncode = self._process.wait(timeout=timeout)
        output = self._log_path.read_text()
        seconds = time.monotonic() - self._started
        return PlaybookRun(self.command, returncode, output, "", seconds, parse_recap(output))

    def kill(self) -> PlaybookRun:
        """kill -9 the run with every worker and module it forked, as a power cut would.

        A worker left alive would keep calling the service behind the next run's back.
        """
        if self.running():
            kill_process_tree(self._process.pid)
        return self.wait()
