"""Every tampering an audit worries about, done to a real data directory with plain SQL,
is named by ``kiosk journal verify`` (exit 1), which also tells the fleet with --alert."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from kiosk.testing.cli import kiosk

CATALOG = """sku,barcode,name,price,category,tax_rate_percent
TEH,,Teh Botol,5000,Minuman,
BERAS,,Beras 5kg,72000,Sembako,0
"""
STEPS = [
    {"sku": "TEH", "qty": 2}, {"sku": "BERAS"}, {"pay": {"method": "cash", "amount": 100000}},
    {"sku": "TEH"}, {"pay": {"method": "qris", "amount": 5000}},
    {"sku": "BERAS"}, {"sku": "TEH"}, {"pay": {"method": "cash", "amount": 80000}},
]  # fmt: skip
LAST = "(SELECT sale_id FROM sales WHERE receipt_no = 3)"
SECOND = "(SELECT sale_id FROM sales WHERE receipt_no = 2)"


@pytest.fixture(scope="module")
def sold(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("sold")
    data = root / "dev"
    (root / "cat.csv").write_text(CATALOG, encoding="utf-8")
    assert kiosk(data, "catalog", "import", str(root / "cat.csv")).returncode == 0
    (root / "s.jsonl").write_text("\n".join(json.dumps(s) for s in STEPS) + "\n")
    done = kiosk(data, "replay", str(root / "s.jsonl"))
    assert done.returncode == 0 and len(done.stdout.splitlines()) == 3, done.stderr
    assert kiosk(data, "journal", "verify").returncode == 0
    return data


DELETE_LAST_EVERYWHERE = [
    f"DELETE FROM {table} WHERE sale_id = {LAST}" for table in ("sale_lines", "sale_taxes", "tenders")
] + [
    f"DELETE FROM stock_moves WHERE ref = {LAST}",
    f"DELETE FROM outbox WHERE message_id = {LAST}",
    f"DELETE FROM journal WHERE ref = {LAST}",
    "DELETE FROM sales WHERE receipt_no = 3",
]  # fmt: skip


@pytest.mark.parametrize(
    ("statements", "named"),
    [
        ([f"UPDATE sales SET gross = gross * 10 WHERE sale_id = {SECOND}"], "sales.gross"),
        ([f"UPDATE sales SET total = 1 WHERE sale_id = {SECOND}"], "sales.total"),
        ([f"UPDATE tenders SET amount = 50 WHERE sale_id = {SECOND}"], "tenders.amount"),
        ([f"UPDATE sale_taxes SET ppn = 0 WHERE sale_id = {LAST} AND ppn > 0"], "sale_taxes.ppn"),
        ([f"DELETE FROM sale_lines WHERE sale_id = {LAST} AND line_no = 2"], "line 2 is missing"),
        ([f"UPDATE journal SET payload = replace(payload, '5000', '500') WHERE ref = {SECOND}"],
         "edited"),
        (["DELETE FROM journal WHERE seq = (SELECT max(seq) FROM journal)"], "no journal record"),
        (DELETE_LAST_EVERYWHERE, "issued receipt 3"),
        (["UPDATE device_counters SET last_receipt_no = 2"], "counter was edited"),
        ([f"DELETE FROM outbox WHERE message_id = {SECOND}"], "no outbox row"),
    ],
)  # fmt: skip
def test_verify_names_each_tampering(
    sold: Path, tmp_path: Path, statements: list[str], named: str
) -> None:
    data = tmp_path / "copy"
    shutil.copytree(sold, data)
    with sqlite3.connect(data / "ledger.sqlite") as conn:  # no foreign keys: a plain editor
        for statement in statements:
            assert conn.execute(statement).rowcount >= 1, statement
    result = kiosk(data, "journal", "verify", "--alert")
    assert result.returncode == 1, result.stdout
    assert named in result.stderr and "Traceback" not in result.stderr
    with sqlite3.connect(data / "ledger.sqlite") as conn:
        kinds = [json.loads(p)["kind"] for (p,) in conn.execute(
            "SELECT payload FROM outbox WHERE topic = 'alert'")]  # fmt: skip
    assert kinds == ["journal_verify_failed"]
