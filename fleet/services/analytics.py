"""A store's analytics for a period (inclusive business days): the daily trend, best and
slow sellers, basket size, sales by hour of day, member vs non-member share.

Hours are the store's local hours: ``created_at`` is UTC and Indonesian stores keep WIB
(UTC+7) unless told otherwise (``utc_offset_h``: 8 for WITA, 9 for WIT).
"""

from __future__ import annotations

from datetime import date, timedelta, timezone
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

import sqlalchemy as sa

from fleet.services.analytics_time import local_hours
from fleet.services.users import Access
from fleet.storage import schema
from kiosk.domain.money import round_half_up

s, lines = schema.sales, schema.sale_lines
MAX_DAYS = 366


def _ratio(part: int, whole: int) -> int:
    """``part`` of ``whole`` in whole percent, rounded half up (0 for nothing)."""
    return round_half_up(Fraction(100 * part, whole)) if whole else 0


def _per(amount: int, count: int) -> str:
    """``amount / count`` to two decimals, as text (exact, no float on the way)."""
    if not count:
        return "0.00"
    return str((Decimal(amount) / Decimal(count)).quantize(Decimal("0.01"), ROUND_HALF_UP))


def share(part: int, whole: int, places: int = 1) -> str:
    """``part`` of ``whole`` in percent to ``places`` decimals, as text ("0.0" of nothing)."""
    step = Decimal(1).scaleb(-places)
    if not whole:
        return str(Decimal(0).quantize(step))
    return str((Decimal(100 * part) / Decimal(whole)).quantize(step, ROUND_HALF_UP))


def period(start: str, end: str) -> tuple[date, date]:
    """The days ``start``..``end``; ValueError with the reason when they make no period."""
    first, last = date.fromisoformat(start), date.fromisoformat(end)
    if last < first:
        raise ValueError("the period ends before it starts")
    if (last - first).days >= MAX_DAYS:
        raise ValueError(f"a period is at most {MAX_DAYS} days")
    return first, last


def store_analytics(
    conn: sa.Connection, store_id: str, first: date, last: date, *, top: int = 10,
    utc_offset_h: int = 7, access: Access | None = None,
) -> dict[str, Any]:  # fmt: skip
    if access is not None:
        access.check_store(store_id)
    mine = (s.c.store_id == store_id) & s.c.business_date.between(first, last)
    daily = _daily(conn, mine, first, last)
    sold = _sold(conn, store_id, first, last)
    return {
        "store_id": store_id, "start": first.isoformat(), "end": last.isoformat(),
        "daily": daily,
        **_sellers(sold, top),
        "basket": _basket(daily, sold),
        "hours": _hours(conn, mine, utc_offset_h),
        "members": _members(conn, mine),
    }  # fmt: skip


def _daily(
    conn: sa.Connection, mine: sa.ColumnElement[bool], first: date, last: date
) -> list[dict[str, Any]]:
    """Every day of the period, a day without sales as zeros."""
    rows = conn.execute(
        sa.select(s.c.business_date, sa.func.count(), sa.func.sum(s.c.total))
        .where(mine)
        .group_by(s.c.business_date)
    ).all()
    found = {day: (int(n), int(net)) for day, n, net in rows}
    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    return [
        {"date": day.isoformat(), "transactions": found.get(day, (0, 0))[0],
         "net": found.get(day, (0, 0))[1]}
        for day in days
    ]  # fmt: skip


def _sold(conn: sa.Connection, store_id: str, first: date, last: date) -> list[dict[str, Any]]:
    """Every product sold in the period with its units, amount and lines: the one pass
    over the period's lines (1M in a busy store's month) that sellers and basket share."""
    rows = conn.execute(
        sa.select(lines.c.sku, sa.func.max(lines.c.name), sa.func.sum(lines.c.qty),
                  sa.func.sum(lines.c.amount), sa.func.count())
        .where((lines.c.store_id == store_id) & lines.c.business_date.between(first, last))
        .group_by(lines.c.sku)
    ).all()  # fmt: skip
    return [{"sku": sku, "name": name, "units": int(u), "amount": int(a), "lines": int(n)}
            for sku, name, u, a, n in rows]  # fmt: skip


def _sellers(sold: list[dict[str, Any]], top: int) -> dict[str, list[dict[str, Any]]]:
    """Products by units sold (then amount, then SKU): the most sold, and the least sold of
    those that sold at all in the period."""
    shown = [{key: p[key] for key in ("sku", "name", "units", "amount")} for p in sold]
    best = sorted(shown, key=lambda p: (-p["units"], -p["amount"], p["sku"]))
    slow = sorted(shown, key=lambda p: (p["units"], p["amount"], p["sku"]))
    return {"best_sellers": best[:top], "slow_sellers": slow[:top]}


def _basket(daily: list[dict[str, Any]], sold: list[dict[str, Any]]) -> dict[str, Any]:
    """Average units and lines per sale, and the average ticket (net per sale), from the
    daily trend's totals and the products sold (no query of its own)."""
    count = sum(day["transactions"] for day in daily)
    net = sum(day["net"] for day in daily)
    units = sum(p["units"] for p in sold)
    line_count = sum(p["lines"] for p in sold)
    return {
        "sales": count,
        "units_per_sale": _per(units, count),
        "lines_per_sale": _per(line_count, count),
        "average_ticket": round_half_up(Fraction(net, count)) if count else 0,
    }


def _hours(
    conn: sa.Connection, mine: sa.ColumnElement[bool], utc_offset_h: int
) -> list[dict[str, Any]]:
    """Sales and net per local hour 0..23."""
    counts, nets = [0] * 24, [0] * 24
    offset = timezone(timedelta(hours=utc_offset_h))
    for (_, hour), (count, net) in local_hours(conn, mine, offset).items():
        counts[hour] += count
        nets[hour] += net
    return [{"hour": h, "transactions": counts[h], "net": nets[h]} for h in range(24)]


def _members(conn: sa.Connection, mine: sa.ColumnElement[bool]) -> dict[str, Any]:
    is_member = s.c.member_id != ""
    rows = conn.execute(
        sa.select(is_member, sa.func.count(), sa.func.sum(s.c.total))
        .where(mine)
        .group_by(is_member)
    ).all()
    got = {bool(member): (int(n), int(net)) for member, n, net in rows}
    member, other = got.get(True, (0, 0)), got.get(False, (0, 0))
    sales, net = member[0] + other[0], member[1] + other[1]
    return {
        "member_sales": member[0], "member_net": member[1],
        "other_sales": other[0], "other_net": other[1],
        "member_sales_percent": _ratio(member[0], sales),
        "member_net_percent": _ratio(member[1], net),
    }  # fmt: skip
