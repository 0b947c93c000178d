"""Staff rows in their own table of the ledger's SQLite file (kiosk.services.staff's port),
and the login guard (failed PINs, lock-out, the PIN key's check value) in one row beside
them, so a restart does not reset a lock-out."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from kiosk.storage.db import open_db, transaction

_SCHEMA = """
CREATE TABLE IF NOT EXISTS staff (
    staff_id TEXT PRIMARY KEY,
    name     TEXT NOT NULL,
    role     TEXT NOT NULL,
    pin_hash TEXT NOT NULL,
    pin_salt TEXT NOT NULL,
    badge    TEXT,
    active   INTEGER NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX IF NOT EXISTS staff_badge ON staff(badge) WHERE badge <> '';
CREATE TABLE IF NOT EXISTS staff_guard (
    id           INTEGER PRIMARY KEY CHECK (id = 1),
    failed       INTEGER NOT NULL DEFAULT 0,
    lockouts     INTEGER NOT NULL DEFAULT 0,
    locked_until REAL NOT NULL DEFAULT 0,
    key_check    TEXT NOT NULL DEFAULT ''
);
"""
_COLUMNS = ("staff_id", "name", "role", "pin_hash", "pin_salt", "badge", "active")
_GUARD = ("failed", "lockouts", "locked_until", "key_check")


class StaffStore:
    """Owns one connection; use from one thread (the services thread)."""

    def __init__(self, source: Path | str | sqlite3.Connection) -> None:
        """``source``: the ledger file, or the ledger's own (autocommit) connection."""
        if isinstance(source, sqlite3.Connection):
            self._db, self._owns = source, False
        else:
            # The ledger's own settings (WAL, synchronous=FULL): it is the same file.
            self._db, self._owns = open_db(source), True
        # executescript commits an open transaction first: run it only when a table is
        # missing, so a store built inside a unit of work's transaction does not end it.
        found = self._db.execute(
            "SELECT count(*) FROM sqlite_master WHERE name IN ('staff', 'staff_guard')"
        ).fetchone()[0]
        if found < 2:
            self._db.executescript(_SCHEMA)

    def save(self, row: dict[str, Any]) -> None:
        values = [row.get(c, "" if c != "active" else 1) for c in _COLUMNS]
        values[-1] = 1 if values[-1] else 0
        self._db.execute(
            f"INSERT OR REPLACE INTO staff ({', '.join(_COLUMNS)}) VALUES (?,?,?,?,?,?,?)",
            values,
        )  # one statement: atomic on its own in autocommit mode

    def replace_hashes(self, hashes: dict[str, str], key_check: str) -> None:
        """Re-keyed PIN hashes and the new key's check value, in one transaction."""
        with transaction(self._db):  # joins a transaction the caller has open
            self._db.executemany(
                "UPDATE staff SET pin_hash = ? WHERE staff_id = ?",
                [(h, staff_id) for staff_id, h in hashes.items()],
            )
            self.save_guard({"key_check": key_check})

    def get(self, staff_id: str) -> dict[str, Any] | None:
        return self._one("SELECT * FROM staff WHERE staff_id = ?", staff_id)

    def by_badge(self, badge: str) -> dict[str, Any] | None:
        return self._one("SELECT * FROM staff WHERE badge = ? AND badge <> ''", badge)

    def all(self) -> list[dict[str, Any]]:
        cur = self._db.execute(f"SELECT {', '.join(_COLUMNS)} FROM staff ORDER BY staff_id")
        return [self._row(r) for r in cur.fetchall()]

    def guard(self) -> dict[str, Any]:
        """``failed``, ``lockouts``, ``locked_until`` (epoch seconds) and ``key_check``."""
        found = self._db.execute(f"SELECT {', '.join(_GUARD)} FROM staff_guard").fetchone()
        if found is None:
            return {"failed": 0, "lockouts": 0, "locked_until": 0.0, "key_check": ""}
        return dict(zip(_GUARD, tuple(found), strict=True))

    def save_guard(self, changes: dict[str, Any]) -> None:
        row = {**self.guard(), **{k: v for k, v in changes.items() if k in _GUARD}}
        self._db.execute(
            f"INSERT OR REPLACE INTO staff_guard (id, {', '.join(_GUARD)}) VALUES (1,?,?,?,?)",
            [row[k] for k in _GUARD],
        )

    def close(self) -> None:
        if self._owns:
            self._db.close()

    def _one(self, sql: str, arg: str) -> dict[str, Any] | None:
        cur = self._db.execute(sql.replace("*", ", ".join(_COLUMNS)), (arg,))
        found = cur.fetchone()
        return None if found is None else self._row(found)

    @staticmethod
    def _row(values: tuple[Any, ...]) -> dict[str, Any]:
        row = dict(zip(_COLUMNS, values, strict=True))
        row["active"] = bool(row["active"])
        return row
