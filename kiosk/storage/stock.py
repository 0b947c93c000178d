"""Stock on hand: a running level per SKU plus the moves that explain it.

Levels may go negative: a till never refuses a sale because the count is off, the
negative level is the signal for a recount. Products sold by weight are counted in
grams (a weighed sale line moves ``-weight_g``), everything else in units.
"""

from __future__ import annotations

import sqlite3

from kiosk.storage.db import transaction


def apply_move(  # noqa: PLR0917 (mirrors the stock_moves row)
    conn: sqlite3.Connection, sku: str, delta: int, reason: str, ref: str, created_at: str
) -> None:
    """Record one move and update the level; joins the caller's transaction."""
    conn.execute(
        "INSERT INTO stock_moves(sku, delta, reason, ref, created_at) VALUES (?, ?, ?, ?, ?)",
        (sku, delta, reason, ref, created_at),
    )
    conn.execute(
        "INSERT INTO stock_levels(sku, qty) VALUES (?, ?)"
        " ON CONFLICT(sku) DO UPDATE SET qty = qty + excluded.qty",
        (sku, delta),
    )


def adjust(  # noqa: PLR0917 (mirrors the stock_moves row)
    conn: sqlite3.Connection, sku: str, delta: int, reason: str, ref: str, created_at: str
) -> int:
    """Move stock (a delivery, a count correction, shrinkage) and return the new level.
    Its own transaction, or part of the caller's if one is open."""
    if not sku:
        raise ValueError("stock adjustment needs a sku")
    if isinstance(delta, bool) or not isinstance(delta, int):
        raise ValueError(f"stock delta for {sku} must be a whole number, got {delta!r}")
    if not reason:
        raise ValueError(f"stock adjustment of {sku} needs a reason")
    with transaction(conn):
        apply_move(conn, sku, delta, reason, ref, created_at)
        return level(conn, sku)


def level(conn: sqlite3.Connection, sku: str) -> int:
    """Current level; 0 for a SKU that never moved."""
    row = conn.execute("SELECT qty FROM stock_levels WHERE sku = ?", (sku,)).fetchone()
    return int(row[0]) if row else 0


def levels(conn: sqlite3.Connection) -> dict[str, int]:
    return {
        str(sku): int(qty)
        for sku, qty in conn.execute("SELECT sku, qty FROM stock_levels ORDER BY sku")
    }


def moves(conn: sqlite3.Connection, sku: str, limit: int = 100) -> list[dict[str, object]]:
    """The most recent moves of one SKU, newest first."""
    rows = conn.execute(
        "SELECT id, delta, reason, ref, created_at FROM stock_moves WHERE sku = ?"
        " ORDER BY id DESC LIMIT ?",
        (sku, limit),
    ).fetchall()
    return [
        dict(zip(("id", "delta", "reason", "ref", "created_at"), tuple(r), strict=True))
        for r in rows
    ]
