"""Catalog changes through the service over a real SQLite ledger: journaled with who,
the catalog before each change kept, mass removals refused unless asked for, undo."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from kiosk.domain.catalog import CatalogError, Product
from kiosk.services.catalog_admin import CatalogAdmin
from kiosk.services.changes import ChangeRefusedError
from kiosk.storage import catalog_store, catalog_versions, journal
from kiosk.storage.ledger import SqliteLedger
from kiosk.storage.unit_of_work import SqliteUnitOfWork
from kiosk.testing.clock import SettableClock

CLOCK = SettableClock(datetime(2026, 3, 2, 9, 0, tzinfo=UTC))


def shop(n: int) -> list[Product]:
    return [Product(f"S{i:03}", f"Item {i}", 1_000 + i) for i in range(n)]


@pytest.fixture
def ledger(tmp_path: Path) -> Iterator[SqliteLedger]:
    ledger = SqliteLedger(tmp_path / "ledger.sqlite", "D01", store_id="S01")
    yield ledger
    ledger.close()


def admin(ledger: SqliteLedger, limit: int = 50) -> CatalogAdmin:
    return CatalogAdmin(SqliteUnitOfWork(ledger), CLOCK, max_removal_percent=limit)


def skus(conn: sqlite3.Connection, *, on_sale: bool = False) -> list[str]:
    return [p.sku for p in catalog_store.load_products(conn, active_only=on_sale)]


def records(conn: sqlite3.Connection) -> list[tuple[str, dict[str, object]]]:
    rows = conn.execute("SELECT kind, payload FROM journal ORDER BY seq").fetchall()
    return [(kind, json.loads(payload)) for kind, payload in rows]


def test_an_import_is_journaled_with_who_and_can_be_undone(ledger: SqliteLedger) -> None:
    catalog = admin(ledger)
    assert catalog.import_products(shop(3), by="cli", source="a.csv") == 3
    catalog.import_products([Product("S000", "Renamed", 9_999)], by="cli", source="b.csv")
    assert catalog_store.get_product(ledger.conn, "S000") == Product("S000", "Renamed", 9_999)
    kinds = records(ledger.conn)
    assert [k for k, _ in kinds] == ["catalog_import", "catalog_import"]
    assert kinds[1][1] == {"by": "cli", "source": "b.csv", "products": 1, "removed": 0,
                           "version": 2}  # fmt: skip
    undone = catalog.undo(by="Citra")
    assert undone["undid"] == "import" and undone["undid_by"] == "cli"
    assert catalog_store.load_products(ledger.conn) == shop(3)
    assert records(ledger.conn)[-1] == ("catalog_undo", {"by": "Citra", **undone})
    catalog.undo(by="cli")  # one change further back: before the first import
    assert skus(ledger.conn) == []
    with pytest.raises(ChangeRefusedError, match="nothing to undo"):
        catalog.undo(by="cli")
    assert journal.verify(ledger.conn).ok


def test_an_empty_snapshot_is_refused_and_changes_nothing(ledger: SqliteLedger) -> None:
    catalog = admin(ledger)
    catalog.import_products(shop(4), by="cli")
    before = records(ledger.conn)
    with pytest.raises(ChangeRefusedError) as refused:
        catalog.snapshot([], by="fleet:c-9")
    assert "4 of the 4 products on sale" in refused.value.message
    assert "allow_mass_removal" in refused.value.message
    assert skus(ledger.conn) == [p.sku for p in shop(4)]
    assert records(ledger.conn) == before
    assert len(catalog_versions.versions(ledger.conn)) == 1  # no copy of a refused change
    change = catalog.snapshot([], by="fleet:c-10", allow_mass_removal=True)
    assert (change.products, change.removed) == (0, 4)
    assert skus(ledger.conn) == []
    catalog.undo(by="fleet:c-11")
    assert skus(ledger.conn) == [p.sku for p in shop(4)]


@pytest.mark.parametrize(("keep", "limit", "refused"), [
    (5, 50, False),  # removes 5 of 10: exactly the limit
    (4, 50, True),  # removes 6 of 10
    (9, 0, True),  # 0%: any removal needs the explicit flag
    (1, 100, False),  # 100%: only removing everything is refused
])  # fmt: skip
def test_the_share_a_snapshot_may_remove_is_a_setting(
    ledger: SqliteLedger, keep: int, limit: int, refused: bool
) -> None:
    catalog = admin(ledger, limit)
    catalog.import_products(shop(10), by="cli")
    if refused:
        with pytest.raises(ChangeRefusedError, match="catalog.max_removal_percent"):
            catalog.snapshot(shop(keep), by="fleet:c")
        assert len(skus(ledger.conn)) == 10
    else:
        assert catalog.snapshot(shop(keep), by="fleet:c").removed == 10 - keep
        assert len(skus(ledger.conn)) == keep


def test_a_delta_that_takes_most_products_off_sale_is_refused(ledger: SqliteLedger) -> None:
    catalog = admin(ledger)
    catalog.import_products(shop(4), by="cli")
    off = [Product("S000", "Item 0", 1_000, active=False)]
    with pytest.raises(ChangeRefusedError, match="3 of the 4"):
        catalog.delta(off, ["S001", "S002"], by="fleet:c")
    assert len(skus(ledger.conn, on_sale=True)) == 4
    change = catalog.delta(off, ["S001"], by="fleet:c")
    assert change.removed == 2
    assert skus(ledger.conn, on_sale=True) == ["S002", "S003"]
    catalog.import_products([Product("S009", "Nine", 9, barcodes=("8991000000010",))], by="cli")
    before = catalog_store.load_products(ledger.conn)  # inactive ones and barcodes included
    catalog.snapshot(shop(4), by="fleet:c")
    catalog.undo(by="cli")
    assert catalog_store.load_products(ledger.conn) == before


def test_prices_are_journaled_per_sku_and_undone_like_any_change(ledger: SqliteLedger) -> None:
    catalog = admin(ledger)
    catalog.import_products(shop(2), by="cli")
    assert catalog.set_prices({"S001": 7_500}, by="fleet:p-1") == 1
    kind, payload = records(ledger.conn)[-1]
    assert kind == "price_change"
    assert payload["by"] == "fleet:p-1"
    assert payload["changes"] == [{"sku": "S001", "price": 7_500}]
    catalog.undo(by="cli")
    assert catalog_store.get_product(ledger.conn, "S001") == shop(2)[1]


def test_a_refused_write_leaves_no_journal_record_and_no_version(ledger: SqliteLedger) -> None:
    catalog = admin(ledger)
    catalog.import_products([Product("A", "a", 1, barcodes=("8991000000010",))], by="cli")
    clash = [Product("B", "b", 1, barcodes=("8991000000010",))]
    with pytest.raises(CatalogError, match="already belongs to A"):
        catalog.import_products(clash, by="cli")
    assert [k for k, _ in records(ledger.conn)] == ["catalog_import"]
    assert len(catalog_versions.versions(ledger.conn)) == 1


def test_only_the_newest_versions_are_kept(ledger: SqliteLedger) -> None:
    catalog = admin(ledger)
    for price in range(1, 9):
        catalog.import_products([Product("A", "a", price)], by="cli")
    kept = catalog_versions.versions(ledger.conn)
    assert len(kept) == catalog_versions.KEEP
    assert [v.version_id for v in kept] == [8, 7, 6, 5, 4]
