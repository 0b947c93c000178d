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
