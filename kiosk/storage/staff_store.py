"""Staff rows in their own table of the ledger's SQLite file (kiosk.services.staff's port)."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from kiosk.storage.db import open_db

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
"""
_COLUMNS = ("staff_id", "name", "role", "pin_hash", "pin_salt", "badge", "active")


class StaffStore:
    """Owns one connection; use from one thread (the services thread)."""

    def __init__(self, source: Path | str | sqlite3.Connection) -> None:
        """``source``: the ledger file, or the ledger's own (autocommit) connection."""
        if isinstance(source, sqlite3.Connection):
            self._db, self._owns = source, False
        else:
            # The ledger's own settings (WAL, synchronous=FULL): it is the same file.
            self._db, self._owns = open_db(source), True
        self._db.executescript(_SCHEMA)

    def save(self, row: dict[str, Any]) -> None:
        values = [row.get(c, "" if c != "active" else 1) for c in _COLUMNS]
        values[-1] = 1 if values[-1] else 0
        self._db.execute(
            f"INSERT OR REPLACE INTO staff ({', '.join(_COLUMNS)}) VALUES (?,?,?,?,?,?,?)",
            values,
        )  # one statement: atomic on its own in autocommit mode

    def get(self, staff_id: str) -> dict[str, Any] | None:
        return self._one("SELECT * FROM staff WHERE staff_id = ?", staff_id)

    def by_badge(self, badge: str) -> dict[str, Any] | None:
        return self._one("SELECT * FROM staff WHERE badge = ? AND badge <> ''", badge)

    def all(self) -> list[dict[str, Any]]:
        cur = self._db.execute(f"SELECT {', '.join(_COLUMNS)} FROM staff ORDER BY staff_id")
        return [self._row(r) for r in cur.fetchall()]

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
