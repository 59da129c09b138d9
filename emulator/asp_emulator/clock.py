"""The emulator's clock: real time plus an offset that tests move forward."""

from __future__ import annotations

import threading
import time
from datetime import datetime, timezone
from typing import Callable


def isoformat(timestamp: float) -> str:
    """ISO 8601 UTC to the second, as the reference writes `createdAt`."""
    moment = datetime.fromtimestamp(int(timestamp), tz=timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


class EmulatorClock:
    """Drives token expiry, CA statuses and certificate validity checks."""

    def __init__(self, offset_seconds: float, persist: Callable[[float], None]) -> None:
        self._offset = offset_seconds
        self._persist = persist
        self._lock = threading.Lock()

    def now(self) -> float:
        return time.time() + self._offset

    def now_datetime(self) -> datetime:
        return datetime.fromtimestamp(self.now(), tz=timezone.utc)

    def advance(self, seconds: float) -> float:
        with self._lock:
            self._offset += seconds
            self._persist(self._offset)
        return self.now()
