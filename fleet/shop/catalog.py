"""The store's catalog as the shop sees it: what the fleet last sent the whole store,
and how much of each product is available.

``fleet.storage.shop_catalog`` keeps the tables in step with the store-wide catalog,
prices and promotions commands the fleet sends.

Availability per sku = the store's latest stock figures (per kiosk, each ledger's own
stock, summed) - units sold since each figure - units held by open orders. A product
without any stock figure is not tracked: it is in stock and has no limit.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from fleet.storage import schema
from fleet.storage.shop_schema import orders, shop_products, shop_promotions

OPEN_STATES = ("placed", "received", "accepted", "packed", "ready", "awaiting_payment")


@dataclass(frozen=True)
class ShopProduct:
    sku: str
    name: str
    price: int
    category: str
    image_url: str = ""


def products(
    conn: sa.Connection, store_id: str, *, skus: list[str] | None = None,
    category: str = "", search: str = "", limit: int | None = None, offset: int = 0,
) -> list[ShopProduct]:  # fmt: skip
    """The store's products on sale, by category and name (optionally filtered; a page
    of them with ``limit``/``offset``, so a shop of thousands reads only what it shows)."""
    p = shop_products
    query = sa.select(p.c.sku, p.c.name, p.c.price, p.c.category, p.c.image_url).where(
        p.c.store_id == store_id, p.c.active.is_(True)
    )
    if skus is not None:
        query = query.where(p.c.sku.in_(skus))
    if category:
        query = query.where(p.c.category == category)
    if search:
        like = "%" + search.lower().replace("\\", "").replace("%", "").replace("_", "") + "%"
        query = query.where(sa.or_(sa.func.lower(p.c.name).like(like),
                                   sa.func.lower(p.c.sku).like(like)))  # fmt: skip
    query = query.order_by(p.c.category, p.c.name, p.c.sku)
    if limit is not None:
        query = query.limit(limit).offset(offset)
    rows = conn.execute(query)
    return [ShopProduct(r.sku, r.name, int(r.price), r.category, r.image_url) for r in rows]


def categories(conn: sa.Connection, store_id: str) -> list[str]:
    p = shop_products
    query = (sa.select(p.c.category).where(p.c.store_id == store_id, p.c.active.is_(True))
             .group_by(p.c.category).order_by(p.c.category))  # fmt: skip
    return [c for c in conn.execute(query).scalars() if c]


def promotions(conn: sa.Connection, store_id: str) -> list[dict[str, Any]]:
    q = shop_promotions
    rows = conn.execute(sa.select(q.c.body).where(q.c.store_id == store_id).order_by(q.c.promo_id))
    return [json.loads(body) for body in rows.scalars()]


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


def availability_word(units: int | None, few_left: int) -> str:
    """What the shop shows: ``in_stock``, ``few_left`` or ``sold_out`` (never a count)."""
    if units is None or units > few_left:
        return "in_stock"
    return "few_left" if units > 0 else "sold_out"
