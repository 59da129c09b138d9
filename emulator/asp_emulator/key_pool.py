"""CA keys generated ahead of need, so a create rarely waits for RSA key generation."""

from __future__ import annotations

import queue
import threading

from cryptography.hazmat.primitives.asymmetric.types import CertificateIssuerPrivateKeyTypes

from asp_emulator.ca_keys import generate_private_key


class KeyPool:
    """Refilled by one background thread, started by the first create, so an emulator
    that never creates a CA never spends CPU on keys."""

    def __init__(self, key_type: str, size: int = 2) -> None:
        self._key_type = key_type
        self._size = size
        self._ready: queue.Queue[CertificateIssuerPrivateKeyTypes] = queue.Queue()
        self._wanted = threading.Event()
        self._start = threading.Lock()
        self._refiller: threading.Thread | None = None

    def take(self) -> CertificateIssuerPrivateKeyTypes:
        self._ensure_refiller()
        try:
            private_key = self._ready.get_nowait()
        except queue.Empty:
            private_key = generate_private_key(self._key_type)
        self._wanted.set()
        return private_key

    def _ensure_refiller(self) -> None:
        with self._start:
            if self._refiller is None and self._size > 0:
                self._refiller = threading.Thread(
                    target=self._refill, name="ca-key-pool", daemon=True
                )
                self._refiller.start()

    def _refill(self) -> None:
        while True:
            self._wanted.wait()
            self._wanted.clear()
            while self._ready.qsize() < self._size:
                self._ready.put(generate_private_key(self._key_type))
