"""Card and QRIS refund calls in the ledger (table provider_refunds): each is written
before the call and updated with its answer, each in a transaction of its own, and
marked applied by the refund document's transaction. See kiosk.services.refund_payback."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

COLUMNS = ("call_id", "sale_id", "tender_index", "method", "amount", "state", "detail",
           "refund_id", "created_at", "updated_at")  # fmt: skip


def begin(  # noqa: PLR0917 (mirrors the row)
    conn: sqlite3.Connection, call_id: str, sale_id: str, index: int, method: str,
    amount: int, at: str, detail: dict[str, Any],
) -> None:  # fmt: skip
    conn.execute(
        "INSERT INTO provider_refunds(call_id, sale_id, tender_index, method, amount, state,"
        " detail, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'calling', ?, ?, ?)",
        (call_id, sale_id, index, method, amount, json.dumps(detail, sort_keys=True), at, at),
    )


def finish(
    conn: sqlite3.Connection, call_id: str, state: str, detail: dict[str, Any], at: str
) -> None:
    conn.execute(
        "UPDATE provider_refunds SET state = ?, detail = ?, updated_at = ?"
        " WHERE call_id = ? AND state IN ('calling', 'unknown')",
        (state, json.dumps(detail, sort_keys=True), at, call_id),
    )


def _rows(conn: sqlite3.Connection, where: str, args: tuple[Any, ...]) -> list[dict[str, Any]]:
    rows = conn.execute(
        f"SELECT {', '.join('p.' + c for c in COLUMNS)}, s.receipt_no FROM provider_refunds p"
        f" LEFT JOIN sales s ON s.sale_id = p.sale_id WHERE {where}"
        " ORDER BY p.created_at, p.call_id",
        args,
    ).fetchall()
    calls = [dict(zip((*COLUMNS, "receipt_no"), tuple(row), strict=True)) for row in rows]
    for call in calls:
        call["detail"] = json.loads(call["detail"])
    return calls


def blocked(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    """Calls no refund took whose outcome is not known (no answer recorded, or lost):
    their shares are blocked until the provider answers or a supervisor clears them."""
    return _rows(conn, "p.refund_id IS NULL AND p.state IN ('calling', 'unknown')", ())


def get(conn: sqlite3.Connection, call_id: str) -> dict[str, Any] | None:
    found = _rows(conn, "p.call_id = ?", (call_id,))
    return found[0] if found else None


def unapplied(conn: sqlite3.Connection, sale_id: str) -> list[dict[str, Any]]:
    """The calls for ``sale_id`` no refund document took: in progress, done, or lost."""
    rows = conn.execute(
        f"SELECT {', '.join(COLUMNS)} FROM provider_refunds WHERE sale_id = ?"
        " AND refund_id IS NULL AND state IN ('calling', 'done', 'unknown')"
        " ORDER BY created_at, call_id",
        (sale_id,),
    ).fetchall()
    calls = [dict(zip(COLUMNS, tuple(row), strict=True)) for row in rows]
    for call in calls:
        call["detail"] = json.loads(call["detail"])
    return calls


def apply(conn: sqlite3.Connection, call_ids: list[str], refund_id: str, at: str) -> None:
    for call_id in call_ids:
        changed = conn.execute(
            "UPDATE provider_refunds SET refund_id = ?, updated_at = ?"
            " WHERE call_id = ? AND refund_id IS NULL AND state = 'done'",
            (refund_id, at, call_id),
        ).rowcount
        if changed != 1:  # another refund took it meanwhile: roll this one back
            raise sqlite3.IntegrityError(f"provider refund {call_id} is already applied")
