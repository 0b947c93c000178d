"""The durable outbox: messages waiting for the MQTT drain (kiosk/telemetry).

A row is written in the same transaction as the thing it reports (a sale, an event), so
the message exists if and only if the fact does. The drain reads ``pending`` rows in id
order, publishes them at QoS 1 and calls ``mark_sent`` on PUBACK. ``message_id`` is
unique (the sale id for sales), so the fleet can drop duplicates.

Delivery state lives beside the rows, in two narrow tables (migration 0016): an
``outbox_unsent`` id per message still to publish (a trigger adds it on insert) and an
``outbox_sent`` time per acknowledged one. Marking a batch sent then writes a few pages,
not every wide row again, so the drain holds the write lock a sale needs for ~1 ms.

Sent rows are kept: ``journal.verify`` cross-checks every sale against its outbox row.
"""

from __future__ import annotations

import json
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
    attempts: int  # publishes that ended without a PUBACK (the session was lost)


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
    """Unsent rows with ``id > after_id``, oldest first (walks ``outbox_unsent``)."""
    rows = conn.execute(
        "SELECT o.id, o.topic, o.message_id, o.payload, o.created_at, o.attempts"
        " FROM outbox_unsent u JOIN outbox o ON o.id = u.id"
        " WHERE u.id > ? ORDER BY u.id LIMIT ?",
        (after_id, limit),
    ).fetchall()
    return [OutboxRow(*tuple(row)) for row in rows]


def mark_sent(conn: sqlite3.Connection, ids: Iterable[int], sent_at: str) -> int:
    """Mark rows delivered in one short write; returns how many were newly marked (a row
    already sent keeps its first ``sent_at``; an unknown id is ignored)."""
    id_list = json.dumps(list(ids))
    if id_list == "[]":
        return 0
    with transaction(conn):
        conn.execute(
            "INSERT OR IGNORE INTO outbox_sent(id, sent_at) SELECT id, ? FROM outbox_unsent"
            " WHERE id IN (SELECT value FROM json_each(?))",
            (sent_at, id_list),
        )
        cursor = conn.execute(
            "DELETE FROM outbox_unsent WHERE id IN (SELECT value FROM json_each(?))", (id_list,)
        )
    return int(cursor.rowcount)


def record_attempt(conn: sqlite3.Connection, ids: Iterable[int]) -> None:
    """Count a publish that got no PUBACK (the drain calls it for the rows in flight when
    a session ends); does not change ordering."""
    id_list = list(ids)
    if not id_list:
        return
    with transaction(conn):
        conn.executemany(
            "UPDATE outbox SET attempts = attempts + 1 WHERE id = ?", [(i,) for i in id_list]
        )


def depth(conn: sqlite3.Connection) -> tuple[int, str | None]:
    """``(unsent count, created_at of the oldest unsent row or None)``."""
    count = conn.execute("SELECT count(*) FROM outbox_unsent").fetchone()[0]
    oldest = conn.execute(
        "SELECT o.created_at FROM outbox_unsent u JOIN outbox o ON o.id = u.id"
        " ORDER BY u.id LIMIT 1"
    ).fetchone()
    return int(count), (str(oldest[0]) if oldest else None)


def newest_unsent_id(conn: sqlite3.Connection) -> int:
    """The highest id still to publish (0 when every row is sent)."""
    return int(conn.execute("SELECT max(id) FROM outbox_unsent").fetchone()[0] or 0)


def delivered(conn: sqlite3.Connection) -> tuple[int, str | None]:
    """``(rows acknowledged so far, the latest acknowledgement time or None)``."""
    count, last = conn.execute("SELECT count(*), max(sent_at) FROM outbox_sent").fetchone()
    return int(count), (str(last) if last is not None else None)
