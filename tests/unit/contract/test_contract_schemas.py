"""The message schemas both sides validate with (kiosk/contract/schemas.py)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from kiosk.contract.messages import alert_message, command_doc, status_doc, stock_message
from kiosk.contract.schemas import SchemaError, decode, encode, quick_check, validate
from kiosk.ports import DeviceState, DeviceStatus
from kiosk.storage.db import open_db
from kiosk.telemetry.health import HealthCollector, cpu_temperature_c
from kiosk.testing.sales import numbered_sale


def sale_doc() -> dict:
    return numbered_sale("S01", "D01", 1).to_dict()


def test_a_completed_sale_is_a_valid_sale_message() -> None:
    assert validate("sale", sale_doc()) == []
    assert validate("sale", json.loads(encode(sale_doc()))) == []


@pytest.mark.parametrize(
    ("mutate", "needle"),
    [
        (lambda d: d.pop("sale_id"), "sale_id: missing"),
        (lambda d: d.update(total=1), "total: is not the sum of the line amounts"),
        (lambda d: d["lines"][0].update(qty="1"), "lines[0].qty: expected an integer"),
        (lambda d: d["lines"][0].update(qty=True), "lines[0].qty: expected an integer, got a boolean"),
        (lambda d: d["tenders"][0].update(method="cheque"), "tenders[0].method: 'cheque'"),
        (lambda d: d.update(business_date="27/11/2026"), "not a YYYY-MM-DD date"),
        (lambda d: d.update(created_at="yesterday"), "not an ISO 8601 date-time"),
        (lambda d: d.update(surprise=1), "unknown field(s) ['surprise']"),
        (lambda d: d.update(schema=2), "version 2 of sale is not supported"),
        (lambda d: d.update(lines=[]), "lines: 0 items"),
    ],
)  # fmt: skip
def test_a_broken_sale_names_what_is_wrong(mutate, needle: str) -> None:
    doc = sale_doc()
    mutate(doc)
    errors = validate("sale", doc)
    assert any(needle in e for e in errors), errors


def test_quick_check_is_what_the_drain_can_afford_per_row() -> None:
    assert quick_check("sale", encode(sale_doc())) == []
    assert quick_check("sale", "{")[0].startswith("not JSON")
    assert quick_check("sale", '{"schema": 1}') == ["sale_id: missing"]
    assert quick_check("sale", "[1]") == ["expected a JSON object"]
    assert quick_check("parcel", "{}") == ["unknown message kind 'parcel'"]


def test_builders_validate_what_they_build() -> None:
    at = "2026-11-27T06:00:00.000000Z"
    alert = alert_message("S01", "D01", "paper_out", "Printer is out of paper", at)
    assert alert.topic == "alert" and validate("alert", json.loads(alert.payload)) == []
    with pytest.raises(SchemaError, match="kind: 'fire'"):
        alert_message("S01", "D01", "fire", "?", at)
    stock = stock_message("S01", "D01", "change", [{"sku": "A1", "qty": 4, "delta": -1}], at)
    assert json.loads(stock.payload)["items"][0]["qty"] == 4
    with pytest.raises(SchemaError):
        stock_message("S01", "D01", "change", [{"sku": "A1"}], at)
    assert status_doc("S01", "D01", "online", at=at)["state"] == "online"
    with pytest.raises(SchemaError):
        status_doc("S01", "D01", "asleep")
    with pytest.raises(SchemaError, match="body.kind"):
        command_doc("report", {"kind": "weekly"})


def test_decode_refuses_oversized_and_non_json() -> None:
    assert decode(b'{"a": 1}', 100) == ({"a": 1}, [])
    assert decode(b"x" * 101, 100)[1] == ["payload is 101 bytes; the limit is 100"]
    assert "not JSON" in decode(b"{", 100)[1][0]
    assert "nested too deeply" in decode(b"[" * 100_000 + b"]" * 100_000, 10**6)[1][0]


def test_health_document(tmp_path: Path) -> None:
    conn: sqlite3.Connection = open_db(tmp_path / "kiosk.db")
    thermal = tmp_path / "temp"
    thermal.write_text("48312\n")
    statuses = [
        DeviceStatus("printer", "printer-1", DeviceState.ERROR, "paper out", {"paper": "out"}),
        DeviceStatus("scanner", "scanner-1", DeviceState.IDLE, detail={"odd": object()}),
    ]
    collector = HealthCollector("S01", "D01", "1.0.0", lambda: statuses, thermal_path=thermal,
                                lane_locked=lambda: True)  # fmt: skip
    doc = collector(conn)
    assert validate("health", doc) == []
    assert doc["cpu_temp_c"] == 48.3 and doc["lane_locked"] is True
    assert doc["devices"][0]["detail"] == {"paper": "out"}
    assert doc["outbox"] == {"depth": 0, "oldest_created_at": None, "oldest_age_s": None}

    def broken() -> list[DeviceStatus]:
        raise RuntimeError("driver crashed")

    doc = HealthCollector("S01", "D01", "1.0.0", broken, thermal_path=tmp_path / "none")(conn)
    assert doc["devices"][0]["state"] == "error" and doc["cpu_temp_c"] is None
    assert cpu_temperature_c(tmp_path / "missing") is None
    conn.close()
