"""Products bought together, counted as sales arrive (``schema.sale_pairs``): each newly
stored sale adds one to every pair of its distinct SKUs (sku_a < sku_b) and to each of
them alone (sku_a == sku_b, with the largest name seen) on its store and business day. A
duplicate delivery adds nothing: the caller counts a sale only when it stored it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

import sqlalchemy as sa

from fleet.storage import schema

pairs = schema.sale_pairs
KEY = ("store_id", "business_date", "sku_a", "sku_b")


# The larger name as the database compares names (as max() does), and the sales added.
_ON_CONFLICT = (
    " ON CONFLICT (store_id, business_date, sku_a, sku_b) DO UPDATE SET"
    " sales = sale_pairs.sales + excluded.sales,"
    " name = CASE WHEN excluded.name > sale_pairs.name THEN excluded.name ELSE sale_pairs.name END"
)
# PostgreSQL: the rows of a transaction's sales as arrays, one statement of one shape
# whatever their number (executemany's statement per row took 1.5x as long: 10 SKUs, 2.3
# against 1.4 ms a sale); rows sharing a key (a SKU under two names, a pair in two sales)
# are summed first, as one statement may not update a row twice. The days are bound as
# dates (SQLite's text, as Core writes).
_PG_COUNT = sa.text(
    "INSERT INTO sale_pairs (store_id, business_date, sku_a, sku_b, sales, name)"
    " SELECT t.st, t.d, t.a, t.b, sum(t.s), max(t.n)"
    " FROM unnest(CAST(:st AS text[]), CAST(:d AS date[]), CAST(:a AS text[]),"
    " CAST(:b AS text[]), CAST(:s AS int[]), CAST(:n AS text[])) AS t(st, d, a, b, s, n)"
    " GROUP BY t.st, t.d, t.a, t.b"
    ' ORDER BY t.st, t.d, t.a COLLATE "C", t.b COLLATE "C"' + _ON_CONFLICT
)
_SQLITE_COUNT = sa.text(
    "INSERT INTO sale_pairs (store_id, business_date, sku_a, sku_b, sales, name)"
    " VALUES (:store_id, :business_date, :sku_a, :sku_b, :sales, :name)" + _ON_CONFLICT
).bindparams(sa.bindparam("business_date", type_=sa.Date))


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


class Counts:
    """The rows of the sales newly stored in one transaction, written by ``flush`` in one
    statement before it commits: ingest's batch of N sales costs one round trip here, not
    N. Made afresh for each try of a transaction (a rollback drops what it had added)."""

    def __init__(self) -> None:
        self._sales: dict[tuple[str, date, str, str, str], int] = {}

    def add(self, store_id: str, day: date, lines: Iterable[tuple[str, str]]) -> None:
        """One newly stored sale (never a duplicate: the caller counts what it stored)."""
        for row in pair_rows(store_id, day, lines):
            key = (store_id, day, row["sku_a"], row["sku_b"], row["name"])
            self._sales[key] = self._sales.get(key, 0) + row["sales"]

    def flush(self, conn: sa.Connection) -> None:
        """Add the rows counted so far to the table (one statement) and forget them."""
        if not self._sales:
            return
        rows = [(*key, sales) for key, sales in self._sales.items()]
        self._sales = {}
        if conn.dialect.name != "postgresql":  # in-process: one call per row costs little
            conn.execute(_SQLITE_COUNT, [dict(zip((*KEY, "name", "sales"), row, strict=True))
                                         for row in rows])  # fmt: skip
            return
        st, d, a, b, n, s = (list(column) for column in zip(*rows, strict=True))
        conn.execute(_PG_COUNT, {"st": st, "d": d, "a": a, "b": b, "s": s, "n": n})


def count_sale(
    conn: sa.Connection, store_id: str, day: date, lines: Iterable[tuple[str, str]]
) -> None:
    """Add one newly stored sale's rows at once (outside ingest's batches)."""
    counts = Counts()
    counts.add(store_id, day, lines)
    counts.flush(conn)


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
