"""``fleet.ingest.store_message`` without a broker, on SQLite and PostgreSQL: the kiosk's
real outbox messages stored once each, anything malformed quarantined with the reason,
and each device's journal chain followed (gaps and forks)."""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path

import pytest
import sqlalchemy as sa

from fleet.ingest import quarantined, store_message, store_sale
from fleet.ingest.messages import journal_state
from fleet.storage import repository, schema
from kiosk.contract.topics import DeviceTopics
from kiosk.storage import outbox
from kiosk.storage.ledger import SqliteLedger
from kiosk.telemetry.health import HealthCollector
from kiosk.testing.sales import make_sale

DEVICE = DeviceTopics("store-1", "kiosk-1")
TOPIC = DEVICE.of("sale")
NOW = "2026-11-29T03:00:00.000000Z"


def kiosk_rows(
    tmp_path: Path, sales: int, *, name: str = "ledger", seed: int = 9
) -> list[tuple[str, bytes]]:
    """(topic suffix, payload) of every outbox row of a kiosk that made ``sales`` sales
    (and one published event between the second and third)."""
    ledger = SqliteLedger(tmp_path / f"{name}.sqlite", "kiosk-1", store_id="store-1")
    rng = random.Random(seed)
    for n in range(sales):
        ledger.commit_sale(make_sale(rng, business_date="2026-11-28"))
        if n == 1:
            ledger.record_event("no_sale", "drawer", {"staff": "ani"}, "2026-11-28T03:00:00Z")
    rows = [(row.topic, row.payload.encode()) for row in outbox.pending(ledger.conn)]
    ledger.close()
    return rows


def put(engine: sa.Engine, suffix: str, payload: bytes, topic: str = "") -> str:
    with engine.begin() as conn:
        return store_message(conn, topic or DEVICE.of(suffix), payload, received_at=NOW,
                             partitions=repository.Partitions())  # fmt: skip


def count(engine: sa.Engine, table: sa.Table) -> int:
    with engine.connect() as conn:
        return int(conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one())


def test_each_sale_is_stored_once_however_often_it_arrives(
    fleet_engine: sa.Engine, tmp_path: Path
) -> None:
    sales = [p for kind, p in kiosk_rows(tmp_path, 3) if kind == "sale"]
    outcomes = [put(fleet_engine, "sale", m) for m in [*sales, sales[1], sales[0]]]
    assert outcomes == ["new", "new", "new", "duplicate", "duplicate"]
    docs = [json.loads(m) for m in sales]
    with fleet_engine.connect() as conn:
        stored = conn.execute(sa.select(schema.sales.c.sale_id, schema.sales.c.business_date,
                                        schema.sales.c.total, schema.sales.c.body)).all()  # fmt: skip
    assert sorted((r.sale_id, r.business_date.isoformat(), r.total) for r in stored) == sorted(
        (d["sale_id"], "2026-11-28", d["total"]) for d in docs
    )  # the kiosk's business day, not the day it arrived (NOW is the 29th)
    assert count(fleet_engine, schema.quarantine) == 0


def test_store_sale_keeps_the_old_one_call_shape(fleet_engine: sa.Engine, tmp_path: Path) -> None:
    sale = next(p for kind, p in kiosk_rows(tmp_path, 1) if kind == "sale")
    with fleet_engine.begin() as conn:
        assert store_sale(conn, TOPIC, sale, received_at=NOW) == "new"
        assert store_sale(conn, TOPIC, sale, received_at=NOW) == "duplicate"


def test_a_malformed_message_is_quarantined_with_its_reason_and_ingest_goes_on(
    fleet_engine: sa.Engine, tmp_path: Path
) -> None:
    sales = [p for kind, p in kiosk_rows(tmp_path, 2) if kind == "sale"]
    doc = json.loads(sales[0])
    wrong_total = json.dumps({**doc, "total": doc["total"] + 1}).encode()
    future = json.dumps({**doc, "schema": 7}).encode()
    other_device = DeviceTopics("store-1", "kiosk-2").of("sale")
    bad = [(b"{not json", TOPIC), (wrong_total, TOPIC), (future, TOPIC),
           (sales[0], other_device), (sales[0], "not/a/pos/topic"),
           (b'{"schema": 1}', DEVICE.of("health"))]  # fmt: skip
    assert [put(fleet_engine, "", p, t) for p, t in bad] == ["quarantined"] * len(bad)
    assert put(fleet_engine, "sale", sales[1]) == "new"
    with fleet_engine.connect() as conn:
        kept = quarantined(conn)
    assert [(t, p) for t, p, _ in kept] == [(t, p) for p, t in bad]  # byte for byte
    reasons = [r for _, _, r in kept]
    assert reasons[0].startswith("payload is not JSON")
    assert reasons[1] == "total: is not the sum of the line amounts"
    assert reasons[2] == "schema: version 7 of sale is not supported (1)"
    assert reasons[3] == f"topic {other_device} does not match the sale's store/device"
    assert reasons[4] == "topic not/a/pos/topic is not one a kiosk publishes"
    assert "at:" in reasons[5] and "store_id:" in reasons[5]
    assert count(fleet_engine, schema.sales) == 1


def test_events_alerts_stock_and_results_are_stored_once(
    fleet_engine: sa.Engine, tmp_path: Path
) -> None:
    rows = kiosk_rows(tmp_path, 3)
    kinds = sorted({kind for kind, _ in rows})
    assert "event" in kinds and "sale" in kinds
    first = [put(fleet_engine, kind, p) for kind, p in rows]
    again = [put(fleet_engine, kind, p) for kind, p in rows]
    assert set(first) == {"new"} and set(again) == {"duplicate"}
    result = {"schema": 1, "command_id": "c1", "name": "prices", "ok": True,
              "duplicate": False, "errors": [], "at": NOW, "store_id": "store-1",
              "device_id": "kiosk-1", "detail": {"changed": 2}}  # fmt: skip
    payload = json.dumps(result).encode()
    assert put(fleet_engine, "cmd/prices/result", payload) == "new"
    assert put(fleet_engine, "cmd/prices/result", payload) == "duplicate"
    assert count(fleet_engine, schema.events) == 1
    assert count(fleet_engine, schema.command_results) == 1


def test_the_journal_chain_of_a_device_has_no_gap_when_every_record_arrives(
    fleet_engine: sa.Engine, tmp_path: Path
) -> None:
    rows = [r for r in kiosk_rows(tmp_path, 4) if r[0] in ("sale", "event")]
    for kind, payload in reversed(rows):  # out of order: gaps close as records arrive
        put(fleet_engine, kind, payload)
    with fleet_engine.connect() as conn:
        state = journal_state(conn, "store-1", "kiosk-1")
    assert state is not None
    assert (state["first_seq"], state["last_seq"], state["links"]) == (1, 5, 5)
    assert (state["gaps"], state["forks"], state["bad_hashes"], state["broken"]) == (0, 0, 0, False)


def test_a_lost_sale_shows_as_a_gap_and_a_rewritten_journal_as_a_fork(
    fleet_engine: sa.Engine, tmp_path: Path
) -> None:
    sales = [p for kind, p in kiosk_rows(tmp_path, 4) if kind == "sale"]
    for payload in (sales[0], sales[1], sales[3]):  # sales[2] (record 4) never arrives
        put(fleet_engine, "sale", payload)
    with fleet_engine.connect() as conn:
        state = journal_state(conn, "store-1", "kiosk-1")
    assert state is not None
    assert (state["gaps"], state["broken"]) == (2, False)  # the event (3) and the sale (4)
    # The same device restored from an old backup: a different sale with record seq 4.
    forked = [p for kind, p in kiosk_rows(tmp_path, 3, name="restored", seed=10) if kind == "sale"]
    other = json.loads(forked[2])
    assert other["journal"]["seq"] == 4
    assert put(fleet_engine, "sale", forked[2]) == "new"  # the sale counts; the chain breaks
    with fleet_engine.connect() as conn:
        state = journal_state(conn, "store-1", "kiosk-1")
    assert state is not None
    assert (state["forks"], state["broken"]) == (1, True)
    assert "fork" in state["problem"]


def test_a_sale_edited_on_the_way_breaks_its_hash(fleet_engine: sa.Engine, tmp_path: Path) -> None:
    sale = next(p for kind, p in kiosk_rows(tmp_path, 1) if kind == "sale")
    doc = json.loads(sale)
    edited = sale.replace(f'"cashier":"{doc["cashier"]}"'.encode(), b'"cashier":"mallory"')
    assert edited != sale
    assert put(fleet_engine, "sale", edited) == "new"
    with fleet_engine.connect() as conn:
        state = journal_state(conn, "store-1", "kiosk-1")
    assert state is not None
    assert (state["bad_hashes"], state["broken"]) == (1, True)


@pytest.mark.parametrize("workers", [2, 3])
def test_every_store_has_exactly_one_worker(workers: int) -> None:
    from fleet.ingest.partition import mine, owner

    stores = [f"toko-{n}" for n in range(200)]
    owners = [owner(s, workers) for s in stores]
    assert owners == [owner(s, workers) for s in stores]  # stable
    assert set(owners) == set(range(workers))
    for store in stores:
        topic = DeviceTopics(store, "k1").of("sale")
        assert sum(mine(topic, i, workers) for i in range(workers)) == 1


def test_the_till_warnings_arrive_as_their_own_alert_kinds(
    fleet_engine: sa.Engine, tmp_path: Path
) -> None:
    """Low disk and a clock behind the last known time, raised by a kiosk's health report
    (the real outbox rows), stored by the fleet under their own kinds."""
    ledger = SqliteLedger(tmp_path / "ledger.sqlite", "kiosk-1", store_id="store-1")
    huge = shutil.disk_usage(tmp_path).total * 2
    health = HealthCollector("store-1", "kiosk-1", "1.0", disk_path=tmp_path,
                             min_free_bytes=huge, thermal_path=tmp_path / "none")  # fmt: skip
    ledger.remember_time(NOW, synchronised=False)
    health(ledger.conn)
    rows = [(r.topic, r.payload.encode()) for r in outbox.pending(ledger.conn)]
    ledger.close()
    assert [put(fleet_engine, topic, payload) for topic, payload in rows] == ["new", "new"]
    with fleet_engine.connect() as conn:
        stored = conn.execute(sa.select(schema.alerts.c.kind, schema.alerts.c.severity)
                              .order_by(schema.alerts.c.kind)).all()  # fmt: skip
    assert [tuple(r) for r in stored] == [("clock_not_synchronised", "warning"),
                                          ("disk_low", "warning")]  # fmt: skip
    assert count(fleet_engine, schema.quarantine) == 0
