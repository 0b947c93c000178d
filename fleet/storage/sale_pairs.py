"""Products bought together, counted as sales arrive (``schema.sale_pairs``): each newly
stored sale adds one to every pair of its distinct SKUs (sku_a < sku_b) and to each of
them alone (sku_a == sku_b, with the largest name seen) on its store and business day. A
duplicate delivery adds nothing: the caller counts a sale only when it stored it.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from fleet.storage import schema

pairs = schema.sale_pairs
KEY = ("store_id", "business_date", "sku_a", "sku_b")


@functools.cache
def _count_statement(dialect_name: str) -> Any:
    """Built once per engine kind, executed with bound rows (see repository's note)."""
    dialect = postgresql if dialect_name == "postgresql" else sqlite
    statement = dialect.insert(pairs)
    new = statement.excluded
    return statement.on_conflict_do_update(
        index_elements=list(KEY),
        set_={  # the larger name as the database compares names, as max() does
            "sales": pairs.c.sales + new.sales,
            "name": sa.case((new.name > pairs.c.name, new.name), else_=pairs.c.name),
        },
    )


def pair_rows(store_id: str, day: date, lines: Iterable[tuple[str, str]]) -> list[dict[str, Any]]:
    """One sale's rows from its lines' (sku, name): each distinct SKU alone, then with each
    that sorts after it, in key order (so concurrent writers lock rows in one order). A SKU
    sold under two names in one sale adds its other names as rows of no sale, so the
    database keeps the largest by its own ordering."""
    names: dict[str, set[str]] = {}
    for sku, name in lines:
        names.setdefault(sku, set()).add(name)
    skus = sorted(names)
    rows = []
    for i, a in enumerate(skus):
        first, *others = sorted(names[a])
        rows += [{"sku_a": a, "sku_b": a, "sales": 1, "name": first}]
        rows += [{"sku_a": a, "sku_b": a, "sales": 0, "name": other} for other in others]
        rows += [{"sku_a": a, "sku_b": b, "sales": 1, "name": ""} for b in skus[i + 1 :]]
    return [{"store_id": store_id, "business_date": day} | row for row in rows]


def count_sale(
    conn: sa.Connection, store_id: str, day: date, lines: Iterable[tuple[str, str]]
) -> None:
    """Add one newly stored sale's rows (one batched upsert)."""
    rows = pair_rows(store_id, day, lines)
    if rows:
        conn.execute(_count_statement(conn.dialect.name), rows)


def count_from_lines(
    conn: sa.Connection, lines: sa.TableClause = schema.sale_lines,
    into: sa.TableClause = pairs,
) -> None:  # fmt: skip
    """Count every stored sale's rows from its lines (store_id, business_date, sale_id, sku,
    name) in two statements, into a table with none counted yet: lines loaded in bulk
    (bench/bench_fleet_reports.py), or the sales stored before migration 0010, which hands
    over its own table definitions."""
    alone = sa.select(
        lines.c.store_id, lines.c.business_date, lines.c.sku, lines.c.sku.label("sku_b"),
        sa.func.count(sa.distinct(lines.c.sale_id)), sa.func.max(lines.c.name),
    ).group_by(lines.c.store_id, lines.c.business_date, lines.c.sku)  # fmt: skip
    items = (  # a SKU twice in a sale counts once
        sa.select(lines.c.store_id, lines.c.business_date, lines.c.sale_id, lines.c.sku)
        .distinct()
        .subquery()
    )
    a, b = items.alias("a"), items.alias("b")
    bytewise = conn.dialect.name == "postgresql"  # as schema.SKU_BYTEWISE compares them
    before = (a.c.sku.collate("C") if bytewise else a.c.sku) < b.c.sku
    same_sale = (a.c.business_date == b.c.business_date) & (a.c.sale_id == b.c.sale_id)
    keys = (a.c.store_id, a.c.business_date, a.c.sku, b.c.sku)
    together = (
        sa.select(*keys, sa.func.count(), sa.literal(""))
        .select_from(a.join(b, same_sale & before))
        .group_by(*keys)
    )
    for counted in (alone, together):
        conn.execute(sa.insert(into).from_select([*KEY, "sales", "name"], counted))
