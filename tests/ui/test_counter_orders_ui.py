"""The counter's online-orders queue through the real Kivy UI (under Xvfb, 800x480): an
order stored in the till's ledger as ``cmd/order`` stores it shows in the badge (1), and
the cashier accepts it, marks it packed and ready on the orders screen; the ledger's order
moves with each press and every status is queued for the fleet."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from kiosk.storage import online_orders
from kiosk.storage.db import open_db
from kiosk.ui import theme
from tests.ui.test_kiosk_ui import demo_dir, play

pytestmark = pytest.mark.ui
__all__ = ["demo_dir"]  # the module's fixture, used here too

ORDER = {
    "action": "place", "order_id": "web-0001", "channel": "web", "external_id": "W-1",
    "customer": {"name": "Sari", "phone": "+6281234567890"},
    "lines": [{"sku": "TEH-UI", "name": "Teh Botol", "qty": 2, "unit_price": 5000,
               "gross": 10000, "discount": 0, "amount": 10000}],
    "fulfilment": {"kind": "pickup", "pickup_at": "", "address": "", "fee": 0},
    "total": 10000, "prepaid": True, "payment_reference": "PAY-1",
}  # fmt: skip
LINE = {"sku": "MIN-011", "name": "Teh Botol Sosro 330ml", "qty": 2, "unit_price": 5000,
        "gross": 10000, "discount": 0, "amount": 10000}  # fmt: skip
DELIVERY = {"kind": "delivery", "pickup_at": "", "address": "Jl. Mawar 1", "fee": 0}
BADGE_1 = theme.ICONS["basket"] + "[/font] 1[/size]"  # the orders key on the sale screen: 1 open


def receive_all(data: Path, bodies: list[tuple[dict[str, object], str]]) -> None:
    """As the agent applies each store-wide cmd/order to this till's ledger (at HH:MM)."""
    conn = open_db(data / "ledger.sqlite")
    try:
        for body, at in bodies:
            assert online_orders.receive(conn, body, {"store_id": "s", "device_id": "d"},
                                         f"2026-11-30T{at}:00Z")  # fmt: skip
    finally:
        conn.close()


@pytest.mark.parametrize("size", ["800x480", "1280x800", "800x1280", "480x800"])
def test_an_order_is_accepted_packed_and_made_ready_at_the_counter(
    tmp_path: Path, demo_dir: Path, size: str
) -> None:
    data = tmp_path / "data"
    shutil.copytree(demo_dir, data)
    conn = open_db(data / "ledger.sqlite")
    try:  # as the agent applies the store-wide cmd/order to this till's ledger
        assert online_orders.receive(conn, ORDER, {"store_id": "s", "device_id": "d"},
                                     "2026-11-30T07:00:00Z")  # fmt: skip
    finally:
        conn.close()
    _, shots = play(tmp_path, demo_dir, "counter", [
        {"see": BADGE_1}, {"press": "orders"}, {"see": "Baru  ·  Sari  ·  Toko online  ·  Ambil di toko"},
        {"press": "order_next_1"}, {"see": "Pesanan Sari diterima"},
        {"press": "order_next_1"}, {"press": "order_next_1"}, {"see": "Siap"},
        {"press": "orders_back"}, {"see": BADGE_1},  # ready, not yet collected: still open
    ], size=size)  # fmt: skip
    with sqlite3.connect(data / "ledger.sqlite") as db:
        (status,) = db.execute("SELECT status FROM online_orders").fetchone()
        told = [json.loads(r[0])["status"] for r in
                db.execute("SELECT payload FROM outbox WHERE topic = 'order' ORDER BY id")]  # fmt: skip
    assert status == "ready"
    assert told == ["received", "accepted", "packed", "ready"]
    assert (shots / "09-see.png").exists() and (shots / "11-see.png").exists()  # for a look


def test_one_order_cancelled_with_a_reason_and_a_prepaid_one_collected(
    tmp_path: Path, demo_dir: Path
) -> None:
    data = tmp_path / "data"
    shutil.copytree(demo_dir, data)
    delivery = {**ORDER, "order_id": "web-0002", "prepaid": False, "lines": [LINE],
                "fulfilment": DELIVERY}  # fmt: skip
    receive_all(data, [({**ORDER, "lines": [LINE]}, "07:00"), (delivery, "07:01")])
    play(tmp_path, demo_dir, "counter", [
        {"see": theme.ICONS["basket"] + "[/font] 2[/size]"}, {"press": "orders"},
        {"press": "order_cancel_2"}, {"see": "Kenapa pesanan ini dibatalkan?"},
        {"press": "cancel_reason_1"}, {"see": "Pesanan Sari dibatalkan"},
        {"press": "order_next_1"}, {"press": "order_next_1"}, {"press": "order_next_1"},
        {"press": "order_collect_1"},
    ])  # fmt: skip
    with sqlite3.connect(data / "ledger.sqlite") as db:
        got = dict(db.execute("SELECT order_id, status || ':' || coalesce(reason, '')"
                              " FROM online_orders").fetchall())  # fmt: skip
        (body,) = [json.loads(r[0]) for r in db.execute("SELECT body FROM sales")]
    assert got == {"web-0001": "collected:", "web-0002": "cancelled:Out of stock"}
    assert [t["method"] for t in body["tenders"]] == ["online"] and body["total"] == 10000


def test_a_delivery_is_handed_to_the_rider_then_marked_delivered(
    tmp_path: Path, demo_dir: Path
) -> None:
    data = tmp_path / "data"
    shutil.copytree(demo_dir, data)
    line = {**LINE, "qty": 1, "gross": 5000, "amount": 5000}
    delivery = {**ORDER, "order_id": "web-0003", "lines": [line], "total": 5000,
                "fulfilment": DELIVERY}  # fmt: skip
    receive_all(data, [(delivery, "07:00")])
    _, shots = play(tmp_path, demo_dir, "counter", [
        {"press": "orders"}, {"press": "order_next_1"}, {"press": "order_next_1"},
        {"press": "order_next_1"}, {"see": "Serahkan ke kurir"},
        {"press": "order_collect_1"}, {"press": "new_sale"}, {"see": BADGE_1},
        {"press": "orders"}, {"see": "Dibawa kurir"}, {"see": "Tandai sudah diantar"},
        {"press": "order_next_1"}, {"see": "Pesanan Sari sudah diantar"},
    ])  # fmt: skip
    with sqlite3.connect(data / "ledger.sqlite") as db:
        (status,) = db.execute("SELECT status FROM online_orders").fetchone()
        told = [json.loads(r[0])["status"] for r in
                db.execute("SELECT payload FROM outbox WHERE topic = 'order' ORDER BY id")]  # fmt: skip
    assert status == "delivered"
    assert told[-2:] == ["collected", "delivered"]
    assert (shots / "12-see.png").exists()  # the rider's order on its way, for a look
