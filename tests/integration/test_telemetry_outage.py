"""Never lose a sale, never count one twice: broker outage, broker restart mid-drain,
kiosk killed mid-drain, and the last will when the kiosk dies."""

from __future__ import annotations

import dataclasses
import json
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from fleet.ingest import IngestWorker
from kiosk.storage.db import open_db
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
STORE, DEVICE = "S01", "D07"


@pytest.fixture
def broker() -> Iterator[MosquittoProcess]:
    # Persistence on, as in production: the fleet's session outlives a broker restart.
    process = MosquittoProcess(persistent=True).start()
    yield process
    process.close()


@pytest.fixture
def ingest(broker: MosquittoProcess, tmp_path: Path) -> Iterator[IngestWorker]:
    worker = IngestWorker(
        f"sqlite:///{tmp_path / 'fleet.db'}", broker.host, broker.port, reconnect_max_s=1
    )
    worker.start()
    assert worker.subscribed.wait(5)
    yield worker
    worker.stop()


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "kiosk.db"
    open_db(path).close()
    return path


def config(broker: MosquittoProcess) -> MqttConfig:
    return MqttConfig(store_id=STORE, device_id=DEVICE, host=broker.host, port=broker.port,
                      backoff_initial_s=0.1, backoff_max_s=0.5, health_interval_s=3600)  # fmt: skip


@pytest.mark.slow
def test_500_sales_during_an_outage_arrive_once_in_order(
    broker: MosquittoProcess, ingest: IngestWorker, db: Path
) -> None:
    broker.stop()  # graceful: the fleet's persistent session is saved
    handle = start_telemetry(db, config(broker))
    try:
        ids = commit_sales(db, STORE, DEVICE, 500)  # selling goes on without a broker
        time.sleep(0.5)
        assert outbox_summary(db)["depth"] == 500
        assert not handle.drain.stats.connected
        broker.start()
        assert eventually(lambda: ingest.count() == 500, timeout=20), ingest.counts
        assert eventually(lambda: outbox_summary(db)["depth"] == 0)
    finally:
        handle.stop()
    assert ingest.sale_ids(DEVICE) == ids
    assert ingest.counts["quarantined"] == 0


@pytest.mark.slow
def test_broker_restart_mid_drain_loses_nothing(
    broker: MosquittoProcess, ingest: IngestWorker, db: Path
) -> None:
    ids = commit_sales(db, STORE, DEVICE, 4000)
    # One message in flight: slow enough that the restart lands mid-drain on a fast machine.
    handle = start_telemetry(db, dataclasses.replace(config(broker), max_inflight=1))
    try:
        # Mid-drain by the drain's own count of publishes: the rows it marks sent trail by
        # up to a second (ACK_FLUSH_S), in which a fast machine could send the rest.
        assert eventually(lambda: handle.drain.stats.published >= 300, timeout=20)
        broker.restart()
        assert outbox_summary(db)["depth"] > 0, "the drain finished before the restart"
        assert eventually(lambda: ingest.count() == 4000, timeout=60), ingest.counts
        assert eventually(lambda: outbox_summary(db)["depth"] == 0)
        assert handle.drain.stats.sessions >= 2
    finally:
        handle.stop()
    assert sorted(ingest.sale_ids(DEVICE)) == sorted(ids)
    assert ingest.sale_ids(DEVICE) == ids  # first arrivals keep the till's order


CHILD = """
import sys, time
from kiosk.telemetry.mqtt_config import MqttConfig
from kiosk.telemetry.sync import start_telemetry
config = MqttConfig(store_id={store!r}, device_id={device!r}, host="127.0.0.1", port={port},
                    health_interval_s=3600, max_inflight=2)  # slow enough to be killed mid-drain
start_telemetry({db!r}, config)
time.sleep(600)
"""


@pytest.mark.slow
def test_kiosk_killed_mid_drain_loses_nothing_and_its_will_says_offline(
    broker: MosquittoProcess, ingest: IngestWorker, db: Path
) -> None:
    ids = commit_sales(db, STORE, DEVICE, 5000)
    status, sale = f"pos/v1/{STORE}/{DEVICE}/status", f"pos/v1/{STORE}/{DEVICE}/sale"
    watcher = TopicRecorder(broker.host, broker.port, [status, sale])
    code = CHILD.format(store=STORE, device=DEVICE, port=broker.port, db=str(db))
    child = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.DEVNULL)
    try:
        # Kill on what the broker delivers, not on the outbox's sent marks (batched up to a
        # second apart: a quiet machine drains all 5,000 within that second).
        assert eventually(lambda: len(watcher.payloads(sale)) >= 300, timeout=20)
        child.send_signal(signal.SIGKILL)
        child.wait(5)
        left = outbox_summary(db)["depth"]
        assert left > 0, "the drain finished before the kill"

        def last_state() -> str:
            payloads = watcher.payloads(status)
            return str(json.loads(payloads[-1])["state"]) if payloads else ""

        assert eventually(lambda: last_state() == "offline", timeout=5)
        assert json.loads(watcher.payloads(status)[-1])["reason"] == "connection lost"
        # Restart the kiosk's drain (here: the one-shot path) and finish.
        # The fleet stores each sale in full (lines, tenders, taxes, journal link): give
        # the backlog the kiosk just resent time to land on a busy machine.
        sync_once(db, config(broker))
        assert eventually(lambda: ingest.count() == 5000, timeout=60), ingest.counts
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        watcher.close()
    assert ingest.sale_ids(DEVICE) == ids
    assert outbox_summary(db)["depth"] == 0
