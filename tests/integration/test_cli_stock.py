"""`kiosk replay` receive/adjust steps and `kiosk report stock --json` on a real data
directory: a supervisor receives and adjusts; a cashier (or no login) exits 3 and
changes nothing."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from tests.integration.test_cli_books import data, journal_kinds, kiosk, replay

__all__ = ["data"]  # the fixture, shared


def stock_moves(data: Path) -> int:
    with sqlite3.connect(data / "ledger.sqlite") as conn:
        return int(conn.execute("SELECT COUNT(*) FROM stock_moves").fetchone()[0])


def test_receive_adjust_and_the_stock_report(data: Path) -> None:
    result = replay(data, [
        {"login": {"pin": "2222"}},
        {"receive": {"sku": "TEH", "qty": 24, "cost": 3000, "supplier": "PT Sosro"}},
        {"adjust": {"sku": "TEH", "qty": 2, "reason": "damaged"}},
        {"logout": True},
        {"sku": "TEH", "qty": 3}, {"pay": {"method": "cash", "amount": 15000}},
    ])  # fmt: skip
    assert result.returncode == 0, result.stderr
    report = kiosk(data, "report", "stock", "--json")
    assert report.returncode == 0, report.stderr
    (teh,) = json.loads(report.stdout)["items"]
    # 3 sold over the default 28 days: reorder point ceil(3/28 x 7) = 1, on hand 19
    assert {k: teh[k] for k in ("sku", "qty", "cost", "reorder_point", "suggested")} == {
        "sku": "TEH", "qty": 19, "cost": 3000, "reorder_point": 1, "suggested": 0}  # fmt: skip
    assert "stock_receive" in journal_kinds(data)
    assert "TEH" in kiosk(data, "report", "stock").stdout


@pytest.mark.parametrize("steps", [
    [{"receive": {"sku": "TEH", "qty": 5, "cost": 3000, "supplier": "X"}}],  # no login
    [{"login": {"pin": "1111"}}, {"adjust": {"sku": "TEH", "qty": 1, "reason": "waste"}}],
])  # fmt: skip
def test_receive_or_adjust_without_the_right_exits_3_and_changes_nothing(
    data: Path, steps: list[object]
) -> None:
    kinds_before, result = journal_kinds(data), replay(data, steps)
    assert (result.returncode, stock_moves(data)) == (3, 0), result.stderr
    assert journal_kinds(data) == kinds_before


def test_a_bad_adjust_step_exits_with_a_message(data: Path) -> None:
    result = replay(data, [{"login": {"pin": "2222"}},
                           {"adjust": {"sku": "TEH", "qty": 1, "reason": "stolen"}}])  # fmt: skip
    assert result.returncode == 2 and "reason must be one of" in result.stderr
    assert "Traceback" not in result.stderr and stock_moves(data) == 0


def test_enrol_a_member_earn_on_a_sale_and_the_members_report(data: Path) -> None:
    result = replay(data, [
        {"enrol": {"phone": "0812 3456 7890", "name": "Sari"}},
        {"member": "081234567890"},
        {"sku": "TEH", "qty": 5}, {"pay": {"method": "cash", "amount": 25000}},
    ])  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["member_id"]
    report = kiosk(data, "report", "members", "--json")
    (member,) = json.loads(report.stdout)["members"]
    assert {k: member[k] for k in ("phone", "points", "tier")} == {
        "phone": "081234567890", "points": 2, "tier": "basic"}  # fmt: skip
    unknown = replay(data, [{"member": "089999999999"}])
    assert unknown.returncode == 2 and "no member with phone" in unknown.stderr


def test_a_stocktake_through_the_count_sheet(data: Path) -> None:
    assert kiosk(data, "stock", "adjust", "TEH", "10", "--reason", "received").returncode == 0
    sheet = kiosk(data, "stock", "sheet")
    assert sheet.stdout.splitlines() == ["sku,expected,counted", "TEH,10,"]
    counted = data.parent / "counted.csv"
    counted.write_text("sku,expected,counted\nTEH,10,7\n", encoding="utf-8")
    posted = kiosk(data, "stock", "count", str(counted))
    assert posted.returncode == 0, posted.stderr
    assert "TEH\t-3" in posted.stdout
    assert kiosk(data, "stock", "show", "TEH").stdout.strip() == "TEH\t7"
    counted.write_text("sku,expected,counted\nTEH,ten,7\n", encoding="utf-8")
    bad = kiosk(data, "stock", "count", str(counted))
    assert bad.returncode != 0 and "cannot read the count sheet" in bad.stderr
    assert "Traceback" not in bad.stderr
