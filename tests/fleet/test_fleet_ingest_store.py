"""``fleet.ingest.store_sale`` without a broker: the kiosk's real outbox messages into a
real SQLite file, each sale once, anything malformed kept with the reason it was refused."""

from __future__ import annotations

import json
import random
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from fleet.ingest import open_store, store_sale
from kiosk.contract.topics import DeviceTopics
from kiosk.storage import outbox
from kiosk.storage.ledger import SqliteLedger
from kiosk.testing.sales import make_sale

TOPIC = DeviceTopics("store-1", "kiosk-1").of("sale")


@pytest.fixture
def messages(tmp_path: Path) -> list[bytes]:
    """Three sales as the kiosk queues them (journal link included)."""
    ledger = SqliteLedger(tmp_path / "ledger.sqlite", "kiosk-1", store_id="store-1")
    rng = random.Random(9)
    for _ in range(3):
        ledger.commit_sale(make_sale(rng))
    rows = [row.payload.encode() for row in outbox.pending(ledger.conn) if row.topic == "sale"]
    ledger.close()
    return rows


@pytest.fixture
def store(tmp_path: Path) -> Iterator[sqlite3.Connection]:
    conn = open_store(tmp_path / "fleet.sqlite")
    yield conn
    conn.close()


def rejected(conn: sqlite3.Connection) -> list[tuple[str, list[str]]]:
    rows = conn.execute("SELECT topic, errors FROM rejected ORDER BY id")
    return [(topic, json.loads(errors)) for topic, errors in rows]


def test_each_sale_is_stored_once_however_often_it_arrives(
    messages: list[bytes], store: sqlite3.Connection, tmp_path: Path
) -> None:
    outcomes = [store_sale(store, TOPIC, m) for m in [*messages, messages[1], messages[0]]]
    assert outcomes == ["new", "new", "new", "duplicate", "duplicate"]
    docs = [json.loads(m) for m in messages]
    stored = store.execute("SELECT sale_id, receipt_no, total, body FROM sales ORDER BY seq")
    assert [(r[0], r[1], r[2]) for r in stored] == [
        (d["sale_id"], d["receipt_no"], d["total"]) for d in docs
    ]
    # The body is kept verbatim, journal link included, and survives a reopen of the file.
    store.close()
    again = open_store(tmp_path / "fleet.sqlite")
    body = again.execute("SELECT body FROM sales WHERE sale_id = ?", (docs[2]["sale_id"],))
    assert json.loads(body.fetchone()[0])["journal"]["seq"] == docs[2]["journal"]["seq"]
    assert again.execute("SELECT count(*) FROM rejected").fetchone()[0] == 0
    again.close()


def test_a_malformed_sale_is_refused_with_its_reason(
    messages: list[bytes], store: sqlite3.Connection
) -> None:
    doc = json.loads(messages[0])
    wrong_total = json.dumps({**doc, "total": doc["total"] + 1}).encode()
    bad_link = json.dumps({**doc, "journal": {**doc["journal"], "hash": "x"}}).encode()
    future = json.dumps({**doc, "schema": 7}).encode()
    outcomes = [store_sale(store, TOPIC, p) for p in (b"{not json", wrong_total, bad_link, future)]
    assert outcomes == ["rejected"] * 4
    reasons = [errors for _, errors in rejected(store)]
    assert reasons[0][0].startswith("not JSON")
    assert reasons[1] == ["total: is not the sum of the line amounts"]
    assert reasons[2][0].startswith("journal.hash: length 1 is below the minimum 64")
    assert reasons[3] == ["schema: version 7 of sale is not supported (1)"]
    assert store.execute("SELECT count(*) FROM sales").fetchone()[0] == 0
    # The refused payload is kept byte for byte, so it can be replayed once fixed.
    kept = store.execute("SELECT payload FROM rejected ORDER BY id").fetchall()
    assert [bytes(row[0]) for row in kept] == [b"{not json", wrong_total, bad_link, future]


def test_a_sale_on_another_devices_topic_is_refused(
    messages: list[bytes], store: sqlite3.Connection
) -> None:
    other = DeviceTopics("store-1", "kiosk-2").of("sale")
    assert store_sale(store, other, messages[0]) == "rejected"
    assert store_sale(store, "not/a/pos/topic", messages[0]) == "rejected"
    assert [errors for _, errors in rejected(store)] == [
        [f"topic {other} does not match the sale's store/device"],
        ["topic not/a/pos/topic does not match the sale's store/device"],
    ]
    assert store_sale(store, TOPIC, messages[0]) == "new"
