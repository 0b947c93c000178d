"""What sells, over a store's period: ABC classes by revenue, stock cover at the recent
rate of sale (with slow sellers and a suggested order), and products bought together.

Shares, confidences and lifts are exact ratios rounded half up, given as text.
"""

from __future__ import annotations

import math
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

import sqlalchemy as sa

from fleet.services.analytics import share
from fleet.services.users import Access
from fleet.storage import schema
from fleet.storage.shop_schema import shop_products
from fleet.storage.stock_on_hand import available

s, lines, p = schema.sales, schema.sale_lines, schema.sale_pairs
A_UP_TO, B_UP_TO = 80, 95  # percent of revenue that classes A, then A and B, make
COVER_TARGET_DAYS = 14  # the suggested order brings a product's stock to this many days
SLOW_DAYS = 60  # more stock than this many days of sales: a slow seller


def _sold(
    conn: sa.Connection, store_id: str, first: date, last: date
) -> dict[str, tuple[str, int, int]]:
    """sku -> (name, units, amount) of the period's lines."""
    rows = conn.execute(
        sa.select(lines.c.sku, sa.func.max(lines.c.name), sa.func.sum(lines.c.qty),
                  sa.func.sum(lines.c.amount))
        .where((lines.c.store_id == store_id) & lines.c.business_date.between(first, last))
        .group_by(lines.c.sku)
    ).all()  # fmt: skip
    return {str(sku): (str(name), int(units), int(amount)) for sku, name, units, amount in rows}


def abc(
    conn: sa.Connection, store_id: str, first: date, last: date, *, access: Access | None = None
) -> dict[str, Any]:
    """Products by revenue, highest first: A while those before it make less than 80% of
    the revenue, B while less than 95%, C the rest."""
    if access is not None:
        access.check_store(store_id)
    sold = sorted(_sold(conn, store_id, first, last).items(), key=lambda kv: (-kv[1][2], kv[0]))
    total = sum(amount for _, (_, _, amount) in sold)
    products, before = [], 0
    classes: dict[str, dict[str, Any]] = {c: {"class": c, "products": 0, "amount": 0}
                                          for c in "ABC"}  # fmt: skip
    for sku, (name, units, amount) in sold:
        if 100 * before < A_UP_TO * total:
            klass = "A"
        else:
            klass = "B" if 100 * before < B_UP_TO * total else "C"
        before += amount
        classes[klass]["products"] += 1
        classes[klass]["amount"] += amount
        products.append({"sku": sku, "name": name, "units": units, "amount": amount,
                         "class": klass, "share": share(amount, total),
                         "cumulative_share": share(before, total)})  # fmt: skip
    summary = [{**c, "share": share(c["amount"], total)} for c in classes.values()]
    return {"store_id": store_id, "start": first.isoformat(), "end": last.isoformat(),
            "revenue": total, "classes": summary, "products": products}  # fmt: skip


def _decimal(value: Fraction, places: int = 1) -> str:
    step = Decimal(1).scaleb(-places)
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return str(exact.quantize(step, ROUND_HALF_UP))


def stock_cover(
    conn: sa.Connection, store_id: str, first: date, last: date, *, access: Access | None = None
) -> dict[str, Any]:
    """Each product the kiosks count stock of: units available now, sold per day over the
    period, the days that lasts at that rate, a suggested order (enough for 14 days) and
    whether it is a slow seller (no sale in the period, or more than 60 days of stock).
    Soonest out first; those that did not sell last."""
    if access is not None:
        access.check_store(store_id)
    on_hand = available(conn, store_id)
    sold = _sold(conn, store_id, first, last)
    names = {str(sku): str(name) for sku, name in conn.execute(
        sa.select(shop_products.c.sku, shop_products.c.name)
        .where(shop_products.c.store_id == store_id))}  # fmt: skip
    days = (last - first).days + 1
    rows: list[tuple[tuple[bool, Fraction, str], dict[str, Any]]] = []
    for sku, units in on_hand.items():
        units_sold = sold[sku][1] if sku in sold else 0
        rate = Fraction(units_sold, days)
        cover = Fraction(units) / rate if rate else None
        reorder = max(0, math.ceil(rate * COVER_TARGET_DAYS - units))
        order = (cover is None, cover if cover is not None else Fraction(0), sku)
        rows.append((order, {
            "sku": sku, "name": names.get(sku) or (sold[sku][0] if sku in sold else sku),
            "available": units, "sold": units_sold, "per_day": _decimal(rate, 2),
            "cover_days": None if cover is None else _decimal(cover),
            "reorder": reorder, "slow": cover is None or cover > SLOW_DAYS,
        }))  # fmt: skip
    rows.sort(key=lambda row: row[0])
    return {"store_id": store_id, "start": first.isoformat(), "end": last.isoformat(),
            "days": days, "target_days": COVER_TARGET_DAYS, "slow_days": SLOW_DAYS,
            "products": [row for _, row in rows]}  # fmt: skip


def bought_together(
    conn: sa.Connection, store_id: str, first: date, last: date, *, access: Access | None = None,
    top: int = 50, min_sales: int = 2,
) -> dict[str, Any]:  # fmt: skip
    """Pairs of products in the same sale, most frequent first (at least ``min_sales``
    sales): support (share of all sales), confidence each way and lift. Read from the
    pairs counted at ingest (``schema.sale_pairs``), not from the period's lines."""
    if access is not None:
        access.check_store(store_id)
    in_pairs = (p.c.store_id == store_id) & p.c.business_date.between(first, last)
    together = sa.func.sum(p.c.sales).label("together")
    pairs = conn.execute(
        sa.select(p.c.sku_a, p.c.sku_b, together)
        .where(in_pairs & (p.c.sku_a < p.c.sku_b))
        .group_by(p.c.sku_a, p.c.sku_b)
        .having(together >= min_sales)
        .order_by(together.desc(), p.c.sku_a, p.c.sku_b)
        .limit(top)
    ).all()
    in_period = (s.c.store_id == store_id) & s.c.business_date.between(first, last)
    sales = int(conn.execute(sa.select(sa.func.count()).where(in_period)).scalar_one())
    wanted = sorted({str(x) for pair in pairs for x in pair[:2]})
    alone = {str(sku): (int(n), str(name)) for sku, n, name in conn.execute(
        sa.select(p.c.sku_a, sa.func.sum(p.c.sales), sa.func.max(p.c.name))  # rows of one SKU
        .where(in_pairs & (p.c.sku_a == p.c.sku_b) & p.c.sku_a.in_(wanted)).group_by(p.c.sku_a)
    )} if wanted else {}  # fmt: skip
    rows = []
    for first_sku, second_sku, n in pairs:
        (with_a, name_a), (with_b, name_b) = alone[first_sku], alone[second_sku]
        rows.append({
            "sku_a": first_sku, "name_a": name_a, "sku_b": second_sku, "name_b": name_b,
            "sales": int(n), "support": share(int(n), sales),
            "confidence_a_b": share(int(n), with_a), "confidence_b_a": share(int(n), with_b),
            "lift": _decimal(Fraction(int(n) * sales, with_a * with_b), 2),
        })  # fmt: skip
    return {"store_id": store_id, "start": first.isoformat(), "end": last.isoformat(),
            "sales": sales, "min_sales": min_sales, "pairs": rows}  # fmt: skip
