"""`kiosk replay` pays QRIS through the simulated acquirer with the step's outcome: a
declined, expired or unanswered payment leaves the basket open for another tender."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from kiosk.testing.cli import kiosk, replay

CATALOG = "sku,barcode,name,price,category\nTEH,8991000000010,Teh,5000,Minuman\n"


@pytest.fixture
def data(tmp_path: Path) -> Path:
    (tmp_path / "cat.csv").write_text(CATALOG, encoding="utf-8")
    assert kiosk(tmp_path / "dev", "catalog", "import", str(tmp_path / "cat.csv")).returncode == 0
    return tmp_path / "dev"


def payments(data: Path) -> list[tuple[str, str, int, str | None]]:
    with sqlite3.connect(data / "ledger.sqlite") as conn:
        rows = conn.execute(
            "SELECT order_id, state, amount, sale_id FROM qris_payments ORDER BY created_at"
        ).fetchall()
    return [(str(a), str(b), int(c), d) for a, b, c, d in rows]


def test_declined_expired_and_timeout_leave_the_basket_open_then_approved_sells(
    data: Path,
) -> None:
    steps = [
        {"sku": "TEH", "qty": 2},
        {"pay": {"method": "qris", "outcome": "declined"}},
        {"pay": {"method": "qris", "outcome": "expired"}},
        {"pay": {"method": "qris", "outcome": "timeout"}},
        {"pay": {"method": "qris"}},
    ]
    result = replay(data, steps)
    assert result.returncode == 0, result.stderr
    (sale,) = (json.loads(line) for line in result.stdout.splitlines())
    assert sale["total"] == 10000
    ((tender),) = sale["tenders"]
    assert tender["method"] == "qris" and tender["amount"] == 10000
    states = payments(data)
    assert [s for _, s, _, _ in states] == ["failed", "expired", "cancelled", "applied"]
    assert tender["reference"] == states[-1][0]  # the tender's reference is the order id
    assert states[-1][3] == sale["sale_id"]
    stderr = result.stderr
    assert "failed; the basket stays open for another tender" in stderr
    assert "expired; the basket stays open" in stderr and "cancelled; the basket" in stderr


def test_split_cash_and_qris_and_a_bad_outcome_named(data: Path) -> None:
    ok = replay(data, [{"sku": "TEH"}, {"pay": {"method": "cash", "amount": 2000}},
                       {"pay": {"method": "qris"}}])  # fmt: skip
    assert ok.returncode == 0, ok.stderr
    (sale,) = (json.loads(line) for line in ok.stdout.splitlines())
    assert [(t["method"], t["amount"]) for t in sale["tenders"]] == [("cash", 2000), ("qris", 3000)]
    bad = replay(data, [{"sku": "TEH"}, {"pay": {"method": "qris", "outcome": "maybe"}}])
    assert bad.returncode == 2
    assert "outcome must be one of approved, declined, timeout, expired" in bad.stderr


def test_a_declined_card_leaves_the_basket_open_then_an_approved_one_sells(data: Path) -> None:
    steps = [
        {"sku": "TEH"},
        {"pay": {"method": "card", "outcome": "declined"}},
        {"pay": {"method": "card"}},
    ]
    result = replay(data, steps)
    assert result.returncode == 0, result.stderr
    assert "card declined" in result.stderr and "stays open for another tender" in result.stderr
    (sale,) = (json.loads(line) for line in result.stdout.splitlines())
    ((tender),) = sale["tenders"]
    assert tender["method"] == "card" and tender["amount"] == 5000
    assert tender["masked_pan"] == "421234******1234" and tender["approval_code"]
    assert tender["terminal_id"] == "T0001" and tender["reference"]
    expired = replay(data, [{"sku": "TEH"}, {"pay": {"method": "card", "outcome": "expired"}}])
    assert expired.returncode == 2 and "cannot be 'expired'" in expired.stderr
