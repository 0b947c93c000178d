"""A store's analytics for a period (inclusive business days): the daily trend, best and
slow sellers, basket size, sales by hour of day, member vs non-member share.

Hours are the store's local hours: ``created_at`` is UTC and Indonesian stores keep WIB
(UTC+7) unless told otherwise (``utc_offset_h``: 8 for WITA, 9 for WIT).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

import sqlalchemy as sa

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
    return {
        "store_id": store_id, "start": first.isoformat(), "end": last.isoformat(),
        "daily": _daily(conn, mine, first, last),
        "best_sellers": _sellers(conn, store_id, first, last, top, best=True),
        "slow_sellers": _sellers(conn, store_id, first, last, top, best=False),
        "basket": _basket(conn, mine),
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


def _sellers(
    conn: sa.Connection, store_id: str, first: date, last: date, top: int, *, best: bool
) -> list[dict[str, Any]]:
    """Products by units sold (then amount): the most sold, or the least sold of those
    that sold at all in the period."""
    units = sa.func.sum(lines.c.qty)
    amount = sa.func.sum(lines.c.amount)
    order = (units.desc(), amount.desc()) if best else (units.asc(), amount.asc())
    rows = conn.execute(
        sa.select(lines.c.sku, sa.func.max(lines.c.name), units, amount)
        .where((lines.c.store_id == store_id) & lines.c.business_date.between(first, last))
        .group_by(lines.c.sku)
        .order_by(*order, lines.c.sku)
        .limit(top)
    ).all()
    return [{"sku": sku, "name": name, "units": int(u), "amount": int(a)}
            for sku, name, u, a in rows]  # fmt: skip


def _basket(conn: sa.Connection, mine: sa.ColumnElement[bool]) -> dict[str, Any]:
    """Average units and lines per sale, and the average ticket (net per sale)."""
    per_sale = (
        sa.select(sa.func.sum(lines.c.qty).label("units"), sa.func.count().label("lines"))
        .select_from(lines.join(s, (lines.c.sale_id == s.c.sale_id)
                                & (lines.c.business_date == s.c.business_date)))
        .where(mine)
        .group_by(lines.c.sale_id)
        .subquery()
    )  # fmt: skip
    count, units, line_count = conn.execute(
        sa.select(sa.func.count(), sa.func.coalesce(sa.func.sum(per_sale.c.units), 0),
                  sa.func.coalesce(sa.func.sum(per_sale.c.lines), 0))
    ).one()  # fmt: skip
    net = int(conn.execute(sa.select(sa.func.coalesce(sa.func.sum(s.c.total), 0)).where(mine))
              .scalar_one())  # fmt: skip
    count = int(count)
    return {
        "sales": count,
        "units_per_sale": _per(int(units), count),
        "lines_per_sale": _per(int(line_count), count),
        "average_ticket": round_half_up(Fraction(net, count)) if count else 0,
    }


def _hours(
    conn: sa.Connection, mine: sa.ColumnElement[bool], utc_offset_h: int
) -> list[dict[str, Any]]:
    """Sales and net per local hour 0..23 (the parse is in Python: both engines alike)."""
    counts, nets = [0] * 24, [0] * 24
    for created_at, total in conn.execute(sa.select(s.c.created_at, s.c.total).where(mine)):
        moment = datetime.fromisoformat(str(created_at).replace("Z", "+00:00"))
        hour = (moment + timedelta(hours=utc_offset_h)).hour
        counts[hour] += 1
        nets[hour] += int(total)
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
