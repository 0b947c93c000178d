"""Both faces of the till complete a member's sale through the loyalty service, as
replay does: the points are earned (and spent) with the sale. Real services over SQLite,
presenters driven as their screens drive them (no Kivy; the screens are in tests/ui)."""

from __future__ import annotations

from kiosk.domain.points import LoyaltyRules
from kiosk.ports import CardResult
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


def member_at_payment(p: SelfCheckoutPresenter, sku: str, units: int) -> None:
    product = p.checkout.catalog.by_sku(sku)
    assert product is not None
    for _ in range(units):
        p.scan(product.barcodes[0])
    p.go_pay()
    for key in PHONE:
        p.member_key(key)
    p.member_done()
    assert p.screen == "payment"


def type_points(p: SelfCheckoutPresenter, number: int) -> None:
    p.points_key("clear")
    for key in str(number):
        p.points_key(key)


def test_the_self_checkout_pays_part_with_points_within_the_cap(
    lane: SelfCheckoutService, effects: Effects, members: MemberService, ledger: SqliteLedger
) -> None:
    """The member sees their points, may not pass the cap (said in Indonesian, nothing
    taken), pays part with points; a declined card leaves the points on the sale, Back to
    the basket gives them back, and the card pays the rest: the points are booked once."""
    loyalty = loyalty_over(ledger)  # one point per Rp1.000, Rp100 each, at most half a sale
    p = SelfCheckoutPresenter(lane, effects, lang="id", members=members, loyalty=loyalty)
    member_at_payment(p, "TEH", 3)  # Rp15.000 earns 15 points
    assert p.points_offer == (0, 0)
    assert p.points_text == "Poin Anda: 0 (senilai Rp0)\nBelanja ini tidak bisa dibayar dengan poin"
    p.choose_payment("card")
    p.card_result(approved(15_000))
    p.receipt("none")
    p.finish_thanks()
    member_at_payment(p, "TEH", 2)  # Rp10.000: at most 50 points of the 15 she has
    assert p.points_offer == (15, 15)
    assert p.points_text.startswith("Poin Anda: 15 (senilai Rp1.500)\nBisa dipakai 15 poin")
    p.open_points()
    assert p.screen == "points" and p.points_entry.digits == "15"
    type_points(p, 16)
    p.use_points()
    assert p.screen == "points" and p.message.level == "error"
    assert p.message.text == "Paling banyak 15 poin bisa dipakai untuk belanja ini"
    assert p.checkout.tenders is None or not p.checkout.tenders.records()
    type_points(p, 12)
    p.use_points()
    assert p.screen == "payment" and p.due == 8_800 and p.due_text == "Rp8.800"
    assert p.message.text == "12 poin membayar Rp1.200. Sisa bayar: Rp8.800"
    assert p.points_offer == (3, 3)
    p.choose_payment("card")
    assert effects.card_requests[-1][0] == 8_800
    p.card_result(CardResult("declined", 8_800, "51"))
    assert p.screen == "payment" and p.due == 8_800  # the points stay on the sale
    p.back_to_scan()  # back to the basket: the points go back to her
    assert p.screen == "scan" and p.checkout.tenders is None
    p.go_pay()
    p.member_done(skip=True)  # she stays on the sale from before
    p.open_points()
    type_points(p, 5)
    p.use_points()
    p.choose_payment("card")
    p.card_result(approved(9_500))
    sale = p.last_sale
    assert sale is not None and p.screen == "receipt"
    assert [(t.method, t.amount, t.given) for t in sale.tenders] == [
        ("points", 500, 5), ("card", 9_500, None)]  # fmt: skip
    moves = ledger.conn.execute("SELECT kind, points FROM points_moves ORDER BY id").fetchall()
    assert [tuple(m) for m in moves] == [("earn", 15), ("redeem", -5), ("earn", 9)]
    assert loyalty.balance("M0001") == 15 - 5 + 9


def test_the_self_checkout_pays_a_whole_sale_with_points(
    lane: SelfCheckoutService, effects: Effects, members: MemberService, ledger: SqliteLedger
) -> None:
    loyalty = loyalty_over(ledger)
    loyalty.rules = LoyaltyRules(earn_rupiah_per_point=100, max_redeem_share_percent=100)
    p = SelfCheckoutPresenter(lane, effects, lang="en", members=members, loyalty=loyalty)
    member_at_payment(p, "TEH", 4)  # Rp20.000 earns 200 points, worth Rp20.000
    p.choose_payment("card")
    p.card_result(approved(20_000))
    p.receipt("none")
    p.finish_thanks()
    member_at_payment(p, "MIE", 2)  # Rp7.000: all of it with 70 points
    assert (
        p.points_text
        == "Your points: 200 (worth Rp20,000)\nUp to 70 points (Rp7,000) on this purchase"
    )
    p.open_points()
    p.use_points()  # the keypad holds the most the sale can take
    sale = p.last_sale
    assert p.screen == "receipt" and sale is not None
    assert [(t.method, t.amount, t.given) for t in sale.tenders] == [("points", 7_000, 70)]
    assert loyalty.balance("M0001") == 200 - 70 and not effects.card_requests[1:]
