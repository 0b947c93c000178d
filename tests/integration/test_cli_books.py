"""`kiosk replay` with the books' steps and `kiosk report shift|z|accounts` on a real data
directory: a step the role may not do (or without a login) exits 3 and changes nothing."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from kiosk.testing.cli import kiosk, replay

if TYPE_CHECKING:
    from tests.integration.conftest import Built

CATALOG = "sku,barcode,name,price,category\nTEH,8991000000010,Teh,5000,Minuman\n"
SCRIPT = [
    {"login": {"pin": "1111"}},
    {"shift_open": {"float": 100000}},
    {"sku": "TEH", "qty": 4},
    {"pay": {"method": "cash", "amount": 50000}},
    {"cash_out": {"amount": 10000, "reason": "ice"}},
    {"login": {"pin": "2222"}},
    {"refund": {"receipt_no": 1, "lines": [[1, 1]], "restock": True}},
    {"shift_close": {"counted": 105000}},
    {"z_close": True},
]


def journal_kinds(data: Path) -> list[str]:
    with sqlite3.connect(data / "ledger.sqlite") as conn:
        return [str(r[0]) for r in conn.execute("SELECT kind FROM journal ORDER BY seq")]


def books_till(directory: Path) -> Path:
    (directory / "cat.csv").write_text(CATALOG, encoding="utf-8")
    data = directory / "dev"
    assert kiosk(data, "catalog", "import", str(directory / "cat.csv")).returncode == 0
    for name, role, pin in (("Ani", "cashier", "1111"), ("Budi", "supervisor", "2222")):
        assert kiosk(data, "staff", "add", name, "--role", role, "--pin", pin).returncode == 0
    return data


@pytest.fixture
def data(built: Built, tmp_path: Path) -> Path:
    return built.copy(books_till, tmp_path)


def test_a_day_of_books_through_replay_and_the_reports(data: Path) -> None:
    result = replay(data, SCRIPT)
    assert result.returncode == 0, result.stderr
    sale, refund = (json.loads(line) for line in result.stdout.splitlines())
    assert sale["total"] == 20000
    assert {k: refund[k] for k in ("receipt_no", "lines", "total")} == {
        "receipt_no": 1, "total": -5000,
        "lines": [{"line_no": 1, "sku": "TEH", "qty": 1, "amount": -5000, "restock": True}],
    }  # fmt: skip
    assert refund["refund_id"] and refund["tenders"][0]["amount"] == -5000
    shift = json.loads(kiosk(data, "report", "shift", "--json").stdout)
    assert {k: shift[k] for k in ("float", "cash_sales", "cash_in", "cash_out", "cash_refunds",
                                  "expected_cash", "counted", "over_short", "cashier")} == {
        "float": 100000, "cash_sales": 20000, "cash_in": 0, "cash_out": 10000,
        "cash_refunds": 5000, "expected_cash": 105000, "counted": 105000, "over_short": 0,
        "cashier": "Ani",
    }  # fmt: skip
    day = sale["business_date"]
    z = json.loads(kiosk(data, "report", "z", "--date", day, "--json").stdout)
    assert (z["z_number"], z["returns"], z["net"]) == (1, 5000, 15000)
    assert z["refunds"]["count"] == 1 and z["closed_at"]
    assert (z["items"], z["items_per_basket"], z["over_short"]) == (4, "4.00", {"Ani": 0})
    entries = list(csv.DictReader(io.StringIO(kiosk(data, "report", "accounts", "--date", day,
                                                    "--csv").stdout)))  # fmt: skip
    assert sum(int(e["debit"]) for e in entries) == sum(int(e["credit"]) for e in entries) > 0
    accounts = json.loads(kiosk(data, "report", "accounts", "--date", day, "--json").stdout)
    assert {e["account"] for e in accounts["entries"]} >= {"cash", "sales_revenue", "ppn_output",
                                                          "sales_returns"}  # fmt: skip
    assert kiosk(data, "journal", "verify").returncode == 0


@pytest.mark.parametrize("steps", [
    [{"shift_open": {"float": 1000}}],  # no login
    [{"login": {"pin": "1111"}}, {"z_close": True}],  # a cashier may not close the day
    [{"login": {"pin": "1111"}}, {"sku": "TEH"}, {"pay": {"method": "cash"}},
     {"refund": {"receipt_no": 1, "lines": [[1, 1]], "restock": True}}],
])  # fmt: skip
def test_a_step_the_role_may_not_do_exits_3_and_changes_nothing(
    data: Path, steps: list[object]
) -> None:
    before = journal_kinds(data)
    result = replay(data, steps)
    assert result.returncode == 3, result.stderr
    after = journal_kinds(data)
    assert after[: len(before)] == before
    assert [k for k in after[len(before) :] if k not in {"sale"}] == []


def test_replay_never_enrols_the_demo_team(tmp_path: Path) -> None:
    result = replay(tmp_path / "dev", [{"login": {"pin": "9999"}}])
    assert result.returncode == 2 and "wrong PIN" in result.stderr
    assert kiosk(tmp_path / "dev", "staff", "list", "--json").stdout.strip() == "[]"


def test_nothing_is_added_to_a_closed_day_and_the_till_sells_on(data: Path) -> None:
    closed = replay(data, [{"at": "2030-01-05T10:00:00+07:00"}, {"sku": "TEH"},
                           {"pay": {"method": "cash"}}, {"login": {"pin": "2222"}},
                           {"z_close": True}])  # fmt: skip
    assert closed.returncode == 0, closed.stderr
    back = replay(data, [{"at": "2030-01-05T09:00:00+07:00"}])
    assert back.returncode == 2 and "closed by Z 1" in back.stderr
    later = replay(data, [{"at": "2030-01-05T11:00:00+07:00"}, {"sku": "TEH"},
                          {"pay": {"method": "cash"}}])  # fmt: skip
    assert later.returncode == 0, later.stderr
    assert json.loads(later.stdout)["business_date"] == "2030-01-06"


def test_a_sale_needs_no_login(data: Path) -> None:
    result = replay(data, [{"sku": "TEH"}, {"pay": {"method": "cash"}}])
    assert result.returncode == 0, result.stderr


def test_points_redeemed_through_replay_and_given_back_by_its_refund(data: Path) -> None:
    result = replay(data, [
        {"enrol": {"phone": "081234567890", "name": "Sari"}},
        {"member": "081234567890"}, {"sku": "TEH", "qty": 10}, {"pay": {"method": "cash"}},
        {"member": "081234567890"}, {"sku": "TEH", "qty": 2}, {"redeem": 5},
        {"pay": {"method": "cash"}},
        {"member": "081234567890"}, {"sku": "TEH", "qty": 2}, {"redeem": 1},
    ])  # fmt: skip
    assert result.returncode == 2 and "only 0 points can be spent" in result.stderr
    first, second = (json.loads(line) for line in result.stdout.splitlines())
    assert [(t["method"], t["amount"], t["given"]) for t in second["tenders"]] == [
        ("points", 500, 5), ("cash", 9500, 9500)]  # fmt: skip
    members = json.loads(kiosk(data, "report", "members", "--json").stdout)["members"]
    assert members[0]["points"] == 5 - 5  # 5 earned, 5 spent, none earned on Rp9.500
    refund = replay(
        data,
        [
            {"login": {"pin": "2222"}},
            {"refund": {"receipt_no": 2, "lines": [[1, 2]], "restock": True}},
        ],
    )
    assert refund.returncode == 0, refund.stderr
    assert json.loads(refund.stdout)["tenders"][0] == {
        "index": 0,
        "method": "points",
        "amount": -500,
        "paid_as": "points",
        "points": 5,
    }
    members = json.loads(kiosk(data, "report", "members", "--json").stdout)["members"]
    assert members[0]["points"] == 5
    assert first["member_id"] == members[0]["member_id"]
    assert kiosk(data, "journal", "verify").returncode == 0


def test_cost_of_goods_in_the_accounts_and_no_sales_in_the_z(data: Path) -> None:
    result = replay(data, [
        {"login": {"pin": "2222"}},
        {"receive": {"sku": "TEH", "qty": 10, "cost": 3000, "supplier": "PT Teh"}},
        {"sku": "TEH", "qty": 3}, {"pay": {"method": "cash"}},
    ])  # fmt: skip
    assert result.returncode == 0, result.stderr
    day = json.loads(result.stdout)["business_date"]
    z = json.loads(kiosk(data, "report", "z", "--date", day, "--json").stdout)
    assert z["cost_of_goods"] == {"sold": 9000, "returned": 0, "costed_lines": 1}
    assert z["no_sales"] == 0
    accounts = json.loads(kiosk(data, "report", "accounts", "--date", day, "--json").stdout)
    entries = {e["account"]: (e["debit"], e["credit"]) for e in accounts["entries"]}
    assert entries["cost_of_goods_sold"] == (9000, 0) and entries["inventory"] == (0, 9000)
    text = kiosk(data, "report", "z", "--date", day).stdout
    assert "No-sales" in text and "Cost of goods" in text


def test_the_z_prints_at_its_close_and_reports_export_as_pdf_csv_and_bytes(
    data: Path, tmp_path: Path
) -> None:
    printed = tmp_path / "printer.bin"
    script = tmp_path / "z.jsonl"
    script.write_text("\n".join(json.dumps(s) for s in SCRIPT) + "\n", encoding="utf-8")
    result = kiosk(data, "replay", str(script), "--printer-out", str(printed))
    assert result.returncode == 0, result.stderr
    day = json.loads(result.stdout.splitlines()[0])["business_date"]
    data_bytes = printed.read_bytes()
    assert data_bytes.count(b"LAPORAN Z") == 1 and data_bytes.rstrip().endswith(b"\x1dV\x01")
    pdf, z_bytes = tmp_path / "z.pdf", tmp_path / "z.bin"
    done = kiosk(data, "report", "z", "--date", day, "--pdf", str(pdf), "--printer-out", str(z_bytes),
                 "--csv")  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert pdf.read_bytes().startswith(b"%PDF-") and b"LAPORAN Z" in z_bytes.read_bytes()
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    assert {"section": "LAPORAN Z", "label": "Nomor Z", "value": "1"} in rows
    shift = kiosk(data, "report", "shift", "--csv")
    assert shift.returncode == 0 and "Kas seharusnya,Rp105.000" in shift.stdout
    bad = kiosk(data, "report", "x", "--pdf", str(tmp_path / "missing" / "x.pdf"))
    assert bad.returncode != 0 and "cannot write" in bad.stderr
