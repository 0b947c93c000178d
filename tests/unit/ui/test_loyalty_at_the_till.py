"""Both faces of the till complete a member's sale through the loyalty service, as
replay does: the points are earned (and spent) with the sale. Real services over SQLite,
presenters driven as their screens drive them (no Kivy; the screens are in tests/ui)."""

from __future__ import annotations

from kiosk.domain.points import LoyaltyRules
from kiosk.services.checkout import CheckoutService
from kiosk.services.loyalty import NO_MEMBER, LoyaltyService
from kiosk.services.members import MemberService
from kiosk.services.self_checkout import SelfCheckoutService
from kiosk.services.staff import StaffService
from kiosk.storage.ledger import SqliteLedger
from kiosk.storage.members_store import MembersStore
from kiosk.storage.points_store import PointsStore
from kiosk.storage.unit_of_work import SqliteUnitOfWork
from kiosk.testing.clock import SettableClock
from kiosk.ui.presenters.counter import CounterPresenter
from kiosk.ui.presenters.refusals import POINTS_TEXTS
from kiosk.ui.presenters.self_checkout import SelfCheckoutPresenter
from tests.unit.pieces import Effects, approved

PHONE = "081234567890"  # Siti Rahayu, M0001 of the demo members


def loyalty_over(ledger: SqliteLedger) -> LoyaltyService:
    return LoyaltyService(SqliteUnitOfWork(ledger), SettableClock(), PointsStore(ledger.conn),
                          MembersStore(ledger.conn), LoyaltyRules(earn_rupiah_per_point=1_000))  # fmt: skip


def counter(checkout: CheckoutService, staff: StaffService, effects: Effects,
            members: MemberService, loyalty: LoyaltyService) -> CounterPresenter:  # fmt: skip
    p = CounterPresenter(checkout, staff, effects, lang="id", members=members, loyalty=loyalty)
    for key in "2222":
        p.pin_key(key)
    p.pin_key("enter")
    return p


def type_in(p: CounterPresenter, text: str) -> None:
    for key in text:
        p.key(key)


def test_the_counter_earns_and_redeems_points_through_the_loyalty_service(
    checkout: CheckoutService, staff: StaffService, effects: Effects, members: MemberService,
    ledger: SqliteLedger,
) -> None:  # fmt: skip
    loyalty = loyalty_over(ledger)
    p = counter(checkout, staff, effects, members, loyalty)
    p.quick_key("ROTI")  # Rp16.000
    type_in(p, PHONE)
    p.set_member()
    p.pay()
    p.tender_cash(20_000)
    assert p.screen == "done" and loyalty.balance("M0001") == 16
    p.new_sale()
    p.quick_key("ROTI")
    p.pay()
    type_in(p, "5")
    p.tender_points()  # nobody on the sale: said in Indonesian, nothing taken
    assert p.message.text == "Masukkan member ke transaksi dulu sebelum bayar pakai poin"
    p.back_to_sale()
    type_in(p, PHONE)
    p.set_member()
    p.pay()
    type_in(p, "90")
    p.tender_points()  # half of Rp16.000 is 80 points, and Siti has 16
    assert p.message.text == "Paling banyak 16 poin bisa dipakai untuk belanja ini"
    p.tender_points()
    assert p.message.text == "Ketik dulu jumlah poinnya"
    type_in(p, "10")
    p.tender_points()
    assert p.due == 15_000 and p.screen == "tender"
    p.tender_cash(15_000)
    assert p.screen == "done" and p.last_sale is not None
    assert [(t.method, t.amount, t.given) for t in p.last_sale.tenders] == [
        ("points", 1_000, 10), ("cash", 15_000, 15_000)]  # fmt: skip
    assert loyalty.balance("M0001") == 16 - 10 + 15
    assert POINTS_TEXTS[0] == NO_MEMBER


def test_the_self_checkout_earns_points_through_the_loyalty_service(
    lane: SelfCheckoutService, effects: Effects, members: MemberService, ledger: SqliteLedger
) -> None:
    loyalty = loyalty_over(ledger)
    p = SelfCheckoutPresenter(lane, effects, lang="en", members=members, loyalty=loyalty)
    product = p.checkout.catalog.by_sku("TEH")
    assert product is not None
    for _ in range(3):
        p.scan(product.barcodes[0])  # Rp15.000
    p.go_pay()
    for key in PHONE:
        p.member_key(key)
    p.member_done()
    assert p.screen == "payment"
    p.choose_payment("card")
    p.card_result(approved(15_000))
    assert p.last_sale is not None and p.last_sale.member_id == "M0001"
    assert loyalty.balance("M0001") == 15
