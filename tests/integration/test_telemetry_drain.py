"""The outbox drain against a real mosquitto: sales out in order, marked sent on PUBACK,
retained birth/offline status, health, and the one-shot `kiosk sync` path."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from fleet.ingest import IngestWorker
from kiosk.contract.messages import command_doc
from kiosk.contract.schemas import validate, validate_result
from kiosk.domain.catalog import Product
from kiosk.storage import catalog_store
from kiosk.storage.db import open_db
from kiosk.telemetry import drain
from kiosk.telemetry.mqtt_config import MqttConfig
from kiosk.telemetry.sync import outbox_summary, start_telemetry, sync_once
from kiosk.testing.broker_process import (
    MosquittoProcess,
    TopicRecorder,
    eventually,
    mosquitto_binary,
)
from kiosk.testing.loadgen import commit_sales

pytestmark = [
    pytest.mark.broker,
    pytest.mark.skipif(mosquitto_binary() is None, reason="mosquitto is not installed"),
]
STORE, DEVICE = "S01", "D01"


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "kiosk.db"
    open_db(path).close()
    return path


def config(broker: MosquittoProcess, **changes: object) -> MqttConfig:
    base = MqttConfig(store_id=STORE, device_id=DEVICE, host=broker.host, port=broker.port,
                      backoff_initial_s=0.1, backoff_max_s=0.5, health_interval_s=3600)  # fmt: skip
    return base.with_changes(**changes)


def test_sales_arrive_in_order_and_are_marked_sent(
    broker: MosquittoProcess, db: Path, tmp_path: Path
) -> None:
    ingest = IngestWorker(f"sqlite:///{tmp_path / 'fleet.db'}", broker.host, broker.port).start()
    assert ingest.subscribed.wait(5)
    handle = start_telemetry(db, config(broker), version="1.2.3")
    try:
        ids = commit_sales(db, STORE, DEVICE, 60)
        assert eventually(lambda: ingest.count() == 60)
        assert ingest.sale_ids(DEVICE) == ids
        assert ingest.counts["quarantined"] == 0
        assert eventually(lambda: outbox_summary(db)["depth"] == 0)
    finally:
        handle.stop()
        ingest.stop()
    summary = outbox_summary(db)
    assert summary["sent"] == 60 and summary["oldest_created_at"] is None


def test_status_is_retained_online_then_offline_on_stop_and_health_is_valid(
    broker: MosquittoProcess, db: Path
) -> None:
    handle = start_telemetry(db, config(broker), version="1.2.3")
    status = f"pos/v1/{STORE}/{DEVICE}/status"
    health = f"pos/v1/{STORE}/{DEVICE}/health"
    assert eventually(lambda: handle.drain.stats.connected)
    # A late subscriber still learns the state: both are retained.
    late = TopicRecorder(broker.host, broker.port, [status, health])
    try:
        assert late.wait_for(lambda: late.payloads(status) and late.payloads(health))
        online = json.loads(late.payloads(status)[0])
        assert online["state"] == "online" and online["version"] == "1.2.3"
        doc = json.loads(late.payloads(health)[0])
        assert validate("health", doc) == []
        assert doc["outbox"]["depth"] == 0 and doc["version"] == "1.2.3"
        link = doc["detail"]["link"]
        assert link["last_error"] == "" and link["invalid"] == 0 and link["sessions"] in (0, 1)
        handle.stop()
        assert late.wait_for(lambda: json.loads(late.payloads(status)[-1])["state"] == "offline")
        assert json.loads(late.payloads(status)[-1])["reason"] == "shutdown"
    finally:
        late.close()
        handle.stop()


def test_sync_once_drains_and_reports_the_count(broker: MosquittoProcess, db: Path) -> None:
    commit_sales(db, STORE, DEVICE, 25)
    assert outbox_summary(db)["depth"] == 25
    recorder = TopicRecorder(broker.host, broker.port, [f"pos/v1/{STORE}/{DEVICE}/sale"])
    try:
        settings = {"store_id": STORE, "device_id": DEVICE, "broker.host": broker.host,
                    "broker.port": broker.port}  # fmt: skip
        assert sync_once(db, settings) == 25
        assert sync_once(db, settings) == 0
        assert recorder.wait_for(lambda: len(recorder.messages) == 25)
    finally:
        recorder.close()
    assert outbox_summary(db)["depth"] == 0


def test_sent_marks_wait_for_the_till_to_stop_writing_without_blocking_the_drain(
    broker: MosquittoProcess, db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """While another connection holds the write lock (a sale committing), the drain goes
    on publishing and keeps its acks; they are written the moment the lock is free."""
    monkeypatch.setattr(drain, "ACK_MAX_DEFER_S", 60.0)
    commit_sales(db, STORE, DEVICE, 200)
    recorder = TopicRecorder(broker.host, broker.port, [f"pos/v1/{STORE}/{DEVICE}/sale"])
    till = open_db(db)
    till.execute("BEGIN IMMEDIATE")  # the till's write lock, held
    handle = start_telemetry(db, config(broker, max_inflight=20))
    try:  # 10 windows of 20, each acked; a drain waiting for the lock would stop at one
        assert recorder.wait_for(lambda: len(recorder.messages) == 200, timeout=4)
        assert handle.drain.stats.published == 200
        time.sleep(0.3)  # several flush attempts meet the lock
        assert handle.drain.stats.acked == 0 and outbox_summary(db)["depth"] == 200
        till.execute("COMMIT")
        assert eventually(lambda: handle.drain.stats.acked == 200)
        assert outbox_summary(db)["depth"] == 0
    finally:
        handle.stop()
        till.close()
        recorder.close()


def test_the_drain_gives_way_to_a_till_selling_and_still_sends_every_sale(
    broker: MosquittoProcess, db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A backlog drains while the till commits sales back to back: the drain waits
    (``YIELD_S``) when the till has written since its last look, and every row, old and
    new, still goes out in order."""
    monkeypatch.setattr(drain, "YIELD_S", 0.05)
    backlog = commit_sales(db, STORE, DEVICE, 300)
    recorder = TopicRecorder(broker.host, broker.port, [f"pos/v1/{STORE}/{DEVICE}/sale"])
    handle = start_telemetry(db, config(broker, max_inflight=20))
    try:
        assert recorder.wait_for(lambda: bool(recorder.messages))  # the backlog is going out
        selling = commit_sales(db, STORE, DEVICE, 150, start=300)  # back to back
        assert handle.drain.stats.yields > 0
        assert recorder.wait_for(lambda: len(recorder.messages) == 450, timeout=20)
        assert eventually(lambda: outbox_summary(db)["depth"] == 0)
    finally:
        handle.stop()
        recorder.close()
    sent = [json.loads(payload)["sale_id"] for _, payload, _ in recorder.messages]
    assert sent == backlog + selling


def test_the_drain_does_not_wait_for_its_own_marks_nor_for_a_new_sale(
    broker: MosquittoProcess, db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its own sent marks do not count as the till writing (a drain that waited for them
    would crawl through a backlog alone), and a sale made while the outbox is empty goes
    out at once: the drain looks only once per window of publishes."""
    monkeypatch.setattr(drain, "ACK_FLUSH_ROWS", 40)  # marks between windows
    commit_sales(db, STORE, DEVICE, 300)
    handle = start_telemetry(db, config(broker, max_inflight=20))
    try:
        assert eventually(lambda: outbox_summary(db)["depth"] == 0)
        commit_sales(db, STORE, DEVICE, 3, start=300)
        assert eventually(lambda: outbox_summary(db)["depth"] == 0)
        assert handle.drain.stats.acked == 303
        assert handle.drain.stats.yields == 0
    finally:
        handle.stop()


def test_sync_once_fails_clearly_when_the_broker_is_away(db: Path) -> None:
    commit_sales(db, STORE, DEVICE, 3)
    away = MosquittoProcess()  # configured, never started: nobody listens on its port
    try:
        with pytest.raises(OSError):
            sync_once(db, config(away), timeout=3)
    finally:
        away.close()
    assert outbox_summary(db)["depth"] == 3


def test_store_wide_command_is_applied_once_and_answered(
    broker: MosquittoProcess, db: Path
) -> None:
    conn = open_db(db)
    catalog_store.replace_all(conn, [Product("A1", "Tea", 5_000)])
    changes: list[str] = []
    handle = start_telemetry(db, config(broker), on_change=changes.append)
    result_topic = f"pos/v1/{STORE}/{DEVICE}/cmd/prices/result"
    fleet = TopicRecorder(broker.host, broker.port, [result_topic])
    try:
        assert eventually(lambda: handle.drain.stats.listening)
        doc = command_doc("prices", {"prices": [{"sku": "A1", "price": 6_000}]})
        for payload in (json.dumps(doc), json.dumps(doc), "{oops"):
            fleet.client.publish(f"pos/v1/{STORE}/all/cmd/prices", payload, qos=1)
        assert fleet.wait_for(lambda: len(fleet.payloads(result_topic)) == 3)
        first, repeat, garbage = (json.loads(p) for p in fleet.payloads(result_topic))
        assert first["ok"] and not first["duplicate"]
        assert repeat["ok"] and repeat["duplicate"]
        assert not garbage["ok"] and "not JSON" in garbage["errors"][0]
        assert validate_result(first) == [] and validate_result(garbage) == []
        product = catalog_store.get_product(conn, "A1")
        assert product is not None and product.price == 6_000
        assert changes == ["prices"]
    finally:
        fleet.close()
        handle.stop()
        conn.close()
