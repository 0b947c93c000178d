"""The store's catalog as the shop sees it: what the fleet last sent the whole store,
and how much of each product is available.

``fleet.storage.shop_catalog`` keeps the tables in step with the store-wide catalog,
prices and promotions commands the fleet sends.

Availability per sku: ``fleet.storage.stock_on_hand.available`` (re-exported here). A
product without any stock figure is not tracked: it is in stock and has no limit.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from fleet.storage.shop_schema import shop_products, shop_promotions
from fleet.storage.stock_on_hand import available

__all__ = ["ShopProduct", "availability_word", "available", "categories", "products",
           "promotions"]  # fmt: skip


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


def availability_word(units: int | None, few_left: int) -> str:
    """What the shop shows: ``in_stock``, ``few_left`` or ``sold_out`` (never a count)."""
    if units is None or units > few_left:
        return "in_stock"
    return "few_left" if units > 0 else "sold_out"
