"""A delivery app's order after it is placed, on both engines, through the orders API
and the kiosks' ``order`` messages as ingest stores them: the channel (or the store)
cancels it and a prepaid one is refunded exactly once through the acquirer path the
shop refunds its own payments with; a delivery the rider took is delivered, reported by
the channel or marked at the till, and the customer's and the owner's pages say so in
Indonesian and English."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from fleet.ingest import messages
from fleet.services import commands
from fleet.services.users import Access
from fleet.shop import keys, order_status, payments, settings
from fleet.shop.orders import now_utc
from fleet.shop.payments import SimulatedAcquirer
from fleet.storage.shop_schema import orders
from fleet.web import create_app
from kiosk.contract.messages import order_status_message
from kiosk.contract.schemas import validate_command
from tests.fleet.accounts import add_account, sign_in
from tests.fleet.test_web_shop import Broker as Published

OWNER = Access("owner", "owner", None)
CATALOG = [
    {"sku": "TEH", "name": "Teh Botol", "price": 5000, "category": "Minuman"},
    {"sku": "KOPI", "name": "Kopi Susu", "price": 8000, "category": "Minuman"},
]


class SlowAcquirer(SimulatedAcquirer):
    """Takes a while to answer, so two rounds of refunds overlap; counts the calls."""

    def __init__(self) -> None:
        super().__init__()
        self.calls = 0
        self.started = threading.Event()

    def refund(self, reference: str, amount: int) -> str:
        self.calls += 1
        self.started.set()
        time.sleep(0.3)
        return super().refund(reference, amount)


class RefusingOnceAcquirer(SimulatedAcquirer):
    """Refuses the first refund (the acquirer is away), takes the next."""

    def __init__(self) -> None:
        super().__init__()
        self.calls = 0

    def refund(self, reference: str, amount: int) -> str:
        self.calls += 1
        if self.calls == 1:
            raise ConnectionError("acquirer unreachable")
        return super().refund(reference, amount)


Shop = tuple[TestClient, Published, SimulatedAcquirer, str]


def open_store(engine: sa.Engine, publish: Published) -> str:
    """Store ``toko`` with its catalog and delivery, and a key for its gofood connector."""
    commands.send(engine, publish, "catalog", {"mode": "snapshot", "products": CATALOG},
                  store_id="toko", device_id="all", by=OWNER)  # fmt: skip
    with engine.begin() as conn:
        settings.save(conn, "toko", {"delivery": True, "delivery_fee": 7000})
        return keys.add_key(conn, "toko", "gofood")


@pytest.fixture
def shop(fleet_engine: sa.Engine) -> Iterator[Shop]:
    publish, acquirer = Published(), SimulatedAcquirer()
    key = open_store(fleet_engine, publish)
    with TestClient(create_app(fleet_engine, publish=publish, acquirer=acquirer)) as client:
        yield client, publish, acquirer, key


def auth(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def place(client: TestClient, key: str, order_id: str = "GF-7", **changes: Any) -> Any:
    body = {"order_id": order_id, "channel": "gofood",
            "customer": {"name": "Sari", "phone": "+6281234567890"},
            "lines": [{"sku": "TEH", "qty": 2}, {"sku": "KOPI", "qty": 1}],
            "fulfilment": {"type": "delivery", "address": "Jl. Melati 3"}, "prepaid": True,
            "payment_reference": f"GOPAY-{order_id}"} | changes  # fmt: skip
    answer = client.post("/api/v1/stores/toko/orders", json=body, headers=auth(key))
    assert answer.status_code == 201, answer.text
    return answer.json()


def kiosk_says(engine: sa.Engine, order_id: str, status: str, at: str, **extra: Any) -> None:
    message = order_status_message("toko", "k1", order_id, status, at, **extra)
    with engine.begin() as conn:
        messages.store_message(conn, "pos/v1/toko/k1/order", message.payload.encode(),
                               received_at=at, partitions=messages.repository.Partitions())  # fmt: skip


def history(engine: sa.Engine, order_id: str) -> list[str]:
    with engine.connect() as conn:
        body = conn.execute(sa.select(orders.c.body).where(orders.c.order_id == order_id))
        return [entry["status"] for entry in json.loads(body.scalar_one())["history"]]


def test_the_channel_cancels_a_prepaid_order_and_it_is_refunded_once(
    shop: Shop, fleet_engine: sa.Engine
) -> None:
    client, publish, acquirer, key = shop
    placed = place(client, key)
    assert placed["total"] == 18000 + 7000 and placed["refunded"] == 0
    kiosk_says(fleet_engine, placed["order_id"], "accepted", "2026-11-30T03:00:00Z")
    cancel = client.post("/api/v1/stores/toko/orders/GF-7/cancel", json={"reason": "customer"},
                         headers=auth(key))  # fmt: skip
    assert cancel.status_code == 200, cancel.text
    # Not refunded before the kiosk that has it confirms: till then its till may sell it.
    assert (cancel.json()["status"], cancel.json()["refunded"]) == ("cancelled", 0)
    assert payments.refund_cancelled(fleet_engine, acquirer, "early") == []
    assert acquirer.refunded == {}
    add_account(fleet_engine, "ibu")
    sign_in(client, "ibu")
    row = client.get("/stores/toko/orders?lang=en").text.split(placed["order_id"])[1]
    assert "Refund once the store confirms" in row.split("</tr>")[0]
    # The store's kiosks are told: each frees the units and stops working the order.
    told = publish.orders()[-1]
    assert told == {"action": "cancel", "order_id": placed["order_id"], "reason": "customer"}
    kiosk_says(fleet_engine, placed["order_id"], "cancelled", "2026-11-30T03:01:00Z",
               reason="customer")  # fmt: skip
    assert payments.refund_cancelled(fleet_engine, acquirer, "t") == [placed["order_id"]]
    assert acquirer.refunded == {"GOPAY-GF-7": 25000}
    again = client.post("/api/v1/stores/toko/orders/GF-7/cancel", json={"reason": "again"},
                        headers=auth(key))  # fmt: skip
    assert again.status_code == 200 and again.json()["refunded"] == 25000
    assert payments.refund_cancelled(fleet_engine, acquirer, "later") == []
    assert acquirer.refunded == {"GOPAY-GF-7": 25000}  # once, whoever asks again
    assert history(fleet_engine, placed["order_id"]).count("refunded") == 1
    # The kiosk's "cancelled" again changes nothing more.
    kiosk_says(fleet_engine, placed["order_id"], "cancelled", "2026-11-30T03:01:00Z",
               reason="customer")  # fmt: skip
    page = client.get(placed["order_url"] + "?lang=id").text
    assert "Dibatalkan" in page and "Pembayaran Anda sudah dikembalikan. Rp25.000" in page
    page = client.get(placed["order_url"] + "?lang=en").text
    assert "Your payment was refunded. Rp25,000" in page
    row = client.get("/stores/toko/orders?lang=en").text.split(placed["order_id"])[1]
    assert "Refund once" not in row.split("</tr>")[0] and "Refunded Rp25,000" in row


def test_a_prepaid_connector_order_cancelled_at_the_till_is_refunded_by_the_loop(
    shop: Shop, fleet_engine: sa.Engine
) -> None:
    client, _, acquirer, key = shop
    placed = place(client, key, "GF-8")
    unpaid = place(client, key, "GF-9", prepaid=False, payment_reference="")
    for order_id in (placed["order_id"], unpaid["order_id"]):
        kiosk_says(fleet_engine, order_id, "received", "2026-11-30T03:00:00Z")
        kiosk_says(fleet_engine, order_id, "cancelled", "2026-11-30T03:05:00Z",
                   reason="out of tea")  # fmt: skip
    loop = payments.RefundLoop(fleet_engine, acquirer, every_s=0.05).start()
    try:
        deadline = time.monotonic() + 10
        while not acquirer.refunded and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        loop.stop()
    assert acquirer.refunded == {"GOPAY-GF-8": 25000}  # the pay-at-pickup order owes nothing
    answer = client.get("/api/v1/stores/toko/orders/GF-8", headers=auth(key)).json()
    assert (answer["status"], answer["refunded"]) == ("cancelled", 25000)
    add_account(fleet_engine, "ibu")
    sign_in(client, "ibu")
    owner = client.get("/stores/toko/orders?lang=id").text
    row = owner.split(f'data-order="{placed["order_id"]}"')[1].split("</tr>")[0]
    assert "Dibatalkan" in row and "Dana dikembalikan Rp25.000" in row
    row = owner.split(f'data-order="{unpaid["order_id"]}"')[1].split("</tr>")[0]
    assert "Dibatalkan" in row and "Dana dikembalikan" not in row


def test_two_rounds_at_once_refund_once_and_a_refusal_is_tried_again(
    fleet_engine: sa.Engine,
) -> None:
    publish = Published()
    commands.send(fleet_engine, publish, "catalog", {"mode": "snapshot", "products": CATALOG},
                  store_id="toko", device_id="all", by=OWNER)  # fmt: skip
    with fleet_engine.begin() as conn:
        key = keys.add_key(conn, "toko", "gofood")
    slow = SlowAcquirer()
    with TestClient(create_app(fleet_engine, publish=publish)) as client:
        placed = place(client, key, "GF-10", fulfilment="pickup")
        kiosk_says(fleet_engine, placed["order_id"], "cancelled", "2026-11-30T03:05:00Z",
                   reason="closing")  # fmt: skip
        page_during = []
        rounds = [threading.Thread(target=lambda: payments.refund_cancelled(
            fleet_engine, slow, "t")) for _ in range(3)]  # fmt: skip
        for thread in rounds:
            thread.start()
        assert slow.started.wait(5)  # a refund is under way: the customer's page says so
        page_during.append(client.get(placed["order_url"] + "?lang=en").text)
        for thread in rounds:
            thread.join()
        assert slow.refunded == {"GOPAY-GF-10": 18000} and slow.calls == 1
        # Two rounds that read the order before either claimed it: only one may call.
        with fleet_engine.connect() as conn:
            row = conn.execute(sa.select(orders).where(
                orders.c.order_id == placed["order_id"])).one()  # fmt: skip
        source = {"provider": "gofood", "reference": "GOPAY-GF-10"}
        assert payments._claim(fleet_engine, row, json.loads(row.body), source, "t")
        assert not payments._claim(fleet_engine, row, json.loads(row.body), source, "t")
        assert "Your payment is being refunded." in page_during[0]
        refusing = RefusingOnceAcquirer()
        second = place(client, key, "GF-11", fulfilment="pickup")
        kiosk_says(fleet_engine, second["order_id"], "cancelled", "2026-11-30T03:06:00Z",
                   reason="closing")  # fmt: skip
        assert payments.refund_cancelled(fleet_engine, refusing, "t1") == []
        assert refusing.refunded == {}  # refused: released for the next round
        assert payments.refund_cancelled(fleet_engine, refusing, "t2") == [second["order_id"]]
        assert refusing.refunded == {"GOPAY-GF-11": 18000}


def test_a_collected_order_cannot_be_cancelled_by_the_channel(
    shop: Shop, fleet_engine: sa.Engine
) -> None:
    client, _, acquirer, key = shop
    placed = place(client, key, "GF-12")
    kiosk_says(fleet_engine, placed["order_id"], "collected", "2026-11-30T03:00:00Z",
               sale_id="s-1")  # fmt: skip
    late = client.post("/api/v1/stores/toko/orders/GF-12/cancel", json={"reason": "late"},
                       headers=auth(key))  # fmt: skip
    assert late.status_code == 409 and late.json()["code"] == "already_collected"
    unknown = client.post("/api/v1/stores/toko/orders/nope/cancel", json={"reason": "x"},
                          headers=auth(key))  # fmt: skip
    assert unknown.status_code == 404 and acquirer.refunded == {}
    blank = client.post("/api/v1/stores/toko/orders/GF-12/cancel", json={"reason": ""},
                        headers=auth(key))  # fmt: skip
    assert blank.status_code == 422


def test_a_delivery_is_on_its_way_then_delivered_as_the_channel_reports(
    shop: Shop, fleet_engine: sa.Engine
) -> None:
    client, publish, _, key = shop
    placed = place(client, key, "GF-20")
    url = "/api/v1/stores/toko/orders/GF-20/delivered"
    early = client.post(url, headers=auth(key))
    assert early.status_code == 409 and early.json()["code"] == "not_picked_up"
    kiosk_says(fleet_engine, placed["order_id"], "ready", "2026-11-30T03:00:00Z")
    kiosk_says(fleet_engine, placed["order_id"], "collected", "2026-11-30T03:10:00Z",
               sale_id="s-20")  # fmt: skip
    assert "Dibawa kurir" in client.get(placed["order_url"] + "?lang=id").text
    assert "On its way" in client.get(placed["order_url"] + "?lang=en").text
    done = client.post(url, headers=auth(key))
    assert done.status_code == 200 and done.json()["status"] == "delivered"
    [(topic, doc)] = [(t, d) for t, d in publish.sent if d["body"].get("action") == "delivered"]
    assert topic == "pos/v1/toko/all/cmd/order" and validate_command("order", doc) == []
    assert client.post(url, headers=auth(key)).json()["status"] == "delivered"  # a repeat
    assert len([d for d in publish.orders() if d.get("action") == "delivered"]) == 1
    assert "Sudah diantar" in client.get(placed["order_url"] + "?lang=id").text
    assert "Delivered" in client.get(placed["order_url"] + "?lang=en").text
    add_account(fleet_engine, "ibu")
    sign_in(client, "ibu")
    owner = client.get("/stores/toko/orders?lang=en").text
    assert "Delivered" in owner.split(f'data-order="{placed["order_id"]}"')[1].split("</tr>")[0]
    # The kiosk's own "delivered" (the till's answer to the command) changes nothing more.
    kiosk_says(fleet_engine, placed["order_id"], "delivered", "2026-11-30T03:30:00Z")
    assert history(fleet_engine, placed["order_id"])[-1] == "delivered"
    assert history(fleet_engine, placed["order_id"]).count("delivered") == 1


def test_the_till_marks_a_delivery_delivered_and_a_pickup_is_never_delivered(
    shop: Shop, fleet_engine: sa.Engine
) -> None:
    client, _, _, key = shop
    delivery = place(client, key, "GF-21")
    pickup = place(client, key, "GF-22", fulfilment={"type": "pickup"})
    cancelled = place(client, key, "GF-23")
    kiosk_says(fleet_engine, cancelled["order_id"], "cancelled", "2026-11-30T03:00:00Z",
               reason="no rider")  # fmt: skip
    kiosk_says(fleet_engine, cancelled["order_id"], "delivered", "2026-11-30T03:01:00Z")
    kiosk_says(fleet_engine, delivery["order_id"], "collected", "2026-11-30T03:10:00Z",
               sale_id="s-21")  # fmt: skip
    kiosk_says(fleet_engine, delivery["order_id"], "delivered", "2026-11-30T03:40:00Z")
    with fleet_engine.connect() as conn:
        states = dict(conn.execute(sa.select(orders.c.external_id, orders.c.status)).all())
    assert states == {"GF-21": "delivered", "GF-22": "placed", "GF-23": "cancelled"}
    kiosk_says(fleet_engine, pickup["order_id"], "collected", "2026-11-30T03:10:00Z",
               sale_id="s-22")  # fmt: skip
    refused = client.post("/api/v1/stores/toko/orders/GF-22/delivered", headers=auth(key))
    assert refused.status_code == 409 and refused.json()["code"] == "not_a_delivery"
    assert "Sudah diambil" in client.get(pickup["order_url"] + "?lang=id").text


def test_the_owner_cancels_a_prepaid_order_no_kiosk_has_and_it_is_refunded(
    shop: Shop, fleet_engine: sa.Engine
) -> None:
    client, publish, acquirer, key = shop
    placed = place(client, key, "GF-30")
    order_status.owner_cancel(fleet_engine, publish, "toko", placed["order_id"],
                              reason="no kiosk online", now=now_utc(), by=OWNER)  # fmt: skip
    # It went to the broker: a kiosk that comes online takes it and then its cancel, and
    # says so; only then is it refunded.
    assert payments.refund_cancelled(fleet_engine, acquirer, "t") == []
    kiosk_says(fleet_engine, placed["order_id"], "received", "2026-11-30T03:05:00Z")
    kiosk_says(fleet_engine, placed["order_id"], "cancelled", "2026-11-30T03:05:01Z",
               reason="no kiosk online")  # fmt: skip
    assert payments.refund_cancelled(fleet_engine, acquirer, "t") == [placed["order_id"]]
    assert payments.refund_cancelled(fleet_engine, acquirer, "t") == []
    assert acquirer.refunded == {"GOPAY-GF-30": 25000}
    answer = client.get("/api/v1/stores/toko/orders/GF-30", headers=auth(key)).json()
    assert (answer["status"], answer["refunded"]) == ("cancelled", 25000)
    spec = client.get("/openapi.json").json()["paths"]
    for step in ("cancel", "delivered"):
        assert "409" in spec[f"/api/v1/stores/{{store}}/orders/{{order_id}}/{step}"]["post"][
            "responses"]  # fmt: skip
