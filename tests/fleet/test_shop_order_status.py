"""What the kiosks say about an order reaches the fleet through ingest (the ``order``
message): statuses only move forward, a short line is flagged, a repeat is harmless; an
order no kiosk has received is shown as such after the store's time and the owner may
cancel it (the kiosks are told)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa

from fleet.ingest import messages
from fleet.services import commands
from fleet.services.users import Access
from fleet.shop import housekeeping, order_status, orders, settings
from fleet.shop.api_models import OrderIn
from fleet.storage import repository
from kiosk.contract.messages import order_status_message

NOW = datetime(2026, 11, 30, 3, 0, tzinfo=UTC)
OWNER = Access("owner", "owner", None)
CATALOG = [{"sku": "TEH", "name": "Teh Botol", "price": 5000, "category": "Minuman"}]


class Published:
    def __init__(self) -> None:
        self.sent: list[tuple[str, dict[str, Any]]] = []

    def __call__(self, topic: str, payload: bytes) -> None:
        self.sent.append((topic, json.loads(payload)))


def place(engine: sa.Engine, publish: Published) -> dict[str, Any]:
    commands.send(engine, publish, "catalog", {"mode": "snapshot", "products": CATALOG},
                  store_id="toko", device_id="all", by=OWNER)  # fmt: skip
    request = OrderIn.model_validate({
        "order_id": "W-1", "customer": {"name": "Sari", "phone": "081234567"},
        "lines": [{"sku": "TEH", "qty": 2}], "fulfilment": "pickup"})  # fmt: skip
    return orders.place(engine, publish, "toko", request, now=NOW)


def kiosk_says(engine: sa.Engine, order_id: str, status: str, **extra: Any) -> str:
    message = order_status_message("toko", "k1", order_id, status, "2026-11-30T03:01:00Z",
                                   **extra)  # fmt: skip
    with engine.begin() as conn:
        return messages.store_message(conn, "pos/v1/toko/k1/order", message.payload.encode(),
                                      received_at="2026-11-30T03:01:01Z",
                                      partitions=messages.repository.Partitions())  # fmt: skip


def current(engine: sa.Engine, token: str) -> dict[str, Any]:
    with engine.connect() as conn:
        found = order_status.by_token(conn, "toko", token, NOW)
    assert found is not None
    return found


def test_kiosk_statuses_move_the_order_forward_only(fleet_engine: sa.Engine) -> None:
    placed = place(fleet_engine, Published())
    token = placed["order_url"].rsplit("/", 1)[1]
    oid = placed["order_id"]
    assert kiosk_says(fleet_engine, oid, "received") == "new"
    assert kiosk_says(fleet_engine, oid, "ready") == "new"
    assert kiosk_says(fleet_engine, oid, "accepted") == "duplicate"  # late, changes nothing
    assert kiosk_says(fleet_engine, oid, "short", short_skus=["TEH"]) == "new"
    seen = current(fleet_engine, token)
    assert (seen["status"], seen["short"]) == ("ready", True)
    assert kiosk_says(fleet_engine, oid, "collected", sale_id="s1") == "new"
    seen = current(fleet_engine, token)
    assert seen["status"] == "collected" and seen["sale_id"] == "s1"
    assert [h["status"] for h in seen["history"]] == [
        "placed", "received", "ready", "short", "collected"]  # fmt: skip
    assert kiosk_says(fleet_engine, oid, "cancelled", reason="x") == "duplicate"
    assert kiosk_says(fleet_engine, "nope", "ready") == "duplicate"  # unknown order
    # A status message that breaks the contract is quarantined, not applied.
    with fleet_engine.begin() as conn:
        bad = b'{"schema":1,"status_id":"x","order_id":"o","status":"lost"}'
        assert messages.store_message(conn, "pos/v1/toko/k1/order", bad, received_at="t",
                                      partitions=messages.repository.Partitions()) == "quarantined"  # fmt: skip


def test_an_unreceived_order_is_flagged_and_the_owner_may_cancel_it(
    fleet_engine: sa.Engine,
) -> None:
    publish = Published()
    placed = place(fleet_engine, publish)
    token, oid = placed["order_url"].rsplit("/", 1)[1], placed["order_id"]
    with fleet_engine.begin() as conn:
        settings.save(conn, "toko", {"not_received_minutes": 5})
        later = order_status.by_token(conn, "toko", token, NOW + timedelta(minutes=6))
        sooner = order_status.by_token(conn, "toko", token, NOW + timedelta(minutes=4))
    assert later is not None and later["not_yet_received"] is True
    assert sooner is not None and sooner["not_yet_received"] is False
    seen = order_status.owner_cancel(fleet_engine, publish, "toko", oid, reason="no answer",
                                     now=NOW + timedelta(minutes=6), by=OWNER)  # fmt: skip
    assert seen["status"] == "cancelled" and seen["reason"] == "no answer"
    topic, doc = publish.sent[-1]
    assert topic == "pos/v1/toko/all/cmd/order"
    assert doc["body"] == {"action": "cancel", "order_id": oid, "reason": "no answer"}
    # A kiosk that received it late cannot revive it (it is noted as holding it: a
    # refund waits for its "cancelled"); a repeat changes nothing.
    assert kiosk_says(fleet_engine, oid, "received") == "new"
    assert kiosk_says(fleet_engine, oid, "received") == "duplicate"
    assert current(fleet_engine, token)["status"] == "cancelled"


def test_the_owner_cannot_cancel_what_the_store_has(fleet_engine: sa.Engine) -> None:
    publish = Published()
    placed = place(fleet_engine, publish)
    kiosk_says(fleet_engine, placed["order_id"], "accepted")
    try:
        order_status.owner_cancel(fleet_engine, publish, "toko", placed["order_id"],
                                  reason="x", now=NOW, by=OWNER)  # fmt: skip
    except orders.OrderError as err:
        assert err.code == "already_at_store" and "accepted" in err.message
    else:
        raise AssertionError("an accepted order was cancelled from the fleet")


def test_a_finished_order_frees_the_hold_at_the_stores_other_kiosks(
    fleet_engine: sa.Engine,
) -> None:
    publish = Published()
    placed = place(fleet_engine, publish)
    oid = placed["order_id"]
    with fleet_engine.begin() as conn:  # one kiosk only: nothing to tell
        repository.store_status(conn, {"store_id": "toko", "device_id": "k1",
                                       "state": "online"}, received_at="t")  # fmt: skip
    kiosk_says(fleet_engine, oid, "received")
    kiosk_says(fleet_engine, oid, "collected", sale_id="s1")
    assert housekeeping.release_elsewhere(fleet_engine, publish) == []
    with fleet_engine.begin() as conn:  # a second kiosk of the store holds it too
        repository.store_status(conn, {"store_id": "toko", "device_id": "k2",
                                       "state": "online"}, received_at="t")  # fmt: skip
    before = len(publish.sent)
    assert housekeeping.release_elsewhere(fleet_engine, publish) == [oid]
    assert housekeeping.release_elsewhere(fleet_engine, publish) == []  # once
    [(topic, doc)] = publish.sent[before:]
    assert topic == "pos/v1/toko/all/cmd/order"
    assert doc["body"] == {"action": "cancel", "order_id": oid,
                           "reason": "collected at another kiosk"}  # fmt: skip
    # k2's answer, a cancel of its copy, does not undo the collection.
    assert kiosk_says(fleet_engine, oid, "cancelled", reason="x") == "duplicate"
    assert current(fleet_engine, placed["order_url"].rsplit("/", 1)[1])["status"] == "collected"
