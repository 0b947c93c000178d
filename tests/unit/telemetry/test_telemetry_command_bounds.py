"""Fleet commands meet the same bounds as a catalog file: cmd/prices and cmd/catalog with
an absurd price, a NUL or a list as a name, or deep nesting change nothing and say why."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kiosk.domain.catalog import Product
from kiosk.storage import catalog_store
from kiosk.storage.db import open_db
from kiosk.telemetry.commands import CommandProcessor
from kiosk.telemetry.mqtt_config import MqttConfig

INT64_MAX = 2**63 - 1
PROCESSOR = CommandProcessor(MqttConfig(store_id="S01", device_id="D01"))


@pytest.fixture
def conn(tmp_path: Path) -> Iterator[sqlite3.Connection]:
    connection = open_db(tmp_path / "kiosk.db")
    catalog_store.replace_all(connection, [Product("A1", "Tea", 5_000)])
    yield connection
    connection.close()


def refused(conn: sqlite3.Connection, name: str, body: Any) -> list[str]:
    # Built by hand: the contract's own builder would refuse to send these.
    payload = json.dumps({"schema": 1, "command_id": "c-1", "body": body}).encode()
    outcome = PROCESSOR.process(conn, f"pos/v1/S01/D01/cmd/{name}", payload)
    assert not outcome.ok
    assert {p.sku: (p.name, p.price) for p in catalog_store.load_products(conn)} == {
        "A1": ("Tea", 5_000)
    }
    return list(outcome.errors)


@pytest.mark.parametrize("price", [INT64_MAX, 10**20, 100_000_001])
def test_cmd_prices_refuses_a_price_beyond_the_limit(conn: sqlite3.Connection, price: int) -> None:
    errors = refused(conn, "prices", {"prices": [{"sku": "A1", "price": price}]})
    assert any("price" in e and "limit" in e for e in errors), errors


def test_the_shops_price_limit_holds_for_fleet_catalogs(conn: sqlite3.Connection) -> None:
    body = {"mode": "delta", "products": [product(price=100_000_001)]}
    errors = refused(conn, "catalog", body)
    assert errors == ["price of A1: is more than the limit of Rp100.000.000"], errors


def product(**fields: Any) -> dict[str, Any]:
    return {"sku": "A1", "name": "Tea", "price": 5_000, **fields}


@pytest.mark.parametrize(
    ("doc", "needle"),
    [(product(price=INT64_MAX), "price"), (product(name="Te\x00a"), "control character"),
     (product(name=["Tea"]), "name"), (product(category="x" * 1000), "category")],
)  # fmt: skip
def test_cmd_catalog_refuses_what_a_catalog_file_may_not_hold(
    conn: sqlite3.Connection, doc: dict[str, Any], needle: str
) -> None:
    errors = refused(conn, "catalog", {"mode": "delta", "products": [doc]})
    assert any(needle in e for e in errors), errors


def test_a_deeply_nested_command_is_refused(conn: sqlite3.Connection) -> None:
    payload = b'{"schema": 1, "command_id": "x", "body": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    outcome = PROCESSOR.process(conn, "pos/v1/S01/D01/cmd/prices", payload)
    assert not outcome.ok and outcome.errors


def test_a_catalog_with_the_shops_pictures_applies_and_a_bad_picture_is_refused(
    conn: sqlite3.Connection,
) -> None:
    body = {"mode": "delta", "products": [
        {**product(), "sku": "B1", "image": "https://cdn.example.com/teh.jpg"},
        {**product(), "sku": "B2", "image": "/shop/S01/images/" + "a" * 64 + ".png"},
    ]}  # fmt: skip
    payload = json.dumps({"schema": 1, "command_id": "c-2", "body": body}).encode()
    outcome = PROCESSOR.process(conn, "pos/v1/S01/D01/cmd/catalog", payload)
    assert outcome.ok, outcome.errors
    assert {p.sku for p in catalog_store.load_products(conn)} == {"A1", "B1", "B2"}
    for image in ("javascript:alert(1)", "http://cdn.example.com/teh.jpg", "//evil.example/x",
                  "/shop/../etc", "https://x/" + "a" * 500, 'https://x/a"onerror="b'):  # fmt: skip
        bad = {"mode": "delta", "products": [{**product(), "sku": "B3", "image": image}]}
        assert any("image" in e for e in refused_again(conn, bad, image)), image


def refused_again(conn: sqlite3.Connection, body: Any, command_id: str) -> list[str]:
    payload = json.dumps({"schema": 1, "command_id": command_id[:64], "body": body}).encode()
    outcome = PROCESSOR.process(conn, "pos/v1/S01/D01/cmd/catalog", payload)
    assert not outcome.ok and "B3" not in {p.sku for p in catalog_store.load_products(conn)}
    return list(outcome.errors)
