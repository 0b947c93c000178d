"""How much of each product a store has: the store's latest stock figures (per kiosk,
each ledger's own stock, summed) - units sold since each figure - units held by open
orders. A product without any stock figure is not tracked (absent here).

Below both the shop (what it may sell) and the analytics (stock cover), which is why it
lives in storage.
"""

from __future__ import annotations

import json

import sqlalchemy as sa

from fleet.storage import schema
from fleet.storage.shop_schema import orders

OPEN_STATES = ("placed", "received", "accepted", "packed", "ready", "awaiting_payment")


def _reserved(conn: sa.Connection, store_id: str, skus: list[str] | None) -> dict[str, int]:
    """Units held by the store's open orders, per sku (from each order's lines)."""
    o = orders
    held: dict[str, int] = {}
    query = sa.select(o.c.body).where(o.c.store_id == store_id, o.c.status.in_(OPEN_STATES))
    for body in conn.execute(query).scalars():
        for line in json.loads(body)["lines"]:
            if skus is None or line["sku"] in skus:
                held[line["sku"]] = held.get(line["sku"], 0) + int(line["qty"])
    return held


def available(conn: sa.Connection, store_id: str, skus: list[str] | None = None) -> dict[str, int]:
    """Units available per tracked sku (never below 0); an untracked sku is absent."""
    lv, s, sl = schema.stock_levels, schema.sales, schema.sale_lines
    level_query = sa.select(lv.c.device_id, lv.c.sku, lv.c.qty, lv.c.at).where(
        lv.c.store_id == store_id
    )
    if skus is not None:
        level_query = level_query.where(lv.c.sku.in_(skus))
    levels = conn.execute(level_query).all()
    if not levels:
        return {}
    since = min(row.at for row in levels)
    sold_query = (
        sa.select(s.c.device_id, sl.c.sku, s.c.created_at, sl.c.qty)
        .join(sl, sa.and_(sl.c.business_date == s.c.business_date, sl.c.sale_id == s.c.sale_id))
        .where(s.c.store_id == store_id, s.c.created_at > since)
    )
    if skus is not None:
        sold_query = sold_query.where(sl.c.sku.in_(skus))
    at_of = {(row.device_id, row.sku): row.at for row in levels}
    counts: dict[str, int] = {}
    for row in levels:
        counts[row.sku] = counts.get(row.sku, 0) + int(row.qty)
    for sale in conn.execute(sold_query):
        level_at = at_of.get((sale.device_id, sale.sku))
        if level_at is not None and sale.created_at > level_at:
            counts[sale.sku] -= int(sale.qty)
    for sku, qty in _reserved(conn, store_id, list(counts)).items():
        counts[sku] -= qty
    return {sku: max(0, qty) for sku, qty in counts.items()}
