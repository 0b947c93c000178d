"""The dashboard's live sales ticker: the latest sales of the stores a person may see,
newest arrival first.

Only the last two business days present are read (the newest day among the granted
stores, and the one before it), so a fleet with years of sales answers from one
partition's index every second, and a fleet whose latest sales are old still shows them.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import sqlalchemy as sa

from fleet.services.kiosks import DEFAULT_TIMEZONE, store_names, store_timezones
from fleet.services.users import Access
from fleet.storage import schema

s, lines = schema.sales, schema.sale_lines
TICKER_SIZE = 12


def latest_sales(
    conn: sa.Connection, *, access: Access | None = None, limit: int = TICKER_SIZE
) -> list[dict[str, Any]]:
    """The ``limit`` sales that arrived last (of ``access``'s stores), with their units."""
    granted: sa.ColumnElement[bool] = sa.true()
    if access is not None and access.stores is not None:
        granted = s.c.store_id.in_(sorted(access.stores))
    newest = conn.execute(sa.select(sa.func.max(s.c.business_date)).where(granted)).scalar()
    if newest is None:
        return []
    recent = granted & (s.c.business_date >= newest - timedelta(days=1))
    rows = conn.execute(
        sa.select(s.c.business_date, s.c.sale_id, s.c.store_id, s.c.device_id, s.c.receipt_no,
                  s.c.created_at, s.c.total, s.c.channel)
        .where(recent)
        .order_by(s.c.received_at.desc(), s.c.created_at.desc(), s.c.sale_id.desc())
        .limit(limit)
    ).all()  # fmt: skip
    units = _units(conn, [(r.business_date, r.sale_id) for r in rows])
    zones, names = store_timezones(conn), store_names(conn)
    return [{"sale_id": r.sale_id, "store_id": r.store_id,
             "store_name": names.get(r.store_id, r.store_id), "device_id": r.device_id,
             "receipt_no": int(r.receipt_no), "created_at": r.created_at, "total": int(r.total),
             "channel": r.channel, "units": units.get(r.sale_id, 0),
             "timezone": zones.get(r.store_id, DEFAULT_TIMEZONE)} for r in rows]  # fmt: skip


def _units(conn: sa.Connection, keys: list[tuple[Any, str]]) -> dict[str, int]:
    if not keys:
        return {}
    days = {day for day, _ in keys}
    rows = conn.execute(
        sa.select(lines.c.sale_id, sa.func.sum(lines.c.qty))
        .where(lines.c.business_date.between(min(days), max(days))
               & lines.c.sale_id.in_([sale_id for _, sale_id in keys]))
        .group_by(lines.c.sale_id)
    ).all()  # fmt: skip
    return {str(sale_id): int(n) for sale_id, n in rows}
