"""A QRIS payment the acquirer confirms after the till cancelled it is money to give
back: `kiosk report settlement` lists it (JSON and text) until it is dealt with."""

from __future__ import annotations

import json
from pathlib import Path

from kiosk import bootstrap
from kiosk.payments.gateway import QrisStatus
from kiosk.services.qris_payment import Outcome, confirm_payment
from kiosk.testing.cli import kiosk


def test_a_late_paid_is_listed_for_a_refund(tmp_path: Path) -> None:
    data = tmp_path / "dev"
    data.mkdir()
    till = bootstrap.build(data, with_devices=False)
    try:
        service = till.qris_service()
        service.begin("QR-late00000001-aaaaaa", 12_500)
        service.begin("QR-fine00000002-bbbbbb", 5_000)
        service.cancel("QR-late00000001-aaaaaa")  # the customer walked away
        late = confirm_payment(till.ledger.conn, "QR-late00000001-aaaaaa", QrisStatus.PAID,
                               source="fleet:c1", at="2026-11-30T03:00:00Z")  # fmt: skip
        assert late is Outcome.REFUND_DUE
    finally:
        till.close()
    shown = kiosk(data, "report", "settlement", "--json")
    assert shown.returncode == 0, shown.stderr
    (due,) = json.loads(shown.stdout)["qris_refunds_due"]
    assert due == {"order_id": "QR-late00000001-aaaaaa", "amount": 12_500,
                   "gateway": "simulated", "confirmed_by": "fleet:c1",
                   "at": "2026-11-30T03:00:00Z"}  # fmt: skip
    text = kiosk(data, "report", "settlement")
    assert "to refund: QR-late00000001-aaaaaa (12500)" in text.stdout
