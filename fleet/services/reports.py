"""A store's (or one kiosk's) day report over the fleet tables, in the shape of the
kiosk's own Z (``kiosk report z --json``) so the two can be compared key by key.

The kiosk's gross is the sum of its lines' gross; the fleet keeps the lines, so it sums
them. Refunds come from the kiosks' ``refund`` events (returns = what they gave back).
Voids are not published by the kiosk (they stay in its journal), so the fleet's
report has no ``voids`` key. Receipt numbers are per kiosk: ``first_receipt`` and
``last_receipt`` are given only for a one-kiosk report.
"""

from __future__ import annotations

import calendar
import json
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Any

import sqlalchemy as sa

from fleet.services.users import Access
from fleet.storage import schema
from kiosk.domain.money import round_half_up

_TENDER_ORDER = {"cash": 0, "card": 1, "qris": 2}
s = schema.sales


Days = tuple[str, str]  # first and last business day (ISO), inclusive


def _mine(store_id: str, days: Days, device_id: str | None) -> sa.ColumnElement[bool]:
    first, last = (date.fromisoformat(day) for day in days)
    where = (s.c.store_id == store_id) & s.c.business_date.between(first, last)
    return where if device_id is None else where & (s.c.device_id == device_id)


def days_of(kind: str, day: date) -> tuple[date, date]:
    """The day itself, its week (Monday to Sunday) or its calendar month."""
    if kind == "week":
        monday = day - timedelta(days=day.weekday())
        return monday, monday + timedelta(days=6)
    if kind == "month":
        return day.replace(day=1), day.replace(day=calendar.monthrange(day.year, day.month)[1])
    return day, day


Scope = tuple[sa.FromClause, sa.ColumnElement[bool]]


def _scoped(table: sa.Table, store_id: str, days: Days, device_id: str | None) -> Scope:
    """Rows of a sale's ``table`` (lines, taxes, tenders) in the report: they carry their
    store and day, so a store's report reads them alone; only a kiosk's report joins them
    to their sales (on the partitioned key) for the device. A month of a store is 1M lines:
    the join cost seconds on PostgreSQL."""
    first, last = (date.fromisoformat(day) for day in days)
    if device_id is None:
        return table, (table.c.store_id == store_id) & table.c.business_date.between(first, last)
    joined = table.join(
        s, (table.c.sale_id == s.c.sale_id) & (table.c.business_date == s.c.business_date)
    )
    return joined, _mine(store_id, days, device_id)


def day_report(
    conn: sa.Connection, store_id: str, business_date: str, device_id: str | None = None,
    *, access: Access | None = None,
) -> dict[str, Any]:  # fmt: skip
    """Totals of one business day of a store (or of one of its kiosks); with ``access``,
    a store it may not see is refused (AccessDenied)."""
    report = period_report(conn, store_id, business_date, business_date, device_id,
                           access=access)  # fmt: skip
    del report["start"], report["end"], report["z_ranges"]
    return report


def period_report(
    conn: sa.Connection, store_id: str, start: str, end: str, device_id: str | None = None,
    *, access: Access | None = None,
) -> dict[str, Any]:  # fmt: skip
    """The day report's totals over the business days ``start``..``end`` (a week, a
    month): the sum of each day's, with the average ticket and items per basket worked
    out over the whole period; ``z_ranges`` gives each kiosk's first and last Z number
    in it and how many days it closed."""
    if access is not None:
        access.check_store(store_id)
    days = (start, end)
    mine = _mine(store_id, days, device_id)
    count, discounts, rounding, first, last, void_count, void_amount = conn.execute(
        sa.select(
            sa.func.count(),
            sa.func.coalesce(sa.func.sum(s.c.discount_total), 0),
            sa.func.coalesce(sa.func.sum(s.c.cash_rounding), 0),
            sa.func.min(s.c.receipt_no),
            sa.func.max(s.c.receipt_no),
            sa.func.coalesce(sa.func.sum(s.c.void_count), 0),
            sa.func.coalesce(sa.func.sum(s.c.void_amount), 0),
        ).where(mine)
    ).one()
    lines = schema.sale_lines
    lines_from, lines_where = _scoped(lines, store_id, days, device_id)
    gross, units = (
        int(x)
        for x in conn.execute(
            sa.select(
                sa.func.coalesce(sa.func.sum(lines.c.gross), 0),
                sa.func.coalesce(sa.func.sum(lines.c.qty), 0),
            )
            .select_from(lines_from)
            .where(lines_where)
        ).one()
    )
    refunds = _refunds(conn, store_id, days, device_id)
    transactions, returns = int(count), -refunds["amount"]
    net = gross - int(discounts) - returns
    one_kiosk = device_id is not None
    return {
        "store_id": store_id,
        "business_date": start if start == end else None,
        "start": start,
        "end": end,
        "device_id": device_id,
        "transactions": transactions,
        "gross": gross,
        "discounts": int(discounts),
        "returns": returns,
        "net": net,
        # As the kiosk's Z: the average of the sales themselves, before the day's refunds.
        "average_ticket": round_half_up(Fraction(net + returns, transactions))
        if transactions
        else 0,
        "taxes": _taxes(conn, store_id, days, device_id),
        "tenders": _tenders(conn, store_id, days, device_id),
        "channels": _channels(conn, mine),
        "cash_rounding": int(rounding),
        "refunds": refunds,
        # Units sold (a weighed line is one unit) and per basket, as the kiosk rounds it.
        "items": units,
        "items_per_basket": str(
            (Decimal(units) / transactions if transactions else Decimal(0)).quantize(
                Decimal("0.01")
            )
        ),
        "voids": {"count": int(void_count), "amount": int(void_amount)},
        "first_receipt": first if one_kiosk else None,
        "last_receipt": last if one_kiosk else None,
        **_closes(conn, store_id, days, device_id),
    }


def _books_events(
    conn: sa.Connection, store_id: str, kind: str, days: Days, device_id: str | None
) -> list[tuple[str, dict[str, Any]]]:
    """(device, payload) of the ``kind`` events (refund, shift_close, z_close) of the
    days: those whose payload's business day is one of them (its own column, indexed with
    the store and kind), so a day's report reads that day's alone."""
    e = schema.events
    first, last = (date.fromisoformat(day) for day in days)
    mine = (e.c.store_id == store_id) & (e.c.kind == kind) & e.c.business_date.between(first, last)
    if device_id is not None:
        mine &= e.c.device_id == device_id
    found = conn.execute(sa.select(e.c.device_id, e.c.body).where(mine))
    return [(str(device), json.loads(body).get("payload", {})) for device, body in found]


def _closes(
    conn: sa.Connection, store_id: str, days: Days, device_id: str | None
) -> dict[str, Any]:
    """The Z and the shifts closed into the day, as the kiosk's Z shows them: the Z number
    and time (one kiosk; None while its day is open), each kiosk's Z number (a store), and
    the over/short of each cashier's shifts (summed over the store's kiosks)."""
    closes = sorted(_books_events(conn, store_id, "z_close", days, device_id),
                    key=lambda found: (found[0], int(found[1]["z_number"])))  # fmt: skip
    over_short: dict[str, int] = {}
    for _, shift in _books_events(conn, store_id, "shift_close", days, device_id):
        name = str(shift.get("cashier", ""))
        over_short[name] = over_short.get(name, 0) + int(shift.get("over_short", 0))
    one = closes[0][1] if device_id is not None and len(closes) == 1 else None
    ranges: dict[str, dict[str, int]] = {}
    for device, z in closes:
        number = int(z["z_number"])
        seen = ranges.setdefault(device, {"first": number, "last": number, "count": 0})
        seen["last"], seen["count"] = number, seen["count"] + 1
    return {
        "z_number": None if one is None else int(one["z_number"]),
        "closed_at": None if one is None else str(one["closed_at"]),
        "z_numbers": {device: seen["last"] for device, seen in ranges.items()},
        "z_ranges": ranges,
        "over_short": over_short,
    }


def _refunds(
    conn: sa.Connection, store_id: str, days: Days, device_id: str | None
) -> dict[str, Any]:
    """The refunds made on the days (``refund`` events; they count on the day they are
    made, as on the kiosk): count, amount and PPN (negative amount), per method."""
    day = [payload for _, payload in _books_events(conn, store_id, "refund", days, device_id)]
    tenders: dict[str, int] = {}
    paid_as: dict[str, int] = {}  # how it was paid back (cash, points...), as the Z shows
    for body in day:
        for tender in body.get("tenders", []):
            tenders[tender["method"]] = tenders.get(tender["method"], 0) + int(tender["amount"])
            way = str(tender.get("paid_as", "cash"))
            paid_as[way] = paid_as.get(way, 0) + int(tender["amount"])
    return {"count": len(day), "amount": sum(int(b["total"]) for b in day),
            "ppn": sum(int(b["ppn"]) for b in day), "tenders": tenders,
            "paid_as": paid_as}  # fmt: skip


def _taxes(
    conn: sa.Connection, store_id: str, days: Days, device_id: str | None
) -> list[dict[str, Any]]:
    """PPN per rate, highest rate first."""
    t = schema.sale_taxes
    rows_from, where = _scoped(t, store_id, days, device_id)
    rows = conn.execute(
        sa.select(
            t.c.rate_percent, sa.func.sum(t.c.taxable), sa.func.sum(t.c.dpp), sa.func.sum(t.c.ppn)
        )
        .select_from(rows_from)
        .where(where)
        .group_by(t.c.rate_percent)
    ).all()
    return [
        {"rate_percent": rate, "taxable": int(taxable), "dpp": int(dpp), "ppn": int(ppn)}
        for rate, taxable, dpp, ppn in sorted(rows, key=lambda r: -Decimal(r[0]))
    ]


def _channels(conn: sa.Connection, mine: sa.ColumnElement[bool]) -> list[dict[str, Any]]:
    """Sales per channel (``store`` at the till, else the online order's), as the Z."""
    rows = conn.execute(
        sa.select(s.c.channel, sa.func.count(), sa.func.sum(s.c.total))
        .where(mine).group_by(s.c.channel).order_by(s.c.channel)
    ).all()  # fmt: skip
    return [{"channel": c, "count": int(n), "total": int(t)} for c, n, t in rows]


def _tenders(
    conn: sa.Connection, store_id: str, days: Days, device_id: str | None
) -> list[dict[str, Any]]:
    """Count and amount per payment method: cash, card, QRIS, then any other by name."""
    t = schema.sale_tenders
    rows_from, where = _scoped(t, store_id, days, device_id)
    rows = conn.execute(
        sa.select(t.c.method, sa.func.count(), sa.func.sum(t.c.amount))
        .select_from(rows_from)
        .where(where)
        .group_by(t.c.method)
    ).all()
    ordered = sorted(rows, key=lambda r: (_TENDER_ORDER.get(r[0], 99), r[0]))
    return [
        {"method": method, "count": int(count), "amount": int(amount)}
        for method, count, amount in ordered
    ]
