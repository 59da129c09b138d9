"""Certificate authorities, access tokens and settings in SQLite (stdlib, WAL mode)."""

from __future__ import annotations

import sqlite3
import threading
from dataclasses import dataclass
from typing import Iterator

_SCHEMA = """
CREATE TABLE IF NOT EXISTS settings (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS certificate_authorities (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    friendly_name TEXT NOT NULL,
    rotation_value INTEGER NOT NULL,
    rotation_interval TEXT NOT NULL,
    created_at REAL NOT NULL,
    updated_at REAL NOT NULL,
    ready_at REAL NOT NULL,
    creation_fails INTEGER NOT NULL,
    key_type TEXT NOT NULL,
    private_key_pem TEXT,
    csr_der BLOB,
    certificate_der BLOB,
    certificate_chain_pem TEXT,
    not_before REAL,
    not_after REAL
);
CREATE TABLE IF NOT EXISTS access_tokens (
    token_hash TEXT PRIMARY KEY,
    scopes TEXT NOT NULL,
    expires_at REAL NOT NULL
);
"""


@dataclass(frozen=True)
class CertificateAuthorityRecord:
    """One CA row. Status is not stored: it follows from the timestamps and the clock."""

    seq: int
    id: str
    friendly_name: str
    rotation_value: int
    rotation_interval: str
    created_at: float
    updated_at: float
    ready_at: float
    creation_fails: bool
    key_type: str
    private_key_pem: str | None
    csr_der: bytes | None
    certificate_der: bytes | None
    certificate_chain_pem: str | None
    not_before: float | None
    not_after: float | None


_COLUMNS = (
    "seq, id, friendly_name, rotation_value, rotation_interval, created_at, updated_at, "
    "ready_at, creation_fails, key_type, private_key_pem, csr_der, certificate_der, "
    "certificate_chain_pem, not_before, not_after"
)


def _record(row: tuple) -> CertificateAuthorityRecord:
    values = list(row)
    values[8] = bool(values[8])
    return CertificateAuthorityRecord(*values)


class EmulatorStore:
    """One connection shared by every thread, serialised by a lock."""

    def __init__(self, path: str | None) -> None:
        self._lock = threading.Lock()
        self._connection = sqlite3.connect(
            path or ":memory:", check_same_thread=False, isolation_level=None
        )
        with self._lock:
            self._connection.execute("PRAGMA journal_mode=WAL")
            # NORMAL survives a killed process (the WAL is in the OS page cache); only a
            # power cut could lose the last commits.
            self._connection.execute("PRAGMA synchronous=NORMAL")
            self._connection.executescript(_SCHEMA)

    def close(self) -> None:
        with self._lock:
            self._connection.close()

    def setting(self, name: str) -> str | None:
        with self._lock:
            row = self._connection.execute(
                "SELECT value FROM settings WHERE name = ?", (name,)
            ).fetchone()
        return row[0] if row else None

    def set_setting(self, name: str, value: str) -> None:
        with self._lock:
            self._connection.execute(
                "INSERT INTO settings (name, value) VALUES (?, ?) "
                "ON CONFLICT(name) DO UPDATE SET value = excluded.value",
                (name, value),
            )

    def insert_certificate_authority(
        self,
        *,
        certificate_authority_id: str,
        friendly_name: str,
        rotation_value: int,
        rotation_interval: str,
        created_at: float,
        ready_at: float,
        creation_fails: bool,
        key_type: str,
        private_key_pem: str | None,
        csr_der: bytes | None,
    ) -> None:
        with self._lock:
            self._connection.execute(
                "INSERT INTO certificate_authorities (id, friendly_name, rotation_value, "
                "rotation_interval, created_at, updated_at, ready_at, creation_fails, "
                "key_type, private_key_pem, csr_der) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    certificate_authority_id,
                    friendly_name,
                    rotation_value,
                    rotation_interval,
                    created_at,
                    created_at,
                    ready_at,
                    int(creation_fails),
                    key_type,
                    private_key_pem,
                    csr_der,
                ),
            )

    def certificate_authority(
        self, certificate_authority_id: str
    ) -> CertificateAuthorityRecord | None:
        with self._lock:
            row = self._connection.execute(
                f"SELECT {_COLUMNS} FROM certificate_authorities WHERE id = ?",
                (certificate_authority_id,),
            ).fetchone()
        return _record(row) if row else None

    def certificate_authorities_after(
        self, seq: int, limit: int
    ) -> list[CertificateAuthorityRecord]:
        with self._lock:
            rows = self._connection.execute(
                f"SELECT {_COLUMNS} FROM certificate_authorities WHERE seq > ? "
                "ORDER BY seq LIMIT ?",
                (seq, limit),
            ).fetchall()
        return [_record(row) for row in rows]

    def update_certificate_authority(
        self,
        certificate_authority_id: str,
        *,
        updated_at: float,
        friendly_name: str | None,
        rotation_value: int | None,
        rotation_interval: str | None,
    ) -> bool:
        with self._lock:
            cursor = self._connection.execute(
                "UPDATE certificate_authorities SET updated_at = ?, "
                "friendly_name = COALESCE(?, friendly_name), "
                "rotation_value = COALESCE(?, rotation_value), "
                "rotation_interval = COALESCE(?, rotation_interval) WHERE id = ?",
                (
                    updated_at,
                    friendly_name,
                    rotation_value,
                    rotation_interval,
                    certificate_authority_id,
                ),
            )
        return cursor.rowcount == 1

    def store_certificate(
        self,
        certificate_authority_id: str,
        *,
        updated_at: float,
        certificate_der: bytes,
        certificate_chain_pem: str,
        not_before: float,
        not_after: float,
    ) -> bool:
        with self._lock:
            cursor = self._connection.execute(
                "UPDATE certificate_authorities SET updated_at = ?, certificate_der = ?, "
                "certificate_chain_pem = ?, not_before = ?, not_after = ? WHERE id = ?",
                (
                    updated_at,
                    certificate_der,
                    certificate_chain_pem,
                    not_before,
                    not_after,
                    certificate_authority_id,
                ),
            )
        return cursor.rowcount == 1

    def delete_certificate_authority(self, certificate_authority_id: str) -> bool:
        with self._lock:
            cursor = self._connection.execute(
                "DELETE FROM certificate_authorities WHERE id = ?", (certificate_authority_id,)
            )
        return cursor.rowcount == 1

    def insert_access_token(self, token_hash: str, scopes: str, expires_at: float) -> None:
        with self._lock:
            self._connection.execute(
                "INSERT INTO access_tokens (token_hash, scopes, expires_at) VALUES (?, ?, ?)",
                (token_hash, scopes, expires_at),
            )

    def access_tokens(self) -> Iterator[tuple[str, str, float]]:
        with self._lock:
            rows = self._connection.execute(
                "SELECT token_hash, scopes, expires_at FROM access_tokens"
            ).fetchall()
        return iter(rows)
