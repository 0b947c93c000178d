"""`kiosk replay` refunds card and QRIS sales back through the simulated terminal and
acquirer; a share the acquirer will not take is paid in cash only with a supervisor's
PIN in the step (``cash_approval``): none, or a cashier's, changes nothing."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from kiosk.testing.cli import kiosk, replay

CATALOG = "sku,barcode,name,price,category\nTEH,8991000000010,Teh,5000,Minuman\n"
SUPERVISOR = {"login": {"pin": "2222"}}


@pytest.fixture
def data(tmp_path: Path) -> Path:
    (tmp_path / "cat.csv").write_text(CATALOG, encoding="utf-8")
    data = tmp_path / "dev"
    assert kiosk(data, "catalog", "import", str(tmp_path / "cat.csv")).returncode == 0
    for name, role, pin in (("Ani", "cashier", "1111"), ("Budi", "supervisor", "2222")):
        assert kiosk(data, "staff", "add", name, "--role", role, "--pin", pin).returncode == 0
    return data


def refunds(data: Path) -> int:
    with sqlite3.connect(data / "ledger.sqlite") as conn:
        return int(conn.execute("SELECT count(*) FROM refunds").fetchone()[0])


def test_card_and_qris_sales_go_back_the_way_they_were_paid(data: Path) -> None:
    result = replay(data, [
        {"sku": "TEH", "qty": 2}, {"pay": {"method": "card"}},
        {"sku": "TEH"}, {"pay": {"method": "qris"}},
        SUPERVISOR,
        {"refund": {"receipt_no": 1, "lines": [[1, 2]], "restock": True}},
        {"refund": {"receipt_no": 2, "lines": [[1, 1]], "restock": True}},
    ])  # fmt: skip
    assert result.returncode == 0, result.stderr
    _card, qris, card_back, qris_back = (json.loads(x) for x in result.stdout.splitlines())
    (tender,) = card_back["tenders"]
    assert (tender["paid_as"], tender["via"]["kind"], card_back["cash"]) == ("card", "void", 0)
    assert "*" in tender["via"]["masked_pan"]
    (tender,) = qris_back["tenders"]
    assert (tender["paid_as"], tender["via"]["order_id"]) == (
        "qris",
        qris["tenders"][0]["reference"],
    )


def test_a_qris_share_the_acquirer_refuses_needs_a_supervisors_pin_for_cash(data: Path) -> None:
    # A new replay's simulated acquirer does not know the first one's charge: it refuses.
    assert replay(data, [{"sku": "TEH"}, {"pay": {"method": "qris"}}]).returncode == 0
    step = {"receipt_no": 1, "lines": [[1, 1]], "restock": True}
    refused = replay(data, [SUPERVISOR, {"refund": step}])
    assert refused.returncode == 2 and "supervisor's approval" in refused.stderr
    cashier = replay(data, [SUPERVISOR, {"refund": {**step, "cash_approval": {"pin": "1111"}}}])
    assert cashier.returncode == 3, cashier.stderr
    assert refunds(data) == 0
    done = replay(data, [SUPERVISOR, {"refund": {**step, "cash_approval": {"pin": "2222"}}}])
    assert done.returncode == 0, done.stderr
    body = json.loads(done.stdout)
    assert (body["tenders"][0]["paid_as"], body["cash"], body["cash_approved_by"]) == (
        "cash", 5000, "Budi")  # fmt: skip
    assert body["tenders"][0]["via"]["fallback"] == "refused"
    assert kiosk(data, "journal", "verify").returncode == 0
