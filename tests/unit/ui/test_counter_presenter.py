"""The counter till, driven as its screen drives it, over real services (no Kivy)."""

from __future__ import annotations

import json

from kiosk.services.checkout import CheckoutService
from kiosk.services.members import MemberService
from kiosk.services.staff import StaffService
from kiosk.storage.ledger import SqliteLedger
from kiosk.ui.presenters.counter import CounterPresenter
from kiosk.ui.presenters.tender import quick_cash
from tests.unit.pieces import Effects, approved, journal


def code(p: CounterPresenter, sku: str) -> str:
    product = p.checkout.catalog.by_sku(sku)
    assert product is not None
    return product.barcodes[0]


def login(p: CounterPresenter, pin: str) -> None:
    for key in pin:
        p.pin_key(key)
    p.pin_key("enter")


def make(checkout: CheckoutService, staff: StaffService, effects: Effects) -> CounterPresenter:
    return CounterPresenter(checkout, staff, effects, lang="id")


def test_cash_sale_with_quantity_discount_and_change(
    checkout: CheckoutService, staff: StaffService, effects: Effects, ledger: SqliteLedger
) -> None:
    p = make(checkout, staff, effects)
    p.scan(code(p, "TEH"))
    assert p.screen == "login" and p.basket.total == 0  # nothing sells before login
    login(p, "2222")
    assert p.screen == "sale" and checkout.cashier == "s1"
    p.scan(code(p, "TEH"))
    p.key("3")
    p.set_qty()
    assert p.basket.total == 15_000
    p.quick_key("ROTI")
    p.select(1)
    p.key("1")
    p.key("0")
    p.discount()
    assert p.basket.total == 13_500 + 16_000
    p.pay()
    assert p.screen == "tender" and p.quick_cash()[0] == 29_500
    p.tender_cash(50_000)
    assert p.screen == "done" and p.last_sale is not None and p.last_sale.change == 20_500
    assert effects.drawer == ["sale"] and ledger.sale_count() == 1


def test_cashier_may_not_discount_but_may_void(
    checkout: CheckoutService, staff: StaffService, effects: Effects, ledger: SqliteLedger
) -> None:
    p = make(checkout, staff, effects)
    login(p, "1111")
    p.scan(code(p, "TEH"))
    p.scan(code(p, "MIE"))
    p.key("5")
    p.discount()  # not hers to give: a supervisor is asked on the spot, nothing applied yet
    assert p.overlay == "supervisor" and p.message.level == "attention"
    assert p.basket.total == 8500
    p.supervisor_key("cancel")
    assert p.overlay == "" and p.basket.total == 8500
    p.select(1)
    p.void()
    assert p.basket.total == 3500
    assert json.loads(journal(ledger, "void")[0])["staff"] == "c1"


def test_split_tender_card_then_cash(
    checkout: CheckoutService, staff: StaffService, effects: Effects
) -> None:
    p = make(checkout, staff, effects)
    login(p, "1111")
    p.scan(code(p, "BIR"))
    assert p.message.level == "attention"  # check ID
    p.pay()
    for key in ("2", "0", "000"):
        p.key(key)
    p.tender_card()
    assert effects.card_requests[-1][0] == 20_000
    p.card_result(approved(20_000))
    assert p.screen == "tender" and p.due == 3500
    p.scan(code(p, "TEH"))  # arrives mid-tender: kept for the next sale
    p.tender_cash(5000)
    assert p.screen == "done" and p.last_sale is not None and p.last_sale.change == 1500
    p.new_sale()
    assert p.basket.total == 5000  # the held scan, applied once


def test_no_sale_needs_reason_and_role(
    checkout: CheckoutService, staff: StaffService, effects: Effects, ledger: SqliteLedger
) -> None:
    p = make(checkout, staff, effects)
    login(p, "1111")
    p.no_sale("Change for the float")  # Ani may not: a supervisor is asked, no drawer yet
    assert p.overlay == "supervisor" and not effects.drawer
    for key in "1111":  # her own PIN does not approve it
        p.supervisor_key(key)
    p.supervisor_key("enter")
    assert p.message.level == "error" and not effects.drawer
    p.supervisor_key("cancel")
    p.logout()
    login(p, "2222")
    p.no_sale("")
    assert p.message.level == "error" and not effects.drawer
    p.no_sale("Change for the float")
    assert effects.drawer == ["no-sale: Change for the float"]
    assert json.loads(journal(ledger, "no_sale")[0])["staff_id"] == "s1"


def test_suspend_and_resume(
    checkout: CheckoutService, staff: StaffService, effects: Effects
) -> None:
    p = make(checkout, staff, effects)
    login(p, "1111")
    p.scan(code(p, "TEH"))
    p.suspend()
    assert p.basket.total == 0
    parked = p.suspended()
    assert len(parked) == 1
    p.resume(parked[0]["basket_id"])
    assert p.basket.total == 5000


def test_quick_cash_buttons() -> None:
    assert quick_cash(29_500) == [29_500, 30_000, 40_000, 50_000]
    assert quick_cash(50_000) == [50_000, 60_000, 100_000]
    assert quick_cash(0) == []


def test_price_override_needs_a_supervisor_and_is_journaled(
    checkout: CheckoutService, staff: StaffService, effects: Effects, ledger: SqliteLedger
) -> None:
    p = make(checkout, staff, effects)
    login(p, "1111")
    p.scan(code(p, "TEH"))
    for key in "4000":
        p.key(key)
    p.override_price()  # a supervisor approves on the spot, over Ani's sale
    assert p.overlay == "supervisor" and p.message.level == "attention"
    assert p.basket.total == 5000 and not journal(ledger, "price_override")
    for key in "2222":
        p.supervisor_key(key)
    p.supervisor_key("enter")
    assert p.basket.total == 4000 and p.message.text == "Harga diubah menjadi Rp4.000"
    change = json.loads(journal(ledger, "price_override")[0])
    assert (change["old"], change["new"], change["staff"], change["sku"]) == (
        5000,
        4000,
        "s1",
        "TEH",
    )


def test_member_lookup_by_phone(
    checkout: CheckoutService, staff: StaffService, effects: Effects, members: MemberService
) -> None:
    p = CounterPresenter(checkout, staff, effects, lang="en", members=members)
    login(p, "1111")
    p.scan(code(p, "TEH"))
    for key in "0899":
        p.key(key)
    p.set_member()
    assert p.message.level == "error" and checkout.basket.member_id == ""
    for key in "081234567890":
        p.key(key)
    p.set_member()
    assert p.message.text == "Member: Siti Rahayu" and checkout.basket.member_id == "M0001"


def test_badges_sign_in_a_cashier_alone_a_manager_with_the_pin(
    checkout: CheckoutService, staff: StaffService, effects: Effects
) -> None:
    p = make(checkout, staff, effects)
    p.scan("STAFF-0009")  # Citra, manager: the badge alone does not sign in
    assert p.screen == "login" and p.cashier is None and "Citra" in p.message.text
    login(p, "1111")  # Ani's PIN does not complete Citra's badge
    assert p.screen == "login" and p.message.level == "error"
    p.scan("STAFF-0009")
    login(p, "9999")
    assert p.screen == "sale" and p.cashier is not None and p.cashier.name == "Citra"
    p.logout()
    p.scan("STAFF-0001")  # Ani, cashier: her badge alone will do
    assert p.screen == "sale" and p.cashier is not None and p.cashier.name == "Ani"
