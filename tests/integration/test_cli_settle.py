"""`kiosk settle import FILE` and `kiosk report settlement --date D --json` on a real data
directory: a QRIS sale through the simulated acquirer, a staff-taken QRIS nobody
confirmed (unverified until a report matches it) and a payment the till never took."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kiosk.testing.cli import kiosk

CATALOG = "sku,barcode,name,price,category\nTEH,8991000000010,Teh,5000,Minuman\n"


@pytest.fixture
def data(tmp_path: Path) -> Path:
    (tmp_path / "cat.csv").write_text(CATALOG, encoding="utf-8")
    assert kiosk(tmp_path / "dev", "catalog", "import", str(tmp_path / "cat.csv")).returncode == 0
    return tmp_path / "dev"


def sales(data: Path) -> list[dict[str, object]]:
    steps = [{"sku": "TEH", "qty": 2}, {"pay": {"method": "qris"}},
             {"sku": "TEH"}, {"pay": {"method": "qris", "reference": "STATIC-1"}}]  # fmt: skip
    script = data.parent / "script.jsonl"
    script.write_text("\n".join(json.dumps(s) for s in steps) + "\n", encoding="utf-8")
    result = kiosk(data, "replay", str(script))
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_import_then_reconcile_the_day(data: Path, tmp_path: Path) -> None:
    paid, static = sales(data)
    day = str(paid["business_date"])
    order_id = paid["tenders"][0]["reference"]  # type: ignore[index]
    report = tmp_path / "settlement.csv"
    report.write_text(
        "Date & Time,Order ID,Transaction Type,Channel,Status,Amount,Fee,Added Column\n"
        f"{day} 13:01:02,{order_id},qris,gopay,settlement,10000.00,70,x\n"
        f"{day} 14:00:00,X-999,qris,gopay,settlement,25000,175,y\n"
        f"{day} 15:00:00,X-1000,qris,gopay,pending,3000,0,z\n",
        encoding="utf-8",
    )
    imported = kiosk(data, "settle", "import", str(report))
    assert imported.returncode == 0, imported.stderr
    assert json.loads(imported.stdout)["lines"] == 3
    shown = kiosk(data, "report", "settlement", "--date", day, "--json")
    assert shown.returncode == 0, shown.stderr
    result = json.loads(shown.stdout)
    assert result["summary"]["matched"] == 1 and result["summary"]["fees"] == 245
    by_ref = {line["reference"]: line for line in result["lines"]}
    assert by_ref[order_id]["outcome"] == "matched" and by_ref[order_id]["fee"] == 70
    assert by_ref["STATIC-1"]["unverified"] and result["unverified"] == ["STATIC-1"]
    assert by_ref["X-999"]["till_amount"] is None
    assert result["summary"]["skipped"] == 1  # still pending at the bank
    # A later report settles the static QRIS: it is no longer listed as unverified.
    later = tmp_path / "later.csv"
    later.write_text(
        "Date & Time,Order ID,Status,Amount,Fee\n"
        f"{day} 18:00:00,STATIC-1,settlement,{static['total']},35\n",
        encoding="utf-8",
    )
    assert kiosk(data, "settle", "import", str(later)).returncode == 0
    again = json.loads(kiosk(data, "report", "settlement", "--date", day, "--json").stdout)
    assert again["unverified"] == [] and again["summary"]["matched"] == 2


def test_a_bad_report_is_refused_with_the_reason_and_nothing_stored(
    data: Path, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("Order ID,Status\nA-1,settlement\n", encoding="utf-8")
    refused = kiosk(data, "settle", "import", str(bad))
    assert refused.returncode == 2
    assert "the header has no amount column" in refused.stderr
    assert "Traceback" not in refused.stderr
    missing = kiosk(data, "settle", "import", str(tmp_path / "nope.csv"))
    assert missing.returncode == 2 and "cannot read" in missing.stderr


def test_refunds_are_reconciled_against_the_reports_refund_lines(
    data: Path, tmp_path: Path
) -> None:
    """Real refunds through the simulated acquirer and terminal: a QRIS share the report
    gives back (matched by its refund key), one it does not have (missing at the bank), a
    refund line the till never made (missing at the till), and a card void (expected
    nowhere, its sale neither)."""
    added = kiosk(data, "staff", "add", "Budi", "--role", "supervisor", "--pin", "2222")
    assert added.returncode == 0, added.stderr
    steps = [{"sku": "TEH", "qty": 2}, {"pay": {"method": "qris"}},
             {"sku": "TEH"}, {"pay": {"method": "qris"}},
             {"sku": "TEH"}, {"pay": {"method": "card"}},
             {"login": {"pin": "2222"}},
             {"refund": {"receipt_no": 1, "lines": [[1, 1]], "restock": True}},
             {"refund": {"receipt_no": 2, "lines": [[1, 1]], "restock": True}},
             {"refund": {"receipt_no": 3, "lines": [[1, 1]], "restock": True}}]  # fmt: skip
    script = data.parent / "refunds.jsonl"
    script.write_text("\n".join(json.dumps(s) for s in steps) + "\n", encoding="utf-8")
    played = kiosk(data, "replay", str(script))
    assert played.returncode == 0, played.stderr
    one, two, three, back_one, back_two, back_three = map(json.loads, played.stdout.splitlines())
    day = str(one["business_date"])
    first = back_one["tenders"][0]["via"]
    assert back_three["tenders"][0]["via"]["kind"] == "void"
    report = tmp_path / "with-refunds.csv"
    report.write_text(
        "Date & Time,Order ID,Transaction Type,Status,Amount,Fee,Refund Key\n"
        f"{day} 10:00:00,{one['tenders'][0]['reference']},qris,settlement,10000.00,70,\n"
        f"{day} 10:05:00,{two['tenders'][0]['reference']},qris,settlement,5000.00,35,\n"
        f"{day} 16:00:00,{first['order_id']},refund,settlement,-5000.00,0,{first['refund_id']}\n"
        f"{day} 16:30:00,X-55,refund,settlement,-7000.00,0,R-UNKNOWN\n",
        encoding="utf-8",
    )
    imported = kiosk(data, "settle", "import", str(report))
    assert imported.returncode == 0 and json.loads(imported.stdout)["lines"] == 4
    shown = kiosk(data, "report", "settlement", "--date", day, "--json")
    assert shown.returncode == 0, shown.stderr
    result = json.loads(shown.stdout)
    by_ref = {line["reference"]: line["outcome"] for line in result["lines"]}
    card_rrn = three["tenders"][0]["reference"]
    assert by_ref == {one["tenders"][0]["reference"]: "matched",
                      two["tenders"][0]["reference"]: "matched", card_rrn: "voided"}  # fmt: skip
    refunds = {(r["reference"], r["outcome"]) for r in result["refunds"]["lines"]}
    assert refunds == {(first["order_id"], "matched"),
                       (back_two["tenders"][0]["via"]["order_id"], "missing_at_bank"),
                       ("X-55", "missing_at_till"), (card_rrn, "voided")}  # fmt: skip
    assert result["refunds"]["summary"] == {"matched": 1, "amount_differs": 0,
                                            "missing_at_bank": 1, "missing_at_till": 1,
                                            "voided": 1}  # fmt: skip
    text = kiosk(data, "report", "settlement", "--date", day)
    assert "refunds " + day + ": matched 1, amount_differs 0, missing_at_bank 1" in text.stdout
