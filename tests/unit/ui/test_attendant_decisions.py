"""What staff decide at a self-checkout lane, and what the customer reads next: a
dismissed unknown item is never "approved", and a supervisor approves on the spot what
the attendant's role may not (real services over a SQLite ledger, no Kivy)."""

from __future__ import annotations

import json

import pytest

from kiosk.services.self_checkout import SelfCheckoutService
from kiosk.services.staff import NotAllowedError, StaffService
from kiosk.storage.ledger import SqliteLedger
from kiosk.ui.presenters.self_checkout import SelfCheckoutPresenter
from tests.unit.pieces import Effects, journal

UNKNOWN = "8990000000006"


def lane_with(lane: SelfCheckoutService, effects: Effects, lang: str) -> SelfCheckoutPresenter:
    p = SelfCheckoutPresenter(lane, effects, lang=lang)
    p.start(lang)
    return p


def code(p: SelfCheckoutPresenter, sku: str) -> str:
    product = p.checkout.catalog.by_sku(sku)
    assert product is not None
    return product.barcodes[0]


def keys(p: SelfCheckoutPresenter, pin: str) -> None:
    for key in pin:
        p.attendant_key(key)
    p.attendant_key("enter")


def resolved(ledger: SqliteLedger) -> list[dict[str, object]]:
    return [json.loads(row) for row in journal(ledger, "intervention_resolved")]


@pytest.mark.parametrize(
    ("lang", "label", "said"),
    [
        ("id", "Sisihkan", "Tidak ditambahkan: sisihkan barangnya"),
        ("en", "Put aside", "Not added: please put the item aside"),
    ],
)
def test_a_dismissed_unknown_barcode_is_not_called_approved(
    lane: SelfCheckoutService, effects: Effects, ledger: SqliteLedger,
    lang: str, label: str, said: str,
) -> None:  # fmt: skip
    p = lane_with(lane, effects, lang)
    p.scan(UNKNOWN)
    assert lane.pending is not None and lane.pending.kind == "unknown_barcode"
    p.scan("STAFF-0001")  # Ani's badge opens the attendant view
    assert p.approve_label == label and not p.can_reject
    p.approve()
    p.lock()
    assert p.message.text == said and p.message.level == "attention"
    assert p.message.text not in ("Disetujui", "Approved") and p.basket.rows == ()
    assert [(r["kind"], r["outcome"]) for r in resolved(ledger)] == [
        ("unknown_barcode", "dismissed")]  # fmt: skip


def test_staff_decisions_say_what_happened_to_the_item(
    lane: SelfCheckoutService, effects: Effects
) -> None:
    p = lane_with(lane, effects, "en")
    p.scan(code(p, "BIR"))  # age check
    p.scan("STAFF-0001")
    assert p.approve_label == "Approve"
    p.approve()
    assert p.message.text == "Added: Bintang 330ml"
    p.lock()
    p.request_void(1)
    p.scan("STAFF-0001")
    p.reject()
    assert p.message.text == "Bintang 330ml stays in the basket"
    p.lock()
    p.call_help()
    p.scan("STAFF-0001")
    assert p.approve_label == "Helped"
    p.approve()
    assert p.message.text == "Thank you for waiting. Please carry on."


def test_a_supervisor_approves_on_the_spot_with_a_pin(
    lane: SelfCheckoutService, effects: Effects, ledger: SqliteLedger
) -> None:
    p = lane_with(lane, effects, "id")
    p.scan(code(p, "TEH"))
    p.set_qty(1, 12)  # above this lane's limit of 10: staff must confirm
    assert lane.pending is not None and lane.pending.kind == "qty_limit"
    p.scan("STAFF-0001")  # Ani (cashier) attends; the limit needs a supervisor
    p.approve()
    assert p.supervisor_prompt and p.attendant is not None and p.attendant.name == "Ani"
    assert p.pin_title == "PIN atau kartu supervisor"
    assert p.pin_note == "Jumlah 12 melebihi batas 10"
    assert p.basket.item_count == 1  # nothing changes before the supervisor signs
    keys(p, "1111")  # Ani's own PIN is not a supervisor's
    assert p.message.level == "error" and lane.pending is not None
    assert p.basket.item_count == 1
    p.approve()
    keys(p, "2222")  # Budi, supervisor
    assert lane.pending is None and not p.supervisor_prompt
    assert p.basket.item_count == 12 and p.message.text == "Jumlah diubah menjadi 12"
    assert p.attendant is not None and p.attendant.name == "Ani"  # still Ani's lane
    (done,) = resolved(ledger)
    assert (done["staff_name"], done["supervisor_name"]) == ("Ani", "Budi")
    assert (done["role"], done["supervisor_role"]) == ("cashier", "supervisor")


def test_a_supervisor_badge_approves_on_the_spot_and_cancel_leaves_it_waiting(
    lane: SelfCheckoutService, effects: Effects, ledger: SqliteLedger
) -> None:
    p = lane_with(lane, effects, "en")
    p.scan(code(p, "TEH"))
    p.set_qty(1, 11)
    p.scan("STAFF-0001")
    p.approve()
    p.attendant_key("cancel")  # no supervisor around: the lane still waits
    assert not p.supervisor_prompt and lane.pending is not None and p.attendant is not None
    p.approve()
    p.scan("STAFF-0002")  # Budi's badge: his PIN follows
    assert p.supervisor_prompt and "Budi" in p.message.text
    keys(p, "2222")
    assert lane.pending is None and p.basket.item_count == 11
    assert resolved(ledger)[0]["supervisor_id"] == "s1"


def test_the_service_checks_the_supervisor_role(
    lane: SelfCheckoutService, staff: StaffService
) -> None:
    ani, budi = staff.login_pin("1111"), staff.login_pin("2222")
    lane.add_sku("TEH", 11)
    assert lane.pending is not None and lane.needs_supervisor(ani)
    assert not lane.needs_supervisor(budi)
    with pytest.raises(NotAllowedError):
        lane.approve(ani)
    with pytest.raises(NotAllowedError):
        lane.approve(ani, supervisor=ani)
    assert lane.pending is not None and lane.checkout.basket.is_empty
    lane.approve(ani, supervisor=budi)
    assert lane.checkout.priced().lines[0].qty == 11


def test_staff_cancel_the_whole_sale_at_the_lane(
    lane: SelfCheckoutService, effects: Effects, ledger: SqliteLedger
) -> None:
    from dataclasses import replace

    lane.checkout.config = replace(lane.checkout.config, max_cancel_amount=10_000)
    p = lane_with(lane, effects, "id")
    p.scan(code(p, "TEH"))
    p.scan(code(p, "BIR"))  # the age check waits; the customer gives up and leaves
    p.scan("STAFF-0001")  # Ani, cashier
    p.attendant_cancel()  # Rp5.000 in the basket: hers to cancel alone
    assert p.basket.rows == () and lane.pending is None
    assert p.message.text == "Transaksi Rp5.000 dibatalkan"
    p.lock()
    for _ in range(3):
        p.scan(code(p, "TEH"))  # Rp15.000: above the limit of Rp10.000
    p.scan("STAFF-0001")
    p.attendant_cancel()
    assert p.supervisor_prompt and p.pin_note == "Batalkan seluruh transaksi Rp15.000"
    assert p.basket.total == 15_000
    keys(p, "2222")  # Budi approves on the spot
    assert p.basket.rows == () and not p.supervisor_prompt and p.attendant is not None
    records = [json.loads(row) for row in journal(ledger, "sale_cancelled")]
    assert [(r["total"], r["staff_name"], r.get("supervisor_name")) for r in records] == [
        (5000, "Ani", None), (15_000, "Ani", "Budi")]  # fmt: skip
    assert records[0]["reason"] == "Cancelled by staff at the lane"
    dropped = [json.loads(row) for row in journal(ledger, "intervention_dropped")]
    assert [d["kind"] for d in dropped] == ["age_restricted"]
