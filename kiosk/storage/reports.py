"""Day (Z) and X reports, aggregated in SQL over the indexed ledger tables.

Three indexed queries: the sales of the day through ``sales_by_date``, and their taxes and
tenders by primary-key seeks. Budget: <= 100 ms for a day of 5,000 sales in a ledger of
1M sales (see bench/bench_ledger.py). All amounts are tax-inclusive integer rupiah.
"""

from __future__ import annotations

import sqlite3
from decimal import Decimal
from fractions import Fraction
from typing import Any

from kiosk.domain.money import round_half_up

_TENDER_ORDER = {"cash": 0, "card": 1, "qris": 2}


Where = tuple[str, tuple[str, ...]]  # an SQL condition on ``sales s`` and its parameters


def _where(business_date: str, device_id: str | None) -> Where:
    if device_id is None:
        return "s.business_date = ?", (business_date,)
    return "s.business_date = ? AND s.device_id = ?", (business_date, device_id)


def day_report(
    conn: sqlite3.Connection, business_date: str, device_id: str | None = None
) -> dict[str, Any]:
    """Totals of one business day, for one device or (``None``) the whole ledger.

    ``net = gross - discounts - returns``; ``returns`` is 0 until refunds exist.
    ``cash_rounding`` is the (non-positive) sum taken off cash totals.
    """
    where = _where(business_date, device_id)
    totals = _totals(conn, where)
    transactions = totals["transactions"]
    returns = 0
    net = totals["gross"] - totals["discounts"] - returns
    return {
        "business_date": business_date,
        "device_id": device_id,
        "transactions": transactions,
        "gross": totals["gross"],
        "discounts": totals["discounts"],
        "returns": returns,
        "net": net,
        "average_ticket": round_half_up(Fraction(net, transactions)) if transactions else 0,
        "taxes": _taxes(conn, where),
        "tenders": _tenders(conn, where),
        "channels": _channels(conn, where),
        "voids": {"count": totals["void_count"], "amount": totals["void_amount"]},
        "cash_rounding": totals["cash_rounding"],
        "first_receipt": totals["first_receipt"],
        "last_receipt": totals["last_receipt"],
    }


def _totals(conn: sqlite3.Connection, where: Where) -> dict[str, Any]:
    """Sums over the day's sales rows; receipts stay None on an empty day."""
    clause, args = where
    row = conn.execute(
        "SELECT count(*), coalesce(sum(s.gross), 0), coalesce(sum(s.discount_total), 0),"
        " coalesce(sum(s.cash_rounding), 0), coalesce(sum(s.void_count), 0),"
        " coalesce(sum(s.void_amount), 0), min(s.receipt_no), max(s.receipt_no)"
        f" FROM sales s WHERE {clause}",
        args,
    ).fetchone()
    names = ("transactions", "gross", "discounts", "cash_rounding", "void_count", "void_amount")
    totals: dict[str, Any] = {name: int(value) for name, value in zip(names, row[:6], strict=True)}
    totals["first_receipt"], totals["last_receipt"] = row[6], row[7]
    return totals


def _taxes(conn: sqlite3.Connection, where: Where) -> list[dict[str, Any]]:
    """PPN per rate, highest rate first."""
    clause, args = where
    rows = conn.execute(
        "SELECT t.rate_percent, sum(t.taxable), sum(t.dpp), sum(t.ppn)"
        f" FROM sales s JOIN sale_taxes t ON t.sale_id = s.sale_id WHERE {clause}"
        " GROUP BY t.rate_percent",
        args,
    ).fetchall()
    return [
        {"rate_percent": rate, "taxable": int(taxable), "dpp": int(dpp), "ppn": int(ppn)}
        for rate, taxable, dpp, ppn in sorted(rows, key=lambda r: -Decimal(r[0]))
    ]


def _tenders(conn: sqlite3.Connection, where: Where) -> list[dict[str, Any]]:
    """Count and amount per payment method: cash, card, QRIS, then any other by name."""
    clause, args = where
    rows = conn.execute(
        "SELECT t.method, count(*), sum(t.amount)"
        f" FROM sales s JOIN tenders t ON t.sale_id = s.sale_id WHERE {clause}"
        " GROUP BY t.method",
        args,
    ).fetchall()
    ordered = sorted(rows, key=lambda r: (_TENDER_ORDER.get(r[0], 99), r[0]))
    return [
        {"method": method, "count": int(count), "amount": int(amount)}
        for method, count, amount in ordered
    ]


def _channels(conn: sqlite3.Connection, where: Where) -> list[dict[str, Any]]:
    """Sales per channel (``store`` at the till, else the online order's: web, gofood,
    ...): count and total (after discounts), by channel name."""
    clause, args = where
    rows = conn.execute(
        "SELECT coalesce(json_extract(s.body, '$.extra.channel'), 'store'), count(*),"
        f" sum(s.total) FROM sales s WHERE {clause} GROUP BY 1 ORDER BY 1",
        args,
    ).fetchall()
    return [{"channel": str(c), "count": int(n), "total": int(t)} for c, n, t in rows]


def x_report(
    conn: sqlite3.Connection, business_date: str, device_id: str | None = None
) -> dict[str, Any]:
    """The day so far (the caller passes today's business date); same figures."""
    return day_report(conn, business_date, device_id)


def sale_times(
    conn: sqlite3.Connection, business_date: str, device_id: str | None = None
) -> list[tuple[str, int]]:
    """(created_at, amount paid) of every sale of the day, for sales-by-hour charts."""
    where, params = _where(business_date, device_id)
    sql = f"SELECT s.created_at, s.total + s.cash_rounding FROM sales s WHERE {where}"
    rows = conn.execute(sql, params)
    return [(str(r[0]), int(r[1])) for r in rows]
