"""Cancelling the whole sale at the counter, as the screen drives it (real services, no
Kivy): a reason, and above the limit a supervisor's PIN over the sale."""

from __future__ import annotations

import json
from dataclasses import replace

from kiosk.services.checkout import CheckoutService
from kiosk.services.staff import StaffService
from kiosk.storage.ledger import SqliteLedger
from kiosk.ui.presenters.cancel_sale import CANCEL_REASONS
from kiosk.ui.presenters.counter import CounterPresenter
from tests.unit.pieces import Effects, journal


def signed_in(checkout: CheckoutService, staff: StaffService, pin: str) -> CounterPresenter:
    checkout.config = replace(checkout.config, max_cancel_amount=10_000)
    p = CounterPresenter(checkout, staff, Effects(), lang="id")
    for key in pin:
        p.pin_key(key)
    p.pin_key("enter")
    return p


def test_a_cashier_needs_a_supervisor_pin_above_the_limit(
    checkout: CheckoutService, staff: StaffService, ledger: SqliteLedger
) -> None:
    p = signed_in(checkout, staff, "1111")  # Ani, cashier
    p.open_cancel()
    assert p.overlay == "" and p.message.text == "Tidak ada transaksi untuk dibatalkan"
    p.quick_key("ROTI")  # Rp16.000
    p.open_cancel()
    assert p.overlay == "cancel"
    p.cancel_sale(CANCEL_REASONS[0])
    assert p.overlay == "supervisor" and p.supervisor_note == "Batalkan seluruh transaksi Rp16.000"
    for key in "1111":  # Ani's own PIN does not approve
        p.supervisor_key(key)
    p.supervisor_key("enter")
    assert p.message.level == "error" and p.basket.total == 16_000
    p.supervisor_key("cancel")  # no supervisor around: the sale goes on
    assert p.overlay == "" and p.basket.total == 16_000 and journal(ledger, "sale_cancelled") == []
    p.open_cancel()
    p.cancel_sale(CANCEL_REASONS[2])
    for key in "2222":
        p.supervisor_key(key)
    p.supervisor_key("enter")
    assert p.overlay == "" and p.basket.rows == ()
    assert p.message.text == "Transaksi Rp16.000 dibatalkan"
    (record,) = [json.loads(r) for r in journal(ledger, "sale_cancelled")]
    assert record["reason"] == "Rung up by mistake"
    assert (record["staff_name"], record["supervisor_name"]) == ("Ani", "Budi")


def test_a_small_sale_is_cancelled_by_the_cashier_alone(
    checkout: CheckoutService, staff: StaffService, ledger: SqliteLedger
) -> None:
    p = signed_in(checkout, staff, "1111")
    p.quick_key("TEH")
    p.open_cancel()
    p.cancel_sale(CANCEL_REASONS[1])
    assert p.overlay == "" and p.basket.rows == () and p.message.level == "ok"
    assert json.loads(journal(ledger, "sale_cancelled")[0])["staff_name"] == "Ani"


def test_a_discount_and_a_price_change_approved_on_the_spot(
    checkout: CheckoutService, staff: StaffService, ledger: SqliteLedger
) -> None:
    p = signed_in(checkout, staff, "1111")  # Ani may not discount or change prices
    p.quick_key("TEH")
    p.quick_key("ROTI")
    for key in "10":
        p.key(key)
    p.discount(order=True)
    assert p.overlay == "supervisor" and p.supervisor_note == "Diskon 10%"
    assert p.basket.total == 21_000  # nothing before the supervisor signs
    for key in "2222":
        p.supervisor_key(key)
    p.supervisor_key("enter")
    assert p.overlay == "" and p.basket.total == 18_900 and p.cashier is not None
    assert p.cashier.name == "Ani"  # the supervisor signed one approval, not the till
    p.select(1)
    for key in "4000":
        p.key(key)
    p.override_price()
    assert p.supervisor_note == "Harga baru Rp4.000"
    for key in "9999":  # Citra, manager: may too
        p.supervisor_key(key)
    p.supervisor_key("enter")
    assert p.basket.rows[0].amount_text == "Rp4.000"
    approvals = [json.loads(r) for r in journal(ledger, "supervisor_approval")]
    assert [(a["action"], a["staff_name"], a["supervisor_name"]) for a in approvals] == [
        ("discount", "Ani", "Budi"), ("price_override", "Ani", "Citra")]  # fmt: skip
    assert json.loads(journal(ledger, "price_override")[0])["staff"] == "m1"


def test_a_supervisor_badge_then_pin_approves_and_a_badge_is_no_item(
    checkout: CheckoutService, staff: StaffService, ledger: SqliteLedger
) -> None:
    p = signed_in(checkout, staff, "1111")
    p.quick_key("TEH")
    for key in "5":
        p.key(key)
    p.discount()
    p.scan("STAFF-0002")  # Budi's badge on the approval pad, not an item in the sale
    assert p.overlay == "supervisor" and p.message.text == "Budi: masukkan PIN Anda"
    assert [r.name for r in p.basket.rows] == ["Teh Botol 330ml"]
    for key in "2222":
        p.supervisor_key(key)
    p.supervisor_key("enter")
    assert p.overlay == "" and p.basket.total == 4750
    (approval,) = [json.loads(r) for r in journal(ledger, "supervisor_approval")]
    assert approval["supervisor_name"] == "Budi"
