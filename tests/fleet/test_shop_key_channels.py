"""A connector's key reaches only its own channel's orders, on both engines: made with
``fleet apikey add --channel``, it places, reads, cancels and marks delivered only that
channel's orders; a key of the whole store never reaches the web shop's own orders. Each
refusal is a 403 that says why, and changes nothing."""

from __future__ import annotations

import contextlib
import io
from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from fleet.cli.entry import main
from fleet.shop import keys, orders
from fleet.shop.api_models import OrderIn
from fleet.storage.engine import open_engine
from fleet.storage.shop_schema import api_keys
from fleet.web import create_app
from tests.fleet.test_shop_connector_steps import auth, open_store, place
from tests.fleet.test_web_shop import Broker

Keys = tuple[TestClient, Broker, dict[str, str]]


@pytest.fixture
def shop(fleet_engine: sa.Engine) -> Iterator[Keys]:
    broker = Broker()
    made = {"store": open_store(fleet_engine, broker)}  # a key of the whole store
    with fleet_engine.begin() as conn:
        for channel in ("gofood", "grabfood"):
            made[channel] = keys.add_key(conn, "toko", channel, channel=channel)
    with TestClient(create_app(fleet_engine, publish=broker)) as client:
        yield client, broker, made


def web_shop_order(engine: sa.Engine, broker: Broker) -> str:
    """An order the store's own web shop placed (channel web, through no key)."""
    request = OrderIn.model_validate({
        "order_id": "W-1", "customer": {"name": "Ayu", "phone": "081234567"},
        "lines": [{"sku": "TEH", "qty": 1}], "fulfilment": "pickup"})  # fmt: skip
    return str(orders.place(engine, broker, "toko", request, now=orders.now_utc())["order_id"])


def refused(answer: Any, code: str, words: str) -> None:
    assert answer.status_code == 403, answer.text
    assert answer.json()["code"] == code and words in answer.json()["message"]


def test_a_channels_key_reaches_only_its_channels_orders(
    shop: Keys, fleet_engine: sa.Engine
) -> None:
    client, broker, made = shop
    gofood = place(client, made["gofood"], "GF-1")
    sent = len(broker.orders())
    other = client.post("/api/v1/stores/toko/orders", headers=auth(made["gofood"]), json={
        "order_id": "GB-1", "channel": "grabfood", "lines": [{"sku": "TEH", "qty": 1}],
        "customer": {"name": "Sari", "phone": "+6281234567890"}, "fulfilment": "pickup"})  # fmt: skip
    refused(other, "key_for_another_channel", "this key is for gofood orders: it cannot place")
    for step, body in (("/cancel", {"reason": "x"}), ("/delivered", None), ("", None)):
        url = f"/api/v1/stores/toko/orders/GF-1{step}"
        answer = (client.get(url, headers=auth(made["grabfood"])) if step == ""
                  else client.post(url, json=body, headers=auth(made["grabfood"])))  # fmt: skip
        refused(answer, "key_for_another_channel",
                "this key is for grabfood orders: order GF-1 is a gofood order")  # fmt: skip
    assert len(broker.orders()) == sent  # nothing placed, nothing told to the store
    mine = client.get("/api/v1/stores/toko/orders/GF-1", headers=auth(made["gofood"]))
    assert mine.status_code == 200 and mine.json()["status"] == "placed"
    cancel = client.post("/api/v1/stores/toko/orders/GF-1/cancel", json={"reason": "customer"},
                         headers=auth(made["gofood"]))  # fmt: skip
    assert cancel.status_code == 200 and cancel.json()["status"] == "cancelled"
    assert broker.orders()[-1]["order_id"] == gofood["order_id"]


def test_no_key_reaches_the_web_shops_own_orders(shop: Keys, fleet_engine: sa.Engine) -> None:
    client, broker, made = shop
    web = web_shop_order(fleet_engine, broker)
    sent = len(broker.orders())
    for who, code, words in (
        ("store", "not_placed_by_a_key", "was placed in the store's web shop"),
        ("gofood", "key_for_another_channel", "this key is for gofood orders"),
    ):
        for step in ("/cancel", "/delivered"):
            answer = client.post(f"/api/v1/stores/toko/orders/{web}{step}",
                                 json={"reason": "x"}, headers=auth(made[who]))  # fmt: skip
            refused(answer, code, words)
    assert len(broker.orders()) == sent
    with fleet_engine.connect() as conn:
        assert conn.execute(sa.select(orders.orders.c.status)).scalar_one() == "placed"
    # The store-wide key still places any channel's order and changes what it placed.
    placed = place(client, made["store"], "GB-9", channel="grabfood")
    cancel = client.post("/api/v1/stores/toko/orders/GB-9/cancel", json={"reason": "x"},
                         headers=auth(made["store"]))  # fmt: skip
    assert cancel.status_code == 200 and cancel.json()["order_id"] == placed["order_id"]
    spec = client.get("/openapi.json").json()["paths"]
    problem = spec["/api/v1/stores/{store}/orders/{order_id}/cancel"]["post"]["responses"]["403"]
    assert "key_for_another_channel" in problem["description"]


def test_fleet_apikey_add_sets_the_keys_channel(fleet_url: str) -> None:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["apikey", "add", "--db", fleet_url, "--store", "toko",
                     "--channel", "gofood"]) == 0  # fmt: skip
    engine = open_engine(fleet_url)
    try:
        with engine.connect() as conn:
            holder = keys.holder_of(conn, out.getvalue().strip())
            assert holder is not None and (holder.store_id, holder.channel) == ("toko", "gofood")
            assert conn.execute(sa.select(sa.func.count()).select_from(api_keys)).scalar() == 1
    finally:
        engine.dispose()
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        assert main(["apikey", "add", "--db", fleet_url, "--store", "toko",
                     "--channel", "Go Food"]) == 2  # fmt: skip
    assert "channel 'Go Food': lower-case letters" in err.getvalue()
