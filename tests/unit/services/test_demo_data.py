from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from kiosk.domain.catalog import Catalog
from kiosk.domain.gtin import is_valid_gtin
from kiosk.services.checkout import CheckoutConfig, CheckoutService
from kiosk.services.demo_data import demo_products, generate_sales
from kiosk.storage import journal
from kiosk.storage.ledger import SqliteLedger
from kiosk.testing.clock import SettableClock


def test_demo_catalog_is_a_plausible_minimarket() -> None:
    products = demo_products()
    assert 250 <= len(products) <= 400
    assert len({p.sku for p in products}) == len(products)
    codes = [c for p in products for c in p.barcodes]
    assert len(set(codes)) == len(codes) and all(
        is_valid_gtin(c) and c.startswith("899") for c in codes
    )
    assert any(p.age_restricted >= 21 for p in products)
    assert any(p.sold_by_weight for p in products) and any(
        p.tax_rate_percent == "0" for p in products
    )
    assert demo_products() == products  # seeded: the same shop every time


def test_demo_sales_go_through_the_real_checkout(tmp_path: Path) -> None:
    products = demo_products()
    clock = SettableClock(datetime(2026, 11, 27, 6, 0, tzinfo=UTC))
    ledger = SqliteLedger(tmp_path / "l.sqlite", "k1")
    checkout = CheckoutService(catalog=Catalog(products), ledger=ledger, clock=clock,
                               config=CheckoutConfig(store_id="s", device_id="k1"))  # fmt: skip
    count = generate_sales(checkout, clock, products, days=3, per_day=20, timezone="Asia/Jakarta")
    assert count >= 40
    dates = {r[0] for r in ledger.conn.execute("SELECT business_date FROM sales")}
    assert dates == {"2026-11-24", "2026-11-25", "2026-11-26"}
    methods = {r[0] for r in ledger.conn.execute("SELECT DISTINCT method FROM tenders")}
    assert methods == {"cash", "card", "qris"}
    assert journal.verify(ledger.conn).ok
    ledger.close()
