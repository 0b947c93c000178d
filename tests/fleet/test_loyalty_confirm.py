"""Loyalty balances confirmed back to the kiosks, on both engines: the balance counts
every store's moves, goes to each store where the member has points, names per kiosk of
that store the last move counted; end to end through a real mosquitto, the fleet's
ingest worker and a real kiosk agent, which applies it so its till may spend what the
member earned at another store."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from fleet.ingest import IngestWorker
from fleet.ingest.messages import store_message
from fleet.services import loyalty as fleet_loyalty
from fleet.storage import schema
from fleet.storage.engine import open_engine
from fleet.storage.repository import Partitions
from kiosk.domain import points
from kiosk.domain.catalog import Catalog, Product
from kiosk.services.checkout import CheckoutConfig, CheckoutService
from kiosk.services.loyalty import LoyaltyService
from kiosk.storage.db import open_db
from kiosk.storage.ledger import SqliteLedger
from kiosk.storage.members_store import MembersStore
from kiosk.storage.points_store import PointsStore
from kiosk.storage.unit_of_work import SqliteUnitOfWork
from kiosk.telemetry.sync import sync_once
from kiosk.testing.broker_process import MosquittoProcess, TopicRecorder, eventually
from kiosk.testing.clock import SettableClock
from tests.integration import test_agent as agent_tests
from tests.integration.test_agent import prepare, start_agent, stop

broker = agent_tests.broker  # a throwaway mosquitto (skips when there is none)
PHONE = "081234567890"
TEH = Product("TEH", "Teh", 5000, ("8991000000010",))


def earn(db: Path, store: str, device: str, teh: int, member: object | None = None) -> str:
    """A member's cash sale of ``teh`` x Rp5.000 on a kiosk's ledger (enrolled there, or
    ``member`` copied in as the member list would bring it); returns the member id."""
    ledger = SqliteLedger(db, device)
    try:
        clock = SettableClock(datetime(2026, 11, 27, 3, 0, tzinfo=UTC))
        service = LoyaltyService(SqliteUnitOfWork(ledger), clock, PointsStore(ledger.conn),
                                 MembersStore(ledger.conn),
                                 points.LoyaltyRules(max_redeem_share_percent=100))  # fmt: skip
        if member is None:
            member = service.enrol(PHONE, "Sari")
        else:
            MembersStore(ledger.conn).upsert_many([member])  # type: ignore[list-item]
        till = CheckoutService(catalog=Catalog([TEH]), ledger=ledger, clock=clock,
                               config=CheckoutConfig(store_id=store, device_id=device))  # fmt: skip
        service.attach(till, PHONE)
        till.add_sku("TEH", teh)
        till.pay_cash(teh * 5000)
        service.complete(till)
        return str(member.member_id)  # type: ignore[attr-defined]
    finally:
        ledger.close()


def member_of(db: Path, device: str) -> object:
    ledger = SqliteLedger(db, device)
    try:
        return MembersStore(ledger.conn).by_phone(PHONE)
    finally:
        ledger.close()


def own_balance(db: Path, member_id: str) -> int:
    conn = open_db(db)
    try:
        return PointsStore(conn).balance(member_id)
    finally:
        conn.close()


def outbox(db: Path) -> list[tuple[str, str]]:
    conn = open_db(db)
    try:
        return conn.execute("SELECT topic, payload FROM outbox ORDER BY id").fetchall()
    finally:
        conn.close()


def test_the_balance_of_every_store_goes_to_each_of_the_members_stores(
    fleet_engine: sa.Engine, tmp_path: Path
) -> None:
    member_id = earn(tmp_path / "a1.db", "toko-a", "k1", 4)
    earn(tmp_path / "b7.db", "toko-b", "k7", 2, member_of(tmp_path / "a1.db", "k1"))
    total = own_balance(tmp_path / "a1.db", member_id) + own_balance(tmp_path / "b7.db", member_id)
    assert own_balance(tmp_path / "b7.db", member_id) > 0
    stored = Partitions()
    with fleet_engine.begin() as conn:
        for db, store, device in ((tmp_path / "a1.db", "toko-a", "k1"),
                                  (tmp_path / "b7.db", "toko-b", "k7")):  # fmt: skip
            for suffix, payload in outbox(db):
                store_message(conn, f"pos/v1/{store}/{device}/{suffix}", payload.encode(),
                              received_at="2026-11-27T03:00:01Z", partitions=stored)  # fmt: skip
        redelivered = outbox(tmp_path / "b7.db")[-1]  # a duplicate counts once
        store_message(conn, f"pos/v1/toko-b/k7/{redelivered[0]}", redelivered[1].encode(),
                      received_at="2026-11-27T03:00:02Z", partitions=stored)  # fmt: skip
    with fleet_engine.connect() as conn:
        sent = fleet_loyalty.confirmations(conn, [member_id, "nobody"], "2026-11-27T03:00:03Z")
        seqs = dict(conn.execute(sa.select(schema.member_points.c.store_id,
                                           schema.member_points.c.seq)).all())  # fmt: skip
    assert [store for store, _ in sent] == ["toko-a", "toko-b"]
    for store, body in sent:
        assert body["as_of"] == "2026-11-27T03:00:03Z"
        (entry,) = body["balances"]
        assert entry["member_id"] == member_id and entry["balance"] == total
        device = "k1" if store == "toko-a" else "k7"  # only the store's own kiosks
        assert entry["seen"] == {device: seqs[store]} and seqs[store] > 0
    published: list[tuple[str, bytes]] = []
    assert fleet_loyalty.confirm(fleet_engine, lambda t, p: published.append((t, p)),
                                 [member_id]) == 2  # fmt: skip
    assert [topic for topic, _ in published] == [
        "pos/v1/toko-a/all/cmd/points", "pos/v1/toko-b/all/cmd/points"]  # fmt: skip
    assert json.loads(published[0][1])["issued_by"] == "fleet"


@pytest.mark.broker
def test_a_kiosk_agent_gets_the_confirmed_balance_and_its_till_may_spend_it(
    broker: MosquittoProcess, tmp_path: Path, fleet_url: str
) -> None:
    data = tmp_path / "device"
    data.mkdir()
    prepare(data, broker.port)  # store "toko", kiosk "k1"
    member_id = earn(data / "ledger.sqlite", "toko", "k1", 2)
    earn(tmp_path / "b7.db", "toko-b", "k7", 6, member_of(data / "ledger.sqlite", "k1"))
    here, there = (
        own_balance(db, member_id) for db in (data / "ledger.sqlite", tmp_path / "b7.db")
    )
    assert here > 0 and there > 0
    engine = open_engine(fleet_url)
    worker = IngestWorker(fleet_url, broker.host, broker.port, reconnect_max_s=1).start()
    recorder = TopicRecorder(broker.host, broker.port, ["pos/v1/+/all/cmd/points"])
    agent = start_agent(data, tmp_path / "agent.log")
    try:
        assert worker.subscribed.wait(10)
        other = {"store_id": "toko-b", "device_id": "k7", "broker.host": broker.host,
                 "broker.port": broker.port}  # fmt: skip
        assert sync_once(tmp_path / "b7.db", other, timeout=30) > 0

        def confirmed() -> tuple[int, int] | None:
            conn = open_db(data / "ledger.sqlite")
            try:
                return PointsStore(conn).confirmed(member_id)
            finally:
                conn.close()

        # Both kiosks' moves reach the fleet; the last confirmation to "toko" counts both.
        assert eventually(lambda: (confirmed() or (0, 0))[0] == here + there, timeout=20), (
            tmp_path / "agent.log"
        ).read_text()
        topics = {topic for topic, _, _ in recorder.messages}
        assert topics == {"pos/v1/toko/all/cmd/points", "pos/v1/toko-b/all/cmd/points"}
    finally:
        assert stop(agent) == 0
        recorder.close()
        worker.stop()
        engine.dispose()
    ledger = SqliteLedger(data / "ledger.sqlite", "k1")
    try:
        clock = SettableClock(datetime(2026, 11, 27, 4, 0, tzinfo=UTC))
        till_loyalty = LoyaltyService(SqliteUnitOfWork(ledger), clock, PointsStore(ledger.conn),
                                      MembersStore(ledger.conn))  # fmt: skip
        assert till_loyalty.spendable(member_id) == here + there  # with toko-b's points
        assert till_loyalty.balance(member_id) == here  # this till's own book
    finally:
        ledger.close()
