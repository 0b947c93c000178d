"""Commands applied to a real SQLite ledger (no broker): atomic, idempotent, and a bad
command - malformed, oversized, out of schema or refused by the domain - changes nothing."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kiosk.contract.messages import command_doc
from kiosk.contract.schemas import validate_command
from kiosk.domain.catalog import Product
from kiosk.storage import catalog_store
from kiosk.storage.db import open_db
from kiosk.storage.settings import Settings
from kiosk.telemetry.command_handlers import settings_handler
from kiosk.telemetry.command_types import notify_only
from kiosk.telemetry.commands import CommandOutcome, CommandProcessor
from kiosk.telemetry.mqtt_config import MqttConfig

CONFIG = MqttConfig(store_id="S01", device_id="D01")


@pytest.fixture
def conn(tmp_path: Path) -> Iterator[sqlite3.Connection]:
    connection = open_db(tmp_path / "kiosk.db")
    catalog_store.replace_all(connection, [
        Product("A1", "Tea", 5_000, barcodes=("8991234567891",)),
        Product("B2", "Rice 1kg", 16_000),
    ])  # fmt: skip
    yield connection
    connection.close()


def send(
    processor: CommandProcessor,
    conn: sqlite3.Connection,
    name: str,
    doc: Any,
    device: str = "D01",
) -> CommandOutcome:
    payload = doc if isinstance(doc, bytes) else json.dumps(doc).encode()
    return processor.process(conn, f"pos/v1/S01/{device}/cmd/{name}", payload)


def prices(conn: sqlite3.Connection) -> dict[str, int]:
    return {p.sku: p.price for p in catalog_store.load_products(conn)}


def applied(conn: sqlite3.Connection) -> int:
    return int(conn.execute("SELECT count(*) FROM applied_commands").fetchone()[0])


def test_prices_apply_once_and_a_repeat_is_a_noop(conn: sqlite3.Connection) -> None:
    processor = CommandProcessor(CONFIG)
    doc = command_doc("prices", {"prices": [{"sku": "A1", "price": 5_500}]}, command_id="c-1")
    first = send(processor, conn, "prices", doc)
    assert first.ok and not first.duplicate
    assert first.result_topic == "pos/v1/S01/D01/cmd/prices/result"
    assert prices(conn)["A1"] == 5_500
    # The same command again (a redelivery, here store-wide): its first result.
    second = send(processor, conn, "prices", doc, device="all")
    assert second.ok and second.duplicate
    assert prices(conn)["A1"] == 5_500
    assert applied(conn) == 1
    result = json.loads(second.result_payload)
    assert result["command_id"] == "c-1" and result["detail"]["prices"] == 1


def test_a_reused_command_id_with_another_body_or_name_is_refused(
    conn: sqlite3.Connection,
) -> None:
    processor = CommandProcessor(CONFIG)
    doc = command_doc("prices", {"prices": [{"sku": "A1", "price": 5_500}]}, command_id="c-1")
    assert send(processor, conn, "prices", doc).ok
    other_body = dict(doc, body={"prices": [{"sku": "A1", "price": 1}]})
    refused = send(processor, conn, "prices", other_body)
    assert not refused.ok and not refused.duplicate
    assert "command_id c-1 was already used" in refused.errors[0]
    assert "another body" in refused.errors[0] and "new command_id" in refused.errors[0]
    other_name = command_doc("catalog", {"mode": "delta", "products": []}, command_id="c-1")
    refused = send(processor, conn, "catalog", other_name)
    assert not refused.ok and "for cmd/prices" in refused.errors[0]
    assert prices(conn)["A1"] == 5_500 and applied(conn) == 1


def test_a_batch_with_one_unknown_sku_changes_nothing(conn: sqlite3.Connection) -> None:
    processor = CommandProcessor(CONFIG)
    body = {"prices": [{"sku": "A1", "price": 9_000}, {"sku": "NOPE", "price": 1}]}
    outcome = send(processor, conn, "prices", command_doc("prices", body))
    assert not outcome.ok
    assert "NOPE" in outcome.errors[0]
    assert prices(conn) == {"A1": 5_000, "B2": 16_000}
    assert applied(conn) == 0


@pytest.mark.parametrize(
    ("payload", "needle"),
    [
        (b"{not json", "not JSON"),
        (b"\xff\xfe", "not UTF-8"),
        (b"[1, 2]", "expected an object"),
        (json.dumps({"schema": 1, "command_id": "x", "body": {"prices": []}}).encode(),
         "body.prices: 0 items"),
        (json.dumps({"schema": 1, "command_id": "x",
                     "body": {"prices": [{"sku": "A1", "price": -5}]}}).encode(),
         "body.prices[0].price: expected an integer >= 0, got -5"),
        (json.dumps({"schema": 1, "command_id": "x",
                     "body": {"prices": [{"sku": "A1", "price": "5000"}]}}).encode(),
         "expected an integer, got a string"),
        (json.dumps({"schema": 1, "command_id": "x", "typo": 1,
                     "body": {"prices": [{"sku": "A1", "price": 5}]}}).encode(),
         "unknown field(s) ['typo']"),
        (json.dumps({"schema": 2, "command_id": "x", "body": {}}).encode(),
         "version 2"),
        (json.dumps({"schema": 1, "body": {}}).encode(), "command_id: missing"),
    ],
)  # fmt: skip
def test_bad_commands_change_nothing_and_say_why(
    conn: sqlite3.Connection, payload: bytes, needle: str
) -> None:
    outcome = send(CommandProcessor(CONFIG), conn, "prices", payload)
    assert not outcome.ok
    assert any(needle in e for e in outcome.errors), outcome.errors
    assert prices(conn) == {"A1": 5_000, "B2": 16_000}
    assert applied(conn) == 0
    result = json.loads(outcome.result_payload)
    assert result["ok"] is False and result["errors"] == list(outcome.errors)


def test_oversized_command_is_refused_before_parsing(conn: sqlite3.Connection) -> None:
    processor = CommandProcessor(CONFIG, max_bytes=1024)
    body = {"mode": "delta", "products": [{"sku": f"X{i}", "name": "n" * 50, "price": 1}
                                          for i in range(40)]}  # fmt: skip
    outcome = send(processor, conn, "catalog", command_doc("catalog", body))
    assert not outcome.ok and "the limit is 1024" in outcome.errors[0]
    assert len(catalog_store.load_products(conn)) == 2


def test_catalog_snapshot_replaces_and_delta_upserts_and_deactivates(
    conn: sqlite3.Connection,
) -> None:
    processor = CommandProcessor(CONFIG)
    snapshot = {"mode": "snapshot", "products": [
        {"sku": "A1", "name": "Tea", "price": 5_200, "barcodes": ["8991234567891"]},
        {"sku": "C3", "name": "Soap", "price": 7_000, "category": "home"},
    ]}  # fmt: skip
    assert send(processor, conn, "catalog", command_doc("catalog", snapshot)).ok
    assert prices(conn) == {"A1": 5_200, "C3": 7_000}
    delta = {"mode": "delta", "products": [{"sku": "D4", "name": "Milk", "price": 18_000}],
             "remove": ["A1"]}  # fmt: skip
    outcome = send(processor, conn, "catalog", command_doc("catalog", delta))
    assert outcome.ok and json.loads(outcome.result_payload)["detail"] == {
        "products": 1, "removed": 1, "version": 2}  # fmt: skip
    active = {p.sku for p in catalog_store.load_products(conn, active_only=True)}
    assert active == {"C3", "D4"}


def test_catalog_with_a_bad_barcode_is_refused_whole(conn: sqlite3.Connection) -> None:
    processor = CommandProcessor(CONFIG)
    snapshot = {"mode": "snapshot", "products": [
        {"sku": "Z1", "name": "Fine", "price": 1_000},
        {"sku": "Z2", "name": "Broken", "price": 1_000, "barcodes": ["8991234567890"]},
    ]}  # fmt: skip
    outcome = send(processor, conn, "catalog", command_doc("catalog", snapshot))
    assert not outcome.ok and outcome.errors
    assert prices(conn) == {"A1": 5_000, "B2": 16_000}
    assert applied(conn) == 0


def test_promotions_are_checked_by_the_domain(conn: sqlite3.Connection) -> None:
    processor = CommandProcessor(CONFIG)
    good = {"promo_id": "P1", "kind": "multibuy", "skus": ["A1"], "qty": 2, "price": 9_000}
    bad = {"promo_id": "P2", "kind": "multibuy", "skus": ["A1"], "qty": 1, "price": 9_000}
    body = {"mode": "snapshot", "promotions": [good, bad]}
    outcome = send(processor, conn, "promotions", command_doc("promotions", body))
    assert not outcome.ok and "P2" in outcome.errors[0]
    assert catalog_store.list_promotions(conn) == {}
    body = {"mode": "snapshot", "promotions": [good]}
    assert send(processor, conn, "promotions", command_doc("promotions", body)).ok
    assert set(catalog_store.list_promotions(conn)) == {"P1"}
    body = {"mode": "delta", "promotions": [], "remove": ["P1"]}
    assert send(processor, conn, "promotions", command_doc("promotions", body)).ok
    assert catalog_store.list_promotions(conn) == {}


def test_settings_are_validated_all_or_nothing(conn: sqlite3.Connection, tmp_path: Path) -> None:
    settings = Settings(tmp_path / "settings.json")
    changed: list[str] = []
    processor = CommandProcessor(
        CONFIG, handlers={"settings": settings_handler(settings, changed.append)}
    )
    bad = {"values": {"receipt.footer": "Thanks", "receipt.width": 41}}
    outcome = send(processor, conn, "settings", command_doc("settings", bad))
    assert not outcome.ok and "receipt.width" in outcome.errors[0]
    assert settings.get("receipt.footer") == "Terima kasih"
    forbidden = {"values": {"device_id": "D99"}}
    outcome = send(processor, conn, "settings", command_doc("settings", forbidden))
    assert not outcome.ok and "cannot be changed remotely" in outcome.errors[0]
    good = {"values": {"receipt.footer": "Thanks", "receipt.width": 42}}
    assert send(processor, conn, "settings", command_doc("settings", good)).ok
    assert settings.get("receipt.width") == 42 and changed == ["settings"]
    settings.close()


def test_lock_runs_its_callback_once_per_command_id(conn: sqlite3.Connection) -> None:
    calls: list[dict[str, Any]] = []
    processor = CommandProcessor(CONFIG, handlers={"lock": notify_only(calls.append)})
    doc = command_doc("lock", {"reason": "stock count"})
    assert send(processor, conn, "lock", doc).ok
    assert send(processor, conn, "lock", doc).duplicate
    assert calls == [{"reason": "stock count"}]
    unlock = send(processor, conn, "unlock", command_doc("unlock", {}))
    assert not unlock.ok and "no handler for cmd/unlock" in unlock.errors[0]


def test_unknown_command_names_are_refused(conn: sqlite3.Connection) -> None:
    outcome = send(CommandProcessor(CONFIG), conn, "reboot",
                   {"schema": 1, "command_id": "r1", "body": {}})  # fmt: skip
    assert not outcome.ok and "unknown command 'reboot'" in outcome.errors[0]
    assert validate_command("report", {"schema": 1, "command_id": "r", "body": {"kind": "q"}})


def journaled(conn: sqlite3.Connection) -> list[tuple[str, dict[str, Any]]]:
    rows = conn.execute("SELECT kind, payload FROM journal ORDER BY seq").fetchall()
    return [(kind, json.loads(payload)) for kind, payload in rows]


def test_an_empty_snapshot_is_refused_unless_asked_for_and_undone_by_command(
    conn: sqlite3.Connection,
) -> None:
    processor = CommandProcessor(CONFIG)
    empty = command_doc("catalog", {"mode": "snapshot", "products": []}, command_id="wipe-1")
    refused = send(processor, conn, "catalog", empty, device="all")
    assert not refused.ok
    assert "2 of the 2 products on sale" in refused.errors[0]
    assert "allow_mass_removal" in refused.errors[0]
    assert prices(conn) == {"A1": 5_000, "B2": 16_000}
    assert applied(conn) == 0 and journaled(conn) == []
    meant = command_doc("catalog", {"mode": "snapshot", "products": [],
                                    "allow_mass_removal": True}, command_id="wipe-2")  # fmt: skip
    assert send(processor, conn, "catalog", meant).ok
    assert prices(conn) == {}
    undo = send(processor, conn, "catalog_undo", command_doc("catalog_undo", {},
                                                              command_id="undo-1"))  # fmt: skip
    assert undo.ok, undo.errors
    assert prices(conn) == {"A1": 5_000, "B2": 16_000}
    detail = json.loads(undo.result_payload)["detail"]
    assert detail["undid"] == "snapshot" and detail["undid_by"] == "fleet:wipe-2"
    assert [(k, p["by"]) for k, p in journaled(conn)] == [
        ("catalog_snapshot", "fleet:wipe-2"), ("catalog_undo", "fleet:undo-1")]  # fmt: skip
    nothing = send(processor, conn, "catalog_undo", command_doc("catalog_undo", {}))
    assert not nothing.ok and "nothing to undo" in nothing.errors[0]


def test_the_removal_limit_is_the_devices_setting(conn: sqlite3.Connection, tmp_path: Path) -> None:
    settings = Settings(tmp_path / "settings.json")
    settings.set("catalog.max_removal_percent", "0")
    processor = CommandProcessor(CONFIG, settings=settings)
    delta = command_doc("catalog", {"mode": "delta", "products": [], "remove": ["B2"]})
    outcome = send(processor, conn, "catalog", delta)
    assert not outcome.ok and "catalog.max_removal_percent = 0%" in outcome.errors[0]
    settings.close()


def test_fleet_settings_and_prices_are_journaled_with_the_command_id(
    conn: sqlite3.Connection, tmp_path: Path
) -> None:
    settings = Settings(tmp_path / "settings.json")
    processor = CommandProcessor(CONFIG, settings=settings)
    bogus = command_doc("settings", {"values": {"barcodes.variable": '[{"bogus": "rule"}]'}})
    outcome = send(processor, conn, "settings", bogus)
    assert not outcome.ok and "barcodes.variable: not usable: rule 1" in outcome.errors[0]
    good = command_doc("settings", {"values": {"receipt.footer": "Makasih"}}, command_id="s-1")
    assert send(processor, conn, "settings", good).ok
    price = command_doc("prices", {"prices": [{"sku": "B2", "price": 15_000}]}, command_id="p-1")
    assert send(processor, conn, "prices", price).ok
    assert journaled(conn) == [
        ("settings_change", {"by": "fleet:s-1", "values": {"receipt.footer": "Makasih"}}),
        ("price_change", {"by": "fleet:p-1", "prices": 1, "version": 1,
                          "changes": [{"sku": "B2", "price": 15_000}]}),
    ]  # fmt: skip
    settings.close()
