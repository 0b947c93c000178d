"""The public web shop on both engines, through its HTML pages as a phone's browser
uses them (forms, a cookie basket, redirects): availability in words, server prices,
checkout with pay at pickup or QRIS (simulated acquirer), the order page following the
kiosk's statuses, and every refusal said in Indonesian and English."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from fleet.ingest import messages
from fleet.services import commands
from fleet.services.users import Access
from fleet.shop import payments, settings, web_basket
from fleet.shop.payments import SimulatedAcquirer
from fleet.storage.shop_schema import orders
from fleet.web import create_app
from fleet.web.shop_i18n import SHOP_TEXTS
from kiosk.contract.messages import order_status_message, stock_message
from kiosk.contract.schemas import validate_command
from kiosk.testing.broker_process import eventually

OWNER = Access("owner", "owner", None)
CATALOG = [
    {"sku": "TEH", "name": "Teh Botol", "price": 5000, "category": "Minuman"},
    {"sku": "ROTI", "name": "Roti Tawar", "price": 15000, "category": "Roti"},
    {"sku": "KOPI", "name": "Kopi Susu", "price": 8000, "category": "Minuman"},
    {"sku": "GULA", "name": "Gula Pasir", "price": 17000, "category": "Sembako"},
]
MULTIBUY = {"promo_id": "TEH3", "kind": "multibuy", "name": "3 teh 12rb", "skus": ["TEH"],
            "qty": 3, "price": 12000}  # fmt: skip


class Broker:
    def __init__(self) -> None:
        self.sent: list[tuple[str, dict[str, Any]]] = []

    def __call__(self, topic: str, payload: bytes) -> None:
        self.sent.append((topic, json.loads(payload)))

    def orders(self) -> list[dict[str, Any]]:
        return [doc["body"] for topic, doc in self.sent if topic.endswith("/cmd/order")]


@pytest.fixture
def shop(fleet_engine: sa.Engine) -> Iterator[tuple[TestClient, Broker, SimulatedAcquirer]]:
    broker, acquirer = Broker(), SimulatedAcquirer()
    commands.send(fleet_engine, broker, "catalog", {"mode": "snapshot", "products": CATALOG},
                  store_id="toko", device_id="all", by=OWNER)  # fmt: skip
    commands.send(fleet_engine, broker, "promotions", {"mode": "snapshot",
                  "promotions": [MULTIBUY]}, store_id="toko", device_id="all", by=OWNER)  # fmt: skip
    stock = stock_message("toko", "k1", "snapshot", [{"sku": "TEH", "qty": 40},
                          {"sku": "ROTI", "qty": 2}, {"sku": "GULA", "qty": 0}],
                          "2026-11-30T01:00:00Z")  # fmt: skip
    with fleet_engine.begin() as conn:
        messages.store_message(conn, "pos/v1/toko/k1/stock", stock.payload.encode(),
                               received_at="2026-11-30T01:00:01Z",
                               partitions=messages.repository.Partitions())  # fmt: skip
        settings.save(conn, "toko", {"name": "Toko Sari", "whatsapp": "+62 812-000-111",
                                     "delivery": True, "delivery_fee": 10000})  # fmt: skip
    with TestClient(create_app(fleet_engine, publish=broker, acquirer=acquirer)) as client:
        yield client, broker, acquirer


def add(client: TestClient, sku: str, qty: int = 1, mode: str = "add") -> None:
    answer = client.post("/shop/toko/basket", data={"sku": sku, "qty": str(qty), "mode": mode},
                         follow_redirects=False)  # fmt: skip
    assert answer.status_code == 303


def checkout(client: TestClient, lang: str = "en", **fields: str) -> Any:
    page = client.get(f"/shop/toko/basket?lang={lang}").text
    ref = re.search(r'name="ref" value="([^"]+)"', page)
    form = {"ref": ref.group(1) if ref else "", "lang": lang, "name": "Sari",
            "phone": "0812 3456 789", "fulfilment": "pickup", "pay": "store"} | fields  # fmt: skip
    return client.post("/shop/toko/checkout", data=form, follow_redirects=False)


def test_the_catalog_shows_words_not_counts(
    shop: tuple[TestClient, Broker, SimulatedAcquirer],
) -> None:
    client, _, _ = shop
    page = client.get("/shop/toko?lang=en").text
    cards = dict(re.findall(r'data-sku="(\w+)".*?class="badge (\w+)"', page, re.S))
    assert cards == {"TEH": "in_stock", "ROTI": "few_left", "KOPI": "in_stock",
                     "GULA": "sold_out"}  # fmt: skip
    assert "Toko Sari" in page and "Few left" in page and "Sold out" in page
    assert "40" not in re.sub(r"Rp[\d,.]+", "", page)  # the stock figure is never shown
    indonesian = client.get("/shop/toko", headers={"Accept-Language": "id-ID"}).text
    assert "Tinggal sedikit" in indonesian and "Habis" in indonesian
    found = client.get("/shop/toko?q=kopi&lang=en").text
    assert "Kopi Susu" in found and "Teh Botol" not in found
    drinks = client.get("/shop/toko?category=Minuman&lang=en").text
    assert "Teh Botol" in drinks and "Roti Tawar" not in drinks


def test_pay_at_pickup_places_the_order_at_server_prices(
    shop: tuple[TestClient, Broker, SimulatedAcquirer], fleet_engine: sa.Engine
) -> None:
    client, broker, _ = shop
    add(client, "TEH", 2)
    add(client, "TEH", 1)  # 3 TEH: the multibuy makes them 12,000
    add(client, "KOPI")
    basket = client.get("/shop/toko/basket?lang=en").text
    assert "Rp20,000" in basket and "You save" in basket
    placed = checkout(client, pickup_time="17:30")
    assert placed.status_code == 303 and "/shop/toko/orders/" in placed.headers["location"]
    [body] = broker.orders()
    assert validate_command("order", {"schema": 1, "command_id": "x", "body": body}) == []
    assert (body["total"], body["channel"], body["prepaid"]) == (20000, "web", False)
    assert body["customer"] == {"name": "Sari", "phone": "08123456789"}
    assert body["fulfilment"]["kind"] == "pickup" and "T17:30:00" in body["fulfilment"]["pickup_at"]
    page = client.get(placed.headers["location"]).text
    assert "Sent to the store" in page and "To pay at the store" in page
    assert "https://wa.me/62812000111" in page
    assert "Teh Botol" not in client.get("/shop/toko/basket?lang=en").text  # basket emptied
    # The same form sent twice (a double tap) is one order.
    with fleet_engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(orders)).scalar() == 1


def test_qris_holds_the_order_until_the_acquirer_says_paid(
    shop: tuple[TestClient, Broker, SimulatedAcquirer],
) -> None:
    client, broker, _ = shop
    add(client, "ROTI")
    placed = checkout(client, pay="qris")
    order_url = placed.headers["location"].split("?")[0]
    page = client.get(order_url + "?lang=en").text
    assert "Waiting for payment" in page and "Pay (simulation)" in page
    assert broker.orders() == []  # not at the store before it is paid
    qr = client.get(order_url + "/qr.svg?what=pay")
    assert qr.status_code == 200 and 'xmlns="http://www.w3.org/2000/svg"' in qr.text
    assert client.get(order_url + "/qr.svg?what=pickup").status_code == 404  # not ready yet
    paid = client.post(order_url + "/simulate-pay", data={"lang": "en"}, follow_redirects=False)
    assert paid.status_code == 303
    [body] = broker.orders()
    assert body["prepaid"] is True and body["payment_reference"].startswith("SIM-")
    page = client.get(order_url + "?lang=en").text
    assert "Sent to the store" in page and "Paid online" in page


def test_the_order_page_follows_the_kiosk_and_shows_the_pickup_qr(
    shop: tuple[TestClient, Broker, SimulatedAcquirer], fleet_engine: sa.Engine
) -> None:
    client, broker, _ = shop
    add(client, "KOPI")
    order_url = checkout(client).headers["location"].split("?")[0]
    order_id = broker.orders()[0]["order_id"]
    events = client.get(order_url + "/events?limit=1").text
    assert '"status": "placed"' in events
    for status in ("received", "ready"):
        message = order_status_message("toko", "k1", order_id, status, "2026-11-30T03:00:00Z")
        with fleet_engine.begin() as conn:
            messages.store_message(conn, "pos/v1/toko/k1/order", message.payload.encode(),
                                   received_at="2026-11-30T03:00:01Z",
                                   partitions=messages.repository.Partitions())  # fmt: skip
    page = client.get(order_url + "?lang=id").text
    assert "Siap diambil" in page and 'id="pickup-qr"' in page
    assert client.get(order_url + "/qr.svg?what=pickup").status_code == 200
    assert '"status": "ready"' in client.get(order_url + "/events?limit=1").text
    assert "Pesanan tidak ditemukan" in client.get("/shop/toko/orders/guess?lang=id").text


def test_a_paid_web_order_cancelled_at_the_till_is_refunded_once(
    shop: tuple[TestClient, Broker, SimulatedAcquirer], fleet_engine: sa.Engine
) -> None:
    client, broker, acquirer = shop
    add(client, "KOPI", 2)
    order_url = checkout(client, pay="qris").headers["location"].split("?")[0]
    client.post(order_url + "/simulate-pay", data={"lang": "en"})
    order_id = broker.orders()[0]["order_id"]
    message = order_status_message("toko", "k1", order_id, "cancelled", "2026-11-30T03:00:00Z",
                                   reason="out of coffee")  # fmt: skip
    with fleet_engine.begin() as conn:
        messages.store_message(conn, "pos/v1/toko/k1/order", message.payload.encode(),
                               received_at="t", partitions=messages.repository.Partitions())  # fmt: skip
    loop = payments.RefundLoop(fleet_engine, acquirer, every_s=0.05).start()
    try:
        assert eventually(lambda: sum(acquirer.refunded.values()) == 16000)
    finally:
        loop.stop()
    assert payments.refund_cancelled(fleet_engine, acquirer, "later") == []  # once only
    page = client.get(order_url + "?lang=en").text
    assert "Cancelled" in page and "out of coffee" in page
    assert "Your payment was refunded. Rp16,000" in page
    assert sum(acquirer.refunded.values()) == 16000


@pytest.mark.parametrize(
    ("prepare", "fields", "en", "indonesian"),
    [
        ({}, {"name": " "}, "Fill in your name.", "Isi nama Anda."),
        ({}, {"phone": "call me"}, "digits only", "hanya angka"),
        ({}, {"fulfilment": "delivery"}, "Fill in the delivery address.", "Isi alamat"),
        ({"open": False}, {}, "The store is closed", "Toko sedang tutup"),
        ({"qty": 3}, {}, "Not enough in stock for: ROTI", "Stok tidak cukup untuk: ROTI"),
    ],
)  # fmt: skip
def test_refusals_are_said_in_both_languages_and_place_nothing(
    shop: tuple[TestClient, Broker, SimulatedAcquirer], fleet_engine: sa.Engine,
    prepare: dict[str, Any], fields: dict[str, str], en: str, indonesian: str,
) -> None:  # fmt: skip
    client, broker, _ = shop
    add(client, "ROTI", prepare.get("qty", 1))
    changes = {key: value for key, value in prepare.items() if key != "qty"}
    if changes:
        with fleet_engine.begin() as conn:
            settings.save(conn, "toko", changes)
    for lang, text in (("en", en), ("id", indonesian)):
        refused = checkout(client, lang=lang, **fields)
        assert "/basket?" in refused.headers["location"]
        assert text in client.get(refused.headers["location"]).text
    assert broker.orders() == []
    with fleet_engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(orders)).scalar() == 0


def test_a_basket_cookie_changes_quantities_never_prices(
    shop: tuple[TestClient, Broker, SimulatedAcquirer],
) -> None:
    client, _, _ = shop
    crafted = {"KOPI": 1000, "TEH": "free", "GULA": -1, "price": 1}
    client.cookies.clear()
    client.cookies.set("shop_basket", web_basket.write(crafted))
    page = client.get("/shop/toko/basket?lang=en").text
    assert "99 × Rp8,000" in page and "Rp792,000" in page  # capped, at the store's price
    assert "Teh Botol" not in page and "Gula" not in page
    client.cookies.clear()
    client.cookies.set("shop_basket", "not-base64!")  # garbage is an empty basket
    assert "Your basket is empty." in client.get("/shop/toko/basket?lang=en").text


def test_every_shop_word_exists_in_both_languages() -> None:
    for key, words in SHOP_TEXTS.items():
        assert set(words) == {"id", "en"} and all(words.values()), key
        assert words["id"] != words["en"] or key in {"status", "total", "subtotal"}, key
