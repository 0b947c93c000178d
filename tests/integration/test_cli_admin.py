"""`kiosk` commands that change the till's state: journaled with "cli", refused with a
reason before anything changes, an unusable setting never stops `replay`."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from kiosk.testing.cli import kiosk

TEH, KOPI = "8991000000010", "8991000000027"
CATALOG = (
    f"sku,barcode,name,price,category\nTEH,{TEH},Teh,5000,Minuman\nKOPI,{KOPI},Kopi,12500,Minuman\n"
)


def journal(data: Path) -> list[tuple[str, dict[str, object]]]:
    with sqlite3.connect(data / "ledger.sqlite") as conn:
        rows = conn.execute("SELECT kind, payload FROM journal ORDER BY seq").fetchall()
    return [(kind, json.loads(payload)) for kind, payload in rows]


@pytest.fixture
def data(tmp_path: Path) -> Path:
    (tmp_path / "cat.csv").write_text(CATALOG, encoding="utf-8")
    result = kiosk(tmp_path / "dev", "catalog", "import", str(tmp_path / "cat.csv"))
    assert result.returncode == 0, result.stderr
    return tmp_path / "dev"


def test_privileged_changes_are_journaled_as_cli(data: Path, tmp_path: Path) -> None:
    assert kiosk(data, "stock", "adjust", "TEH", "12", "--reason", "receiving").returncode == 0
    assert kiosk(data, "settings", "set", "receipt.footer", "Makasih").returncode == 0
    assert [(kind, payload["by"]) for kind, payload in journal(data)] == [
        ("catalog_import", "cli"),
        ("stock_adjust", "cli"),
        ("settings_change", "cli"),
    ]
    assert kiosk(data, "journal", "verify").returncode == 0


def test_an_unknown_sku_is_refused_with_a_message(data: Path) -> None:
    result = kiosk(data, "stock", "adjust", "NOPE", "1", "--reason", "count")
    assert result.returncode == 2
    assert result.stderr == "kiosk: no product with SKU 'NOPE'\n"
    assert [kind for kind, _ in journal(data)] == ["catalog_import"]


def test_catalog_undo_puts_back_the_catalog_before_the_last_import(
    data: Path, tmp_path: Path
) -> None:
    (tmp_path / "new.csv").write_text(f"sku,barcode,name,price,category\nTEH,{TEH},Teh,6000,M\n")
    assert kiosk(data, "catalog", "import", str(tmp_path / "new.csv")).returncode == 0
    undo = kiosk(data, "catalog", "undo")
    assert undo.returncode == 0, undo.stderr
    assert "before the import" in undo.stdout and "2 products" in undo.stdout
    assert ",Teh,5000," in kiosk(data, "catalog", "export").stdout
    assert kiosk(data, "catalog", "undo").returncode == 0  # before the first import
    last = kiosk(data, "catalog", "undo")
    assert last.returncode == 2 and "nothing to undo" in last.stderr


def test_a_setting_its_feature_cannot_use_is_refused_at_set(data: Path) -> None:
    result = kiosk(data, "settings", "set", "barcodes.variable", '[{"bogus":"rule"}]')
    assert result.returncode == 2
    assert "barcodes.variable: not usable: rule 1: unknown field(s) ['bogus']" in result.stderr
    assert "Traceback" not in result.stderr
    assert kiosk(data, "settings", "get", "barcodes.variable").stdout.strip() == "[]"


def test_an_unusable_setting_in_the_file_does_not_stop_replay(data: Path, tmp_path: Path) -> None:
    (data / "settings.json").write_text(json.dumps(
        {"settings": {"1": {"barcodes.variable": [{"bogus": "rule"}]}}}))  # fmt: skip
    script = tmp_path / "s.jsonl"
    steps = [{"scan": TEH}, {"pay": {"method": "cash", "amount": 5000}}]
    script.write_text("".join(json.dumps(step) + "\n" for step in steps))
    result = kiosk(data, "replay", str(script))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["total"] == 5_000
    assert "setting barcodes.variable is not usable" in result.stderr
    assert "Traceback" not in result.stderr
    with sqlite3.connect(data / "ledger.sqlite") as conn:
        kinds = [json.loads(p)["kind"] for (p,) in conn.execute(
            "SELECT payload FROM outbox WHERE topic = 'alert'")]  # fmt: skip
    assert kinds == ["setting_unusable"]
