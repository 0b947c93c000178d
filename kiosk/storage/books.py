"""The store's books in the ledger file: shifts and their cash moves, the day's close (Z)
and refunds. Plain functions on the ledger's connection; they join the caller's
transaction (the services open it, so the journal record commits with the change)."""

from __future__ import annotations

import json
import sqlite3
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from kiosk.domain.accounts import DayFigures, Entry, day_entries
from kiosk.storage import reports

SHIFT_COLUMNS = ("shift_id", "device_id", "cashier", "opened_at", "float_amount", "closed_at",
                 "counted")  # fmt: skip


# -- shifts -------------------------------------------------------------------------------
def open_shift(conn: sqlite3.Connection, device_id: str) -> dict[str, Any] | None:
    row = conn.execute(
        f"SELECT {', '.join(SHIFT_COLUMNS)} FROM shifts WHERE device_id = ? AND closed_at IS NULL",
        (device_id,),
    ).fetchone()
    return None if row is None else dict(zip(SHIFT_COLUMNS, tuple(row), strict=True))


def get_shift(
    conn: sqlite3.Connection, device_id: str, shift_id: str | None
) -> dict[str, Any] | None:
    """One shift of this device by id, or (``None``) the last one opened."""
    sql = f"SELECT {', '.join(SHIFT_COLUMNS)} FROM shifts WHERE device_id = ?"
    args: tuple[str, ...] = (device_id,)
    if shift_id is None:
        sql += " ORDER BY opened_at DESC, rowid DESC LIMIT 1"
    else:
        sql += " AND shift_id = ?"
        args = (device_id, shift_id)
    row = conn.execute(sql, args).fetchone()
    return None if row is None else dict(zip(SHIFT_COLUMNS, tuple(row), strict=True))


def insert_shift(  # noqa: PLR0917 (mirrors the row)
    conn: sqlite3.Connection,
    shift_id: str,
    device_id: str,
    cashier: str,
    at: str,
    float_amount: int,
) -> None:
    conn.execute(
        "INSERT INTO shifts(shift_id, device_id, cashier, opened_at, float_amount)"
        " VALUES (?, ?, ?, ?, ?)",
        (shift_id, device_id, cashier, at, float_amount),
    )


def close_shift(conn: sqlite3.Connection, shift_id: str, at: str, counted: int) -> None:
    conn.execute(
        "UPDATE shifts SET closed_at = ?, counted = ? WHERE shift_id = ?", (at, counted, shift_id)
    )


def add_cash_move(  # noqa: PLR0917 (mirrors the row)
    conn: sqlite3.Connection, shift_id: str, direction: str, amount: int, reason: str, at: str
) -> None:
    conn.execute(
        "INSERT INTO cash_moves(shift_id, direction, amount, reason, created_at)"
        " VALUES (?, ?, ?, ?, ?)",
        (shift_id, direction, amount, reason, at),
    )


def shift_cash(conn: sqlite3.Connection, shift: dict[str, Any]) -> dict[str, int]:
    """Cash sales (tendered cash, change already taken off), cash in, cash out and cash
    refunds of one shift: the sales and refunds of its till between its open and close."""
    device_id, start = shift["device_id"], shift["opened_at"]
    end = shift["closed_at"] or "9999"
    # Through sales_by_date: the business days a shift can touch lie within a day of its
    # UTC open and close dates (no index on created_at: it would cost every sale's commit).
    first = (date.fromisoformat(start[:10]) - timedelta(days=1)).isoformat()
    last = (
        "9999" if end == "9999" else (date.fromisoformat(end[:10]) + timedelta(days=1)).isoformat()
    )
    sales = conn.execute(
        "SELECT coalesce(sum(t.amount), 0) FROM sales s JOIN tenders t ON t.sale_id = s.sale_id"
        " WHERE s.business_date BETWEEN ? AND ? AND s.device_id = ? AND s.created_at >= ?"
        " AND s.created_at <= ? AND t.method = 'cash'",
        (first, last, device_id, start, end),
    ).fetchone()[0]
    refunds = conn.execute(
        "SELECT coalesce(sum(cash), 0) FROM refunds"
        " WHERE device_id = ? AND created_at >= ? AND created_at <= ?",
        (device_id, start, end),
    ).fetchone()[0]
    moves = dict(
        conn.execute(
            "SELECT direction, sum(amount) FROM cash_moves WHERE shift_id = ? GROUP BY direction",
            (shift["shift_id"],),
        ).fetchall()
    )
    return {"cash_sales": int(sales), "cash_in": int(moves.get("in") or 0),
            "cash_out": int(moves.get("out") or 0), "cash_refunds": int(refunds)}  # fmt: skip


def over_short_by_cashier(conn: sqlite3.Connection, device_id: str, day: str) -> dict[str, int]:
    """Filled in by the day close from the closed shifts of the day (see day_close)."""
    rows = conn.execute(
        "SELECT payload FROM journal WHERE kind = 'shift_close' AND ref IN"
        " (SELECT shift_id FROM shifts WHERE device_id = ?)",
        (device_id,),
    ).fetchall()
    totals: dict[str, int] = {}
    for (payload,) in rows:
        body = json.loads(payload)
        if body.get("business_date") == day:
            name = str(body.get("cashier", ""))
            totals[name] = totals.get(name, 0) + int(body.get("over_short", 0))
    return totals


def insert_no_sale(  # noqa: PLR0917 (mirrors the row)
    conn: sqlite3.Connection, device_id: str, day: str, shift_id: str | None, reason: str,
    by: str, at: str,
) -> None:  # fmt: skip
    conn.execute(
        "INSERT INTO no_sales(device_id, business_date, shift_id, reason, opened_by, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (device_id, day, shift_id, reason, by, at),
    )


def no_sale_count(conn: sqlite3.Connection, device_id: str, day: str) -> int:
    row = conn.execute(
        "SELECT count(*) FROM no_sales WHERE business_date = ? AND device_id = ?", (day, device_id)
    ).fetchone()
    return int(row[0])


def day_costs(conn: sqlite3.Connection, device_id: str, day: str) -> dict[str, int]:
    """Cost of goods of the day's sales at their moving-average cost when sold, and the
    cost of the units refunds on the day put back on the shelf (at the cost they were
    sold at); ``costed_lines`` how many sale lines had a known cost."""
    sold, lines = conn.execute(
        "SELECT coalesce(sum(c.unit_cost * c.units), 0), count(*) FROM sales s"
        " JOIN sale_line_costs c ON c.sale_id = s.sale_id"
        " WHERE s.business_date = ? AND s.device_id = ?",
        (day, device_id),
    ).fetchone()
    returned = 0
    for (body,) in conn.execute(
        "SELECT body FROM refunds WHERE business_date = ? AND device_id = ?", (day, device_id)
    ):
        refund = json.loads(body)
        for line in refund["lines"]:
            if not line["restock"]:
                continue  # written off: its cost stays spent
            row = conn.execute(
                "SELECT unit_cost, units, (SELECT qty FROM sale_lines l WHERE l.sale_id = c.sale_id"
                " AND l.line_no = c.line_no) FROM sale_line_costs c"
                " WHERE sale_id = ? AND line_no = ?",
                (refund["sale_id"], line["line_no"]),
            ).fetchone()
            if row is not None:
                unit_cost, units, qty = (int(v) for v in row)
                returned += unit_cost * units * int(line["qty"]) // max(qty, 1)
    return {"sold": int(sold), "returned": returned, "costed_lines": int(lines)}


# -- the day's close ----------------------------------------------------------------------
def last_close(conn: sqlite3.Connection, device_id: str) -> dict[str, Any] | None:
    row = conn.execute(
        "SELECT business_date, z_number, closed_at, closed_by FROM day_closes"
        " WHERE device_id = ? ORDER BY z_number DESC LIMIT 1",
        (device_id,),
    ).fetchone()
    names = ("business_date", "z_number", "closed_at", "closed_by")
    return None if row is None else dict(zip(names, tuple(row), strict=True))


def day_close(conn: sqlite3.Connection, device_id: str, day: str) -> dict[str, Any] | None:
    row = conn.execute(
        "SELECT z_number, closed_at, closed_by FROM day_closes"
        " WHERE device_id = ? AND business_date = ?",
        (device_id, day),
    ).fetchone()
    names = ("z_number", "closed_at", "closed_by")
    return None if row is None else dict(zip(names, tuple(row), strict=True))


def open_day(conn: sqlite3.Connection, device_id: str, calendar_day: str) -> str:
    """The business day new records go into: the calendar day, or the day after the last
    closed one when today's is already closed (the till goes on selling after a Z)."""
    last = last_close(conn, device_id)
    if last is None or calendar_day > last["business_date"]:
        return calendar_day
    return (date.fromisoformat(last["business_date"]) + timedelta(days=1)).isoformat()


def insert_close(conn: sqlite3.Connection, device_id: str, day: str, at: str, by: str) -> int:
    """Record the close of ``day``; returns its Z number (the next of this device)."""
    last = last_close(conn, device_id)
    z_number = 1 if last is None else int(last["z_number"]) + 1
    conn.execute(
        "INSERT INTO day_closes(device_id, business_date, z_number, closed_at, closed_by)"
        " VALUES (?, ?, ?, ?, ?)",
        (device_id, day, z_number, at, by),
    )
    return z_number


# -- refunds ------------------------------------------------------------------------------
def refunds_of_sale(conn: sqlite3.Connection, sale_id: str) -> list[dict[str, Any]]:
    rows = conn.execute(
        "SELECT body FROM refunds WHERE sale_id = ? ORDER BY created_at", (sale_id,)
    ).fetchall()
    return [json.loads(r[0]) for r in rows]


def insert_refund(conn: sqlite3.Connection, body: dict[str, Any], text: str) -> None:
    conn.execute(
        "INSERT INTO refunds(refund_id, device_id, sale_id, receipt_no, business_date,"
        " created_at, total, ppn, cash, refunded_by, body) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
        (body["refund_id"], body["device_id"], body["sale_id"], body["receipt_no"],
         body["business_date"], body["created_at"], body["total"], body["ppn"],
         body["cash"], body["by"], text),
    )  # fmt: skip


def day_refunds(conn: sqlite3.Connection, device_id: str | None, day: str) -> dict[str, Any]:
    """The refunds made on ``day``: count, amount (negative, like each refund's total),
    PPN in it, per original tender and per way it was paid back (negative)."""
    clause, args = "business_date = ?", [day]
    if device_id is not None:
        clause, args = "business_date = ? AND device_id = ?", [day, device_id]
    bodies = [
        json.loads(r[0]) for r in conn.execute(f"SELECT body FROM refunds WHERE {clause}", args)
    ]
    tenders: dict[str, int] = {}
    paid_as: dict[str, int] = {}
    for body in bodies:
        for tender in body["tenders"]:
            tenders[tender["method"]] = tenders.get(tender["method"], 0) + int(tender["amount"])
            way = str(tender.get("paid_as", "cash"))
            paid_as[way] = paid_as.get(way, 0) + int(tender["amount"])
    return {"count": len(bodies), "amount": sum(int(b["total"]) for b in bodies),
            "ppn": sum(int(b["ppn"]) for b in bodies), "tenders": tenders,
            "paid_as": paid_as}  # fmt: skip


def z_report(conn: sqlite3.Connection, day: str, device_id: str) -> dict[str, Any]:
    """The day report with the books: refunds (they count on the day they are made),
    returns and net after them, the Z number and time (None while the day is open) and
    the over/short of each cashier's shifts closed into the day."""
    report = reports.day_report(conn, day, device_id)
    refunds = day_refunds(conn, device_id, day)
    close = day_close(conn, device_id, day)
    returns = -refunds["amount"]
    return {
        **report,
        "returns": returns,
        "net": report["gross"] - report["discounts"] - returns,
        "refunds": {key: refunds[key] for key in ("count", "amount", "ppn", "tenders", "paid_as")},
        "z_number": None if close is None else close["z_number"],
        "closed_at": None if close is None else close["closed_at"],
        "over_short": over_short_by_cashier(conn, device_id, day),
        "no_sales": no_sale_count(conn, device_id, day),
        "cost_of_goods": day_costs(conn, device_id, day),
        **_items(conn, day, device_id, int(report["transactions"])),
    }


def _items(conn: sqlite3.Connection, day: str, device_id: str, baskets: int) -> dict[str, Any]:
    """Units sold (a weighed line counts as one) and units per basket, two decimals."""
    units = conn.execute(
        "SELECT coalesce(sum(l.qty), 0) FROM sales s JOIN sale_lines l ON l.sale_id = s.sale_id"
        " WHERE s.business_date = ? AND s.device_id = ?",
        (day, device_id),
    ).fetchone()[0]
    per_basket = Decimal(int(units)) / baskets if baskets else Decimal(0)
    return {"items": int(units), "items_per_basket": str(per_basket.quantize(Decimal("0.01")))}


def day_accounts(report: dict[str, Any]) -> list[Entry]:
    """The double-entry accounting entries of a ``z_report``: balanced, or
    ``UnbalancedError``. Refunds credit the way each share was paid back: the drawer
    (cash), the card or QRIS clearing account, or points (loyalty liability)."""
    refunds = report["refunds"]
    figures = DayFigures(
        gross=report["gross"],
        discounts=report["discounts"],
        cash_rounding=report["cash_rounding"],
        ppn=sum(tax["ppn"] for tax in report["taxes"]),
        tenders={tender["method"]: tender["amount"] for tender in report["tenders"]},
        refunds=-refunds["amount"],
        refund_ppn=refunds["ppn"],
        refund_tenders={way: -amount for way, amount in refunds["paid_as"].items() if amount},
        cost_of_goods=report["cost_of_goods"]["sold"],
        cost_returned=report["cost_of_goods"]["returned"],
    )
    return day_entries(figures)
