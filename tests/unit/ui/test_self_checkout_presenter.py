"""The customer's flow, driven as the screens drive it, over real services (no Kivy)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from kiosk.ports import CardResult
from kiosk.services.members import MemberService
from kiosk.services.self_checkout import SelfCheckoutService
from kiosk.storage.ledger import SqliteLedger
from kiosk.testing.clock import SettableClock
from kiosk.ui.presenters.self_checkout import SelfCheckoutPresenter
from tests.unit.pieces import Effects, approved, journal


def code(p: SelfCheckoutPresenter, sku: str) -> str:
    product = p.checkout.catalog.by_sku(sku)
    assert product is not None
    return product.barcodes[0]


START = datetime(2026, 11, 27, 3, 0, tzinfo=UTC)


def make(
    lane: SelfCheckoutService, effects: Effects, members: MemberService | None = None
) -> SelfCheckoutPresenter:
    clock = SettableClock(START)
    p = SelfCheckoutPresenter(
        lane, effects, lang="en", idle_prompt_s=30, idle_clear_s=10, clock=clock, members=members
    )
    p.clock = clock  # type: ignore[attr-defined]
    return p


def at(p: SelfCheckoutPresenter, t: float) -> None:
    p.clock.at = START + timedelta(seconds=t)  # type: ignore[attr-defined]
    p.tick()


def test_complete_sale_paid_by_card(
    lane: SelfCheckoutService, effects: Effects, ledger: SqliteLedger, members: MemberService
) -> None:
    p = make(lane, effects, members)
    p.start("id")
    assert p.screen == "scan" and p.lang.lang == "id"
    p.scan(code(p, "TEH"))
    p.scan(code(p, "TEH"))
    p.scan(code(p, "MIE"))
    assert p.basket.total_text == "Rp13.500" and p.basket.item_count == 3
    p.open_search()
    p.choose_category("Roti")
    assert [r[0] for r in p.search_results()] == ["ROTI"]
    p.pick("ROTI")
    assert p.screen == "scan" and p.basket.total == 29_500
    p.go_pay()
    assert p.screen == "member"
    for key in "0899":  # nobody has that number: the customer stays and can try again
        p.member_key(key)
    p.member_done()
    assert p.screen == "member" and p.message.level == "error"
    for key in "081234567890":
        p.member_key(key)
    p.member_done()
    assert p.message.text == "Selamat datang, Siti Rahayu!"
    assert p.screen == "payment" and p.payment_methods == ["card"]  # no acquirer set up here
    p.choose_payment("card")
    assert p.screen == "paying" and effects.card_requests[0][0] == 29_500
    p.card_result(approved(29_500))
    assert p.screen == "receipt" and p.last_sale is not None
    assert p.last_sale.member_id == "M0001"
    assert ledger.sale_count() == 1
    p.receipt("print")
    assert effects.printed and p.screen == "thanks"
    at(p, 100.0)
    assert p.screen == "attract"


def test_declined_card_returns_to_payment_choice(
    lane: SelfCheckoutService, effects: Effects
) -> None:
    p = make(lane, effects)
    p.scan(code(p, "TEH"))
    assert p.screen == "scan"  # a scan on the attract screen starts the sale
    p.go_pay()
    p.member_done(skip=True)
    p.choose_payment("card")
    p.card_result(CardResult("declined", 5000, "51", message="insufficient funds"))
    assert p.screen == "payment" and p.message.level == "error"
    assert p.message.text == (  # the bank's reason and what to do, never the terminal's text
        "Card declined: not enough funds; try another card or another way to pay"
    )


def test_scans_during_payment_are_held_then_applied_once(
    lane: SelfCheckoutService, effects: Effects
) -> None:
    p = make(lane, effects)
    p.scan(code(p, "TEH"))
    p.go_pay()
    p.member_done(skip=True)
    p.choose_payment("card")
    p.scan(code(p, "MIE"))  # arrives while the terminal works
    assert list(p.held) == [code(p, "MIE")]
    p.cancel_payment()
    assert not p.held and p.basket.total == 8500


def test_intervention_attendant_badge_approve_and_lock(
    lane: SelfCheckoutService, effects: Effects, ledger: SqliteLedger
) -> None:
    p = make(lane, effects)
    p.start("en")
    p.scan(code(p, "BIR"))
    assert p.busy and "Age check" in p.intervention_text
    p.scan(code(p, "TEH"))  # held while the lane waits
    p.scan("STAFF-0001")  # staff badge unlocks attendant mode
    assert p.attendant is not None and p.attendant.name == "Ani"
    assert "Check ID" in p.intervention_text
    p.approve()
    assert p.basket.total == 28_500  # beer approved, then the held tea applied
    p.attendant_void(2)
    assert p.basket.total == 23_500
    p.lock()
    assert p.attendant is None
    assert json.loads(journal(ledger, "intervention_resolved")[0])["staff_name"] == "Ani"


def test_attendant_pin_pad(lane: SelfCheckoutService, effects: Effects) -> None:
    p = make(lane, effects)
    p.attendant_open()
    for key in "0000":
        p.attendant_key(key)
    p.attendant_key("enter")
    assert p.attendant is None and p.message.level == "error"
    for key in "2222":
        p.attendant_key(key)
    p.attendant_key("enter")
    assert p.attendant is not None and p.attendant.role == "supervisor"


def test_inactivity_asks_then_abandons(
    lane: SelfCheckoutService, effects: Effects, ledger: SqliteLedger
) -> None:
    p = make(lane, effects)
    p.scan(code(p, "TEH"))
    at(p, 31.0)
    assert p.still_there
    p.touch()
    assert not p.still_there
    at(p, 31.0 + 41.0)
    assert p.screen == "attract" and p.checkout.basket.is_empty
    assert journal(ledger, "abandoned")


def test_help_is_one_touch_and_cash_only_with_a_device(
    lane: SelfCheckoutService, effects: Effects
) -> None:
    p = make(lane, effects)
    p.start()
    p.call_help()
    assert p.busy and p.intervention_text == "Help is on the way. Please wait."
    effects.cash_available = True
    assert "cash" in p.payment_methods


def test_language_switch_formats_rupiah(lane: SelfCheckoutService, effects: Effects) -> None:
    p = make(lane, effects)
    p.start("en")
    p.scan(code(p, "BIR"))
    p.scan("STAFF-0002")  # a supervisor's badge: the PIN pad opens for Budi
    assert p.attendant is None and p.attendant_prompt and "Budi" in p.message.text
    for key in "2222":
        p.attendant_key(key)
    p.attendant_key("enter")
    assert p.attendant is not None and p.attendant.name == "Budi"
    p.approve()
    assert p.basket.total_text == "Rp23,500"
    p.set_language("id")
    assert p.basket.total_text == "Rp23.500"


def test_a_manager_badge_with_a_wrong_pin_does_not_unlock(
    lane: SelfCheckoutService, effects: Effects
) -> None:
    p = make(lane, effects)
    p.start("en")
    p.scan(code(p, "BIR"))
    p.scan("STAFF-0009")
    for key in "2222":  # Budi's PIN, not Citra's
        p.attendant_key(key)
    p.attendant_key("enter")
    assert p.attendant is None and p.message.level == "error" and p.busy
    p.attendant_key("enter")  # the badge is not remembered past a wrong PIN
    assert p.attendant is None


def test_fleet_closes_the_lane_after_the_customer_finishes(
    lane: SelfCheckoutService, effects: Effects, ledger: SqliteLedger
) -> None:
    p = make(lane, effects)
    p.start("en")
    p.scan(code(p, "TEH"))
    p.close_lane()  # cmd/lock arrives mid-sale
    assert p.screen == "scan" and p.basket.item_count == 1
    p.go_pay()
    p.member_done(skip=True)
    p.choose_payment("card")
    p.card_result(approved(p.basket.total))
    assert ledger.sale_count() == 1
    p.receipt("none")
    at(p, 100.0)
    assert p.screen == "attract"
    p.start("en")
    p.scan(code(p, "TEH"))
    assert p.screen == "attract" and p.message.text.startswith("This lane is closed")
    assert p.checkout.basket.is_empty
    p.open_lane()
    p.start("en")
    assert p.screen == "scan"


def test_member_card_scanned_on_the_member_step(
    lane: SelfCheckoutService, effects: Effects, members: MemberService
) -> None:
    p = make(lane, effects, members)
    p.start("en")
    p.scan(code(p, "TEH"))
    p.go_pay()
    p.scan("MBR000002")
    assert p.screen == "payment" and p.message.text == "Welcome, Agus Santoso!"
    assert p.checkout.basket.member_id == "M0002"


def test_cash_through_the_acceptor_pays_and_gives_change(
    lane: SelfCheckoutService, effects: Effects, ledger: SqliteLedger
) -> None:
    effects.cash_available = True
    p = make(lane, effects)
    p.start("en")
    p.scan(code(p, "TEH"))  # Rp5.000
    p.go_pay()
    p.member_done(skip=True)
    p.choose_payment("cash")
    assert p.screen == "paying" and effects.cash_taking == [5000] and p.cash_due == 5000
    p.cash_inserted(2000)
    assert p.screen == "paying" and p.cash_due == 3000
    assert p.message.text == "Still to pay: Rp3,000" and effects.cash_stopped == 0
    p.cash_inserted(5000)
    assert p.screen == "receipt" and effects.cash_stopped == 1
    assert effects.change_given == [2000] and effects.drawer == []
    (sale,) = ledger.conn.execute("SELECT body FROM sales").fetchall()
    body = json.loads(sale[0])
    given = [(t["method"], t["amount"], t["given"]) for t in body["tenders"]]
    assert given == [("cash", 2000, 2000), ("cash", 3000, 5000)]
    assert body["change"] == 2000


def test_cash_the_acceptor_cannot_take_or_change_it_cannot_give_is_said(
    lane: SelfCheckoutService, effects: Effects
) -> None:
    effects.cash_available = True
    effects.cash_problem = "cash_acceptor unavailable: jammed"
    p = make(lane, effects)
    p.start("en")
    p.scan(code(p, "TEH"))
    p.go_pay()
    p.member_done(skip=True)
    p.choose_payment("cash")
    assert p.screen == "payment" and p.message.level == "error"
    assert p.message.text == "cash_acceptor unavailable: jammed"
    p.choose_payment("card")  # nothing was taken: another method still works
    assert p.screen == "paying"
    p.cancel_payment()
    effects.cash_problem = ""
    p.go_pay()
    p.member_done(skip=True)
    p.choose_payment("cash")
    effects.cash_problem = "dispenser empty"
    p.cash_inserted(10_000)
    assert p.screen == "receipt" and p.message.level == "attention"
    assert p.message.text == "Paid. Please ask staff for your change of Rp5,000."


def test_cancelling_a_cash_payment_stops_the_acceptor(
    lane: SelfCheckoutService, effects: Effects
) -> None:
    effects.cash_available = True
    p = make(lane, effects)
    p.start("en")
    p.scan(code(p, "TEH"))
    p.go_pay()
    p.member_done(skip=True)
    p.choose_payment("cash")
    p.cancel_payment()
    assert p.screen == "scan" and effects.cash_stopped == 1


def test_the_e_receipt_qr_stays_until_the_customer_leaves(
    lane: SelfCheckoutService, effects: Effects
) -> None:
    p = make(lane, effects)
    p.receipt_url = "https://fleet.tokoku.id/r/{store_id}/{sale_id}"
    p.start("en")
    p.scan(code(p, "TEH"))
    p.go_pay()
    p.member_done(skip=True)
    p.choose_payment("card")
    p.card_result(approved(5000))
    sale = p.last_sale
    assert sale is not None
    p.receipt("qr")
    assert p.screen == "thanks"
    assert p.qr_payload == f"https://fleet.tokoku.id/r/store-1/{sale.sale_id}"
    at(p, 25.0)  # long past the plain thank-you's 6 s: the customer may still be scanning
    assert p.screen == "thanks" and p.qr_payload
    p.touch()
    at(p, 50.0)
    assert p.screen == "thanks"
    p.scan(code(p, "MIE"))  # the next customer: the QR goes, their sale starts
    assert p.screen == "scan" and p.qr_payload == "" and p.basket.item_count == 1


def test_a_qr_left_alone_goes_after_the_idle_time_and_none_without_an_address(
    lane: SelfCheckoutService, effects: Effects
) -> None:
    p = make(lane, effects)
    p.receipt_url = "https://fleet.tokoku.id/r/{sale_id}"
    p.scan(code(p, "TEH"))
    p.go_pay()
    p.member_done(skip=True)
    p.choose_payment("card")
    p.card_result(approved(5000))
    p.receipt("qr")
    at(p, 29.0)
    assert p.screen == "thanks"
    at(p, 31.0)  # idle_prompt_s is 30 here: nobody is there any more
    assert p.screen == "attract" and p.qr_payload == ""
    p.receipt_url = ""  # a shop without a fleet address offers no e-receipt
    p.scan(code(p, "TEH"))
    p.go_pay()
    p.member_done(skip=True)
    p.choose_payment("card")
    p.card_result(approved(5000))
    p.receipt("qr")  # no button for it; were it asked, it is a thank-you without a QR
    assert p.screen == "thanks" and p.qr_payload == ""
    at(p, 38.0)  # the plain thank-you goes after 6 s
    assert p.screen == "attract"
