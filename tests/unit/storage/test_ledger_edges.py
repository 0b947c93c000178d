"""The ledger's edges: its refusals word for word, who it says it is in what it
publishes, the stock move a sale makes, and a ledger on a connection it was given or in
memory (written for mutants of kiosk.storage.ledger that survived the fourth mutation
run)."""

from __future__ import annotations

import dataclasses
import json
import random
import sqlite3
from pathlib import Path

import pytest

from kiosk.domain.sale import TenderRecord
from kiosk.storage.db import open_db
from kiosk.storage.ledger import SaleRefusedError, SqliteLedger
from kiosk.testing.sales import build_sale, make_sale, sale_line

AT = "2026-11-27T06:00:00.000000Z"


def published(ledger: SqliteLedger, topic: str) -> dict[str, object]:
    row = ledger.conn.execute("SELECT payload FROM outbox WHERE topic = ?", (topic,)).fetchone()
    return dict(json.loads(row[0]))


def test_a_ledger_needs_a_device_and_a_sale_its_id(tmp_path: Path) -> None:
    with pytest.raises(ValueError) as no_device:
        SqliteLedger(tmp_path / "l.db", "")
    assert str(no_device.value) == "SqliteLedger needs a device_id"
    ledger = SqliteLedger(tmp_path / "l.db", "kiosk-1")
    sale = dataclasses.replace(make_sale(random.Random(1)), sale_id="")
    with pytest.raises(ValueError) as no_id:
        ledger.commit_sale(sale)
    assert str(no_id.value) == "sale has no sale_id"
    ledger.close()


def test_a_refused_sale_carries_its_words_to_show() -> None:
    error = SaleRefusedError("business day 2026-11-27 has ended")
    assert error.message == str(error) == "business day 2026-11-27 has ended"


def test_what_the_ledger_publishes_names_its_store_and_device(tmp_path: Path) -> None:
    unnamed = SqliteLedger(tmp_path / "a.db", "kiosk-1")
    unnamed.raise_alert("paper_low", "Paper is low", AT, detail={"printer": "p1"}, cleared=True)
    alert = published(unnamed, "alert")
    assert (alert["store_id"], alert["device_id"]) == ("store", "kiosk-1")
    assert (alert["detail"], alert["cleared"]) == ({"printer": "p1"}, True)
    unnamed.record_event("no_sale", "d1", {"reason": "change"}, AT)
    assert published(unnamed, "event")["device_id"] == "kiosk-1"
    unnamed.close()
    named = SqliteLedger(tmp_path / "b.db", "kiosk-2", store_id="toko-7")
    named.raise_alert("paper_low", "Paper is low", AT)
    assert published(named, "alert")["store_id"] == "toko-7"
    named.close()


def test_a_sale_moves_stock_as_a_sale(tmp_path: Path) -> None:
    ledger = SqliteLedger(tmp_path / "l.db", "kiosk-1")
    sale = ledger.commit_sale(make_sale(random.Random(2)))
    reasons = ledger.conn.execute("SELECT DISTINCT reason, ref FROM stock_moves").fetchall()
    assert [tuple(row) for row in reasons] == [("sale", sale.sale_id)]
    ledger.close()


def test_a_ledger_closes_only_the_connection_it_opened(tmp_path: Path) -> None:
    own = SqliteLedger(tmp_path / "a.db", "kiosk-1")
    assert own.checkpointer is not None  # a file: checkpointed off the commit
    own.close()
    with pytest.raises(sqlite3.ProgrammingError):
        own.conn.execute("SELECT 1")
    conn = open_db(tmp_path / "b.db")
    lent = SqliteLedger(conn, "kiosk-1")
    lent.close()
    assert conn.execute("SELECT count(*) FROM sales").fetchone()[0] == 0
    conn.close()


def test_an_in_memory_ledger_sells_and_closes_without_a_checkpointer() -> None:
    ledger = SqliteLedger(sqlite3.connect(":memory:", isolation_level=None), "kiosk-1")
    assert ledger.checkpointer is None
    ledger.commit_sale(make_sale(random.Random(3)))
    ledger.checkpoint_soon()
    assert ledger.sale_count() == 1
    ledger.close()


def test_a_sale_that_collects_an_online_order_tells_the_fleet(tmp_path: Path) -> None:
    ledger = SqliteLedger(tmp_path / "l.db", "kiosk-1")
    sale = dataclasses.replace(make_sale(random.Random(5)), extra={"order_id": "W-1"})
    stored = ledger.commit_sale(sale)
    told = published(ledger, "order")
    assert (told["order_id"], told["status"], told["sale_id"]) == (
        "W-1",
        "collected",
        stored.sale_id,
    )
    assert (told["store_id"], told["device_id"]) == ("store", "kiosk-1")
    ledger.close()


def test_two_lines_of_one_item_that_cross_the_threshold_together_raise_the_alert(
    tmp_path: Path,
) -> None:
    ledger = SqliteLedger(tmp_path / "l.db", "kiosk-1", low_stock_threshold=3)
    ledger.adjust_stock([("TEH", 4)], "receive", "r1", AT)
    teh = [sale_line(1, 5000, sku="TEH"), sale_line(2, 4500, sku="TEH")]  # a price label
    ledger.commit_sale(build_sale(teh, [TenderRecord("cash", 9500)]))
    assert published(ledger, "alert")["message"] == "TEH: 2 left (threshold 3)"
    ledger.close()
