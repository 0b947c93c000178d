import pytest

from kiosk.domain.catalog import CatalogError, Product
from kiosk.storage import catalog_store as cs
from kiosk.storage.db import open_db

T = "2026-11-27T00:00:00.000000Z"


@pytest.fixture
def conn(tmp_path):
    c = open_db(tmp_path / "l.db")
    yield c
    c.close()


def products():
    return [
        Product(
            "A1", "Teh Botol", 5_000, barcodes=("8991002101012", "8991002101029"), category="drink"
        ),
        Product("B2", "Beras 5kg", 75_000, tax_rate_percent="0", unit="bag"),
        Product(
            "C3", "Pisang", 24_000, sold_by_weight=True, unit="kg", barcodes=("2000123000008",)
        ),
        Product("D4", "Rokok", 32_000, age_restricted=18, active=False),
    ]


def test_replace_all_round_trips_products_exactly(conn):
    assert cs.replace_all(conn, products(), T) == 4
    assert cs.load_products(conn) == sorted(products(), key=lambda p: p.sku)
    assert [p.sku for p in cs.load_products(conn, active_only=True)] == ["A1", "B2", "C3"]
    assert cs.get_product(conn, "A1") == products()[0]
    assert cs.get_product(conn, "nope") is None


def test_replace_all_removes_products_not_in_the_new_list(conn):
    cs.replace_all(conn, products(), T)
    cs.replace_all(conn, products()[:1], T)
    assert [p.sku for p in cs.load_products(conn)] == ["A1"]
    assert conn.execute("SELECT count(*) FROM barcodes").fetchone()[0] == 2


def test_a_bad_batch_changes_nothing(conn):
    cs.replace_all(conn, products(), T)
    clash = Product("E5", "Clash", 1_000, barcodes=("8991002101012",))
    with pytest.raises(CatalogError, match="8991002101012"):
        cs.replace_all(conn, [*products()[1:], clash, products()[0]], T)
    with pytest.raises(CatalogError, match="already belongs to A1"):
        cs.upsert_many(conn, [clash], T)
    with pytest.raises(CatalogError, match="twice"):
        cs.upsert_many(conn, [products()[1], products()[1]], T)
    assert cs.load_products(conn) == sorted(products(), key=lambda p: p.sku)


def test_upsert_many_updates_and_moves_barcodes(conn):
    cs.replace_all(conn, products(), T)
    renamed = Product("A1", "Teh Botol Sosro", 5_500, barcodes=("8991002101029",))
    new = Product("F6", "Kopi", 3_000, barcodes=("8991002101012",))
    assert cs.upsert_many(conn, [renamed, new], T) == 2
    assert cs.get_product(conn, "A1") == renamed
    assert cs.get_product(conn, "F6") == new
    assert len(cs.load_products(conn)) == 5


def test_set_prices_and_deactivate_are_all_or_nothing(conn):
    cs.replace_all(conn, products(), T)
    assert cs.set_prices(conn, {"A1": 6_000, "B2": 80_000}, T) == 2
    assert cs.get_product(conn, "A1").price == 6_000
    with pytest.raises(CatalogError, match="unknown sku"):
        cs.set_prices(conn, {"A1": 1, "ZZ": 2}, T)
    with pytest.raises(CatalogError, match="whole rupiah"):
        cs.set_prices(conn, {"A1": 1.5}, T)
    assert cs.get_product(conn, "A1").price == 6_000
    with pytest.raises(CatalogError, match="ZZ"):
        cs.deactivate(conn, ["A1", "ZZ"], T)
    assert cs.get_product(conn, "A1").active
    cs.deactivate(conn, ["A1"], T)
    assert not cs.get_product(conn, "A1").active


def test_promotions_store_json_bodies(conn):
    body = {"kind": "multibuy", "skus": ["A1"], "buy": 2, "pay": 1}
    cs.put_promotion(conn, "P1", body)
    cs.put_promotion(conn, "P2", {"kind": "percent", "percent": "10"}, active=False)
    assert cs.get_promotion(conn, "P1") == body
    assert cs.list_promotions(conn) == {"P1": body}
    assert set(cs.list_promotions(conn, active_only=False)) == {"P1", "P2"}
    cs.set_promotion_active(conn, "P2", True)
    assert set(cs.list_promotions(conn)) == {"P1", "P2"}
    with pytest.raises(KeyError):
        cs.set_promotion_active(conn, "P9", True)
    assert cs.replace_promotions(conn, {"P3": {"kind": "x"}}) == 1
    assert cs.list_promotions(conn, active_only=False) == {"P3": {"kind": "x"}}
