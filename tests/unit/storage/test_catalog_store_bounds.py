"""A catalog stored before the bounds existed still loads: a product the domain can no
longer accept is left out with a warning, and the till sells everything else."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.domain.catalog import CatalogError, Product
from kiosk.storage import catalog_store
from kiosk.storage.db import open_db


@pytest.fixture
def conn(tmp_path: Path) -> Iterator[sqlite3.Connection]:
    connection = open_db(tmp_path / "kiosk.db")
    catalog_store.replace_all(connection, [Product("A1", "Tea", 5_000)])
    yield connection
    connection.close()


def test_products_outside_the_bounds_are_left_out_with_a_warning(
    conn: sqlite3.Connection, caplog: pytest.LogCaptureFixture
) -> None:
    with conn:
        conn.executemany(
            "INSERT INTO products(sku, name, price, category, unit, tax_class, tax_rate_percent,"
            " age_restricted, active, sold_by_weight, updated_at)"
            " VALUES (?, ?, ?, '', 'pcs', 'standard', NULL, 0, 1, 0, '2026-01-01T00:00:00Z')",
            [("BIG", "Mahal", 2**63 - 1), ("NUL", "Te\x00h", 1_000)],
        )
    with caplog.at_level(logging.WARNING, logger="kiosk.storage.catalog_store"):
        loaded = catalog_store.load_products(conn)
    assert [p.sku for p in loaded] == ["A1"]
    assert "'BIG' left out of the catalog" in caplog.text and "'NUL'" in caplog.text


def test_set_prices_holds_the_ceiling(conn: sqlite3.Connection) -> None:
    with pytest.raises(CatalogError, match="price of A1: is more than the limit"):
        catalog_store.set_prices(conn, {"A1": 2**63 - 1})
    assert catalog_store.load_products(conn)[0].price == 5_000
