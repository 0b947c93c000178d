"""When a store sells: the weekday x hour heatmap of a period, and the period beside the
one just before it (same length), each figure with its change in percent.

Times are the store's local times (its shop settings' zone, else WIB). The database
counts the sales of each UTC hour (``created_at`` as the kiosks write it, ``...Z``), and
Python moves each hour into the zone: a month is ~720 groups instead of 200,000 rows to
parse. A stamp with another offset, or a zone off the whole hour, is parsed row by row, so
both engines give the same cells whatever was written.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, tzinfo
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import sqlalchemy as sa

from fleet.services.kiosks import DEFAULT_TIMEZONE, store_timezone
from fleet.services.users import Access
from fleet.storage import schema
from kiosk.domain.money import round_half_up

s, lines = schema.sales, schema.sale_lines
COMPARED = ("net", "transactions", "average_ticket", "units", "discounts", "member_sales")


def local_moment(stamp: str, zone: tzinfo) -> datetime:
    """An ISO stamp (UTC when it names no offset) in ``zone``."""
    moment = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(zone)


Buckets = dict[tuple[int, int], list[int]]  # (local weekday, hour) -> [sales, net]


def local_hours(conn: sa.Connection, mine: sa.ColumnElement[bool], zone: tzinfo) -> Buckets:
    """Sales and net of the ``sales`` rows ``mine`` per local weekday (0 = Monday) and hour."""
    buckets: Buckets = {}

    def add(local: datetime, count: int, net: int) -> None:
        cell = buckets.setdefault((local.weekday(), local.hour), [0, 0])
        cell[0] += count
        cell[1] += net

    utc = s.c.created_at.like("%Z")
    hour = sa.func.substr(s.c.created_at, 1, 13)  # 2026-11-27T06
    grouped = conn.execute(
        sa.select(hour, sa.func.count(), sa.func.sum(s.c.total)).where(mine & utc).group_by(hour)
    ).all()
    starts = [(datetime.fromisoformat(f"{prefix}:00:00+00:00").astimezone(zone), int(n), int(net))
              for prefix, n, net in grouped]  # fmt: skip
    whole_hours = all(start.minute == 0 for start, _, _ in starts)
    if whole_hours:
        for start, count, net in starts:
            add(start, count, net)
    rows = sa.select(s.c.created_at, s.c.total).where(mine if not whole_hours else mine & ~utc)
    for created_at, total in conn.execute(rows):
        add(local_moment(str(created_at), zone), 1, int(total))
    return buckets


def zone_of(conn: sa.Connection, store_id: str) -> ZoneInfo:
    try:
        return ZoneInfo(store_timezone(conn, store_id))
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(DEFAULT_TIMEZONE)


def heatmap(
    conn: sa.Connection, store_id: str, first: date, last: date, *, access: Access | None = None
) -> dict[str, Any]:
    """Sales and their amount per local weekday (0 = Monday) and hour, every cell given."""
    if access is not None:
        access.check_store(store_id)
    zone = zone_of(conn, store_id)
    counts = [[0] * 24 for _ in range(7)]
    nets = [[0] * 24 for _ in range(7)]
    mine = (s.c.store_id == store_id) & s.c.business_date.between(first, last)
    for (weekday, hour), (count, net) in local_hours(conn, mine, zone).items():
        counts[weekday][hour], nets[weekday][hour] = count, net
    cells = [{"weekday": d, "hour": h, "transactions": counts[d][h], "net": nets[d][h]}
             for d in range(7) for h in range(24)]  # fmt: skip
    busiest = max(cells, key=lambda c: (c["net"], c["transactions"]))
    busy_hours = [h for h in range(24) if any(counts[d][h] for d in range(7))]
    return {
        "store_id": store_id, "start": first.isoformat(), "end": last.isoformat(),
        "timezone": zone.key, "cells": cells,
        "zone_name": datetime.combine(last, datetime.min.time(), zone).tzname() or zone.key,
        "peak_net": busiest["net"],
        "busiest": busiest if busiest["transactions"] else None,
        # The hours the page draws: from the first to the last with any sale.
        "hours_shown": list(range(busy_hours[0], busy_hours[-1] + 1)) if busy_hours else [],
    }  # fmt: skip


def change_percent(current: int, previous: int) -> str | None:
    """(current - previous) / previous in percent to one decimal, as text; None when
    there was nothing before (no percentage of zero)."""
    if not previous:
        return None
    ratio = Decimal(current - previous) * 100 / Decimal(previous)
    return str(ratio.quantize(Decimal("0.1"), ROUND_HALF_UP))


def previous_period(first: date, last: date) -> tuple[date, date]:
    """The period of the same length that ends the day before ``first``."""
    length = last - first
    return first - length - timedelta(days=1), first - timedelta(days=1)


def _totals(conn: sa.Connection, store_id: str, first: date, last: date) -> dict[str, int]:
    mine = (s.c.store_id == store_id) & s.c.business_date.between(first, last)
    count, net, discounts, members = conn.execute(
        sa.select(
            sa.func.count(),
            sa.func.coalesce(sa.func.sum(s.c.total), 0),
            sa.func.coalesce(sa.func.sum(s.c.discount_total), 0),
            sa.func.coalesce(sa.func.sum(sa.case((s.c.member_id != "", 1), else_=0)), 0),
        ).where(mine)
    ).one()
    units = conn.execute(
        sa.select(sa.func.coalesce(sa.func.sum(lines.c.qty), 0)).where(
            (lines.c.store_id == store_id) & lines.c.business_date.between(first, last)
        )
    ).scalar_one()
    count, net = int(count), int(net)
    return {"net": net, "transactions": count, "discounts": int(discounts),
            "units": int(units), "member_sales": int(members),
            "average_ticket": round_half_up(Fraction(net, count)) if count else 0}  # fmt: skip


def _by_day(conn: sa.Connection, store_id: str, first: date, last: date) -> dict[date, int]:
    mine = (s.c.store_id == store_id) & s.c.business_date.between(first, last)
    rows = conn.execute(
        sa.select(s.c.business_date, sa.func.sum(s.c.total)).where(mine).group_by(s.c.business_date)
    ).all()
    return {day: int(net) for day, net in rows}


def comparison(
    conn: sa.Connection, store_id: str, first: date, last: date, *, access: Access | None = None
) -> dict[str, Any]:
    """The period's figures beside the previous period's, and day by day (day i of this
    period beside day i of the previous one)."""
    if access is not None:
        access.check_store(store_id)
    before_first, before_last = previous_period(first, last)
    now = _totals(conn, store_id, first, last)
    then = _totals(conn, store_id, before_first, before_last)
    figures = [{"key": key, "current": now[key], "previous": then[key],
                "change_percent": change_percent(now[key], then[key])}
               for key in COMPARED]  # fmt: skip
    current_days, previous_days = (_by_day(conn, store_id, first, last),
                                   _by_day(conn, store_id, before_first, before_last))  # fmt: skip
    daily = []
    for i in range((last - first).days + 1):
        day, earlier = first + timedelta(days=i), before_first + timedelta(days=i)
        net, was = current_days.get(day, 0), previous_days.get(earlier, 0)
        daily.append({"date": day.isoformat(), "net": net, "previous_date": earlier.isoformat(),
                      "previous_net": was, "change_percent": change_percent(net, was)})  # fmt: skip
    return {
        "store_id": store_id, "start": first.isoformat(), "end": last.isoformat(),
        "previous_start": before_first.isoformat(), "previous_end": before_last.isoformat(),
        "figures": figures, "daily": daily,
    }  # fmt: skip
