"""The owner's online orders page on both engines: an order no kiosk has received within
the store's time is flagged and can be cancelled (the kiosks are told); one the store
has is not; a viewer sees but cannot cancel; another store's manager sees nothing."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from fastapi.testclient import TestClient

from fleet.ingest import messages
from fleet.services import commands
from fleet.services.users import Access
from fleet.shop import orders, settings
from fleet.shop.api_models import OrderIn
from fleet.storage.shop_schema import orders as orders_table
from fleet.web import create_app
from kiosk.contract.messages import order_status_message
from tests.fleet.accounts import add_account, sign_in

OWNER = Access("owner", "owner", None)


class Broker:
    def __init__(self) -> None:
        self.sent: list[tuple[str, dict[str, Any]]] = []

    def __call__(self, topic: str, payload: bytes) -> None:
        self.sent.append((topic, json.loads(payload)))


def place(engine: sa.Engine, broker: Broker, order_id: str, minutes_ago: int) -> str:
    request = OrderIn.model_validate({
        "order_id": order_id, "channel": "gofood",
        "customer": {"name": f"Sari {order_id}", "phone": "081234567"},
        "lines": [{"sku": "TEH", "qty": 1}], "fulfilment": "pickup"})  # fmt: skip
    when = datetime.now(UTC) - timedelta(minutes=minutes_ago)
    placed: str = orders.place(engine, broker, "toko", request, now=when)["order_id"]
    return placed


def test_an_unreceived_order_is_flagged_and_cancelled_by_the_owner(
    fleet_engine: sa.Engine,
) -> None:
    broker = Broker()
    commands.send(fleet_engine, broker, "catalog", {"mode": "snapshot", "products": [
        {"sku": "TEH", "name": "Teh Botol", "price": 5000}]}, store_id="toko",
        device_id="all", by=OWNER)  # fmt: skip
    with fleet_engine.begin() as conn:
        settings.save(conn, "toko", {"not_received_minutes": 5})
    waiting = place(fleet_engine, broker, "GF-1", minutes_ago=20)
    fresh = place(fleet_engine, broker, "GF-2", minutes_ago=1)
    held = place(fleet_engine, broker, "GF-3", minutes_ago=30)
    status = order_status_message("toko", "k1", held, "received", "2026-11-30T03:00:00Z")
    with fleet_engine.begin() as conn:
        messages.store_message(conn, "pos/v1/toko/k1/order", status.payload.encode(),
                               received_at="t", partitions=messages.repository.Partitions())  # fmt: skip
    add_account(fleet_engine, "bos", role="manager", stores=["toko"])
    add_account(fleet_engine, "lihat", role="viewer", stores=["toko"])
    add_account(fleet_engine, "lain", role="manager", stores=["warung"])
    with TestClient(create_app(fleet_engine, publish=broker)) as client:
        csrf = sign_in(client, "bos")
        page = client.get("/stores/toko/orders?lang=en").text
        rows = dict(re.findall(r'data-order="(\w+)">(.*?)</tr>', page, re.S))
        assert "Not yet received by the store" in rows[waiting] and "Cancel" in rows[waiting]
        assert "Not yet received" not in rows[fresh] and "Not yet received" not in rows[held]
        assert "Received by the store" in rows[held]
        api = {o["order_id"]: o for o in client.get("/api/stores/toko/orders").json()}
        assert api[waiting]["not_yet_received"] is True and api[fresh]["status"] == "placed"
        done = client.post(f"/stores/toko/orders/{waiting}/cancel", follow_redirects=False,
                           data={"csrf": csrf, "lang": "en", "reason": "kiosk offline"})  # fmt: skip
        assert done.status_code == 303 and "error" not in done.headers["location"]
        topic, doc = broker.sent[-1]
        assert topic == "pos/v1/toko/all/cmd/order"
        assert doc["body"] == {"action": "cancel", "order_id": waiting, "reason": "kiosk offline"}
        refused = client.post(f"/stores/toko/orders/{held}/cancel", follow_redirects=False,
                              data={"csrf": csrf, "lang": "id", "reason": "x"})  # fmt: skip
        assert refused.headers["location"].endswith("error=already_at_store")
        assert "batalkan dari kasir" in client.get(refused.headers["location"]).text
        forged = client.post(f"/stores/toko/orders/{fresh}/cancel", follow_redirects=False,
                             data={"csrf": "nope", "reason": "x"})  # fmt: skip
        assert forged.status_code == 403  # a form from another site changes nothing
        client.post("/logout", data={"csrf": csrf})
        csrf = sign_in(client, "lihat")
        assert "/cancel" not in client.get("/stores/toko/orders?lang=en").text  # no form
        viewer = client.post(f"/stores/toko/orders/{fresh}/cancel", follow_redirects=False,
                             data={"csrf": csrf, "reason": "x"})  # fmt: skip
        assert viewer.headers["location"].endswith("error=refused")
        client.post("/logout", data={"csrf": csrf})
        sign_in(client, "lain")
        assert client.get("/api/stores/toko/orders").status_code == 403
        assert "Sari" not in client.get("/stores/toko/orders").text
    with fleet_engine.connect() as conn:
        states = dict(conn.execute(sa.select(orders_table.c.order_id, orders_table.c.status)).all())
    assert states == {waiting: "cancelled", fresh: "placed", held: "received"}


def test_the_day_report_page_splits_sales_by_channel(fleet_engine: sa.Engine) -> None:
    from fleet.storage import repository

    partitions = repository.Partitions()
    with fleet_engine.begin() as conn:
        for n, (channel, method) in enumerate((("store", "cash"), ("web", "online"),
                                               ("gofood", "online"), ("web", "cash"))):  # fmt: skip
            line = {"line_no": 1, "sku": "TEH", "name": "Teh", "qty": 1, "unit_price": 5000,
                    "gross": 5000, "discount": 0, "amount": 5000}  # fmt: skip
            repository.store_sale(conn, {
                "sale_id": f"s{n}", "store_id": "toko", "device_id": "k1",
                "business_date": "2026-11-30", "created_at": f"2026-11-30T0{n}:00:00Z",
                "receipt_no": n + 1, "total": 5000, "discount_total": 0, "cash_rounding": 0,
                "payable": 5000, "lines": [line], "taxes": [],
                "tenders": [{"method": method, "amount": 5000}],
                "extra": {} if channel == "store" else {"channel": channel, "order_id": f"o{n}"},
            }, received_at="t", partitions=partitions)  # fmt: skip
    add_account(fleet_engine, "bos", role="manager", stores=["toko"])
    with TestClient(create_app(fleet_engine)) as client:
        sign_in(client, "bos")
        api = client.get("/api/stores/toko/day/2026-11-30").json()
        assert api["channels"] == [{"channel": "gofood", "count": 1, "total": 5000},
                                   {"channel": "store", "count": 1, "total": 5000},
                                   {"channel": "web", "count": 2, "total": 10000}]  # fmt: skip
        page = client.get("/stores/toko/report?date=2026-11-30&lang=id").text
        table = page.split('id="channels"')[1].split("</table>")[0]
        assert "Kasir toko" in table and "Toko online" in table and "gofood" in table
        assert "Rp10.000" in table and "Dibayar online" in page and ">online<" not in page
