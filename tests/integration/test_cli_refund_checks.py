"""``kiosk refunds blocked`` lists a QRIS refund share blocked by an acquirer that gave no
word (the till set up for the Midtrans fake over local HTTP, as a shop would); ``kiosk
refunds resolve`` clears it with a supervisor's PIN after asking the acquirer again (its
"no such refund" only once the call is a minute old: sooner, "run this again"), a
cashier's PIN changes nothing, and the journal still verifies."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from kiosk import bootstrap
from kiosk.domain.refunds import RefundError
from kiosk.services.staff import StaffMember
from kiosk.storage import qris_payments
from kiosk.testing.cli import kiosk, staffed_till
from kiosk.testing.fake_acquirers import FakeMidtrans

KEY = "SB-Mid-server-TEST"
CATALOG = "sku,barcode,name,price,category\nTEH,8991000000010,Teh,5000,Minuman\n"


@pytest.fixture
def fake() -> Iterator[FakeMidtrans]:
    with FakeMidtrans(KEY).serving() as server:
        assert isinstance(server, FakeMidtrans)
        yield server


def blocked_refund(data: Path, fake: FakeMidtrans) -> None:
    """A QRIS sale through the till's configured acquirer, then a refund whose call and
    the question after it both got a 5xx: blocked."""
    till = bootstrap.build(data, hardware="simulated", with_devices=False)
    try:
        checkout, ledger = till.checkout, till.ledger
        gateway = till.qris_service().gateway
        checkout.add_sku("TEH", 2)
        amount = checkout.start_payment().remaining
        qris_payments.insert(ledger.conn, "Q-1", gateway.name, amount, "2026-11-20T03:00:00Z")
        qris_payments.set_charge(ledger.conn, gateway.create("Q-1", amount), "2026-11-20T03:00:00Z")
        ledger.conn.commit()
        fake.settle("Q-1")
        checkout.pay_qris(amount, reference="Q-1")
        receipt = checkout.complete().receipt_no
        fake.faults.fail = 2
        supervisor = StaffMember("s1", "Budi", "supervisor")
        with pytest.raises(RefundError, match="nothing is paid in cash"):
            till.books.refunds.refund(supervisor, receipt, [(1, 2)], restock=True,
                                      cash_approver=supervisor)  # fmt: skip
    finally:
        till.close()


def a_minute_passes(data: Path, call_id: str) -> None:
    """The till's own clock is the real one: the uncertain call is dated a minute back."""
    with sqlite3.connect(data / bootstrap.LEDGER_FILE) as conn:
        (raw,) = conn.execute("SELECT detail FROM provider_refunds WHERE call_id = ?",
                              (call_id,)).fetchone()  # fmt: skip
        detail = json.loads(raw)
        then = datetime.fromisoformat(detail["unsure_at"]) - timedelta(seconds=61)
        detail["unsure_at"] = then.astimezone(UTC).isoformat().replace("+00:00", "Z")
        conn.execute("UPDATE provider_refunds SET detail = ? WHERE call_id = ?",
                     (json.dumps(detail), call_id))  # fmt: skip
    conn.close()


def test_a_blocked_qris_refund_is_listed_and_cleared_with_a_supervisors_pin(
    tmp_path: Path, fake: FakeMidtrans
) -> None:
    data = staffed_till(tmp_path, CATALOG)
    for key, value in (("payments.qris.gateway", "midtrans"),
                       ("payments.midtrans.base_url", fake.url),
                       ("payments.midtrans.server_key", KEY)):  # fmt: skip
        assert kiosk(data, "settings", "set", key, value).returncode == 0
    blocked_refund(data, fake)
    listed = kiosk(data, "refunds", "blocked", "--json")
    assert listed.returncode == 0, listed.stderr
    (call,) = json.loads(listed.stdout)["blocked"]
    assert (call["receipt_no"], call["method"], call["amount"]) == (1, "qris", 10_000)
    text = kiosk(data, "refunds", "blocked").stdout
    assert f"{call['call_id']}  receipt 1  qris  Rp10,000  since " in text
    cashier = kiosk(data, "refunds", "resolve", call["call_id"], "--pin", "1111")
    assert cashier.returncode == 2 and "a supervisor must do this" in cashier.stderr
    fake.faults.fail = 1  # the acquirer still cannot say: still blocked, exit 4
    still = kiosk(data, "refunds", "resolve", call["call_id"], "--pin", "2222")
    assert still.returncode == 4 and "a manager gives --verdict" in still.stderr
    assert json.loads(still.stdout)["outcome"] == "still_unknown"
    soon = kiosk(data, "refunds", "resolve", call["call_id"], "--pin", "2222")
    assert soon.returncode == 4 and "run this again in a minute" in soon.stderr
    assert json.loads(soon.stdout)["outcome"] == "check_again"
    a_minute_passes(data, call["call_id"])
    cleared = kiosk(data, "refunds", "resolve", call["call_id"], "--pin", "2222")
    assert cleared.returncode == 0, cleared.stderr
    result = json.loads(cleared.stdout)
    assert (result["outcome"], result["checked_by"]) == ("released", "Budi")
    assert "asks the qris again" in cleared.stderr
    assert json.loads(kiosk(data, "refunds", "blocked", "--json").stdout) == {"blocked": []}
    assert kiosk(data, "refunds", "blocked").stdout == "no refund call is blocked\n"
    assert fake.txns["Q-1"].refunds == {}
    assert kiosk(data, "journal", "verify").returncode == 0
