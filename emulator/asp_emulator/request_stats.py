"""Counts of service requests by operation and status, and of token requests."""

from __future__ import annotations

import threading
from collections import defaultdict


class RequestStats:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._requests: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        self._token_requests: dict[str, int] = defaultdict(int)

    def record(self, operation: str, outcome: str) -> None:
        """`outcome` is the status code, or `dropped`/`stalled` when no answer was sent."""
        with self._lock:
            if operation == "token":
                self._token_requests[outcome] += 1
            else:
                self._requests[operation][outcome] += 1

    def snapshot(self) -> dict[str, object]:
        with self._lock:
            requests = {
                operation: dict(outcomes) for operation, outcomes in self._requests.items()
            }
            token_responses = dict(self._token_requests)
        token_requests = sum(token_responses.values())
        service_requests = sum(sum(outcomes.values()) for outcomes in requests.values())
        return {
            "requests": requests,
            "token_requests": token_requests,
            "token_responses": token_responses,
            "total": service_requests + token_requests,
        }

    def reset(self) -> None:
        with self._lock:
            self._requests.clear()
            self._token_requests.clear()
