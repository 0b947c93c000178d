"""The durable outbox: messages waiting for the MQTT drain (kiosk/telemetry).

A row is written in the same transaction as the thing it reports (a sale, an event), so
the message exists if and only if the fact does. The drain reads ``pending`` rows in id
order, publishes them at QoS 1 and calls ``mark_sent`` on PUBACK. ``message_id`` is
unique (the sale id for sales), so the fleet can drop duplicates.

Sent rows are kept: ``journal.verify`` cross-checks every sale against its outbox row.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from kiosk.storage.db import canonical_json, transaction


@dataclass(frozen=True)
class OutboxRow:
    id: int
    topic: str
    message_id: str
    payload: str  # JSON text, exactly as published
    created_at: str
    sent_at: str | None
    attempts: int


def enqueue(
    conn: sqlite3.Connection,
    topic: str,
    message_id: str,
    payload: Mapping[str, Any] | str,
    created_at: str,
) -> int:
    """Add a message; meant to run inside the caller's transaction (it joins it).

    ``payload`` is a JSON-able mapping (stored as canonical JSON) or JSON text that is
    already canonical. Returns the row id. A duplicate ``message_id`` raises
    ``sqlite3.IntegrityError`` and so rolls back the caller's transaction.
    """
    if not topic or "/" in topic or "+" in topic or "#" in topic:
        raise ValueError(f"outbox topic must be one plain topic level, got {topic!r}")
    if not message_id:
        raise ValueError("outbox message_id must not be empty")
    text = payload if isinstance(payload, str) else canonical_json(dict(payload))
    with transaction(conn):
        cursor = conn.execute(
            "INSERT INTO outbox(topic, message_id, payload, created_at) VALUES (?, ?, ?, ?)",
            (topic, message_id, text, created_at),
        )
    return int(cursor.lastrowid or 0)


def pending(conn: sqlite3.Connection, limit: int = 100, after_id: int = 0) -> list[OutboxRow]:
    """Unsent rows with ``id > after_id``, oldest first (served by the partial index)."""
    rows = conn.execute(
        "SELECT id, topic, message_id, payload, created_at, sent_at, attempts FROM outbox"
        " WHERE sent_at IS NULL AND id > ? ORDER BY id LIMIT ?",
        (after_id, limit),
    ).fetchall()
    return [OutboxRow(*tuple(row)) for row in rows]


def mark_sent(conn: sqlite3.Connection, ids: Iterable[int], sent_at: str) -> int:
    """Mark rows delivered; returns how many were newly marked (already-sent rows keep
    their first ``sent_at``)."""
    id_list = list(ids)
    if not id_list:
        return 0
    with transaction(conn):
        changed = 0
        for row_id in id_list:
            cursor = conn.execute(
                "UPDATE outbox SET sent_at = ? WHERE id = ? AND sent_at IS NULL",
                (sent_at, row_id),
            )
            changed += cursor.rowcount
    return changed


def record_attempt(conn: sqlite3.Connection, ids: Iterable[int]) -> None:
    """Count a publish attempt (for the health report); does not change ordering."""
    id_list = list(ids)
    if not id_list:
        return
    with transaction(conn):
        conn.executemany(
            "UPDATE outbox SET attempts = attempts + 1 WHERE id = ?", [(i,) for i in id_list]
        )


def depth(conn: sqlite3.Connection) -> tuple[int, str | None]:
    """``(unsent count, created_at of the oldest unsent row or None)``."""
    count = conn.execute("SELECT count(*) FROM outbox WHERE sent_at IS NULL").fetchone()[0]
    oldest = conn.execute(
        "SELECT created_at FROM outbox WHERE sent_at IS NULL ORDER BY id LIMIT 1"
    ).fetchone()
    return int(count), (str(oldest[0]) if oldest else None)
