"""QRIS payments in the ledger file. Every state change is one conditional UPDATE, so two
confirmations racing (the poll and the fleet's relay) cannot both win."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from kiosk.payments.gateway import QrisCharge

COLUMNS = ("order_id", "gateway", "amount", "reference", "qr_string", "expires_in_s", "state",
           "sale_id", "refund_due", "confirmed_by", "created_at", "updated_at")  # fmt: skip
OPEN_STATES = ("creating", "pending", "paid")


@dataclass(frozen=True)
class PaymentRow:
    order_id: str
    gateway: str
    amount: int
    reference: str
    qr_string: str
    expires_in_s: int
    state: str
    sale_id: str | None
    refund_due: bool
    confirmed_by: str
    created_at: str
    updated_at: str

    @property
    def charge(self) -> QrisCharge:
        return QrisCharge(
            self.order_id, self.reference, self.amount, self.qr_string, self.expires_in_s
        )


def _row(row: sqlite3.Row | None) -> PaymentRow | None:
    if row is None:
        return None
    values = dict(zip(COLUMNS, tuple(row), strict=True))
    values["refund_due"] = bool(values["refund_due"])
    return PaymentRow(**values)


def insert(conn: sqlite3.Connection, order_id: str, gateway: str, amount: int, at: str) -> None:
    conn.execute(
        "INSERT INTO qris_payments(order_id, gateway, amount, state, created_at, updated_at)"
        " VALUES (?, ?, ?, 'creating', ?, ?)",
        (order_id, gateway, amount, at, at),
    )


def get(conn: sqlite3.Connection, order_id: str) -> PaymentRow | None:
    sql = f"SELECT {', '.join(COLUMNS)} FROM qris_payments WHERE order_id = ?"
    return _row(conn.execute(sql, (order_id,)).fetchone())


def open_payments(conn: sqlite3.Connection) -> list[PaymentRow]:
    marks = ", ".join("?" for _ in OPEN_STATES)
    sql = f"SELECT {', '.join(COLUMNS)} FROM qris_payments WHERE state IN ({marks})"
    rows = conn.execute(sql + " ORDER BY created_at, order_id", OPEN_STATES).fetchall()
    return [r for r in (_row(row) for row in rows) if r is not None]


def refunds_due(conn: sqlite3.Connection) -> list[PaymentRow]:
    sql = f"SELECT {', '.join(COLUMNS)} FROM qris_payments WHERE refund_due = 1"
    rows = conn.execute(sql + " ORDER BY updated_at, order_id").fetchall()
    return [r for r in (_row(row) for row in rows) if r is not None]


def set_charge(conn: sqlite3.Connection, charge: QrisCharge, at: str) -> None:
    conn.execute(
        "UPDATE qris_payments SET reference = ?, qr_string = ?, expires_in_s = ?,"
        " state = 'pending', updated_at = ? WHERE order_id = ? AND state = 'creating'",
        (charge.reference, charge.qr_string, charge.expires_in_s, at, charge.order_id),
    )


def move(  # noqa: PLR0917 (one transition)
    conn: sqlite3.Connection,
    order_id: str,
    from_states: tuple[str, ...],
    to_state: str,
    at: str,
    confirmed_by: str = "",
) -> bool:
    """``from_states`` -> ``to_state``; true when this call made the change."""
    marks = ", ".join("?" for _ in from_states)
    cursor = conn.execute(
        "UPDATE qris_payments SET state = ?, updated_at = ?,"
        " confirmed_by = CASE WHEN ? = '' THEN confirmed_by ELSE ? END"
        f" WHERE order_id = ? AND state IN ({marks})",
        (to_state, at, confirmed_by, confirmed_by, order_id, *from_states),
    )
    return cursor.rowcount == 1


def flag_refund(conn: sqlite3.Connection, order_id: str, at: str, confirmed_by: str) -> bool:
    """A paid confirmation for a closed payment; true the first time only."""
    cursor = conn.execute(
        "UPDATE qris_payments SET refund_due = 1, confirmed_by = ?, updated_at = ?"
        " WHERE order_id = ? AND refund_due = 0",
        (confirmed_by, at, order_id),
    )
    return cursor.rowcount == 1


def mark_applied(conn: sqlite3.Connection, order_id: str, sale_id: str, at: str) -> bool:
    cursor = conn.execute(
        "UPDATE qris_payments SET state = 'applied', sale_id = ?, updated_at = ?"
        " WHERE order_id = ? AND state = 'paid'",
        (sale_id, at, order_id),
    )
    return cursor.rowcount == 1


def sale_with_tender(conn: sqlite3.Connection, order_id: str) -> str | None:
    """The committed sale whose QRIS tender carries this order id, if any."""
    row = conn.execute(
        "SELECT sale_id FROM tenders WHERE method = 'qris' AND reference = ? LIMIT 1",
        (order_id,),
    ).fetchone()
    return None if row is None else str(row[0])
