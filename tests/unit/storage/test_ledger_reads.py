"""The ledger's read side: its own device's figures only, absent things are None, and
the refusal of an unknown basket reads as a sentence (written for surviving mutants)."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from kiosk.storage.ledger import SqliteLedger, SuspendedBasketNotFoundError
from kiosk.testing.sales import make_sale


def test_reports_and_sale_times_are_this_devices_and_this_days(tmp_path: Path) -> None:
    a = SqliteLedger(tmp_path / "l.db", "kiosk-1")
    b = SqliteLedger(tmp_path / "l.db", "kiosk-2")
    rng = random.Random(3)
    mine = [a.commit_sale(make_sale(rng)) for _ in range(2)]
    b.commit_sale(make_sale(rng, device_id="kiosk-2"))
    a.commit_sale(make_sale(rng, business_date="2026-11-28"))
    report = a.x_report("2026-11-27")
    assert (report["device_id"], report["transactions"]) == ("kiosk-1", 2)
    assert report["business_date"] == "2026-11-27"
    assert sorted(a.sale_times("2026-11-27")) == sorted(
        (s.created_at, s.total + s.cash_rounding) for s in mine
    )
    assert b.x_report("2026-11-27")["transactions"] == 1
    a.close()
    b.close()


def test_an_unknown_receipt_is_none(tmp_path: Path) -> None:
    ledger = SqliteLedger(tmp_path / "l.db", "kiosk-1")
    sale = ledger.commit_sale(make_sale(random.Random(4)))
    assert ledger.get_sale_by_receipt(sale.receipt_no) == sale
    assert ledger.get_sale_by_receipt(sale.receipt_no + 1) is None
    assert ledger.get_sale("no-such-sale") is None
    ledger.close()


def test_an_unknown_basket_is_refused_in_plain_words(tmp_path: Path) -> None:
    ledger = SqliteLedger(tmp_path / "l.db", "kiosk-1")
    with pytest.raises(SuspendedBasketNotFoundError) as caught:
        ledger.resume_basket("B1")
    assert str(caught.value) == "no suspended basket 'B1' (already resumed, or never suspended)"
    assert str(SuspendedBasketNotFoundError()) == "suspended basket not found"
    ledger.close()


def events(ledger: SqliteLedger) -> list[tuple[str, str, dict[str, object]]]:
    rows = ledger.conn.execute("SELECT kind, ref, payload FROM journal WHERE kind != 'sale'")
    return [(kind, ref, json.loads(payload)) for kind, ref, payload in rows]


def test_suspend_and_resume_are_journaled_and_published(tmp_path: Path) -> None:
    ledger = SqliteLedger(tmp_path / "l.db", "kiosk-1")
    ledger.suspend_basket("B1", {"lines": [1]}, "Bu Ani", "2026-11-27T06:00:00.000000Z")
    assert ledger.list_suspended() == [
        {"basket_id": "B1", "created_at": "2026-11-27T06:00:00.000000Z", "label": "Bu Ani"}
    ]
    assert ledger.resume_basket("B1") == {"lines": [1]}
    assert events(ledger) == [
        ("suspend", "B1", {"label": "Bu Ani", "basket": {"lines": [1]}}),
        ("resume", "B1", {}),
    ]
    topics = ledger.conn.execute("SELECT topic FROM outbox ORDER BY id").fetchall()
    assert [t[0] for t in topics] == ["event", "event"]
    assert ledger.list_suspended() == []
    ledger.close()


def test_an_alert_is_a_warning_unless_said_otherwise(tmp_path: Path) -> None:
    ledger = SqliteLedger(tmp_path / "l.db", "kiosk-1")
    ledger.raise_alert("paper_low", "Paper is low", "2026-11-27T06:00:00.000000Z")
    payload = ledger.conn.execute("SELECT payload FROM outbox WHERE topic = 'alert'").fetchone()
    assert json.loads(payload[0])["severity"] == "warning"
    ledger.close()
