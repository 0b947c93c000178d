"""The persisted floor of the till's clock, and whether the clock is behind it.

The floor is the later of the stored value and the time of the last journal record (every
sale and event is journaled with its time, so the floor moves with no extra write on the
sale path). ``kiosk.services.clock_guard`` reads it at start and stores it now and then;
health reads the stored state from its own connection.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime

from kiosk.storage.db import transaction


def _moment(stamp: str) -> datetime:
    return datetime.fromisoformat(stamp.replace("Z", "+00:00"))


def floor(conn: sqlite3.Connection) -> str | None:
    """The latest time known: stored floor or last journal record, whichever is later."""
    stored = conn.execute("SELECT floor FROM clock_floor WHERE id = 1").fetchone()
    head = conn.execute("SELECT created_at FROM journal ORDER BY seq DESC LIMIT 1").fetchone()
    known = [str(row[0]) for row in (stored, head) if row is not None]
    return max(known, key=_moment) if known else None


def remember(conn: sqlite3.Connection, at: str, *, synchronised: bool) -> None:
    """Store ``at`` as the floor if it is later than the stored one, and the clock state."""
    with transaction(conn):
        row = conn.execute("SELECT floor FROM clock_floor WHERE id = 1").fetchone()
        later = at if row is None or _moment(at) > _moment(str(row[0])) else str(row[0])
        conn.execute(
            "INSERT INTO clock_floor(id, floor, synchronised, updated_at) VALUES (1, ?, ?, ?)"
            " ON CONFLICT(id) DO UPDATE SET floor = excluded.floor,"
            " synchronised = excluded.synchronised, updated_at = excluded.updated_at",
            (later, int(synchronised), at),
        )


def synchronised(conn: sqlite3.Connection) -> bool | None:
    """The last stored clock state (None before the guard has stored one)."""
    row = conn.execute("SELECT synchronised FROM clock_floor WHERE id = 1").fetchone()
    return None if row is None else bool(row[0])
