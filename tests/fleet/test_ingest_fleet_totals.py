"""50 kiosks through a real mosquitto into the fleet (on SQLite and on PostgreSQL) with a
broker restart, duplicates and garbage on the way: per kiosk and business day the
fleet's figures equal the kiosk's own day report (kiosk.storage.reports.day_report) to
the rupiah."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import paho.mqtt.client as mqtt
import pytest
import sqlalchemy as sa
from paho.mqtt.enums import CallbackAPIVersion

from fleet.ingest import IngestWorker
from fleet.storage import schema
from fleet.storage.engine import open_engine
from kiosk.storage.db import open_db
from kiosk.storage.reports import day_report
from kiosk.telemetry.sync import sync_once
from kiosk.testing.broker_process import MosquittoProcess, eventually, mosquitto_binary
from kiosk.testing.loadgen import commit_sales

pytestmark = [
    pytest.mark.broker,
    pytest.mark.skipif(mosquitto_binary() is None, reason="mosquitto is not installed"),
]
KIOSKS = [(f"toko-{n // 2:02d}", f"k{n % 2 + 1}") for n in range(50)]
SALES = 8
DAY = "2026-11-27"  # numbered sales are rung up that day (kiosk.testing.sales)


@pytest.fixture
def broker() -> Iterator[MosquittoProcess]:
    with MosquittoProcess(persistent=True) as process:
        yield process


def fleet_day(conn: sa.Connection, store: str, device: str) -> dict[str, Any]:
    s, lines, tenders = schema.sales, schema.sale_lines, schema.sale_tenders
    mine = (
        (s.c.store_id == store)
        & (s.c.device_id == device)
        & (s.c.business_date == date.fromisoformat(DAY))
    )
    count, discounts = conn.execute(
        sa.select(sa.func.count(), sa.func.coalesce(sa.func.sum(s.c.discount_total), 0)).where(mine)
    ).one()
    gross = conn.execute(
        sa.select(sa.func.coalesce(sa.func.sum(lines.c.gross), 0))
        .select_from(
            lines.join(
                s, (lines.c.sale_id == s.c.sale_id) & (lines.c.business_date == s.c.business_date)
            )
        )
        .where(mine)
    ).scalar_one()
    by_method = conn.execute(
        sa.select(tenders.c.method, sa.func.sum(tenders.c.amount))
        .select_from(
            tenders.join(
                s,
                (tenders.c.sale_id == s.c.sale_id) & (tenders.c.business_date == s.c.business_date),
            )
        )
        .where(mine)
        .group_by(tenders.c.method)
    ).all()
    return {"transactions": int(count), "gross": int(gross), "discounts": int(discounts),
            "net": int(gross) - int(discounts), "tenders": {m: int(a) for m, a in by_method}}  # fmt: skip


def kiosk_day(db: Path, device: str) -> dict[str, Any]:
    conn = open_db(db)
    try:
        report = day_report(conn, DAY, device)
    finally:
        conn.close()
    tenders: dict[str, int] = {}
    for tender in report["tenders"]:
        tenders[tender["method"]] = tenders.get(tender["method"], 0) + int(tender["amount"])
    return {key: report[key] for key in ("transactions", "gross", "discounts", "net")} | {
        "tenders": tenders
    }


def test_fifty_kiosks_a_restart_duplicates_and_garbage_and_the_totals_agree(
    broker: MosquittoProcess, tmp_path: Path, fleet_url: str
) -> None:
    url = fleet_url  # SQLite and PostgreSQL (tests/fleet/conftest.py)
    workers = [IngestWorker(url, broker.host, broker.port, index=i, workers=2,
                            reconnect_max_s=1).start() for i in range(2)]  # fmt: skip
    try:
        assert all(w.subscribed.wait(10) for w in workers)
        dbs = {}
        for store, device in KIOSKS:
            dbs[store, device] = db = tmp_path / f"{store}-{device}.db"
            open_db(db).close()
            commit_sales(db, store, device, SALES)
        settings = {"broker.host": broker.host, "broker.port": broker.port}
        for n, (store, device) in enumerate(KIOSKS):
            if n == len(KIOSKS) // 2:
                broker.restart()  # mid-way: the workers' sessions and queues survive it
            sync_once(dbs[store, device], {**settings, "store_id": store, "device_id": device})
        # Garbage and a kiosk that sends everything again.
        raw = mqtt.Client(CallbackAPIVersion.VERSION2, protocol=mqtt.MQTTv5)
        raw.connect(broker.host, broker.port)
        raw.loop_start()
        for topic, payload in [("pos/v1/toko-00/k1/sale", b"{not json"),
                               ("pos/v1/toko-01/k2/health", b'{"schema": 1}'),
                               ("pos/v1/toko-02/k1/stock", b"\xff\xfe")]:  # fmt: skip
            raw.publish(topic, payload, qos=1).wait_for_publish(5)
        raw.disconnect()
        raw.loop_stop()
        store, device = KIOSKS[7]
        with open_db(dbs[store, device]) as conn:
            conn.execute("INSERT OR IGNORE INTO outbox_unsent(id) SELECT id FROM outbox")
        sync_once(dbs[store, device], {**settings, "store_id": store, "device_id": device})

        def settled() -> bool:
            done = sum(w.counts["new"] + w.counts["duplicate"] + w.counts["quarantined"]
                       for w in workers)  # fmt: skip
            return workers[0].count() == len(KIOSKS) * SALES and done >= len(KIOSKS) * SALES + 3

        assert eventually(settled, timeout=60), [w.counts for w in workers]
    finally:
        for worker in workers:
            worker.stop()
    engine = open_engine(url)
    with engine.connect() as conn:
        for (store, device), db in dbs.items():
            assert fleet_day(conn, store, device) == kiosk_day(db, device), (store, device)
        quarantined = conn.execute(sa.select(schema.quarantine.c.topic)).scalars().all()
    engine.dispose()
    assert sorted(quarantined) == ["pos/v1/toko-00/k1/sale", "pos/v1/toko-01/k2/health",
                                   "pos/v1/toko-02/k1/stock"]  # fmt: skip
    assert sum(w.counts["duplicate"] for w in workers) >= SALES
