"""Cost of goods in the day's books (the moving-average cost when each unit was sold,
given back for refunded units put back on the shelf) and the drawer opened without a sale
counted in the Z, through the services over a real SQLite ledger."""

from __future__ import annotations

import random

import pytest

from kiosk.domain.catalog import Catalog, Product
from kiosk.domain.sale import CompletedSale
from kiosk.domain.shift import ShiftError
from kiosk.services.books import Books, books_services
from kiosk.services.checkout import CheckoutConfig, CheckoutService
from kiosk.services.staff import NotAllowedError, StaffMember
from kiosk.services.stock_receiving import StockReceiving
from kiosk.storage import books
from kiosk.storage.ledger import SqliteLedger
from kiosk.storage.unit_of_work import SqliteUnitOfWork
from kiosk.testing.clock import SettableClock

ANI = StaffMember("c1", "Ani", "cashier")
BUDI = StaffMember("s1", "Budi", "supervisor")
PRODUCTS = [Product("TEH", "Teh", 5_000), Product("KOPI", "Kopi", 12_500),
            Product("GULA", "Gula", 15_000)]  # fmt: skip
DAY = "2026-11-20"


@pytest.fixture
def device_id() -> str:
    return "k1"


@pytest.fixture
def checkout(ledger: SqliteLedger, clock: SettableClock) -> CheckoutService:
    return CheckoutService(catalog=Catalog(PRODUCTS), ledger=ledger, clock=clock,
                           config=CheckoutConfig(store_id="s1", device_id="k1"))  # fmt: skip


@pytest.fixture
def service(ledger: SqliteLedger, clock: SettableClock) -> Books:
    return books_services(SqliteUnitOfWork(ledger), clock, "Asia/Jakarta")


@pytest.fixture
def stock(ledger: SqliteLedger, clock: SettableClock) -> StockReceiving:
    SqliteUnitOfWork(ledger).catalog.upsert(PRODUCTS)
    return StockReceiving(SqliteUnitOfWork(ledger), clock, "Asia/Jakarta")


def sell(checkout: CheckoutService, clock: SettableClock, *items: tuple[str, int]) -> CompletedSale:
    clock.advance(60)
    for sku, qty in items:
        checkout.add_sku(sku, qty)
    checkout.pay_cash(checkout.start_payment().remaining)
    return checkout.complete()


def accounts(ledger: SqliteLedger) -> dict[str, tuple[int, int]]:
    """Debit and credit per account, summed."""
    totals: dict[str, tuple[int, int]] = {}
    for entry in books.day_accounts(books.z_report(ledger.conn, DAY, "k1")):
        debit, credit = totals.get(entry.account, (0, 0))
        totals[entry.account] = (debit + entry.debit, credit + entry.credit)
    return totals


def test_cost_of_goods_is_the_moving_average_when_each_unit_was_sold(
    checkout: CheckoutService, clock: SettableClock, ledger: SqliteLedger, stock: StockReceiving,
    service: Books,
) -> None:  # fmt: skip
    stock.receive(BUDI, "TEH", 10, 3_000, "PT Teh")
    sell(checkout, clock, ("TEH", 4), ("KOPI", 1))  # 4 x 3.000; KOPI has no known cost
    stock.receive(BUDI, "TEH", 6, 4_000, "PT Teh")  # (6 x 3.000 + 6 x 4.000) / 12 = 3.500
    sale = sell(checkout, clock, ("TEH", 2))  # 2 x 3.500
    z = books.z_report(ledger.conn, DAY, "k1")
    assert z["cost_of_goods"] == {"sold": 12_000 + 7_000, "returned": 0, "costed_lines": 2}
    assert accounts(ledger)["cost_of_goods_sold"] == (19_000, 0)
    assert accounts(ledger)["inventory"] == (0, 19_000)
    # A later delivery at another cost changes nothing already sold.
    stock.receive(BUDI, "TEH", 10, 9_000, "PT Teh")
    assert books.z_report(ledger.conn, DAY, "k1")["cost_of_goods"]["sold"] == 19_000
    # One unit back on the shelf returns its cost (as sold); one written off does not.
    service.refunds.refund(BUDI, sale.receipt_no, [(1, 1)], restock=True)
    service.refunds.refund(BUDI, 1, [(1, 1)], restock=False)
    z = books.z_report(ledger.conn, DAY, "k1")
    assert z["cost_of_goods"] == {"sold": 19_000, "returned": 3_500, "costed_lines": 2}
    entries = books.day_accounts(z)
    assert sum(e.debit for e in entries) == sum(e.credit for e in entries)
    assert accounts(ledger)["inventory"] == (3_500, 19_000)


def test_the_days_entries_balance_with_costs_and_random_refunds(
    checkout: CheckoutService, clock: SettableClock, ledger: SqliteLedger, stock: StockReceiving,
    service: Books,
) -> None:  # fmt: skip
    rng = random.Random(11)
    for sku in ("TEH", "GULA"):
        stock.receive(BUDI, sku, 50, rng.randint(1_000, 9_000), "PT X")
    receipts = [sell(checkout, clock, *[(rng.choice(PRODUCTS).sku, rng.randint(1, 4))
                                       for _ in range(rng.randint(1, 3))]).receipt_no
                for _ in range(20)]  # fmt: skip
    for _ in range(15):
        sale = ledger.get_sale_by_receipt(rng.choice(receipts))
        assert sale is not None
        line = rng.choice(sale.lines)
        try:
            service.refunds.refund(BUDI, sale.receipt_no, [(line.line_no, 1)],
                                   restock=rng.random() < 0.5, cash_approver=BUDI)  # fmt: skip
        except ValueError:
            continue  # that line is already all back
    z = books.z_report(ledger.conn, DAY, "k1")
    assert 0 < z["cost_of_goods"]["returned"] < z["cost_of_goods"]["sold"]
    entries = books.day_accounts(z)
    assert sum(e.debit for e in entries) == sum(e.credit for e in entries)


def test_the_drawer_opened_without_a_sale_is_counted_in_the_z(
    service: Books, ledger: SqliteLedger, clock: SettableClock
) -> None:
    with pytest.raises(NotAllowedError):
        service.shifts.no_sale(ANI, "change for the float")  # a cashier may not
    with pytest.raises(ShiftError, match="reason"):
        service.shifts.no_sale(BUDI, "  ")
    service.shifts.open(BUDI, 100_000)
    service.shifts.no_sale(BUDI, "change for the float")
    clock.advance(60)
    service.shifts.no_sale(BUDI, "cash pickup")
    assert books.z_report(ledger.conn, DAY, "k1")["no_sales"] == 2
    assert books.z_report(ledger.conn, "2026-11-21", "k1")["no_sales"] == 0
    rows = ledger.conn.execute("SELECT shift_id IS NOT NULL, opened_by FROM no_sales").fetchall()
    assert [tuple(r) for r in rows] == [(1, "Budi"), (1, "Budi")]
    events = ledger.conn.execute("SELECT COUNT(*) FROM journal WHERE kind = 'no_sale'")
    assert events.fetchone()[0] == 2
    clock.advance(24 * 3600)
    service.shifts.no_sale(BUDI, "wrong change given")
    assert books.z_report(ledger.conn, "2026-11-21", "k1")["no_sales"] == 1
