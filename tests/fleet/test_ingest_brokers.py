"""The ingest with real brokers: two workers sharing the stores across a broker restart
(mosquitto with MQTT 5 and nats-server with JetStream, which speaks only MQTT 3.1.1), the
kiosk's own drain on both, and ``fleet ingest`` as a process."""

from __future__ import annotations

import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from fleet.ingest import IngestWorker
from fleet.storage import schema
from fleet.storage.engine import open_engine
from kiosk.storage.db import open_db
from kiosk.telemetry.mqtt_config import config_from_settings
from kiosk.telemetry.sync import outbox_summary, sync_once
from kiosk.testing.broker_process import MosquittoProcess, eventually, mosquitto_binary
from kiosk.testing.loadgen import commit_sales
from kiosk.testing.nats import NatsProcess, nats_binary

pytestmark = pytest.mark.broker
KIOSKS = [("toko-1", "k1"), ("toko-2", "k1"), ("toko-3", "k2"), ("toko-4", "k1")]
SALES = 40

Broker = MosquittoProcess | NatsProcess


@pytest.fixture(params=["mosquitto", "nats"])
def broker(request: pytest.FixtureRequest) -> Iterator[tuple[Broker, str]]:
    if request.param == "mosquitto":
        if mosquitto_binary() is None:
            pytest.skip("mosquitto is not installed")
        process: Broker = MosquittoProcess(persistent=True)
        protocol = "5"
    else:
        if nats_binary() is None:
            pytest.skip("nats-server is not installed")
        process, protocol = NatsProcess(), "3.1.1"
    process.start()
    yield process, protocol
    process.close()


def kiosk_settings(broker: Broker, store: str, device: str, protocol: str) -> dict[str, object]:
    return {"store_id": store, "device_id": device, "broker.host": broker.host,
            "broker.port": broker.port, "broker.protocol": protocol}  # fmt: skip


def stored(url: str) -> list[tuple[str, str]]:
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(sa.select(schema.sales.c.store_id, schema.sales.c.sale_id)).all()
    engine.dispose()
    return [(r.store_id, r.sale_id) for r in rows]


def test_two_workers_share_the_stores_and_lose_nothing_across_a_broker_restart(
    broker: tuple[Broker, str], tmp_path: Path
) -> None:
    process, protocol = broker
    url = f"sqlite:///{tmp_path / 'fleet.sqlite'}"
    workers = [IngestWorker(url, process.host, process.port, index=i, workers=2,
                            protocol=protocol, reconnect_max_s=1) for i in range(2)]  # fmt: skip
    for worker in workers:
        assert worker.start().subscribed.wait(10), process.log_text()
        worker.stop()  # their sessions stay with the broker while they are away
    process.restart()  # graceful, persistence on: sessions and queued messages are kept
    expected: set[tuple[str, str]] = set()
    for store, device in KIOSKS:
        db = tmp_path / f"{store}-{device}.db"
        open_db(db).close()
        expected |= {(store, s) for s in commit_sales(db, store, device, SALES)}
        config = config_from_settings(kiosk_settings(process, store, device, protocol))
        assert config.mqtt5 is (protocol == "5")
        assert sync_once(db, config, timeout=30) == SALES  # queued for the absent workers
        assert outbox_summary(db)["depth"] == 0
    workers = [IngestWorker(url, process.host, process.port, index=i, workers=2,
                            protocol=protocol, reconnect_max_s=1).start() for i in range(2)]  # fmt: skip
    try:
        assert eventually(lambda: len(stored(url)) == len(expected), timeout=30), [
            w.counts for w in workers
        ]
        # A duplicate from a kiosk that resends everything counts once.
        store, device = KIOSKS[0]
        db = tmp_path / f"{store}-{device}.db"
        with open_db(db) as conn:
            conn.execute("INSERT OR IGNORE INTO outbox_unsent(id) SELECT id FROM outbox")
        assert sync_once(db, config_from_settings(kiosk_settings(process, store, device,
                                                                 protocol))) == SALES  # fmt: skip
        assert eventually(lambda: workers[0].counts["duplicate"] + workers[1].counts["duplicate"]
                          >= SALES, timeout=30)  # fmt: skip
    finally:
        for worker in workers:
            worker.stop()
    assert sorted(stored(url)) == sorted(expected)
    new = [w.counts["new"] for w in workers]
    assert all(n > 0 for n in new) and sum(new) == len(expected)  # both took a share
    assert all(w.counts["quarantined"] == 0 for w in workers)


def test_the_ingest_refuses_a_protocol_it_does_not_know(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="5 or 3.1.1"):
        IngestWorker(f"sqlite:///{tmp_path / 'f.sqlite'}", "127.0.0.1", 1883, protocol="4")


def run_fleet(*args: str, stderr: Path | None = None) -> subprocess.Popen[str]:
    if stderr is None:
        return subprocess.Popen([sys.executable, "-m", "fleet.cli", *args],
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)  # fmt: skip
    with stderr.open("w") as err:  # the child keeps its own copy of the descriptor
        return subprocess.Popen([sys.executable, "-m", "fleet.cli", *args],
                                stdout=subprocess.DEVNULL, stderr=err, text=True)  # fmt: skip


def test_fleet_ingest_runs_two_workers_until_sigterm_and_exits_0(tmp_path: Path) -> None:
    if mosquitto_binary() is None:
        pytest.skip("mosquitto is not installed")
    url = f"sqlite:///{tmp_path / 'fleet.sqlite'}"
    open_engine(url).dispose()  # the schema, so the test can read while the fleet starts
    with MosquittoProcess(persistent=True) as process:
        log = tmp_path / "fleet.log"
        fleet = run_fleet("ingest", "--db", url, "--broker", f"127.0.0.1:{process.port}",
                          "--workers", "2", stderr=log)  # fmt: skip
        try:
            assert eventually(lambda: log.read_text().count("subscribed") == 2, timeout=30)
            expected = set()
            for store, device in KIOSKS:
                db = tmp_path / f"{store}.db"
                open_db(db).close()
                expected |= {(store, s) for s in commit_sales(db, store, device, 5)}
                sync_once(db, kiosk_settings(process, store, device, "5"))
            assert eventually(lambda: set(stored(url)) == expected, timeout=30)
        finally:
            fleet.send_signal(signal.SIGTERM)
            fleet.wait(timeout=20)
    err = log.read_text()
    assert fleet.returncode == 0, err
    assert "worker 1 of 2" in err and "worker 2 of 2" in err


def test_fleet_ingest_explains_a_bad_broker_address_and_database() -> None:
    bad_broker = run_fleet("ingest", "--db", "sqlite:///x", "--broker", "nohost")
    _, err = bad_broker.communicate(timeout=20)
    assert bad_broker.returncode == 2 and "expected HOST:PORT" in err
    bad_db = run_fleet("ingest", "--db", "mysql://x/y", "--broker", "127.0.0.1:1")
    _, err = bad_db.communicate(timeout=20)
    assert bad_db.returncode in (1, 2) and "fleet:" in err and "Traceback" not in err
