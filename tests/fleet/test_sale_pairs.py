"""Products bought together from the pairs counted at ingest (``sale_pairs``) give the
same answer as the self-join of the period's lines they replaced, on both engines: random
sales over several days and two stores, a SKU twice in one sale, a resent sale. The
migration's backfill and the bench's bulk count give the rows ingest counted. Ingest's
batches write their sales' pairs in one statement each and count a resent sale once."""

from __future__ import annotations

import json
import random
from datetime import date, timedelta
from fractions import Fraction
from importlib import resources
from typing import Any

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.config import Config

from fleet.ingest import IngestWorker
from fleet.services.analytics import share
from fleet.services.analytics_products import _decimal, bought_together
from fleet.storage import repository, sale_pairs, schema
from kiosk.testing.sales import make_sale

NOW = "2026-11-29T03:00:00.000000Z"
FIRST = date(2026, 11, 1)
DAYS = 6
# Mixed case and a non-ASCII SKU: a pair's order must be the same at ingest and in SQL.
SKUS = ["SKU001", "SKU002", "SKU003", "SKU004", "SKU005", "sku-a", "Sku-B", "KOPI-Ä"]


def random_sales(rng: random.Random, count: int) -> list[dict[str, Any]]:
    """Sales of 1-7 lines over a few SKUs (so a SKU often repeats in a sale), spread over
    the days and two stores; each SKU's name comes in two spellings (the view shows max)."""
    docs = []
    for n in range(count):
        day = FIRST + timedelta(days=rng.randrange(DAYS))
        doc = make_sale(rng, business_date=day.isoformat(), lines=rng.randint(1, 7),
                        sale_id=f"sale-{n:04d}").to_dict()  # fmt: skip
        doc["store_id"] = rng.choice(["toko-1", "toko-1", "toko-2"])
        for line in doc["lines"]:
            line["sku"] = rng.choice(SKUS)
            line["name"] = f"{line['sku']} {rng.choice(['kecil', 'besar'])}"
        docs.append(doc)
    return docs


def self_join(
    conn: sa.Connection, store_id: str, first: date, last: date, top: int, min_sales: int
) -> dict[str, Any]:
    """The view as it was: the period's distinct (sale, SKU) joined to themselves (SKUs
    compared byte-wise, as Python and SQLite do, whatever the database's collation)."""
    lines, sales = schema.sale_lines, schema.sales
    items = (
        sa.select(lines.c.business_date, lines.c.sale_id, lines.c.sku)
        .where((lines.c.store_id == store_id) & lines.c.business_date.between(first, last))
        .distinct()
        .subquery()
    )
    a, b = items.alias("a"), items.alias("b")
    pg = conn.dialect.name == "postgresql"
    sku_a, sku_b = (a.c.sku.collate("C"), b.c.sku.collate("C")) if pg else (a.c.sku, b.c.sku)
    together = sa.func.count().label("together")
    same_sale = (a.c.business_date == b.c.business_date) & (a.c.sale_id == b.c.sale_id)
    pairs = conn.execute(
        sa.select(a.c.sku, b.c.sku, together)
        .select_from(a.join(b, same_sale & (sku_a < sku_b)))
        .group_by(a.c.sku, b.c.sku)
        .having(sa.func.count() >= min_sales)
        .order_by(together.desc(), sku_a, sku_b)
        .limit(top)
    ).all()
    in_period = (sales.c.store_id == store_id) & sales.c.business_date.between(first, last)
    n_sales = int(conn.execute(sa.select(sa.func.count()).where(in_period)).scalar_one())
    with_sku = dict(
        conn.execute(sa.select(items.c.sku, sa.func.count()).group_by(items.c.sku)).all()
    )
    names = dict(conn.execute(
        sa.select(lines.c.sku, sa.func.max(lines.c.name))
        .where((lines.c.store_id == store_id) & lines.c.business_date.between(first, last))
        .group_by(lines.c.sku)
    ).all())  # fmt: skip
    rows = [
        {"sku_a": x, "name_a": names[x], "sku_b": y, "name_b": names[y], "sales": n,
         "support": share(n, n_sales), "confidence_a_b": share(n, with_sku[x]),
         "confidence_b_a": share(n, with_sku[y]),
         "lift": _decimal(Fraction(n * n_sales, with_sku[x] * with_sku[y]), 2)}
        for x, y, n in pairs
    ]  # fmt: skip
    return {"store_id": store_id, "start": first.isoformat(), "end": last.isoformat(),
            "sales": n_sales, "min_sales": min_sales, "pairs": rows}  # fmt: skip


def stored_pairs(conn: sa.Connection) -> list[tuple[Any, ...]]:
    p = schema.sale_pairs
    return [tuple(r) for r in conn.execute(sa.select(p).order_by(*p.primary_key.columns))]


@pytest.fixture
def ingested(fleet_engine: sa.Engine) -> list[dict[str, Any]]:
    """300 random sales stored as ingest stores them, a tenth of them delivered twice."""
    rng = random.Random(12)
    docs = random_sales(rng, 300)
    partitions = repository.Partitions()
    with fleet_engine.begin() as conn:
        for doc in docs:
            assert repository.store_sale(conn, doc, received_at=NOW, partitions=partitions)
        for doc in rng.sample(docs, 30):
            assert not repository.store_sale(conn, doc, received_at=NOW, partitions=partitions)
    return docs


def test_pairs_counted_at_ingest_answer_as_the_self_join(
    fleet_engine: sa.Engine, ingested: list[dict[str, Any]]
) -> None:
    assert any(len({ln["sku"] for ln in d["lines"]}) < len(d["lines"]) for d in ingested)
    assert any(len({ln["sku"] for ln in d["lines"]}) == 1 for d in ingested)
    last = FIRST + timedelta(days=DAYS - 1)
    asked = [("toko-1", FIRST, last, 50, 2), ("toko-1", FIRST, last, 5, 1),
             ("toko-2", FIRST, last, 50, 3), ("toko-1", FIRST + timedelta(days=2), FIRST +
             timedelta(days=3), 10, 1), ("toko-1", last, last, 50, 1),
             ("toko-1", last + timedelta(days=1), last + timedelta(days=9), 50, 1),
             ("toko-9", FIRST, last, 50, 1)]  # fmt: skip
    with fleet_engine.connect() as conn:
        for store, first, end, top, min_sales in asked:
            got = bought_together(conn, store, first, end, top=top, min_sales=min_sales)
            assert got == self_join(conn, store, first, end, top, min_sales), (store, first, end)
        whole = bought_together(conn, "toko-1", FIRST, last, top=1000, min_sales=1)
    assert len(whole["pairs"]) == len(SKUS) * (len(SKUS) - 1) // 2  # every pair sold
    assert {p["sku_a"] < p["sku_b"] for p in whole["pairs"]} == {True}


def test_the_backfill_and_the_bulk_count_give_the_rows_ingest_counted(
    fleet_engine: sa.Engine, ingested: list[dict[str, Any]]
) -> None:
    with fleet_engine.connect() as conn:
        counted = stored_pairs(conn)
    alone = [r for r in counted if r[2] == r[3]]
    assert sum(r[4] for r in alone) == sum(len({ln["sku"] for ln in d["lines"]}) for d in ingested)
    assert {r[5] for r in counted if r[2] != r[3]} == {""} and all(r[5] for r in alone)
    config = Config()
    config.set_main_option("script_location", str(resources.files("fleet.storage") / "migrations"))
    with fleet_engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "0010-1")  # to just before sale_pairs (0010)
        command.upgrade(config, "head")
        assert stored_pairs(conn) == counted
        conn.execute(sa.delete(schema.sale_pairs))
        sale_pairs.count_from_lines(conn)
        assert stored_pairs(conn) == counted


def test_a_batch_writes_its_pairs_in_one_statement_and_counts_a_resent_sale_once(
    fleet_engine: sa.Engine,
) -> None:
    """Three batches through the worker's own transaction: the second resends sales of
    the first and of itself; the third holds a sale PostgreSQL refuses (a category longer
    than its column, which the contract allows), so the batch is rolled back and stored
    one by one, the refused one quarantined; the rolled back sales count once."""
    rng = random.Random(12)
    docs = random_sales(rng, 300)
    sales = [(f"pos/v1/{d['store_id']}/{d['device_id']}/sale", json.dumps(d).encode())
             for d in docs]  # fmt: skip
    bad = docs[299] | {"lines": [ln | {"category": "x" * 150} for ln in docs[299]["lines"]]}
    sales[299] = (sales[299][0], json.dumps(bad).encode())
    statements: list[int] = []

    def seen(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if statement.startswith("INSERT INTO sale_pairs"):
            statements.append(1)

    worker = IngestWorker(fleet_engine, "127.0.0.1", 1883)  # never started: handle() alone
    sa.event.listen(fleet_engine, "before_cursor_execute", seen)
    first = worker.handle(sales[:150])
    assert (first, len(statements)) == (["new"] * 150, 1)
    second = worker.handle(sales[150:250] + sales[:20] + sales[200:210])
    assert (second, len(statements)) == (["new"] * 100 + ["duplicate"] * 30, 2)
    third = worker.handle(sales[250:])
    sa.event.remove(fleet_engine, "before_cursor_execute", seen)
    pg = fleet_engine.dialect.name == "postgresql"
    assert third == ["new"] * 49 + ["quarantined" if pg else "new"]
    assert len(statements) == (2 + 49 if pg else 3)  # refused before its pairs, then one each
    with fleet_engine.begin() as conn:
        counted = stored_pairs(conn)
        conn.execute(sa.delete(schema.sale_pairs))
        sale_pairs.count_from_lines(conn)  # from the lines stored: each sale once
        assert stored_pairs(conn) == counted
    alone = sum(r[4] for r in counted if r[2] == r[3])
    assert alone == sum(len({ln["sku"] for ln in d["lines"]}) for d in docs[: 299 + (not pg)])
