"""The orders API on both engines: a connector places an order with its store's key,
the server prices it from the catalog and promotions the fleet sent the store, and the
order goes to the store's kiosks as a store-wide ``cmd/order``; every bad input of
issue 15 gets its own clear answer and stores nothing."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from fleet.ingest import messages
from fleet.services import commands
from fleet.services.users import Access
from fleet.shop import keys, settings
from fleet.storage.shop_schema import orders
from fleet.web import create_app
from kiosk.contract.messages import stock_message
from kiosk.contract.schemas import validate_command

OWNER = Access("owner", "owner", None)
CATALOG = [
    {"sku": "TEH", "name": "Teh Botol", "price": 5000, "category": "Minuman"},
    {"sku": "ROTI", "name": "Roti Tawar", "price": 15000, "category": "Roti"},
    {"sku": "KOPI", "name": "Kopi Susu", "price": 8000, "category": "Minuman"},
]
MULTIBUY = {"promo_id": "TEH3", "kind": "multibuy", "name": "3 teh 12rb", "skus": ["TEH"],
            "qty": 3, "price": 12000}  # fmt: skip


class Published:
    """The broker as the fleet sees it: every (topic, payload) it was handed."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, dict[str, Any]]] = []
        self.down = False

    def __call__(self, topic: str, payload: bytes) -> None:
        if self.down:
            raise commands.CommandError("the broker did not take the command in time")
        self.sent.append((topic, json.loads(payload)))

    def orders(self) -> list[dict[str, Any]]:
        return [doc for topic, doc in self.sent if topic.endswith("/cmd/order")]


@pytest.fixture
def shop(fleet_engine: sa.Engine) -> Iterator[tuple[TestClient, Published, dict[str, str]]]:
    publish = Published()
    for store in ("toko", "warung"):
        commands.send(fleet_engine, publish, "catalog", {"mode": "snapshot", "products": CATALOG},
                      store_id=store, device_id="all", by=OWNER)  # fmt: skip
    promotions = {"mode": "snapshot", "promotions": [MULTIBUY]}
    commands.send(fleet_engine, publish, "promotions", promotions, store_id="toko",
                  device_id="all", by=OWNER)  # fmt: skip
    # The kiosk's stock figures as ingest stores them: 4 TEH, 1 ROTI; KOPI untracked.
    stock = stock_message("toko", "k1", "snapshot", [{"sku": "TEH", "qty": 4},
                          {"sku": "ROTI", "qty": 1}], "2026-11-30T01:00:00Z")  # fmt: skip
    with fleet_engine.begin() as conn:
        outcome = messages.store_message(conn, "pos/v1/toko/k1/stock", stock.payload.encode(),
                                         received_at="2026-11-30T01:00:01Z",
                                         partitions=messages.repository.Partitions())  # fmt: skip
        assert outcome == "new"
        key_of = {store: keys.add_key(conn, store, "gofood") for store in ("toko", "warung")}
    with TestClient(create_app(fleet_engine, publish=publish)) as client:
        yield client, publish, key_of


def another_day() -> str:
    """A weekday that is not today in Jakarta, where the store's hours are."""
    today = datetime.now(ZoneInfo("Asia/Jakarta")).weekday()
    return settings.DAYS[(today + 3) % 7]


def order(order_id: str = "GF-1", **changes: Any) -> dict[str, Any]:
    body = {"order_id": order_id, "channel": "gofood",
            "customer": {"name": "Sari", "phone": "+6281234567890"},
            "lines": [{"sku": "TEH", "qty": 3}, {"sku": "KOPI", "qty": 2}],
            "fulfilment": {"type": "pickup"}, "prepaid": True}  # fmt: skip
    return body | changes


def post(client: TestClient, key: str, body: dict[str, Any], store: str = "toko") -> Any:
    return client.post(f"/api/v1/stores/{store}/orders", json=body,
                       headers={"Authorization": f"Bearer {key}"})  # fmt: skip


def stored(engine: sa.Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(sa.select(sa.func.count()).select_from(orders)).scalar_one())


def test_an_order_is_priced_by_the_server_and_sent_to_the_whole_store(
    shop: tuple[TestClient, Published, dict[str, str]], fleet_engine: sa.Engine
) -> None:
    client, publish, key = shop
    tampered = order(lines=[{"sku": "TEH", "qty": 3, "price": 1}, {"sku": "KOPI", "qty": 2}],
                     total=3)  # fmt: skip
    answer = post(client, key["toko"], tampered)
    assert answer.status_code == 201, answer.text
    got = answer.json()
    # 3 TEH at 5,000 with "3 for 12,000" (3,000 off), 2 KOPI at 8,000: the tampered 1 is ignored.
    assert [(x["sku"], x["unit_price"], x["discount"], x["amount"]) for x in got["lines"]] == [
        ("TEH", 5000, 3000, 12000), ("KOPI", 8000, 0, 16000)]  # fmt: skip
    assert got["total"] == 28000 and got["status"] == "placed" and got["duplicate"] is False
    assert got["warnings"] == ["lines[0].price: 1 ignored; the store's price is 5000",
                               "total: 3 ignored; the order's total is 28000"]  # fmt: skip
    assert got["order_url"].startswith("/shop/toko/orders/") and len(got["order_url"]) > 40
    [(topic, doc)] = [(t, d) for t, d in publish.sent if t.endswith("/cmd/order")]
    assert topic == "pos/v1/toko/all/cmd/order" and validate_command("order", doc) == []
    assert doc["body"]["order_id"] == got["order_id"] and doc["body"]["total"] == 28000
    assert doc["body"]["external_id"] == "GF-1" and doc["body"]["prepaid"] is True
    # The order holds its units: 4 TEH on hand, 3 held, so 1 left (few left); KOPI untracked.
    listed = client.get("/api/v1/stores/toko/availability",
                        headers={"Authorization": f"Bearer {key['toko']}"}).json()  # fmt: skip
    assert {x["sku"]: (x["available"], x["state"]) for x in listed} == {
        "TEH": (1, "few_left"), "ROTI": (1, "few_left"), "KOPI": (None, "in_stock")}  # fmt: skip
    again = client.get("/api/v1/stores/toko/orders/GF-1",
                       headers={"Authorization": f"Bearer {key['toko']}"})  # fmt: skip
    assert again.json()["order_id"] == got["order_id"] and stored(fleet_engine) == 1


def test_the_same_order_id_again_is_answered_not_placed_twice(
    shop: tuple[TestClient, Published, dict[str, str]], fleet_engine: sa.Engine
) -> None:
    client, publish, key = shop
    first = post(client, key["toko"], order()).json()
    repeat = post(client, key["toko"], order())
    assert repeat.status_code == 200 and repeat.json()["duplicate"] is True
    assert repeat.json()["order_id"] == first["order_id"] and len(publish.orders()) == 1
    other = post(client, key["toko"], order(lines=[{"sku": "ROTI", "qty": 1}]))
    assert other.status_code == 409 and other.json()["code"] == "duplicate_order_id"
    assert "GF-1" in other.json()["message"] and stored(fleet_engine) == 1


@pytest.mark.parametrize(
    ("change", "status", "code", "skus"),
    [
        ({"lines": [{"sku": "NASI", "qty": 1}, {"sku": "TEH", "qty": 1}]}, 422,
         "unknown_product", ["NASI"]),
        ({"lines": [{"sku": "TEH", "qty": 2}, {"sku": "ROTI", "qty": 2}]}, 409,
         "not_available", ["ROTI"]),
        ({"lines": [{"sku": "TEH", "qty": 3}, {"sku": "TEH", "qty": 2}]}, 409,
         "not_available", ["TEH"]),
        ({"fulfilment": {"type": "delivery", "address": "Jl. Mawar 3"}}, 422,
         "delivery_not_offered", []),
    ],
)  # fmt: skip
def test_bad_orders_get_a_clear_answer_and_store_nothing(
    shop: tuple[TestClient, Published, dict[str, str]], fleet_engine: sa.Engine,
    change: dict[str, Any], status: int, code: str, skus: list[str],
) -> None:  # fmt: skip
    client, publish, key = shop
    answer = post(client, key["toko"], order(**change))
    assert (answer.status_code, answer.json()["code"], answer.json()["skus"]) == (
        status, code, skus)  # fmt: skip
    assert answer.json()["message"] and stored(fleet_engine) == 0 and publish.orders() == []


def test_a_closed_store_a_delivery_and_its_fee(
    shop: tuple[TestClient, Published, dict[str, str]], fleet_engine: sa.Engine
) -> None:
    client, publish, key = shop
    with fleet_engine.begin() as conn:
        settings.save(conn, "toko", {"open": False})
    closed = post(client, key["toko"], order())
    assert closed.status_code == 409 and closed.json()["code"] == "store_closed"
    with fleet_engine.begin() as conn:
        settings.save(conn, "toko", {"open": True, "hours": {another_day(): "00:00-24:00"},
                                     "delivery": True, "delivery_fee": 10000})  # fmt: skip
    assert post(client, key["toko"], order()).json()["code"] == "store_closed"  # not today
    with fleet_engine.begin() as conn:
        settings.save(conn, "toko", {"hours": {}})
    no_address = post(client, key["toko"], order(fulfilment="delivery"))
    assert no_address.json()["code"] == "address_missing"
    answer = post(client, key["toko"], order(fulfilment="delivery", address="Jl. Mawar 3"))
    assert answer.status_code == 201 and answer.json()["delivery_fee"] == 10000
    assert answer.json()["total"] == 28000 + 10000
    assert publish.orders()[0]["body"]["fulfilment"] == {
        "kind": "delivery", "address": "Jl. Mawar 3", "pickup_at": "", "fee": 10000}  # fmt: skip


def test_keys_open_only_their_own_store(
    shop: tuple[TestClient, Published, dict[str, str]], fleet_engine: sa.Engine
) -> None:
    client, _, key = shop
    other = post(client, key["warung"], order())
    assert other.status_code == 403 and other.json()["code"] == "key_for_another_store"
    none = client.post("/api/v1/stores/toko/orders", json=order())
    assert none.status_code == 401 and none.json()["code"] == "no_key"
    forged = key["toko"][:-4] + "AAAA"
    assert post(client, forged, order()).json()["code"] == "bad_key"
    stock = client.get("/api/v1/stores/toko/availability",
                       headers={"Authorization": f"Bearer {key['warung']}"})  # fmt: skip
    assert stock.status_code == 403
    # The warung's own key places the warung's order, which the toko's key cannot read.
    placed = post(client, key["warung"], order(), store="warung")
    assert placed.status_code == 201
    peek = client.get(f"/api/v1/stores/warung/orders/{placed.json()['order_id']}",
                      headers={"Authorization": f"Bearer {key['toko']}"})  # fmt: skip
    assert peek.status_code == 403 and stored(fleet_engine) == 1
    with fleet_engine.connect() as conn:
        hashes = conn.execute(sa.text("SELECT key_hash FROM api_keys")).scalars().all()
    assert all(secret.split("_", 2)[2] not in hashes for secret in key.values())


def test_an_order_the_broker_did_not_take_is_kept_and_sent_on_the_repeat(
    shop: tuple[TestClient, Published, dict[str, str]], fleet_engine: sa.Engine
) -> None:
    client, publish, key = shop
    publish.down = True
    first = post(client, key["toko"], order())
    assert first.status_code == 503 and first.json()["code"] == "broker_unavailable"
    assert stored(fleet_engine) == 1 and publish.orders() == []
    publish.down = False
    repeat = post(client, key["toko"], order())
    assert repeat.status_code == 200 and repeat.json()["duplicate"] is True
    assert len(publish.orders()) == 1


def test_the_openapi_spec_documents_the_orders_api(
    shop: tuple[TestClient, Published, dict[str, str]],
) -> None:
    client, _, _ = shop
    spec = client.get("/openapi.json").json()
    post_op = spec["paths"]["/api/v1/stores/{store}/orders"]["post"]
    assert {"201", "200", "401", "403", "409", "422"} <= set(post_op["responses"])
    assert post_op["security"] == [{"HTTPBearer": []}]
    assert "/api/v1/stores/{store}/availability" in spec["paths"]
    line = spec["components"]["schemas"]["LineIn"]["properties"]["price"]
    assert "ignored" in line["description"]


def test_fleet_apikey_add_prints_a_key_that_opens_its_store(fleet_url: str) -> None:
    import contextlib
    import io

    from fleet.cli.entry import main
    from fleet.storage.engine import open_engine

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["apikey", "add", "--db", fleet_url, "--store", "toko"]) == 0
    key = out.getvalue().strip()
    engine = open_engine(fleet_url)
    try:
        with engine.connect() as conn:
            assert keys.store_of(conn, key) == "toko"
            assert keys.store_of(conn, key + "x") is None
    finally:
        engine.dispose()
    assert main(["apikey", "add", "--db", fleet_url, "--store", "a/b"]) == 2
