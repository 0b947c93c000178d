"""Stock, settings and member changes through their services over a real SQLite ledger
and a real settings file: journaled with who, refused with a reason, all-or-nothing."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from kiosk import bootstrap
from kiosk.domain.catalog import Product
from kiosk.domain.loyalty import Member
from kiosk.domain.variable_barcodes import DEFAULT_RULES
from kiosk.services.changes import ChangeRefusedError
from kiosk.services.settings_admin import SettingsAdmin
from kiosk.services.stock_admin import StockAdmin
from kiosk.storage import catalog_store, journal, stock
from kiosk.storage.ledger import SqliteLedger
from kiosk.storage.settings import Settings, SettingsError
from kiosk.storage.unit_of_work import SqliteUnitOfWork
from kiosk.testing.clock import SettableClock

CLOCK = SettableClock(datetime(2026, 3, 2, 9, 0, tzinfo=UTC))
BOGUS_RULES = '[{"bogus": "rule"}]'


@pytest.fixture
def ledger(tmp_path: Path) -> Iterator[SqliteLedger]:
    ledger = SqliteLedger(tmp_path / "ledger.sqlite", "D01", store_id="S01")
    catalog_store.upsert_many(ledger.conn, [Product("TEH", "Teh", 5_000)])
    yield ledger
    ledger.close()


@pytest.fixture
def settings(tmp_path: Path) -> Iterator[Settings]:
    settings = Settings(tmp_path / "settings.json")
    yield settings
    settings.close()


def records(conn: sqlite3.Connection) -> list[tuple[str, dict[str, Any]]]:
    rows = conn.execute("SELECT kind, payload FROM journal ORDER BY seq").fetchall()
    return [(kind, json.loads(payload)) for kind, payload in rows]


def outbox_topics(conn: sqlite3.Connection) -> list[str]:
    return [r[0] for r in conn.execute("SELECT topic FROM outbox ORDER BY id")]


def test_a_stock_adjustment_is_journaled_with_who(ledger: SqliteLedger) -> None:
    service = StockAdmin(SqliteUnitOfWork(ledger), CLOCK)
    assert service.adjust([("TEH", 24)], reason="receiving", ref="DN-7", by="cli") == {"TEH": 24}
    assert records(ledger.conn) == [("stock_adjust", {
        "by": "cli", "reason": "receiving", "ref": "DN-7",
        "changes": [{"sku": "TEH", "delta": 24, "level": 24}]})]  # fmt: skip
    assert outbox_topics(ledger.conn) == ["stock"]  # the journal record stays on the device
    assert journal.verify(ledger.conn).ok


@pytest.mark.parametrize(("changes", "reason", "needle"), [
    ([("NOPE", 1)], "count", "no product with SKU 'NOPE'"),
    ([("TEH", 1), ("NOPE", 1)], "count", "'NOPE'"),
    ([("TEH", 1)], " ", "needs a reason"),
    ([], "count", "at least one SKU"),
])  # fmt: skip
def test_a_refused_adjustment_changes_nothing(
    ledger: SqliteLedger, changes: list[tuple[str, int]], reason: str, needle: str
) -> None:
    service = StockAdmin(SqliteUnitOfWork(ledger), CLOCK)
    with pytest.raises(ChangeRefusedError, match=needle):
        service.adjust(changes, reason=reason, by="cli")
    assert stock.level(ledger.conn, "TEH") == 0
    assert records(ledger.conn) == [] and outbox_topics(ledger.conn) == []


def test_settings_are_checked_by_the_feature_that_uses_them(
    ledger: SqliteLedger, settings: Settings
) -> None:
    service = SettingsAdmin(settings, SqliteUnitOfWork(ledger), CLOCK)
    with pytest.raises(ChangeRefusedError, match=r"barcodes.variable: not usable: rule 1: unknown"):
        service.set("barcodes.variable", BOGUS_RULES, by="cli")
    assert settings.get("barcodes.variable") == [] and not settings.path.exists()
    assert records(ledger.conn) == []
    rule = [{"prefix": "02", "pattern": "PPIIIIIVVVVVC", "kind": "price"}]
    assert service.set("barcodes.variable", json.dumps(rule), by="cli") == rule


def test_a_settings_change_is_journaled_with_secrets_masked(
    ledger: SqliteLedger, settings: Settings
) -> None:
    service = SettingsAdmin(settings, SqliteUnitOfWork(ledger), CLOCK)
    service.set_many({"broker.password": "hunter2", "receipt.footer": "Hi"}, by="Citra")
    assert settings.get("broker.password") == "hunter2"
    kind, payload = records(ledger.conn)[0]
    assert kind == "settings_change"
    assert payload == {"by": "Citra", "values": {"broker.password": "********",
                                                 "receipt.footer": "Hi"}}  # fmt: skip
    assert "hunter2" not in json.dumps(records(ledger.conn))
    with pytest.raises(ChangeRefusedError, match="cannot be changed remotely"):
        service.set_many({"device_id": "D99"}, by="fleet:c-1", remote=True)


class FailingFile:
    """The settings file cannot be written (disk full): the journal must not claim it was."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def check_many(self, changes: dict[str, Any]) -> dict[str, Any]:
        return self.settings.check_many(changes)

    def set_many(self, changes: dict[str, Any]) -> dict[str, Any]:
        raise OSError(28, "No space left on device")

    def mask(self, values: dict[str, Any]) -> dict[str, Any]:
        return self.settings.mask(values)


def test_a_settings_file_that_cannot_be_written_leaves_no_journal_record(
    ledger: SqliteLedger, settings: Settings
) -> None:
    service = SettingsAdmin(FailingFile(settings), SqliteUnitOfWork(ledger), CLOCK)
    with pytest.raises(OSError, match="No space"):
        service.set("receipt.footer", "Hi", by="cli")
    assert records(ledger.conn) == []


def test_members_are_journaled(ledger: SqliteLedger, settings: Settings) -> None:
    admin = bootstrap.admin(ledger, settings, CLOCK)
    admin.members.upsert([Member("M1", "Sari", "081234567890", "MBR-1")], by="cli")
    assert records(ledger.conn) == [("members_change", {"by": "cli", "members": 1,
                                                        "ids": ["M1"]})]  # fmt: skip


def test_an_unusable_stored_setting_falls_back_alone_and_raises_an_alert(tmp_path: Path) -> None:
    data = tmp_path / "dev"
    data.mkdir()
    (data / "settings.json").write_text(json.dumps({"settings": {"1": {
        "barcodes.variable": [{"bogus": "rule"}], "receipt.footer": "Hi",
        "hardware.devices": {"printer": {"paper": "A4"}}}}}))  # fmt: skip
    kiosk = bootstrap.build(data, clock=CLOCK, with_devices=False)
    try:
        assert set(kiosk.settings.problems) == {"barcodes.variable", "hardware.devices"}
        assert "unknown field(s) ['bogus']" in kiosk.settings.problems["barcodes.variable"]
        assert "printer: printer paper must be one of" in kiosk.settings.problems[
            "hardware.devices"]  # fmt: skip
        assert kiosk.checkout.config.variable_rules == DEFAULT_RULES
        assert kiosk.settings.get("receipt.footer") == "Hi"  # the rest stays as stored
        alerts = [json.loads(p) for (p,) in kiosk.ledger.conn.execute(
            "SELECT payload FROM outbox WHERE topic = 'alert'")]  # fmt: skip
        assert sorted(a["detail"]["key"] for a in alerts) == ["barcodes.variable",
                                                              "hardware.devices"]  # fmt: skip
        assert {a["kind"] for a in alerts} == {"setting_unusable"}
        # Setting a usable value again clears the problem.
        kiosk.settings.set("barcodes.variable", "[]")
        assert "barcodes.variable" not in kiosk.settings.problems
    finally:
        kiosk.close()


def test_the_variable_barcode_check_needs_no_bootstrap(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="not usable"):
        Settings(tmp_path / "s.json").set("barcodes.variable", BOGUS_RULES)
