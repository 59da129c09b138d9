"""Run one ansible-playbook and measure its wall time, peak memory and tasks."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SAMPLE_INTERVAL_SECONDS = 0.2


@dataclass
class PlaybookRun:
    return_code: int
    wall_seconds: float
    # The largest single process (ansible-playbook or a worker), from the kernel.
    peak_rss_largest_mib: float
    # All of ansible-playbook's processes together, sampled every SAMPLE_INTERVAL_SECONDS, as
    # proportional set size: forked workers share pages, and RSS would count them again.
    peak_pss_tree_mib: float
    task_stats: dict[str, Any] = field(default_factory=dict)


def _descendants(pid: int) -> list[int]:
    found = [pid]
    index = 0
    while index < len(found):
        current = found[index]
        index += 1
        try:
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            continue
        found.extend(int(child) for child in children)
    return found


def _pss_kib(pid: int) -> int:
    try:
        rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return 0
    for line in rollup.splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1])
    return 0


def _tree_pss_kib(pid: int) -> int:
    return sum(_pss_kib(member) for member in _descendants(pid))


class _TreeMemorySampler(threading.Thread):
    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self._pid = pid
        self._stop_sampling = threading.Event()
        self.peak_kib = 0

    def run(self) -> None:
        while not self._stop_sampling.is_set():
            self.peak_kib = max(self.peak_kib, _tree_pss_kib(self._pid))
            self._stop_sampling.wait(SAMPLE_INTERVAL_SECONDS)

    def stop(self) -> None:
        self._stop_sampling.set()
        self.join()


def _stop_group(process: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(process.pid, signal.SIGTERM)
    except ProcessLookupError:
        pass


def run_playbook(
    command: list[str],
    environment: dict[str, str],
    log_path: Path,
    stats_path: Path,
    timeout_seconds: float,
) -> PlaybookRun:
    """Run `command` (an ansible-playbook command line); its output goes to `log_path`.

    A run that outlasts `timeout_seconds` is stopped, with all its workers, and returns
    the exit code of the signal.
    """
    stats_path.unlink(missing_ok=True)
    env = {**environment, "BENCH_STATS_FILE": str(stats_path)}
    with log_path.open("wb") as log:
        started = time.perf_counter()
        process = subprocess.Popen(
            command, stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True
        )
        sampler = _TreeMemorySampler(process.pid)
        sampler.start()
        watchdog = threading.Timer(timeout_seconds, _stop_group, args=(process,))
        watchdog.start()
        try:
            # wait4 rather than Popen.wait: it also returns the rusage of the tree it reaped.
            _, status, usage = os.wait4(process.pid, 0)
        except BaseException:
            _stop_group(process)
            process.wait()
            raise
        finally:
            watchdog.cancel()
            sampler.stop()
        wall_seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    task_stats = json.loads(stats_path.read_text()) if stats_path.exists() else {}
    return PlaybookRun(
        return_code=process.returncode,
        wall_seconds=wall_seconds,
        peak_rss_largest_mib=usage.ru_maxrss / 1024,
        peak_pss_tree_mib=sampler.peak_kib / 1024,
        task_stats=task_stats,
    )
