"""Stock changes, snapshots and alerts reach the outbox in the transaction they report."""

from __future__ import annotations

import dataclasses
import json
import random
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.contract.schemas import SchemaError, validate
from kiosk.storage import stock
from kiosk.storage.ledger import SqliteLedger
from kiosk.testing.sales import make_sale

AT = "2026-11-27T06:00:00.000000Z"


@pytest.fixture
def ledger(tmp_path: Path) -> Iterator[SqliteLedger]:
    ledger = SqliteLedger(
        tmp_path / "l.sqlite", "kiosk-1", store_id="toko-1", low_stock_threshold=3
    )
    yield ledger
    ledger.close()


def outbox(ledger: SqliteLedger, topic: str) -> list[dict[str, object]]:
    rows = ledger.conn.execute("SELECT payload FROM outbox WHERE topic = ? ORDER BY id", (topic,))
    docs = [json.loads(r[0]) for r in rows]
    for doc in docs:
        assert validate(topic, doc) == [], doc
    return docs


def test_adjustment_is_all_or_nothing_and_reported_once(ledger: SqliteLedger) -> None:
    levels = ledger.adjust_stock([("TEH", 24), ("KOPI", 12)], "receiving", "DO-17", AT)
    assert levels == {"TEH": 24, "KOPI": 12}
    (doc,) = outbox(ledger, "stock")
    assert doc["kind"] == "change" and doc["store_id"] == "toko-1"
    assert [(i["sku"], i["qty"], i["delta"]) for i in doc["items"]] == [
        ("TEH", 24, 24),
        ("KOPI", 12, 12),
    ]
    with pytest.raises(ValueError, match="needs a reason"):
        ledger.adjust_stock([("TEH", -1), ("KOPI", 5)], "", "", AT)
    assert (
        stock.levels(ledger.conn) == {"KOPI": 12, "TEH": 24} and len(outbox(ledger, "stock")) == 1
    )


def test_snapshot_lists_every_stocked_sku(ledger: SqliteLedger) -> None:
    ledger.adjust_stock([("A", 1), ("B", -2)], "count", "", AT)
    assert ledger.stock_snapshot(AT) == 2
    snap = outbox(ledger, "stock")[-1]
    assert snap["kind"] == "snapshot" and snap["items"] == [
        {"sku": "A", "qty": 1},
        {"sku": "B", "qty": -2},
    ]


def test_low_stock_alerts_once_when_a_sale_crosses_the_threshold(ledger: SqliteLedger) -> None:
    rng = random.Random(3)
    ledger.adjust_stock([("SKU001", 5)], "receiving", "", AT)
    base = make_sale(rng, lines=1)
    line = dataclasses.replace(base.lines[0], sku="SKU001", qty=1, weight_g=None)
    for n in range(4):  # 5 -> 4 -> 3 (alert) -> 2 -> 1
        sale = dataclasses.replace(base, sale_id=f"s{n}", lines=(line,))
        ledger.commit_sale(sale)
    (alert,) = outbox(ledger, "alert")
    assert alert["kind"] == "low_stock" and alert["detail"] == {
        "sku": "SKU001",
        "qty": 3,
        "threshold": 3,
    }


def test_alerts_are_validated_before_anything_is_written(ledger: SqliteLedger) -> None:
    ledger.raise_alert("paper_out", "Printer: paper out", AT, severity="critical")
    with pytest.raises(SchemaError):
        ledger.raise_alert("coffee_machine_on_fire", "?", AT)
    (doc,) = outbox(ledger, "alert")
    assert doc["kind"] == "paper_out" and doc["severity"] == "critical" and doc["cleared"] is False
