"""The headless contract: `kiosk ... ` as a newcomer or an outside check drives it."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import pytest

from kiosk.domain.gtin import check_digit

if TYPE_CHECKING:
    from tests.integration.conftest import Built

TEH, KOPI, BERAS = "8991000000010", "8991000000027", "8991000000034"
CATALOG = f"""sku,barcode,name,price,category,tax_rate_percent,age_restricted
TEH,{TEH},Teh Botol,5000,Minuman,,
KOPI,{KOPI},Kopi Susu,12500,Minuman,,
BERAS,{BERAS},Beras 5kg,72000,Sembako,0,
ROKOK,,Rokok 16,32000,Rokok,,21
"""


def kiosk(data: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kiosk", "--data-dir", str(data), *args],
        capture_output=True, text=True, input=stdin, timeout=60, check=False,
    )  # fmt: skip


def script(tmp_path: Path, *steps: object, name: str = "s.jsonl") -> Path:
    path = tmp_path / name
    path.write_text("\n".join(json.dumps(s) for s in steps) + "\n", encoding="utf-8")
    return path


def catalog_till(directory: Path) -> Path:
    for code in (TEH, KOPI, BERAS):
        assert check_digit(code[:-1]) == code[-1]
    data = directory / "dev"
    (directory / "cat.csv").write_text(CATALOG, encoding="utf-8")
    result = kiosk(data, "catalog", "import", str(directory / "cat.csv"))
    assert result.returncode == 0, result.stderr
    assert "imported 4 products" in result.stdout
    return data


@pytest.fixture
def data(built: Built, tmp_path: Path) -> Path:
    return built.copy(catalog_till, tmp_path)


def sales(data: Path) -> list[tuple[int, int]]:
    with sqlite3.connect(data / "ledger.sqlite") as conn:
        return conn.execute("SELECT receipt_no, total FROM sales ORDER BY receipt_no").fetchall()


def test_replay_prints_each_durable_sale(data: Path, tmp_path: Path) -> None:
    steps = script(
        tmp_path,
        {"scan": TEH}, {"scan": TEH}, {"sku": "KOPI", "qty": 2}, {"scan": BERAS},
        {"void": 3}, {"qty": 1},
        {"discount": {"line": 2, "percent": 10}},
        {"pay": {"method": "cash", "amount": 50000}},
        {"scan": BERAS}, {"discount": {"order": True, "amount": 2000}},
        {"pay": {"method": "card", "amount": 30000}}, {"pay": {"method": "qris", "amount": 40000}},
    )  # fmt: skip
    result = kiosk(data, "replay", str(steps), "--receipts", str(tmp_path / "r.txt"))
    assert result.returncode == 0, result.stderr
    first, second = (json.loads(line) for line in result.stdout.splitlines())
    # Teh x2 = 10,000; Kopi 12,500 less 10% = 11,250 (Beras voided, then qty on last line).
    assert [(x["sku"], x["qty"], x["amount"]) for x in first["lines"]] == [
        ("TEH", 2, 10000), ("KOPI", 1, 11250)]  # fmt: skip
    assert first["total"] == 21250 and first["change"] == 28750 and first["receipt_no"] == 1
    assert first["tenders"] == [
        {**first["tenders"][0], "method": "cash", "amount": 21250, "given": 50000}
    ]
    (tax,) = first["taxes"]
    assert tax == {"rate_percent": "11", "taxable": 21250, "ppn": 2106, "dpp": 19144}
    assert second["total"] == 70000 and second["receipt_no"] == 2
    assert [t["method"] for t in second["tenders"]] == ["card", "qris"]
    assert second["tenders"][0]["masked_pan"].count("*") >= 6
    assert second["taxes"] == [{"rate_percent": "0", "taxable": 70000, "dpp": 70000, "ppn": 0}]
    assert sales(data) == [(1, 21250), (2, 70000)]
    receipts = (tmp_path / "r.txt").read_text(encoding="utf-8")
    assert receipts.count("TOTAL") == 2 and "Kopi Susu" in receipts


def test_bad_step_stops_with_its_line_and_commits_nothing(data: Path, tmp_path: Path) -> None:
    steps = script(
        tmp_path, {"scan": TEH}, {"void": 7}, {"pay": {"method": "cash", "amount": 5000}}
    )
    result = kiosk(data, "replay", str(steps))
    assert result.returncode == 2
    assert "s.jsonl:2:" in result.stderr and "line 7" in result.stderr
    assert result.stdout == "" and sales(data) == []
    for bad, expect in (
        ("{not json", "s.jsonl:1: not JSON"),
        ('{"scan": "8991000000011"}', "check digit"),
        ('{"scan": "1234"}', "1234"),
        ('{"fly": 1}', "unknown step 'fly'"),
        ('{"pay": {"method": "cash", "amount": 5000}}', "empty"),
    ):
        (tmp_path / "s.jsonl").write_text(bad + "\n", encoding="utf-8")
        result = kiosk(data, "replay", str(tmp_path / "s.jsonl"))
        assert result.returncode == 2 and expect in result.stderr, (bad, result.stderr)
    assert sales(data) == []


def test_underpaid_basket_is_not_committed(data: Path, tmp_path: Path) -> None:
    steps = script(tmp_path, {"scan": KOPI}, {"pay": {"method": "cash", "amount": 10000}})
    result = kiosk(data, "replay", str(steps))
    assert result.returncode == 0 and result.stdout == ""
    assert "open basket" in result.stderr and sales(data) == []


def test_suspend_and_resume_by_label(data: Path, tmp_path: Path) -> None:
    steps = script(
        tmp_path, {"scan": KOPI}, {"suspend": "meja-2"}, {"scan": TEH},
        {"pay": {"method": "cash", "amount": 5000}}, {"resume": "meja-2"},
        {"pay": {"method": "cash", "amount": 12500}},
    )  # fmt: skip
    result = kiosk(data, "replay", str(steps))
    assert result.returncode == 0, result.stderr
    totals = [json.loads(line)["total"] for line in result.stdout.splitlines()]
    assert totals == [5000, 12500]


def test_keys_step_goes_through_the_scanner_decoder(data: Path, tmp_path: Path) -> None:
    keys = [[f"KEY_{d}", v, 5] for d in TEH for v in (1, 0)] + [
        ["KEY_ENTER", 1, 5],
        ["KEY_ENTER", 0, 5],
    ]
    steps = script(tmp_path, {"keys": keys}, {"pay": {"method": "cash", "amount": 5000}})
    result = kiosk(data, "replay", str(steps))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["lines"][0]["sku"] == "TEH"


def test_journal_verify_and_tamper(data: Path, tmp_path: Path) -> None:
    steps = script(tmp_path, *[{"scan": TEH}, {"pay": {"method": "cash", "amount": 5000}}] * 3)
    assert kiosk(data, "replay", str(steps)).returncode == 0
    ok = kiosk(data, "journal", "verify")
    assert ok.returncode == 0 and "journal ok" in ok.stdout
    with sqlite3.connect(data / "ledger.sqlite") as conn:
        conn.execute("UPDATE journal SET payload = replace(payload, '5000', '500') WHERE seq = 2")
    broken = kiosk(data, "journal", "verify", "--alert")
    assert broken.returncode == 1 and "record 2" in broken.stderr
    with sqlite3.connect(data / "ledger.sqlite") as conn:
        (payload,) = conn.execute("SELECT payload FROM outbox WHERE topic = 'alert'").fetchone()
    assert json.loads(payload)["kind"] == "journal_verify_failed"


def jakarta_day(days_from_today: int) -> str:
    today = datetime.now(ZoneInfo("Asia/Jakarta")).date()
    return (today + timedelta(days=days_from_today)).isoformat()


def test_z_report_json(data: Path, tmp_path: Path) -> None:
    # `at` moves the clock on (a day that has ended is closed): two days ahead of today.
    first, second = jakarta_day(1), jakarta_day(2)
    steps = script(
        tmp_path, {"at": f"{first}T10:00:00+07:00"}, {"scan": TEH}, {"scan": KOPI}, {"void": 2},
        {"pay": {"method": "cash", "amount": 10000}},
        {"at": f"{first}T23:30:00+07:00"}, {"sku": "KOPI", "qty": 2},
        {"discount": {"order": True, "amount": 5000}}, {"pay": {"method": "qris", "amount": 20000}},
        {"at": f"{second}T00:30:00+07:00"}, {"scan": BERAS}, {"pay": {"method": "cash", "amount": 72000}},
    )  # fmt: skip
    assert kiosk(data, "replay", str(steps)).returncode == 0
    result = kiosk(data, "report", "z", "--date", first, "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["gross"] == 30000 and report["discounts"] == 5000 and report["net"] == 25000
    assert report["transactions"] == 2 and report["average_ticket"] == 12500
    assert report["voids"]["count"] == 1
    assert {t["method"]: t["amount"] for t in report["tenders"]} == {"cash": 5000, "qris": 20000}
    assert sum(t["ppn"] + t["dpp"] for t in report["taxes"]) == 25000
    text = kiosk(data, "report", "z", "--date", second)
    assert text.returncode == 0 and "Rp72.000" in text.stdout
    assert kiosk(data, "report", "z", "--date", "21-11-2026").returncode == 2


def test_a_back_dated_step_is_refused_and_the_ended_day_keeps_its_z(
    data: Path, tmp_path: Path
) -> None:
    yesterday = jakarta_day(-1)
    before = kiosk(data, "report", "z", "--date", yesterday, "--json").stdout
    steps = script(tmp_path, {"at": f"{yesterday}T10:00:00+07:00"}, {"scan": TEH},
                   {"pay": {"method": "cash", "amount": 5000}})  # fmt: skip
    result = kiosk(data, "replay", str(steps))
    assert result.returncode == 2 and result.stdout == ""
    assert f"business day {yesterday} has ended" in result.stderr and "s.jsonl:1" in result.stderr
    assert kiosk(data, "report", "z", "--date", yesterday, "--json").stdout == before


def test_settings_get_set_and_bad_values(tmp_path: Path) -> None:
    data = tmp_path / "dev"
    assert kiosk(data, "settings", "get", "timezone").stdout.strip() == "Asia/Jakarta"
    assert kiosk(data, "settings", "set", "broker.port", "8883").returncode == 0
    assert kiosk(data, "settings", "get", "broker.port").stdout.strip() == "8883"
    bad = kiosk(data, "settings", "set", "broker.port", "99999")
    assert bad.returncode == 2 and "broker.port" in bad.stderr
    bad_tz = kiosk(data, "settings", "set", "timezone", "Mars/Olympus")
    assert bad_tz.returncode == 2 and "timezone" in bad_tz.stderr
    assert kiosk(data, "settings", "get", "nope").returncode == 2
    kiosk(data, "settings", "set", "broker.password", "s3cret")
    shown = kiosk(data, "settings", "show").stdout
    assert "s3cret" not in shown


def test_corrupt_settings_fall_back_to_last_good_copy(tmp_path: Path) -> None:
    data = tmp_path / "dev"
    assert kiosk(data, "settings", "set", "store_id", "toko-a").returncode == 0
    assert kiosk(data, "settings", "set", "store_id", "toko-b").returncode == 0
    (data / "settings.json").write_text('{"_default": {"1": {"store_id": "to', encoding="utf-8")
    result = kiosk(data, "settings", "get", "store_id")
    assert result.returncode == 0 and result.stdout.strip() == "toko-a"
    assert "warning" in result.stderr


def test_catalog_import_is_all_or_nothing(data: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "sku,barcode,name,price,category\nNEW,8991000000041,Baru,1000,X\nBAD,8991000000048,Salah,1000,X\n",
        encoding="utf-8",
    )
    result = kiosk(data, "catalog", "import", str(bad))
    assert result.returncode == 2 and "bad.csv:3: barcode:" in result.stderr
    exported = kiosk(data, "catalog", "export").stdout
    assert "NEW" not in exported and exported.splitlines()[0].startswith(
        "sku,barcode,name,price,category"
    )
    assert len(exported.splitlines()) == 5


def test_printer_out_gets_the_exact_escpos_bytes(data: Path, tmp_path: Path) -> None:
    steps = script(tmp_path, {"scan": KOPI}, {"pay": {"method": "cash", "amount": 20000}})
    out = tmp_path / "printer.bin"
    result = kiosk(data, "replay", str(steps), "--printer-out", str(out))
    assert result.returncode == 0, result.stderr
    raw = out.read_bytes()
    assert raw.startswith(b"\x1b@")  # ESC @: initialise
    assert b"Kopi Susu" in raw and b"12.500" in raw and b"kiosk-1-000001" in raw
    assert b"\x1dk" in raw  # GS k: the receipt-number barcode for returns
    assert raw.endswith(b"\x1dV\x01")  # GS V 1: partial cut, the last thing sent


@pytest.mark.broker
def test_outbox_and_sync_against_a_real_broker(data: Path, tmp_path: Path) -> None:
    from kiosk.testing.broker_process import MosquittoProcess, TopicRecorder, mosquitto_binary

    if mosquitto_binary() is None:
        pytest.skip("mosquitto is not installed")
    steps = script(tmp_path, *[{"scan": TEH}, {"pay": {"method": "cash", "amount": 5000}}] * 3)
    sale_ids = [
        json.loads(x)["sale_id"] for x in kiosk(data, "replay", str(steps)).stdout.splitlines()
    ]
    assert json.loads(kiosk(data, "outbox").stdout)["depth"] == 3
    broker = MosquittoProcess().start()
    try:
        assert kiosk(data, "settings", "set", "broker.port", str(broker.port)).returncode == 0
        recorder = TopicRecorder(broker.host, broker.port, ["pos/v1/store-1/kiosk-1/sale"])
        result = kiosk(data, "sync")
        assert result.returncode == 0 and result.stdout.strip() == "sent 3 messages"
        assert recorder.wait_for(lambda: len(recorder.messages) == 3)
        assert [json.loads(m[1])["sale_id"] for m in recorder.messages] == sale_ids
        assert json.loads(kiosk(data, "outbox").stdout)["depth"] == 0
        recorder.close()
    finally:
        broker.close()
    kiosk(data, "replay", str(steps))
    down = kiosk(data, "sync")  # nobody listens on that port any more
    assert down.returncode == 1 and "sync failed" in down.stderr
    assert json.loads(kiosk(data, "outbox").stdout)["depth"] == 3
