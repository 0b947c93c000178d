"""The fleet's repository on SQLite and PostgreSQL: migrations, idempotent writes."""

from __future__ import annotations

import random
from importlib import resources

import sqlalchemy as sa
from alembic.config import Config
from alembic.script import ScriptDirectory

from fleet.storage import repository, schema
from fleet.storage.engine import open_engine
from kiosk.testing.sales import make_sale

NOW = "2026-11-29T03:00:00.000000Z"


def sale_doc(seed: int, *, business_date: str = "2026-11-27") -> dict[str, object]:
    doc = make_sale(random.Random(seed), business_date=business_date).to_dict()
    doc["store_id"] = "toko-1"
    return doc


def head_revision() -> str:
    config = Config()
    config.set_main_option("script_location", str(resources.files("fleet.storage") / "migrations"))
    head = ScriptDirectory.from_config(config).get_current_head()
    assert head is not None
    return head


def count(conn: sa.Connection, table: sa.Table) -> int:
    return int(conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one())


def test_opening_twice_keeps_the_schema_and_the_rows(fleet_url: str) -> None:
    engine = open_engine(fleet_url)
    with engine.begin() as conn:
        assert repository.store_sale(conn, sale_doc(1), received_at=NOW,
                                     partitions=repository.Partitions())  # fmt: skip
    engine.dispose()
    again = open_engine(fleet_url)
    with again.connect() as conn:
        assert count(conn, schema.sales) == 1
        version = conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar_one()
    assert version == head_revision()
    again.dispose()


def test_a_redelivered_sale_counts_once_with_its_lines_tenders_and_taxes(
    fleet_engine: sa.Engine,
) -> None:
    partitions = repository.Partitions()
    doc = sale_doc(2)
    with fleet_engine.begin() as conn:
        assert repository.store_sale(conn, doc, received_at=NOW, partitions=partitions)
    with fleet_engine.begin() as conn:
        assert not repository.store_sale(conn, doc, received_at=NOW, partitions=partitions)
    with fleet_engine.connect() as conn:
        assert count(conn, schema.sales) == 1
        assert count(conn, schema.sale_lines) == len(doc["lines"])  # type: ignore[arg-type]
        assert count(conn, schema.sale_tenders) == len(doc["tenders"])  # type: ignore[arg-type]
        assert count(conn, schema.sale_taxes) == len(doc["taxes"])  # type: ignore[arg-type]
        total = conn.execute(sa.select(sa.func.sum(schema.sale_lines.c.amount))).scalar_one()
    assert total == doc["total"]


def test_sales_of_several_months_land_in_their_partitions(fleet_engine: sa.Engine) -> None:
    partitions = repository.Partitions()
    days = ["2026-10-31", "2026-11-01", "2026-12-31", "2027-01-01"]
    with fleet_engine.begin() as conn:
        for seed, day in enumerate(days):
            repository.store_sale(conn, sale_doc(10 + seed, business_date=day),
                                  received_at=NOW, partitions=partitions)  # fmt: skip
    with fleet_engine.connect() as conn:
        stored = conn.execute(sa.select(schema.sales.c.business_date)).scalars().all()
        assert sorted(d.isoformat() for d in stored) == days
        if conn.dialect.name == "postgresql":
            names = conn.execute(sa.text(
                "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
                "JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = 'sales'"
            )).scalars().all()  # fmt: skip
            assert sorted(names) == ["sales_y2026m10", "sales_y2026m11", "sales_y2026m12",
                                     "sales_y2027m01"]  # fmt: skip


def test_stock_keeps_the_newest_figure_even_when_an_old_one_arrives_late(
    fleet_engine: sa.Engine,
) -> None:
    def stock(stock_id: str, at: str, qty: int) -> dict[str, object]:
        return {"stock_id": stock_id, "store_id": "toko-1", "device_id": "k1", "kind": "change",
                "at": at, "items": [{"sku": "A", "qty": qty}]}  # fmt: skip

    with fleet_engine.begin() as conn:
        assert repository.store_stock(conn, stock("s2", "2026-11-29T02:00:00Z", 7))
        assert repository.store_stock(conn, stock("s1", "2026-11-29T01:00:00Z", 9))
        assert not repository.store_stock(conn, stock("s2", "2026-11-29T02:00:00Z", 7))
    with fleet_engine.connect() as conn:
        assert conn.execute(sa.select(schema.stock_levels.c.qty)).scalar_one() == 7
        assert count(conn, schema.stock_events) == 2


def test_a_stock_snapshot_is_one_conditional_upsert(fleet_engine: sa.Engine) -> None:
    items = [{"sku": f"SKU{n}", "qty": n} for n in range(50)]
    doc = {"stock_id": "snap", "store_id": "toko-1", "device_id": "k1", "kind": "snapshot",
           "at": "2026-11-29T03:00:00Z", "items": items}  # fmt: skip
    seen: list[str] = []

    def note(conn: object, cursor: object, statement: str, *rest: object) -> None:
        seen.append(statement)

    with fleet_engine.begin() as conn:
        repository.store_stock(conn, {**doc, "stock_id": "new", "at": "2026-11-29T04:00:00Z",
                                      "items": [{"sku": "SKU1", "qty": 99}]})  # fmt: skip
    sa.event.listen(fleet_engine, "before_cursor_execute", note)
    try:
        with fleet_engine.begin() as conn:
            assert repository.store_stock(conn, doc)
    finally:
        sa.event.remove(fleet_engine, "before_cursor_execute", note)
    assert not [q for q in seen if q.lstrip().upper().startswith("SELECT")]
    assert sum("stock_levels" in q for q in seen) == 1  # all 50 items in one statement
    with fleet_engine.connect() as conn:
        query = sa.select(schema.stock_levels.c.sku, schema.stock_levels.c.qty)
        levels = {row.sku: row.qty for row in conn.execute(query)}
    assert len(levels) == 50 and levels["SKU7"] == 7
    assert levels["SKU1"] == 99  # the newer figure stored before is kept


def test_status_and_health_update_one_row_per_device(fleet_engine: sa.Engine) -> None:
    with fleet_engine.begin() as conn:
        repository.store_status(conn, {"store_id": "toko-1", "device_id": "k1",
                                       "state": "online", "version": "0.2.0"}, received_at=NOW)  # fmt: skip
        repository.store_health(conn, {"store_id": "toko-1", "device_id": "k1", "at": NOW,
                                       "version": "0.2.0"}, received_at=NOW)  # fmt: skip
        repository.store_status(conn, {"store_id": "toko-1", "device_id": "k1",
                                       "state": "offline", "reason": "connection lost"},
                                received_at=NOW)  # fmt: skip
    with fleet_engine.connect() as conn:
        row = conn.execute(sa.select(schema.devices)).one()
    assert (row.state, row.state_reason, row.version) == ("offline", "connection lost", "0.2.0")


def test_alerts_are_idempotent_and_quarantine_keeps_the_payload(fleet_engine: sa.Engine) -> None:
    alert = {"alert_id": "a1", "store_id": "toko-1", "device_id": "k1", "kind": "paper_out",
             "severity": "critical", "message": "Printer out of paper", "at": NOW}  # fmt: skip
    with fleet_engine.begin() as conn:
        assert repository.store_alert(conn, alert)
        assert not repository.store_alert(conn, alert)
        repository.quarantine(conn, "pos/v1/toko-1/k1/sale", b"\xff not json", "not JSON", NOW)
    with fleet_engine.connect() as conn:
        assert count(conn, schema.alerts) == 1
        kept = conn.execute(sa.select(schema.quarantine)).one()
    assert (kept.payload, kept.reason) == (b"\xff not json", "not JSON")
