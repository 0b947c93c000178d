"""Shifts, the Z close and refunds through their services over a real SQLite ledger: rights
checked before anything changes, journaled, exact to the rupiah, a closed day stays closed."""

from __future__ import annotations

import random
import sqlite3
from datetime import UTC, datetime, timedelta

import pytest

from kiosk.domain.catalog import Catalog, Product
from kiosk.domain.promotions import parse_promotion
from kiosk.domain.refunds import RefundError
from kiosk.domain.sale import CompletedSale
from kiosk.domain.shift import ShiftError
from kiosk.services.books import Books, books_services
from kiosk.services.checkout import CheckoutConfig, CheckoutService
from kiosk.services.day_close import DayCloseError
from kiosk.services.staff import NotAllowedError, StaffMember
from kiosk.storage import books, stock
from kiosk.storage.ledger import SaleRefusedError, SqliteLedger
from kiosk.storage.unit_of_work import SqliteUnitOfWork
from kiosk.testing.clock import SettableClock
from kiosk.testing.sales import make_sale

ANI = StaffMember("c1", "Ani", "cashier")
RINA = StaffMember("c2", "Rina", "cashier")
BUDI = StaffMember("s1", "Budi", "supervisor")
PRODUCTS = [Product("TEH", "Teh", 5_000), Product("KOPI", "Kopi", 12_500)]
MULTIBUY = {"kind": "multibuy", "promo_id": "P1", "name": "3 teh 13rb", "skus": ["TEH"],
            "qty": 3, "price": 13_000}  # fmt: skip


@pytest.fixture
def device_id() -> str:
    return "k1"


@pytest.fixture
def checkout(ledger: SqliteLedger, clock: SettableClock) -> CheckoutService:
    return CheckoutService(catalog=Catalog(PRODUCTS), ledger=ledger, clock=clock,
                           config=CheckoutConfig(store_id="s1", device_id="k1",
                                                 cash_rounding_step=100),
                           promotions=[parse_promotion(MULTIBUY)])  # fmt: skip


@pytest.fixture
def service(ledger: SqliteLedger, clock: SettableClock) -> Books:
    return books_services(SqliteUnitOfWork(ledger), clock, "Asia/Jakarta")


def kinds(conn: sqlite3.Connection) -> list[str]:
    return [str(r[0]) for r in conn.execute("SELECT kind FROM journal ORDER BY seq")]


def sell(checkout: CheckoutService, clock: SettableClock, *items: tuple[str, int],
         card: int = 0) -> CompletedSale:  # fmt: skip
    clock.at += timedelta(minutes=1)
    for sku, qty in items:
        checkout.add_sku(sku, qty)
    if card:
        checkout.pay_card(card, reference="RRN1")
    checkout.pay_cash(checkout.start_payment().remaining)
    return checkout.complete()


def test_a_shift_balances_its_cash(service: Books, checkout: CheckoutService,
                                   clock: SettableClock, ledger: SqliteLedger) -> None:  # fmt: skip
    service.shifts.open(ANI, 200_000)
    with pytest.raises(ShiftError, match="still open"):
        service.shifts.open(RINA, 100_000)
    sell(checkout, clock, ("KOPI", 2))  # 25,000 cash
    service.shifts.cash_move(ANI, "in", 50_000, "small notes")
    service.shifts.cash_move(ANI, "out", 20_000, "ice delivery")
    service.refunds.refund(BUDI, 1, [(1, 1)], restock=True)  # 12,500 back in cash
    with pytest.raises(NotAllowedError, match="Ani's shift"):
        service.shifts.close(RINA, 0)
    report = service.shifts.close(ANI, 242_000)
    assert {k: report[k] for k in ("float", "cash_sales", "cash_in", "cash_out", "cash_refunds",
                                   "expected_cash", "counted", "over_short", "cashier")} == {
        "float": 200_000, "cash_sales": 25_000, "cash_in": 50_000, "cash_out": 20_000,
        "cash_refunds": 12_500, "expected_cash": 242_500, "counted": 242_000,
        "over_short": -500, "cashier": "Ani",
    }  # fmt: skip
    assert service.shifts.report() == report
    assert kinds(ledger.conn) == ["shift_open", "sale", "cash_in", "cash_out", "refund",
                                  "shift_close"]  # fmt: skip


def test_steps_without_the_right_change_nothing(service: Books, ledger: SqliteLedger) -> None:
    with pytest.raises(NotAllowedError, match="login needed"):
        service.shifts.open(None, 100_000)
    with pytest.raises(NotAllowedError, match="may not z_close"):
        service.day_close.close(ANI)
    with pytest.raises(NotAllowedError, match="may not refund"):
        service.refunds.refund(ANI, 1, [(1, 1)], restock=True)
    with pytest.raises(ShiftError, match="no shift is open"):
        service.shifts.cash_move(ANI, "out", 1_000, "x")
    assert kinds(ledger.conn) == []


def test_the_z_close_ends_the_day_once_and_the_till_sells_on(
    service: Books, checkout: CheckoutService, clock: SettableClock, ledger: SqliteLedger
) -> None:
    sell(checkout, clock, ("TEH", 1))
    closed = service.day_close.close(BUDI)
    assert (closed["business_date"], closed["z_number"]) == ("2026-11-20", 1)
    with pytest.raises(DayCloseError, match="already closed"):
        service.day_close.close(BUDI)
    after = sell(checkout, clock, ("TEH", 1))
    assert after.business_date == "2026-11-21"  # the next business day
    clock.at = datetime(2026, 11, 21, 3, 0, tzinfo=UTC)
    sell(checkout, clock, ("TEH", 1))
    assert service.day_close.close(BUDI)["z_number"] == 2  # gap-free
    z = books.z_report(ledger.conn, "2026-11-21", "k1")
    assert (z["transactions"], z["z_number"]) == (2, 2)
    assert kinds(ledger.conn).count("z_close") == 2


def test_a_sale_dated_before_the_close_is_refused(
    service: Books, checkout: CheckoutService, clock: SettableClock, ledger: SqliteLedger
) -> None:
    sell(checkout, clock, ("TEH", 1))
    clock.at += timedelta(hours=1)
    service.day_close.close(BUDI)
    clock.at -= timedelta(minutes=30)  # back-dated into the closed day
    checkout.add_sku("TEH")
    checkout.pay_cash(5_000)
    with pytest.raises(SaleRefusedError, match="closed by Z 1"):
        checkout.complete()
    assert ledger.sale_count() == 1


def test_partial_refunds_of_a_multibuy_line_add_up_to_what_was_paid(
    service: Books, checkout: CheckoutService, clock: SettableClock, ledger: SqliteLedger
) -> None:
    sale = sell(checkout, clock, ("TEH", 3))
    assert sale.lines[0].amount == 13_000  # three for 13,000, not 15,000
    first = service.refunds.refund(BUDI, 1, [(1, 1)], restock=True)
    second = service.refunds.refund(BUDI, 1, [(1, 2)], restock=False)
    assert (first["total"], second["total"]) == (-4_333, -8_667)
    with pytest.raises(RefundError, match="only 0 of 3"):
        service.refunds.refund(BUDI, 1, [(1, 1)], restock=True)
    assert stock.level(ledger.conn, "TEH") == -3 + 1  # one back on the shelf, two written off
    assert kinds(ledger.conn) == ["sale", "refund", "refund"]


def test_a_split_tender_refund_goes_back_non_cash_first_within_each_tender(
    service: Books, checkout: CheckoutService, clock: SettableClock
) -> None:
    sell(checkout, clock, ("KOPI", 2), card=20_000)  # 20,000 card + 5,000 cash
    # No card terminal here: the card's share goes to cash only with a supervisor's yes.
    with pytest.raises(RefundError, match="needs a supervisor's approval"):
        service.refunds.refund(BUDI, 1, [(1, 1)], restock=True)
    first = service.refunds.refund(BUDI, 1, [(1, 1)], restock=True, cash_approver=BUDI)
    assert [(t["index"], t["method"], t["amount"], t["paid_as"]) for t in first["tenders"]] == [
        (0, "card", -12_500, "cash")
    ]
    assert first["tenders"][0]["via"]["fallback"] == "unreached"
    assert (first["cash"], first["cash_approved_by"]) == (12_500, "Budi")
    second = service.refunds.refund(BUDI, 1, [(1, 1)], restock=True, cash_approver=BUDI)
    assert [(t["index"], t["method"], t["amount"], t["paid_as"]) for t in second["tenders"]] == [
        (0, "card", -7_500, "cash"),
        (1, "cash", -5_000, "cash"),
    ]


def test_a_refund_after_the_z_counts_on_the_day_it_is_made(
    service: Books, checkout: CheckoutService, clock: SettableClock, ledger: SqliteLedger
) -> None:
    sell(checkout, clock, ("KOPI", 1))
    service.day_close.close(BUDI)
    clock.at += timedelta(minutes=5)
    refund = service.refunds.refund(BUDI, 1, [(1, 1)], restock=True)
    assert refund["business_date"] == "2026-11-21"
    closed_day = books.z_report(ledger.conn, "2026-11-20", "k1")
    next_day = books.z_report(ledger.conn, "2026-11-21", "k1")
    assert (closed_day["returns"], closed_day["net"]) == (0, 12_500)
    assert (next_day["returns"], next_day["net"], next_day["refunds"]["count"]) == (
        12_500,
        -12_500,
        1,
    )


@pytest.mark.parametrize("seed", range(6))
def test_a_random_day_of_sales_and_refunds_balances_and_never_refunds_more_than_paid(
    seed: int, service: Books, ledger: SqliteLedger, clock: SettableClock
) -> None:
    rng = random.Random(seed)
    day = "2026-11-20"
    paid: dict[int, int] = {}
    for n in range(25):
        clock.at += timedelta(minutes=1)
        stamp = clock.at.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        sale = ledger.commit_sale(make_sale(rng, device_id="k1", business_date=day,
                                            created_at=stamp, sale_id=f"s{n}"))  # fmt: skip
        paid[sale.receipt_no] = sale.payable
    refunded: dict[int, int] = {}
    for _ in range(40):
        receipt_no = rng.choice(list(paid))
        sale = ledger.get_sale_by_receipt(receipt_no)
        assert sale is not None
        line = rng.choice(sale.lines)
        clock.at += timedelta(seconds=5)
        try:
            refund = service.refunds.refund(BUDI, receipt_no, [(line.line_no, rng.randint(1, line.qty))],
                                            restock=rng.random() < 0.5,
                                            cash_approver=BUDI)  # fmt: skip
        except RefundError:
            continue  # those units are already back, or part of a weighed line
        refunded[receipt_no] = refunded.get(receipt_no, 0) - refund["total"]
        assert refunded[receipt_no] <= paid[receipt_no]
    report = books.z_report(ledger.conn, day, "k1")
    assert report["returns"] == sum(refunded.values()) > 0
    entries = books.day_accounts(report)
    assert sum(e.debit for e in entries) == sum(e.credit for e in entries)
