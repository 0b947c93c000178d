"""The counter's static QRIS, confirmed by staff: a PIN is needed (a wrong one takes
nothing and the basket stays), the confirmation is journaled with who gave it, and the
tender is listed as unverified by the settlement report until a report line matches it."""

from __future__ import annotations

import json

from kiosk.domain.settlement import ReportLine, reconcile
from kiosk.services.checkout import CheckoutService
from kiosk.services.staff import StaffService
from kiosk.services.static_qris import EVENT, STATIC_PREFIX
from kiosk.storage.ledger import SqliteLedger
from kiosk.storage.settlement_lines import day_tenders
from kiosk.ui.presenters.counter import CounterPresenter
from tests.unit.pieces import Effects


def counter_at_static(
    checkout: CheckoutService, staff: StaffService, effects: Effects
) -> CounterPresenter:
    p = CounterPresenter(checkout, staff, effects, lang="id")
    for key in ("1", "1", "1", "1", "enter"):  # Ani, a cashier, works the till
        p.pin_key(key)
    assert p.cashier is not None and p.cashier.name == "Ani"
    p.scan(checkout.catalog.by_sku("TEH").barcodes[0])  # type: ignore[union-attr]
    p.pay()
    p.tender_qris_static()
    assert p.qris.static_amount == 5000 and p.checkout.tenders is not None
    assert "Rp5.000" in p.message.text and "PIN" in p.message.text
    return p


def test_a_wrong_pin_takes_nothing(
    checkout: CheckoutService, staff: StaffService, effects: Effects, ledger: SqliteLedger
) -> None:
    p = counter_at_static(checkout, staff, effects)
    for key in ("9", "8", "7", "6", "enter"):
        p.static_pin_key(key)
    assert p.message.level == "error" and p.qris.static_amount == 5000
    assert p.checkout.tenders is not None and not p.checkout.tenders.records()
    p.static_pin_key("cancel")
    assert p.qris.static_amount == 0 and p.screen == "tender" and p.due == 5000
    events = ledger.conn.execute("SELECT COUNT(*) FROM journal WHERE kind = ?", (EVENT,))
    assert events.fetchone()[0] == 0


def test_staff_confirm_and_the_tender_stays_unverified_until_matched(
    checkout: CheckoutService, staff: StaffService, effects: Effects, ledger: SqliteLedger
) -> None:
    p = counter_at_static(checkout, staff, effects)
    for key in ("2", "2", "2", "2", "enter"):  # Budi, the supervisor, saw it in the app
        p.static_pin_key(key)
    assert p.screen == "done" and p.last_sale is not None
    (tender,) = p.last_sale.tenders
    assert tender.method == "qris" and tender.amount == 5000
    assert tender.reference.startswith(STATIC_PREFIX)
    ((payload,),) = ledger.conn.execute("SELECT payload FROM journal WHERE kind = ?", (EVENT,))
    confirmed = json.loads(payload)
    assert confirmed["staff_name"] == "Budi" and confirmed["reference"] == tender.reference
    assert confirmed["unverified"] is True and confirmed["amount"] == 5000
    day = p.last_sale.business_date
    tenders = day_tenders(ledger.conn, day)
    assert [(t.reference, t.unverified) for t in tenders] == [(tender.reference, True)]
    assert [m.reference for m in reconcile(tenders, []).unverified_open] == [tender.reference]
    line = ReportLine(tender.reference, 5000, 35, "settlement", f"{day} 10:00:00", "qris", 2)
    assert reconcile(tenders, [line]).unverified_open == ()
