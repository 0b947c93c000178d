"""CheckoutService over a real SQLite ledger (tmp file) and a hand-moved clock."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from kiosk.contract.schemas import validate
from kiosk.domain.catalog import Catalog, Product
from kiosk.domain.gtin import check_digit
from kiosk.domain.promotions import parse_promotion
from kiosk.domain.tenders import TenderError
from kiosk.services.checkout import CheckoutConfig, CheckoutError, CheckoutService
from kiosk.storage.ledger import SqliteLedger
from kiosk.testing.clock import SettableClock


def ean(n: int) -> str:
    body = f"899200000{n:03d}"
    return body + check_digit(body)


PRODUCTS = [
    Product(sku="TEH", name="Teh", price=5000, barcodes=(ean(1),), category="Minuman"),
    Product(sku="KOPI", name="Kopi", price=12500, barcodes=(ean(2),), category="Minuman"),
    Product(sku="OLD", name="Lama", price=1000, barcodes=(ean(3),), active=False),
]


@pytest.fixture
def device_id() -> str:
    return "k1"


def make(ledger: SqliteLedger, clock: SettableClock, **config: object) -> CheckoutService:
    ids = iter(f"id{n:04d}" for n in range(10_000))
    return CheckoutService(
        catalog=Catalog(PRODUCTS), ledger=ledger, clock=clock,
        config=CheckoutConfig(store_id="s1", device_id="k1", **config),  # type: ignore[arg-type]
        ids=lambda: next(ids),
    )  # fmt: skip


def rows(ledger: SqliteLedger, sql: str) -> list[tuple[object, ...]]:
    return [tuple(r) for r in ledger.conn.execute(sql).fetchall()]


def test_a_cash_sale_is_durable_and_numbered(ledger: SqliteLedger, clock: SettableClock) -> None:
    checkout = make(ledger, clock, cash_rounding_step=100)
    checkout.scan(ean(1))
    checkout.scan(ean(1))
    checkout.add_sku("KOPI")
    checkout.discount_line(2, amount=50)  # 12,450: leaves Rp50 to round away in cash
    assert checkout.priced().total == 22450
    checkout.pay_cash(20000)
    assert checkout.tenders is not None and checkout.tenders.remaining == 2450
    with pytest.raises(CheckoutError, match="still due"):
        checkout.complete()
    checkout.pay_cash(5000)
    sale = checkout.complete()
    assert sale.receipt_no == 1 and sale.total == 22450 and sale.cash_rounding == -50
    assert sale.change == 2600 and sale.payable == 22400
    assert sale.business_date == "2026-11-20" and sale.created_at == "2026-11-20T03:00:00.000000Z"
    assert checkout.basket.is_empty and checkout.basket.basket_id != sale.sale_id
    assert rows(ledger, "SELECT receipt_no, total FROM sales") == [(1, 22450)]
    assert rows(ledger, "SELECT topic, message_id FROM outbox") == [("sale", sale.sale_id)]


def test_business_day_follows_the_store_timezone(
    ledger: SqliteLedger, clock: SettableClock
) -> None:
    clock.at = datetime(2026, 11, 20, 17, 30, tzinfo=UTC)  # 00:30 on the 21st in Jakarta
    checkout = make(ledger, clock)
    checkout.scan(ean(1))
    checkout.pay_cash(5000)
    assert checkout.complete().business_date == "2026-11-21"
    papua = make(ledger, clock, timezone="Asia/Jayapura")
    clock.at = datetime(2026, 11, 20, 14, 30, tzinfo=UTC)  # 23:30 WIB, 00:30 WIT
    papua.scan(ean(1))
    papua.pay_cash(5000)
    assert papua.complete().business_date == "2026-11-21"


def test_basket_is_frozen_once_a_tender_is_taken(
    ledger: SqliteLedger, clock: SettableClock
) -> None:
    checkout = make(ledger, clock)
    checkout.scan(ean(2))
    checkout.start_payment()
    checkout.scan(ean(1))  # no tender yet: going back to the basket is fine
    checkout.pay_card(5000, reference="RRN1", masked_pan="421234******1234")
    with pytest.raises(CheckoutError, match="payment has started"):
        checkout.scan(ean(1))
    with pytest.raises(CheckoutError, match="already been taken"):
        checkout.cancel_payment()
    with pytest.raises(TenderError):
        checkout.pay_card(99999, reference="RRN2")  # more than remains
    checkout.pay_qris(12500, reference="QR1")
    sale = checkout.complete()
    assert [(t.method, t.amount) for t in sale.tenders] == [("card", 5000), ("qris", 12500)]


def test_unknown_inactive_and_misread_codes(ledger: SqliteLedger, clock: SettableClock) -> None:
    checkout = make(ledger, clock)
    for code, message in (
        (ean(9), "899200000009"),
        (ean(3), "Lama"),
        (ean(1)[:-1] + "0", "check digit"),
    ):
        with pytest.raises(LookupError if message != "check digit" else ValueError) as caught:
            checkout.scan(code)
        assert message in str(caught.value) or message in repr(caught.value.args)
    assert checkout.basket.is_empty
    with pytest.raises(CheckoutError, match="no product with SKU 'X'"):
        checkout.add_sku("X")
    with pytest.raises(CheckoutError, match="empty"):
        checkout.start_payment()


def test_void_and_abandon_are_journaled(ledger: SqliteLedger, clock: SettableClock) -> None:
    checkout = make(ledger, clock)
    checkout.scan(ean(1))
    checkout.scan(ean(2))
    checkout.void_line(1, staff="ani")
    assert checkout.priced().total == 12500
    checkout.abandon("customer left")
    assert checkout.basket.is_empty
    kinds = rows(ledger, "SELECT kind FROM journal ORDER BY seq")
    assert kinds == [("void",), ("abandoned",)]
    # both go to the fleet, the void checked against its contract payload
    assert rows(ledger, "SELECT topic FROM outbox") == [("event",), ("event",)]
    void = json.loads(rows(ledger, "SELECT payload FROM outbox ORDER BY id")[0][0])
    assert (void["kind"], void["payload"]) == (
        "void", {"line_no": 1, "qty": 1, "sku": "TEH", "staff": "ani"})  # fmt: skip
    assert validate("event", void) == []


def test_suspend_and_resume(ledger: SqliteLedger, clock: SettableClock) -> None:
    checkout = make(ledger, clock)
    with pytest.raises(CheckoutError, match="empty"):
        checkout.suspend()
    checkout.scan(ean(2))
    parked = checkout.suspend("meja 4")
    assert checkout.basket.is_empty
    checkout.scan(ean(1))
    with pytest.raises(CheckoutError, match="finish or suspend"):
        checkout.resume("meja 4")
    checkout.pay_cash(5000)
    checkout.complete()
    checkout.resume("meja 4")
    assert checkout.basket.basket_id == parked and checkout.priced().total == 12500
    with pytest.raises(CheckoutError, match="no suspended basket"):
        make(ledger, clock).resume("meja 4")


def test_promotion_window_is_store_local(ledger: SqliteLedger, clock: SettableClock) -> None:
    promo = parse_promotion({
        "kind": "multibuy", "promo_id": "P1", "name": "2 teh 9rb", "skus": ["TEH"],
        "qty": 2, "price": 9000, "time_from": "09:00", "time_to": "11:00",
    })  # fmt: skip
    checkout = make(ledger, clock)
    checkout.promotions.append(promo)
    checkout.add_sku("TEH", 2)
    assert checkout.priced().total == 9000  # 10:00 in Jakarta, 03:00 UTC
    clock.at = datetime(2026, 11, 20, 5, 0, tzinfo=UTC)  # 12:00 in Jakarta
    checkout.set_qty(1, 2)  # any change re-prices
    assert checkout.priced().total == 10000


def test_a_failed_commit_keeps_the_basket(
    ledger: SqliteLedger, clock: SettableClock, tmp_path: Path
) -> None:
    checkout = make(ledger, clock)
    checkout.scan(ean(1))
    checkout.pay_cash(5000)
    ledger.conn.execute(
        "CREATE TRIGGER no_sales BEFORE INSERT ON sales BEGIN SELECT RAISE(ABORT, 'disk says no'); END"
    )
    with pytest.raises(sqlite3.DatabaseError, match="disk says no"):
        checkout.complete()
    assert not checkout.basket.is_empty and rows(ledger, "SELECT count(*) FROM outbox") == [(0,)]
    ledger.conn.execute("DROP TRIGGER no_sales")
    assert checkout.complete().receipt_no == 1


def test_price_override_changes_the_unit_price(ledger: SqliteLedger, clock: SettableClock) -> None:
    checkout = make(ledger, clock)
    checkout.add_sku("KOPI", 2)
    checkout.override_price(1, 10000, staff="s1")
    assert checkout.priced().total == 20000
    with pytest.raises(ValueError, match="price"):
        checkout.override_price(1, -5, staff="s1")
    checkout.pay_cash(20000)
    sale = checkout.complete()
    assert (sale.lines[0].unit_price, sale.lines[0].amount) == (10000, 20000)
