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
import statistics
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
    began = time.perf_counter()
    stop_at[0] = began + duration
    start.wait()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    flat = [latency for per_client in latencies for latency in per_client]
    return Measurement(scenario, clients, len(flat), elapsed, sum(failures), flat)


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
    status, created = emulator.request("POST", SERVICE, json.loads(_creation_body(0)), headers=headers)
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


def _report(measurements: list[Measurement], duration: float) -> str:
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
        "| scenario | clients | requests | requests/s | p50 ms | p95 ms | errors |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for measurement in measurements:
        lines.append(
            f"| {measurement.scenario} | {measurement.clients} | {measurement.requests} | "
            f"{measurement.per_second:.0f} | {measurement.percentile(0.5):.1f} | "
            f"{measurement.percentile(0.95):.1f} | {measurement.failures} |"
        )
    gets = [m.per_second for m in measurements if m.scenario.startswith("GET one CA")]
    verdict = "meets" if gets and min(gets) >= GET_TARGET_PER_SECOND else "misses"
    lines += [
        "",
        f"The aim is at least {GET_TARGET_PER_SECOND} GET requests per second on 2 cores; "
        f"the slowest GET run here {verdict} it "
        f"({min(gets) if gets else 0:.0f}/s, median of runs "
        f"{statistics.median(gets) if gets else 0:.0f}/s).",
        "A create generates the CA's RSA 2048 key (or P-256 with `--key-type ec`) and its "
        "CSR in the request, which is what bounds create throughput.",
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

    report = _report(measurements, arguments.duration)
    arguments.output.parent.mkdir(parents=True, exist_ok=True)
    arguments.output.write_text(report, encoding="utf-8")
    sys.stdout.write(report)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
