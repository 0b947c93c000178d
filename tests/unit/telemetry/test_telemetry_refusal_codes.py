"""Every refusal a kiosk makes carries a code and the parameters its words need (the
fleet says it in the page's language from them), beside the English ``errors``."""

from __future__ import annotations

import ast
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kiosk.contract.messages import command_doc
from kiosk.contract.refusals import REFUSALS
from kiosk.contract.schemas import validate_result
from kiosk.domain.catalog import Product
from kiosk.domain.errors import ShownError
from kiosk.storage import catalog_store
from kiosk.storage.db import open_db
from kiosk.storage.settings import Settings
from kiosk.telemetry.command_handlers import report_handler
from kiosk.telemetry.command_types import CommandHandler, CommandRejectedError
from kiosk.telemetry.commands import CommandOutcome, CommandProcessor
from kiosk.telemetry.mqtt_config import MqttConfig
from kiosk.telemetry.update_handler import update_handler

CONFIG = MqttConfig(store_id="S01", device_id="D01")
ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def conn(tmp_path: Path) -> Iterator[sqlite3.Connection]:
    connection = open_db(tmp_path / "kiosk.db")
    catalog_store.replace_all(connection, [Product("A1", "Tea", 5_000),
                                           Product("B2", "Rice 1kg", 16_000)])  # fmt: skip
    yield connection
    connection.close()


def refused(processor: CommandProcessor, conn: sqlite3.Connection, name: str,
            doc: Any) -> tuple[CommandOutcome, list[dict[str, Any]]]:  # fmt: skip
    """Send; the outcome (refused) and its result's refusals, checked against the contract."""
    payload = doc if isinstance(doc, bytes) else json.dumps(doc).encode()
    outcome = processor.process(conn, f"pos/v1/S01/D01/cmd/{name}", payload)
    result = json.loads(outcome.result_payload)
    assert not outcome.ok and validate_result(result) == [], result
    assert len(result["refusals"]) == len(result["errors"])
    return outcome, result["refusals"]


def one(processor: CommandProcessor, conn: sqlite3.Connection, name: str,
        body: Any) -> dict[str, Any]:  # fmt: skip
    doc = body if isinstance(body, bytes) else command_doc(name, body)
    return refused(processor, conn, name, doc)[1][0]


def test_what_arrives_unreadable_or_out_of_schema_is_coded(conn: sqlite3.Connection) -> None:
    small = CommandProcessor(CONFIG, max_bytes=64)
    assert one(small, conn, "prices", b"x" * 65) == {
        "code": "command.too_large", "params": {"size": 65, "limit": 64}}  # fmt: skip
    processor = CommandProcessor(CONFIG)
    assert one(processor, conn, "prices", b"{not json")["code"] == "command.unreadable"
    assert one(processor, conn, "prices", b"\xff")["code"] == "command.unreadable"
    unknown = {"schema": 1, "command_id": "c-1", "body": {}}
    assert refused(processor, conn, "bogus", unknown)[1] == [
        {"code": "command.unknown", "params": {"command": "bogus"}}]  # fmt: skip
    later = {"schema": 2, "command_id": "c-2", "body": {}}
    assert refused(processor, conn, "lock", later)[1] == [
        {"code": "command.version", "params": {"version": "2"}}]  # fmt: skip
    bad = {
        "schema": 1,
        "command_id": "c-3",
        "body": {"prices": [{"sku": "A1", "price": -5}, {"sku": "", "price": 1}]},
    }
    outcome, refusals = refused(processor, conn, "prices", bad)
    assert [r["params"]["field"] for r in refusals] == ["body.prices[0].price",
                                                         "body.prices[1].sku"]  # fmt: skip
    assert {r["code"] for r in refusals} == {"command.schema"} and len(outcome.errors) == 2
    bare = CommandProcessor(CONFIG, builtins=False)
    assert one(bare, conn, "lock", {}) == {
        "code": "command.no_handler", "params": {"command": "lock"}}  # fmt: skip


def test_a_reused_command_id_is_coded(conn: sqlite3.Connection) -> None:
    processor = CommandProcessor(CONFIG)
    doc = command_doc("prices", {"prices": [{"sku": "A1", "price": 5_500}]}, command_id="c-1")
    assert processor.process(conn, "pos/v1/S01/D01/cmd/prices", json.dumps(doc).encode()).ok
    again = dict(doc, body={"prices": [{"sku": "A1", "price": 1}]})
    reused = refused(processor, conn, "prices", again)[1][0]
    assert reused["code"] == "command.id_reused"
    assert reused["params"]["command_id"] == "c-1" and reused["params"]["name"] == "prices"
    assert validate_result(json.loads(json.dumps(reused))) != []  # a refusal is no result


CATALOG = {"mode": "delta", "products": []}
HANDLER_REFUSALS = [
    ("prices", {"prices": [{"sku": "A1", "price": 1}, {"sku": "A1", "price": 2}]},
     "catalog.sku_twice", {"sku": "A1"}),
    ("prices", {"prices": [{"sku": "ZZ", "price": 1}, {"sku": "YY", "price": 2}]},
     "catalog.unknown_sku", {"skus": "ZZ, YY", "count": 2}),
    ("prices", {"prices": [{"sku": "A1", "price": 200_000_000}]},
     "catalog.price_limit", {"sku": "A1", "price": 200_000_000, "limit": 100_000_000}),
    ("catalog", {**CATALOG, "remove": ["ZZ"]}, "catalog.unknown_sku", {"skus": "ZZ", "count": 1}),
    ("catalog", {"mode": "snapshot", "products": []}, "catalog.mass_removal",
     {"removed": 2, "on_sale": 2, "percent": 100, "limit": 50}),
    ("catalog", {"mode": "snapshot", "products": [], "remove": ["A1"]},
     "change.remove_in_snapshot", {}),
    ("catalog", {**CATALOG, "products": [{"sku": "C3", "name": "Kopi", "price": 1},
                                         {"sku": "C3", "name": "Kopi", "price": 2}]},
     "catalog.sku_twice", {"sku": "C3"}),
    ("catalog", {**CATALOG, "products": [{"sku": " C3", "name": "Kopi", "price": 1}]},
     "catalog.bad_product", {"sku": " C3"}),
    ("catalog_undo", {}, "catalog.nothing_to_undo", {}),
    ("promotions", {"mode": "delta", "promotions": [{"kind": "percent_off"}]},
     "promotions.missing_id", {"number": 1}),
    ("promotions", {"mode": "delta", "promotions": [{"promo_id": "P1"}, {"promo_id": "P1"}]},
     "promotions.twice", {"promo_id": "P1"}),
    ("promotions", {"mode": "delta", "promotions": [{"promo_id": "P1", "kind": "nope"}]},
     "promotions.invalid", {"promo_id": "P1"}),
    ("promotions", {"mode": "delta", "promotions": [], "remove": ["P9"]},
     "promotions.unknown", {"promo_id": "P9"}),
    ("payment", {"order_id": "Q-9", "status": "paid", "amount": 5000},
     "payment.unknown", {"order_id": "Q-9"}),
]  # fmt: skip


@pytest.mark.parametrize(("name", "body", "code", "params"), HANDLER_REFUSALS,
                         ids=[f"{c}-{n}" for n, _, c, _ in HANDLER_REFUSALS])  # fmt: skip
def test_each_handler_refusal_has_its_code(
    conn: sqlite3.Connection, name: str, body: dict[str, Any], code: str,
    params: dict[str, Any],
) -> None:  # fmt: skip
    before = catalog_store.load_products(conn)
    assert one(CommandProcessor(CONFIG), conn, name, body) == {"code": code, "params": params}
    assert catalog_store.load_products(conn) == before


def test_many_unknown_skus_are_named_up_to_ten(conn: sqlite3.Connection) -> None:
    body = {"prices": [{"sku": f"Z{n:02d}", "price": 1} for n in range(12)]}
    params = one(CommandProcessor(CONFIG), conn, "prices", body)["params"]
    assert params == {"skus": ", ".join(f"Z{n:02d}" for n in range(10)) + ", ...", "count": 12}


def test_settings_reports_and_updates_refusals_have_codes(
    conn: sqlite3.Connection, tmp_path: Path
) -> None:
    settings = Settings(tmp_path / "settings.json")
    processor = CommandProcessor(CONFIG, settings=settings, handlers={
        "report": report_handler("S01", "D01", lambda: "2026-11-30"),
        "update": update_handler(tmp_path, "01:00-05:00", lambda: False),
    })  # fmt: skip
    try:
        assert one(processor, conn, "settings", {"values": {}})["code"] == "settings.none"
        assert one(
            processor, conn, "settings", {"values": {"store_id": "X", "device_id": "Y"}}
        ) == {"code": "settings.not_remote", "params": {"keys": "device_id, store_id"}}
        values = {"receipt.footer": "Sampai jumpa", "receipt.width": 41}
        wide = one(processor, conn, "settings", {"values": values})
        assert wide == {"code": "settings.invalid", "params": {"key": "receipt.width"}}
        x_report = {"kind": "x", "business_date": "2026-11-01"}
        assert one(processor, conn, "report", x_report)["code"] == "report.x_not_today"
        release = {
            "version": "2.0",
            "wheel": "pi_pos-2.0-py3-none-any.whl",
            "url": "http://fleet/r/pi_pos-2.0-py3-none-any.whl",
            "sha256": "0" * 64,
        }
        assert one(processor, conn, "update", release)["code"] == "update.no_key"  # fmt: skip
    finally:
        settings.close()


def _raising(error: Exception) -> CommandHandler:
    def apply(conn: sqlite3.Connection, body: dict[str, Any], context: Any) -> None:
        raise error

    return CommandHandler(apply)


@pytest.mark.parametrize(("error", "expected"), [
    (ShownError.of("barcode.product", name="Tea", code="123"),
     {"code": "barcode.product", "params": {"name": "Tea", "code": "123"}}),
    (ShownError("an older refusal without a code"), {"code": "command.refused", "params": {}}),
    (ValueError("a plain refusal"), {"code": "command.refused", "params": {}}),
    (KeyError("missing"), {"code": "command.refused", "params": {}}),
    (CommandRejectedError(["two", "lines"]), {"code": "command.refused", "params": {}}),
    (RuntimeError("boom"), {"code": "command.internal", "params": {"error": "RuntimeError"}}),
])  # fmt: skip
def test_shown_errors_keep_their_code_and_the_rest_are_generic(
    conn: sqlite3.Connection, error: Exception, expected: dict[str, Any]
) -> None:
    processor = CommandProcessor(CONFIG, handlers={"lock": _raising(error)})
    outcome, refusals = refused(processor, conn, "lock", command_doc("lock", {}))
    assert refusals == [expected] * len(outcome.errors)
    assert "Traceback" not in outcome.result_payload


def test_an_applied_command_carries_no_refusals(conn: sqlite3.Connection) -> None:
    doc = command_doc("prices", {"prices": [{"sku": "A1", "price": 5_500}]})
    outcome = CommandProcessor(CONFIG).process(conn, "pos/v1/S01/D01/cmd/prices",
                                               json.dumps(doc).encode())  # fmt: skip
    assert outcome.ok and "refusals" not in json.loads(outcome.result_payload)


def _coded_sites() -> list[tuple[str, str]]:
    """(where, code) of every ``CommandRejectedError.of`` / ``ChangeRefusedError.of``."""
    found = []
    for path in sorted((ROOT / "kiosk").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "of"
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id in {"CommandRejectedError", "ChangeRefusedError"}
            ):
                code = node.args[0].value if isinstance(node.args[0], ast.Constant) else None
                found.append((f"{path.name}:{node.lineno}", str(code)))  # fmt: skip
    return found


def test_every_code_a_command_may_raise_is_in_the_contract() -> None:
    sites = _coded_sites()
    assert len(sites) > 20, sites
    assert [site for site in sites if site[1] not in REFUSALS] == []
