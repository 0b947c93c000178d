"""Points as a tender, their reversal on refunds, expiry, tiers and bonus points, through
the loyalty and refund services over a real SQLite ledger."""

from __future__ import annotations

import json
import sqlite3
from fractions import Fraction
from pathlib import Path

import pytest

from kiosk.contract.books import Refund
from kiosk.contract.points import Points
from kiosk.domain import points
from kiosk.domain.catalog import Catalog, Product
from kiosk.domain.receipt import build_receipt, render_text
from kiosk.domain.refund_slip import tender_label
from kiosk.domain.tenders import TenderError
from kiosk.services.books import books_services
from kiosk.services.checkout import CheckoutConfig, CheckoutService
from kiosk.services.loyalty import LoyaltyService, loyalty_rules
from kiosk.services.staff import StaffMember
from kiosk.storage import books
from kiosk.storage.ledger import SqliteLedger
from kiosk.storage.members_store import MembersStore
from kiosk.storage.points_store import PointsStore
from kiosk.storage.settings import Settings
from kiosk.storage.unit_of_work import SqliteUnitOfWork
from kiosk.testing.clock import SettableClock
from kiosk.ui.i18n import Language
from kiosk.ui.presenters.refund_ways import share_way

PRODUCTS = [Product("KOPI", "Kopi", 10_000, category="minuman"), Product("ROTI", "Roti", 25_000)]
SUPERVISOR = StaffMember("S1", "Budi", "supervisor")
PHONE = "081234567890"


@pytest.fixture
def device_id() -> str:
    return "k1"


def service(
    ledger: SqliteLedger, clock: SettableClock, rules: points.LoyaltyRules | None = None
) -> LoyaltyService:
    return LoyaltyService(SqliteUnitOfWork(ledger), clock, PointsStore(ledger.conn),
                          MembersStore(ledger.conn), rules)  # fmt: skip


@pytest.fixture
def loyalty(ledger: SqliteLedger, clock: SettableClock) -> LoyaltyService:
    return service(ledger, clock)


def till(ledger: SqliteLedger, clock: SettableClock) -> CheckoutService:
    config = CheckoutConfig(store_id="s1", device_id=ledger.device_id)
    return CheckoutService(catalog=Catalog(PRODUCTS), ledger=ledger, clock=clock, config=config)


@pytest.fixture
def checkout(ledger: SqliteLedger, clock: SettableClock) -> CheckoutService:
    return till(ledger, clock)


def earn(loyalty: LoyaltyService, checkout: CheckoutService, kopi: int) -> str:
    """A member's cash sale of ``kopi`` x Rp10.000; returns the member id."""
    member = loyalty.attach(checkout, PHONE)
    checkout.add_sku("KOPI", kopi)
    checkout.pay_cash(kopi * 10_000)
    loyalty.complete(checkout)
    return member.member_id


def moves(conn: sqlite3.Connection) -> list[tuple[str, int, int]]:
    rows = conn.execute("SELECT kind, points, spend FROM points_moves ORDER BY id")
    return [(str(r[0]), int(r[1]), int(r[2])) for r in rows]


def points_events(conn: sqlite3.Connection) -> list[dict[str, object]]:
    rows = conn.execute("SELECT payload FROM journal WHERE kind = 'points' ORDER BY seq")
    return [json.loads(r[0]) for r in rows]


def test_points_pay_part_of_a_sale_within_the_cap_and_are_booked_with_it(
    loyalty: LoyaltyService, checkout: CheckoutService, ledger: SqliteLedger
) -> None:
    loyalty.enrol(PHONE, "Sari")
    member_id = earn(loyalty, checkout, 50)  # Rp500.000 -> 50 points
    assert loyalty.balance(member_id) == 50
    loyalty.attach(checkout, PHONE)
    checkout.add_sku("KOPI", 6)  # Rp60.000: at most half (Rp30.000 = 300 points) in points
    with pytest.raises(points.PointsError, match="only 50 points"):
        loyalty.redeem(checkout, 51)
    record = loyalty.redeem(checkout, 20)
    assert (record.method, record.amount, record.given) == ("points", 2_000, 20)
    with pytest.raises(points.PointsError, match="only 30 points"):  # 20 already on it
        loyalty.redeem(checkout, 31)
    checkout.pay_cash(58_000)
    sale, earned = loyalty.complete(checkout)
    assert [(t.method, t.amount, t.given) for t in sale.tenders] == [
        ("points", 2_000, 20), ("cash", 58_000, 58_000)]  # fmt: skip
    assert earned == 5  # Rp58.000 paid in money: points do not earn points
    assert moves(ledger.conn)[-2:] == [("redeem", -20, 0), ("earn", 5, 58_000)]
    assert loyalty.balance(member_id) == 50 - 20 + 5
    for event in points_events(ledger.conn):
        Points.model_validate(event)  # each move goes to the fleet as the contract says


def test_the_cap_per_sale_and_a_sale_without_member(
    ledger: SqliteLedger, clock: SettableClock, checkout: CheckoutService
) -> None:
    loyalty = service(ledger, clock, points.LoyaltyRules(earn_rupiah_per_point=1_000))
    loyalty.enrol(PHONE, "Sari")
    earn(loyalty, checkout, 10)  # 100 points
    checkout.add_sku("KOPI", 1)
    with pytest.raises(points.PointsError, match="member"):
        loyalty.redeem(checkout, 1)  # nobody on the basket
    loyalty.attach(checkout, PHONE)
    with pytest.raises(points.PointsError, match="at most 50 points"):  # half of Rp10.000
        loyalty.redeem(checkout, 51)
    with pytest.raises(points.PointsError, match="above zero"):
        loyalty.redeem(checkout, 0)
    assert checkout.tenders is not None and checkout.tenders.records() == ()


def test_points_never_give_change(ledger: SqliteLedger, clock: SettableClock) -> None:
    rules = points.LoyaltyRules(earn_rupiah_per_point=100, max_redeem_share_percent=100)
    loyalty = service(ledger, clock, rules)
    checkout = till(ledger, clock)
    loyalty.enrol(PHONE, "Sari")
    earn(loyalty, checkout, 3)  # 300 points = Rp30.000
    loyalty.attach(checkout, PHONE)
    checkout.add_sku("KOPI", 1)
    with pytest.raises(points.PointsError, match="at most 100"):
        loyalty.redeem(checkout, 101)
    loyalty.redeem(checkout, 100)  # settles Rp10.000 exactly
    sale, earned = loyalty.complete(checkout)
    assert (sale.total, earned, sale.tenders[0].method) == (10_000, 0, "points")
    checkout.add_sku("KOPI", 1)
    with pytest.raises(TenderError, match="cannot give change"):
        checkout.start_payment().add_points(1, 20_000)


def test_points_spent_by_another_till_on_the_same_book_are_not_spent_twice(
    ledger: SqliteLedger, clock: SettableClock
) -> None:
    loyalty = service(ledger, clock, points.LoyaltyRules(max_redeem_share_percent=100))
    counter, self_checkout = till(ledger, clock), till(ledger, clock)
    loyalty.enrol(PHONE, "Sari")
    member_id = earn(loyalty, counter, 30)  # 30 points
    for checkout in (counter, self_checkout):
        loyalty.attach(checkout, PHONE)
        checkout.add_sku("KOPI", 1)
        loyalty.redeem(checkout, 25)  # both see 30 spendable while neither has completed
        checkout.pay_cash(7_500)
    loyalty.complete(counter)
    with pytest.raises(points.PointsError, match="only 5 points"):
        loyalty.complete(self_checkout)
    assert loyalty.balance(member_id) == 5
    assert ledger.conn.execute("SELECT COUNT(*) FROM sales").fetchone()[0] == 2


def test_a_member_on_two_offline_kiosks_spends_only_what_each_book_confirmed(
    tmp_path: Path, clock: SettableClock
) -> None:
    """Until the fleet confirms balances, a kiosk's own book is the confirmed balance: the
    points earned on kiosk A cannot be spent again on kiosk B while they are apart."""
    a, b = (SqliteLedger(tmp_path / f"{name}.sqlite", name) for name in ("ka", "kb"))
    try:
        on_a, on_b = service(a, clock), service(b, clock)
        member = on_a.enrol(PHONE, "Sari")
        MembersStore(b.conn).upsert_many([member])  # the member list reached kiosk B
        earn(on_a, till(a, clock), 20)
        checkout_b = till(b, clock)
        on_b.attach(checkout_b, PHONE)
        checkout_b.add_sku("ROTI", 1)
        with pytest.raises(points.PointsError, match="only 0 points"):
            on_b.redeem(checkout_b, 10)
        checkout_a = till(a, clock)
        on_a.attach(checkout_a, PHONE)
        checkout_a.add_sku("ROTI", 1)
        on_a.redeem(checkout_a, 20)
        checkout_a.pay_cash(23_000)
        on_a.complete(checkout_a)
        assert (on_a.balance(member.member_id), on_b.balance(member.member_id)) == (2, 0)
    finally:
        a.close()
        b.close()


def test_refunds_take_back_earned_points_and_give_back_spent_ones(
    loyalty: LoyaltyService, checkout: CheckoutService, ledger: SqliteLedger, clock: SettableClock
) -> None:
    loyalty.enrol(PHONE, "Sari")
    member_id = earn(loyalty, checkout, 20)  # 20 points
    loyalty.attach(checkout, PHONE)
    checkout.add_sku("KOPI", 10)  # Rp100.000
    loyalty.redeem(checkout, 15)  # Rp1.500
    checkout.pay_cash(98_500)
    sale, earned = loyalty.complete(checkout)
    assert earned == 9 and loyalty.balance(member_id) == 20 - 15 + 9
    refunds = books_services(SqliteUnitOfWork(ledger), clock, "Asia/Jakarta", loyalty).refunds
    first = refunds.refund(SUPERVISOR, sale.receipt_no, [(1, 3)], restock=True)  # 30%
    Refund.model_validate(first)
    # 15 points x 30% = 4.5 -> 4 back (rounded down); 9 earned x 30% = 2.7 -> 3 taken back
    assert first["tenders"] == [
        {"index": 0, "method": "points", "amount": -400, "paid_as": "points", "points": 4},
        {"index": 1, "method": "cash", "amount": -29_600, "paid_as": "cash"},
    ]
    assert (first["total"], first["cash"]) == (-30_000, 29_600)
    assert loyalty.balance(member_id) == 14 - 3 + 4
    rest = refunds.refund(SUPERVISOR, sale.receipt_no, [(1, 7)], restock=True)
    assert rest["tenders"][0]["points"] == 11 and rest["cash"] == 70_000 - 1_100
    # The whole sale came back: the member has what they had before it, to the point.
    assert loyalty.balance(member_id) == 20
    assert [m for m in moves(ledger.conn) if m[0] == "reverse"] == [
        ("reverse", -3, -29_550), ("reverse", 4, 0), ("reverse", -6, -68_950), ("reverse", 11, 0)]  # fmt: skip
    assert loyalty.tier(member_id).name == "basic"
    z = books.z_report(ledger.conn, sale.business_date, "k1")
    assert z["refunds"]["paid_as"] == {"points": -1_500, "cash": -98_500}
    liability = [(e.debit, e.credit) for e in books.day_accounts(z)
                 if e.account == "loyalty_liability"]  # fmt: skip
    assert liability == [(1_500, 0), (0, 1_500)]  # spent, then given back
    for event in points_events(ledger.conn):
        Points.model_validate(event)


def test_a_refund_never_gains_points(
    loyalty: LoyaltyService, checkout: CheckoutService, ledger: SqliteLedger, clock: SettableClock
) -> None:
    """Refunding a sale one unit at a time takes back at least the share earned each time."""
    loyalty.enrol(PHONE, "Sari")
    member_id = earn(loyalty, checkout, 7)  # 7 points for Rp70.000
    refunds = books_services(SqliteUnitOfWork(ledger), clock, "Asia/Jakarta", loyalty).refunds
    for unit in range(1, 8):
        refunds.refund(SUPERVISOR, 1, [(1, 1)], restock=True)
        assert loyalty.balance(member_id) <= 7 - unit * Fraction(7, 7) + Fraction(99, 100)
    assert loyalty.balance(member_id) == 0


def test_points_expire_oldest_first_after_expiry_days(
    ledger: SqliteLedger, clock: SettableClock
) -> None:
    rules = points.LoyaltyRules(expiry_days=30, max_redeem_share_percent=100)
    loyalty = service(ledger, clock, rules)
    checkout = till(ledger, clock)
    loyalty.enrol(PHONE, "Sari")
    member_id = earn(loyalty, checkout, 10)  # 10 points on day 0
    clock.advance(20 * 86_400)
    earn(loyalty, checkout, 5)  # 5 more on day 20
    loyalty.attach(checkout, PHONE)
    checkout.add_sku("KOPI", 1)
    loyalty.redeem(checkout, 4)  # taken from the oldest lot
    checkout.pay_cash(9_600)
    loyalty.complete(checkout)
    clock.advance(15 * 86_400)  # day 35: the first lot's 6 left expire
    assert loyalty.report()[0]["points"] == 5
    assert loyalty.balance(member_id) == 11  # not booked yet: the report only shows it
    loyalty.attach(checkout, PHONE)
    checkout.add_sku("KOPI", 1)
    with pytest.raises(points.PointsError, match="only 5 points"):
        loyalty.redeem(checkout, 6)  # redeeming books the expiry first
    assert moves(ledger.conn)[-1] == ("expire", -6, 0)
    assert loyalty.expire(member_id) == 0  # booked once
    clock.advance(30 * 86_400)
    assert loyalty.expire(member_id) == 5
    assert loyalty.balance(member_id) == 0


def test_tiers_multiply_and_bonus_points_come_per_unit(
    ledger: SqliteLedger, clock: SettableClock, tmp_path: Path
) -> None:
    settings = Settings(tmp_path / "settings.json")
    settings.set("loyalty.tiers", [{"name": "gold", "min_spend": 100_000, "multiplier": "1.5"}])
    settings.set("loyalty.bonus_points", {"minuman": 1, "ROTI": 3})
    loyalty = service(ledger, clock, loyalty_rules(settings.get))
    checkout = till(ledger, clock)
    loyalty.enrol(PHONE, "Sari")
    member_id = earn(loyalty, checkout, 9)  # basic: 9 + 9 x 1 bonus (minuman)
    assert loyalty.balance(member_id) == 18 and loyalty.tier(member_id).name == "basic"
    loyalty.attach(checkout, PHONE)
    checkout.add_sku("ROTI", 1)
    checkout.add_sku("KOPI", 1)
    checkout.pay_cash(35_000)
    loyalty.complete(checkout)  # spend 90.000 < 100.000 at the time: 3 + 3 + 1
    assert loyalty.balance(member_id) == 25 and loyalty.tier(member_id).name == "gold"
    earn(loyalty, checkout, 3)  # gold: 3 x 1.5 = 4 (down) + 3 bonus
    assert loyalty.balance(member_id) == 32
    assert loyalty.report()[0]["tier"] == "gold"


def test_tier_and_bonus_settings_are_checked(tmp_path: Path) -> None:
    settings = Settings(tmp_path / "settings.json")
    for key, bad in (("loyalty.tiers", [{"name": "gold"}]),
                     ("loyalty.tiers", [{"name": "x", "min_spend": -1}]),
                     ("loyalty.bonus_points", {"KOPI": -2})):  # fmt: skip
        with pytest.raises(ValueError):
            settings.set(key, bad)
    assert loyalty_rules(settings.get).tiers == (points.Tier("basic", 0),)


def test_the_receipt_names_the_points_spent(
    loyalty: LoyaltyService, checkout: CheckoutService
) -> None:
    loyalty.enrol(PHONE, "Sari")
    earn(loyalty, checkout, 5)
    loyalty.attach(checkout, PHONE)
    checkout.add_sku("KOPI", 1)
    loyalty.redeem(checkout, 5)
    checkout.pay_cash(10_000)
    sale, _ = loyalty.complete(checkout)
    text = render_text(build_receipt(sale, header=["Toko"], footer=[], lang="id"), 32)
    assert "Poin" in text and "5 poin" in text and "POINTS" not in text


def test_units_returned_one_by_one_never_leave_a_refund_short_of_a_point(
    ledger: SqliteLedger, clock: SettableClock
) -> None:
    """7 sweets of Rp93 paid with 11 points of Rp50 and Rp101 cash, brought back one at a
    time: one unit holds one point at most, so the part of the points that no whole point
    fits comes out of the drawer, and every refund is exactly its unit's Rp93."""
    rules = points.LoyaltyRules(earn_rupiah_per_point=10, point_value=50,
                                max_redeem_share_percent=100)  # fmt: skip
    loyalty = service(ledger, clock, rules)
    checkout = CheckoutService(catalog=Catalog([*PRODUCTS, Product("PERMEN", "Permen", 93)]),
                               ledger=ledger, clock=clock,
                               config=CheckoutConfig(store_id="s1", device_id="k1"))  # fmt: skip
    loyalty.enrol(PHONE, "Sari")
    member_id = earn(loyalty, checkout, 1)  # 1.000 points
    loyalty.attach(checkout, PHONE)
    checkout.add_sku("PERMEN", 7)
    loyalty.redeem(checkout, 11)
    checkout.pay_cash(101)
    sale, earned = loyalty.complete(checkout)
    assert earned == 10 and loyalty.balance(member_id) == 1_000 - 11 + 10
    refunds = books_services(SqliteUnitOfWork(ledger), clock, "Asia/Jakarta", loyalty).refunds
    done = [refunds.refund(SUPERVISOR, sale.receipt_no, [(1, 1)], restock=True) for _ in range(7)]
    for body in done:
        Refund.model_validate(body)
        assert body["total"] == -93 and sum(t["amount"] for t in body["tenders"]) == -93
    assert [body["cash"] for body in done] == [43, 43, 43, 43, 43, 43, 43]
    part = done[2]["tenders"]
    assert part[1:] == [{"index": 1, "method": "cash", "amount": -15, "paid_as": "cash"},
                        {"index": 0, "method": "points", "amount": -28, "paid_as": "cash"}]  # fmt: skip
    # 7 of the 11 points came back; the other four (Rp200) left the drawer as cash.
    assert loyalty.balance(member_id) == 1_000 - 4
    z = books.z_report(ledger.conn, sale.business_date, "k1")
    assert z["refunds"]["paid_as"] == {"points": -350, "cash": -301}
    assert sum(e.debit - e.credit for e in books.day_accounts(z)) == 0  # balanced
    assert tender_label(part[2], "id") == "Tunai (sisa nilai poin)"
    assert share_way(part[2], Language("id")) == "Bayarkan tunai (sisa nilai poin)"
