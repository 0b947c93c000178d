"""Self-checkout interventions over the real checkout, ledger and staff store."""

from __future__ import annotations

import json

import pytest

from kiosk.services.checkout import CheckoutService
from kiosk.services.self_checkout import InterventionPendingError, SelfCheckoutService
from kiosk.services.staff import StaffError, StaffService
from kiosk.storage.ledger import SqliteLedger
from tests.unit.pieces import Lights, journal


def code(checkout: CheckoutService, sku: str) -> str:
    product = checkout.catalog.by_sku(sku)
    assert product is not None
    return product.barcodes[0]


def test_plain_scan_adds_without_intervention(lane: SelfCheckoutService) -> None:
    outcome = lane.scan(code(lane.checkout, "TEH"))
    assert outcome.added is not None and outcome.intervention is None
    assert lane.checkout.priced().total == 5000


def test_age_restricted_item_is_held_until_staff_approve(
    lane: SelfCheckoutService, staff: StaffService, ledger: SqliteLedger, lights: Lights
) -> None:
    outcome = lane.scan(code(lane.checkout, "BIR"))
    assert outcome.intervention is not None and outcome.intervention.kind == "age_restricted"
    assert lane.checkout.priced().total == 0  # not in the basket yet
    assert lights.states[-1] == "approval"
    with pytest.raises(InterventionPendingError):
        lane.scan(code(lane.checkout, "TEH"))
    lane.approve(staff.login_pin("1111"))
    assert lane.checkout.priced().total == 23500
    assert lights.states[-1] == "ready"
    resolved = json.loads(journal(ledger, "intervention_resolved")[0])
    assert resolved["outcome"] == "approved" and resolved["staff_id"] == "c1"
    assert json.loads(journal(ledger, "intervention")[0])["kind"] == "age_restricted"


def test_rejected_item_never_enters_the_basket(
    lane: SelfCheckoutService, staff: StaffService
) -> None:
    lane.scan(code(lane.checkout, "BIR"))
    lane.reject(staff.login_pin("2222"))
    assert lane.pending is None and lane.checkout.priced().total == 0


def test_unknown_and_inactive_barcodes_stop_the_lane(
    lane: SelfCheckoutService, staff: StaffService
) -> None:
    outcome = lane.scan("8990000000006")
    assert outcome.intervention is not None and outcome.intervention.kind == "unknown_barcode"
    lane.approve(staff.login_pin("1111"))
    outcome = lane.scan(code(lane.checkout, "OLD"))
    assert outcome.intervention is not None and outcome.intervention.kind == "inactive_item"
    lane.approve(staff.login_pin("1111"))
    assert lane.checkout.priced().total == 0


def test_misread_needs_no_staff(lane: SelfCheckoutService) -> None:
    outcome = lane.scan("8991001000010")  # wrong check digit
    assert outcome.misread and outcome.intervention is None and lane.pending is None


def test_customer_void_needs_staff_and_is_journaled_with_who(
    lane: SelfCheckoutService, staff: StaffService, ledger: SqliteLedger
) -> None:
    lane.scan(code(lane.checkout, "TEH"))
    lane.request_void(1)
    assert lane.checkout.priced().total == 5000
    lane.approve(staff.login_pin("1111"))
    assert lane.checkout.priced().total == 0
    assert json.loads(journal(ledger, "void")[0])["staff"] == "c1"


def test_limits_need_a_supervisor(lane: SelfCheckoutService, staff: StaffService) -> None:
    lane.scan(code(lane.checkout, "TEH"))
    held = lane.set_qty(1, 11)
    assert held is not None and held.kind == "qty_limit"
    with pytest.raises(StaffError, match="supervisor"):
        lane.approve(staff.login_pin("1111"))
    lane.approve(staff.login_pin("2222"))
    assert lane.checkout.priced().total == 55000
    outcome = lane.add_sku("ROTI", 3)  # 55,000 + 48,000 > 100,000
    assert outcome.intervention is not None and outcome.intervention.kind == "amount_limit"


def test_help_and_abandon_are_journaled(
    lane: SelfCheckoutService, ledger: SqliteLedger, lights: Lights
) -> None:
    lane.scan(code(lane.checkout, "TEH"))
    lane.call_help()
    assert lights.states[-1] == "help"
    lane.abandon("inactivity")
    assert lane.pending is None and lane.checkout.basket.is_empty
    assert json.loads(journal(ledger, "abandoned")[0])["reason"] == "inactivity"
    assert journal(ledger, "intervention_dropped")


def test_help_raises_a_fleet_alert_and_clears_it(
    lane: SelfCheckoutService, staff: StaffService, ledger: SqliteLedger
) -> None:
    asked = lane.call_help()
    assert lane.call_help() is asked  # a second touch does not page twice
    lane.approve(staff.login_pin("1111"))
    alerts = [json.loads(r[0]) for r in ledger.conn.execute(
        "SELECT payload FROM outbox WHERE topic = 'alert' ORDER BY id")]  # fmt: skip
    assert [(a["kind"], a["cleared"]) for a in alerts] == [
        ("help_requested", False),
        ("help_requested", True),
    ]
    assert alerts[0]["detail"]["intervention_id"] == asked.intervention_id
