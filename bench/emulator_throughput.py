"""How many GET and create requests per second the emulator answers on this machine.

A benchmark, not a test: it measures and reports, it asserts nothing. Run it with
`make bench-emulator` or `python bench/emulator_throughput.py --duration 10`; the numbers
it measured go to bench/results/emulator-throughput.md.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable
from urllib.parse import urlsplit

from asp_emulator.testing import EmulatorProcess, running_emulator

SERVICE = "/v1/enterprise/certificateAuthorities"
RESULTS = Path(__file__).resolve().parent / "results" / "emulator-throughput.md"
GET_TARGET_PER_SECOND = 300


@dataclass(frozen=True)
class Measurement:
    scenario: str
    clients: int
    requests: int
    seconds: float
    failures: int
    latencies_ms: list[float]
    emulator_cpu_seconds: float | None

    @property
    def per_cpu_second(self) -> float | None:
        """Requests per second of emulator CPU: what one free core would sustain."""
        if not self.emulator_cpu_seconds:
            return None
        return self.requests / self.emulator_cpu_seconds

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, fraction: float) -> float:
        if not self.latencies_ms:
            return 0.0
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def _creation_body(number: int) -> bytes:
    return json.dumps(
        {
            "friendlyName": {"type": "PLAIN", "value": {"text": f"Bench network {number}"}},
            "rotationPeriod": {"value": 6, "interval": "MONTHS"},
        }
    ).encode("utf-8")


Request = Callable[[http.client.HTTPConnection, int], int]


def _cpu_seconds(pid: int) -> float | None:
    """User plus system CPU time of a process, from /proc (Linux only)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _measure(
    emulator: EmulatorProcess, scenario: str, request: Request, clients: int, duration: float
) -> Measurement:
    """`clients` threads, each on its own keep-alive connection, for `duration` seconds."""
    address = urlsplit(emulator.url)
    latencies: list[list[float]] = [[] for _ in range(clients)]
    failures = [0] * clients
    start = threading.Barrier(clients + 1)
    stop_at: list[float] = [0.0]

    def client(index: int) -> None:
        connection = http.client.HTTPConnection(address.hostname, address.port, timeout=30)
        start.wait()
        number = 0
        while time.perf_counter() < stop_at[0]:
            sent = time.perf_counter()
            status = request(connection, index * 1_000_000 + number)
            latencies[index].append((time.perf_counter() - sent) * 1000)
            if status >= 400:
                failures[index] += 1
            number += 1
        connection.close()

    threads = [threading.Thread(target=client, args=(index,)) for index in range(clients)]
    for thread in threads:
        thread.start()
    assert emulator.process is not None
    cpu_before = _cpu_seconds(emulator.process.pid)
    began = time.perf_counter()
    stop_at[0] = began + duration
    start.wait()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    cpu_after = _cpu_seconds(emulator.process.pid)
    cpu = cpu_after - cpu_before if cpu_before is not None and cpu_after is not None else None
    flat = [latency for per_client in latencies for latency in per_client]
    return Measurement(scenario, clients, len(flat), elapsed, sum(failures), flat, cpu)


def _call(
    connection: http.client.HTTPConnection,
    method: str,
    path: str,
    headers: dict[str, str],
    body: bytes | None = None,
) -> int:
    connection.request(method, path, body=body, headers=headers)
    response = connection.getresponse()
    response.read()
    return response.status


def _scenarios(
    emulator: EmulatorProcess, clients: int, duration: float, label: str
) -> list[Measurement]:
    headers = {
        "Authorization": f"Bearer {emulator.mint_token(lifetime=86400)}",
        "Accept": "application/json",
        "Content-Type": "application/json",
    }
    status, created = emulator.request(
        "POST", SERVICE, json.loads(_creation_body(0)), headers=headers
    )
    assert status == 201, created
    one_ca = f"{SERVICE}/{created['id']}?expand=all"
    for number in range(1, 10):
        emulator.request("POST", SERVICE, json.loads(_creation_body(number)), headers=headers)

    def get(connection: http.client.HTTPConnection, _number: int) -> int:
        return _call(connection, "GET", one_ca, headers)

    def list_page(connection: http.client.HTTPConnection, _number: int) -> int:
        return _call(connection, "GET", f"{SERVICE}?expand=all&maxResults=10", headers)

    def create(connection: http.client.HTTPConnection, number: int) -> int:
        return _call(connection, "POST", SERVICE, headers, _creation_body(number))

    _measure(emulator, "warm-up", get, clients, min(1.0, duration))
    return [
        _measure(emulator, f"GET one CA, expand=all ({label})", get, clients, duration),
        _measure(emulator, f"GET list of 10, expand=all ({label})", list_page, clients, duration),
        _measure(emulator, f"POST create ({label})", create, clients, duration),
    ]


def _start_up_seconds(attempts: int) -> list[float]:
    """Seconds from exec to the URL line on stdout, the moment it accepts connections."""
    timings = []
    for _ in range(attempts):
        began = time.perf_counter()
        process = subprocess.Popen(
            [sys.executable, "-m", "asp_emulator", "--port", "0", "--quiet"],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        assert process.stdout is not None
        process.stdout.readline()
        timings.append(time.perf_counter() - began)
        process.terminate()
        process.wait()
    return timings


def _report(measurements: list[Measurement], duration: float, start_up: list[float]) -> str:
    load = os.getloadavg() if hasattr(os, "getloadavg") else (0.0, 0.0, 0.0)
    lines = [
        "# Emulator throughput",
        "",
        f"Measured {datetime.now(timezone.utc).strftime('%Y-%m-%d %H:%M UTC')} by "
        "`bench/emulator_throughput.py` on this machine: "
        f"{os.cpu_count()} CPUs, Python {platform.python_version()}, "
        f"load average {load[0]:.2f} at the end (the cores are shared with whatever else ran).",
        f"Each scenario ran {duration:g} s with every client on its own keep-alive "
        "connection; client and emulator share the same cores. uvicorn runs one worker.",
        "",
        "`requests/s` is what this machine gave at the time; `per CPU second` is requests "
        "divided by the emulator's own CPU time, what it sustains with one free core "
        "(one uvicorn worker uses one core at most).",
        "",
        "| scenario | clients | requests | requests/s | per CPU second | p50 ms | p95 ms "
        "| errors |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for measurement in measurements:
        per_cpu = measurement.per_cpu_second
        lines.append(
            f"| {measurement.scenario} | {measurement.clients} | {measurement.requests} | "
            f"{measurement.per_second:.0f} | {f'{per_cpu:.0f}' if per_cpu else 'n/a'} | "
            f"{measurement.percentile(0.5):.1f} | {measurement.percentile(0.95):.1f} | "
            f"{measurement.failures} |"
        )
    gets = [m for m in measurements if m.scenario.startswith("GET one CA")]
    measured = [m.per_second for m in gets]
    sustainable = [m.per_cpu_second for m in gets if m.per_cpu_second]
    verdict = "meets" if measured and min(measured) >= GET_TARGET_PER_SECOND else "misses"
    lines += [
        "",
        f"The aim is at least {GET_TARGET_PER_SECOND} GET requests per second on 2 cores. "
        f"Measured under this load, the slowest GET run {verdict} it "
        f"({min(measured) if measured else 0:.0f}/s); by the emulator's CPU time one core "
        f"sustains {min(sustainable) if sustainable else 0:.0f} to "
        f"{max(sustainable) if sustainable else 0:.0f} GET/s.",
        f"Start-up, from exec to the URL line, over {len(start_up)} starts: fastest "
        f"{min(start_up):.2f} s, slowest {max(start_up):.2f} s (the aim is under 2 s).",
        "A create takes its CA key from a pool of two that a background thread refills, "
        "so a burst of creates is quick but sustained create throughput is bounded by "
        "RSA 2048 key generation (P-256 with `--key-type ec`).",
        "",
    ]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=5.0, help="seconds per scenario")
    parser.add_argument("--clients", type=int, default=4, help="concurrent connections")
    parser.add_argument("--output", type=Path, default=RESULTS, help="the Markdown report")
    arguments = parser.parse_args()

    measurements: list[Measurement] = []
    for label, options in (
        ("request log on, RSA keys", {}),
        ("--quiet, EC keys", {"quiet": True, "key_type": "ec"}),
    ):
        with running_emulator(creation_delay=0, **options) as emulator:
            measurements += _scenarios(emulator, arguments.clients, arguments.duration, label)

    report = _report(measurements, arguments.duration, _start_up_seconds(5))
    arguments.output.parent.mkdir(parents=True, exist_ok=True)
    arguments.output.write_text(report, encoding="utf-8")
    sys.stdout.write(report)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
