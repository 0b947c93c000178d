"""An online order at the till, through the real pieces: ``cmd/order`` applied by the
agent's command processor to the device's ledger (stored once, stock held), then
``kiosk orders`` and ``kiosk replay`` steps as an outside check drives them. Every
change goes to the outbox as an ``order`` message the contract accepts; the collected
sale carries its channel and order id, and the Z splits sales by channel."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from kiosk.contract.messages import command_doc
from kiosk.contract.schemas import validate
from kiosk.storage.db import open_db
from kiosk.telemetry.commands import CommandProcessor
from kiosk.telemetry.mqtt_config import MqttConfig
from kiosk.testing.cli import kiosk, replay

if TYPE_CHECKING:
    from tests.integration.conftest import Built

CATALOG = """sku,barcode,name,price,category
TEH,,Teh Botol,5000,Minuman
KOPI,,Kopi Susu,8000,Minuman
"""


def stocked_till(directory: Path) -> Path:
    data = directory / "dev"
    (directory / "cat.csv").write_text(CATALOG, encoding="utf-8")
    assert kiosk(data, "catalog", "import", str(directory / "cat.csv")).returncode == 0
    for args in (("store_id", "toko"), ("device_id", "k1")):
        assert kiosk(data, "settings", "set", *args).returncode == 0
    got = kiosk(data, "stock", "adjust", "TEH", "3", "--reason", "receiving")
    assert got.returncode == 0, got.stderr
    return data


@pytest.fixture
def data(built: Built, tmp_path: Path) -> Path:
    return built.copy(stocked_till, tmp_path)


def order_body(order_id: str, *, prepaid: bool, teh: int = 2) -> dict[str, Any]:
    # As the fleet prices it: 2 TEH (1,000 off by a promotion) and 1 KOPI.
    return {
        "action": "place", "order_id": order_id, "channel": "gofood", "external_id": "GF-9",
        "customer": {"name": "Sari", "phone": "+6281234567890"},
        "lines": [
            {"sku": "TEH", "name": "Teh Botol", "qty": teh, "unit_price": 5000,
             "gross": 5000 * teh, "discount": 1000, "amount": 5000 * teh - 1000},
            {"sku": "KOPI", "name": "Kopi Susu", "qty": 1, "unit_price": 8000, "gross": 8000,
             "discount": 0, "amount": 8000},
        ],
        "fulfilment": {"kind": "pickup", "pickup_at": "", "address": "", "fee": 0},
        "total": 5000 * teh - 1000 + 8000, "prepaid": prepaid, "payment_reference": "GF-PAY-9",
    }  # fmt: skip


def deliver(data: Path, body: dict[str, Any], command_id: str, *, check: bool = True) -> Any:
    """The store-wide command as the agent applies it to this device's ledger."""
    processor = CommandProcessor(MqttConfig(store_id="toko", device_id="k1"))
    conn = open_db(data / "ledger.sqlite")
    try:
        doc = (command_doc("order", body, command_id=command_id) if check
               else {"schema": 1, "command_id": command_id, "body": body})  # fmt: skip
        return processor.process(conn, "pos/v1/toko/all/cmd/order", json.dumps(doc).encode())
    finally:
        conn.close()


def order_messages(data: Path) -> list[dict[str, Any]]:
    with sqlite3.connect(data / "ledger.sqlite") as conn:
        rows = conn.execute("SELECT payload FROM outbox WHERE topic = 'order' ORDER BY id")
        docs = [json.loads(row[0]) for row in rows]
    assert all(validate("order", doc) == [] for doc in docs)
    return docs


def orders(data: Path) -> list[dict[str, Any]]:
    listed = kiosk(data, "orders", "--json")
    assert listed.returncode == 0, listed.stderr
    result: list[dict[str, Any]] = json.loads(listed.stdout)
    return result


def test_a_prepaid_order_is_held_worked_and_collected_at_its_prices(data: Path) -> None:
    first = deliver(data, order_body("o1", prepaid=True), "c1")
    assert first.ok, first.errors
    assert deliver(data, order_body("o1", prepaid=True), "c1").duplicate  # the broker again
    assert deliver(data, order_body("o1", prepaid=True), "c2").ok  # another id, same order
    [listed] = orders(data)
    assert {k: listed[k] for k in ("order_id", "status", "total", "paid")} == {
        "order_id": "o1", "status": "received", "total": 17000, "paid": True}  # fmt: skip
    assert [(x["sku"], x["qty"], x["amount"]) for x in listed["lines"]] == [
        ("TEH", 2, 9000), ("KOPI", 1, 8000)]  # fmt: skip
    steps = [{"order_accept": "o1"}, {"order_ready": "o1"}, {"order_pickup": "POSORDER:o1"}]
    done = replay(data, steps)
    assert done.returncode == 0, done.stderr
    sale = json.loads(done.stdout)
    # The ordered prices, not the catalog's nor a promotion; paid by the online tender.
    assert [(x["sku"], x["unit_price"], x["discount"]) for x in sale["lines"]] == [
        ("TEH", 5000, 1000), ("KOPI", 8000, 0)]  # fmt: skip
    assert sale["total"] == 17000 and sale["extra"]["channel"] == "gofood"
    assert sale["extra"]["order_id"] == "o1"
    assert sale["tenders"] == [{"method": "online", "amount": 17000, "reference": "GF-PAY-9",
                                "approval_code": "", "masked_pan": "", "terminal_id": "",
                                "given": None}]  # fmt: skip
    assert [m["status"] for m in order_messages(data)] == [
        "received", "accepted", "ready", "collected"]  # fmt: skip
    assert order_messages(data)[-1]["sale_id"] == sale["sale_id"]
    assert orders(data)[0]["status"] == "collected"
    assert kiosk(data, "stock", "show", "TEH").stdout.split() == ["TEH", "1"]
    z = json.loads(kiosk(data, "report", "z", "--date", sale["business_date"], "--json").stdout)
    assert z["channels"] == [{"channel": "gofood", "count": 1, "total": 17000}]
    again = replay(data, [{"order_pickup": "o1"}])
    assert again.returncode == 2 and "already collected" in again.stderr
    # The fleet's cancel for the store's other kiosks changes nothing here.
    late = deliver(data, {"action": "cancel", "order_id": "o1", "reason": "collected"}, "c9")
    assert late.ok and orders(data)[0]["status"] == "collected"


def test_pay_at_pickup_needs_a_pay_step_and_a_cancel_frees_the_stock(data: Path) -> None:
    assert deliver(data, order_body("o2", prepaid=False), "c1").ok
    assert deliver(data, order_body("o3", prepaid=False, teh=1), "c2").ok
    steps = [{"order_pickup": "o2"}, {"pay": {"method": "cash", "amount": 20000}},
             {"order_cancel": {"id": "o3", "reason": "customer called"}}]  # fmt: skip
    done = replay(data, steps)
    assert done.returncode == 0, done.stderr
    sale = json.loads(done.stdout)
    assert sale["total"] == 17000 and sale["change"] == 3000
    assert sale["extra"]["channel"] == "gofood"
    by_id = {o["order_id"]: o for o in orders(data)}
    assert (by_id["o2"]["status"], by_id["o2"]["paid"]) == ("collected", True)
    assert (by_id["o3"]["status"], by_id["o3"]["reason"]) == ("cancelled", "customer called")
    with sqlite3.connect(data / "ledger.sqlite") as conn:
        held = conn.execute("SELECT sum(reserved) FROM online_order_lines").fetchone()[0]
    assert held == 0
    refused = replay(data, [{"order_cancel": {"id": "o3", "reason": "again"}}])
    assert refused.returncode == 2 and "already cancelled" in refused.stderr
    unknown = replay(data, [{"order_accept": "nope"}])
    assert unknown.returncode == 2 and "no online order nope" in unknown.stderr


def test_the_till_sale_wins_the_last_unit_and_the_order_is_flagged_short(data: Path) -> None:
    assert deliver(data, order_body("o4", prepaid=True, teh=3), "c1").ok  # holds all 3 TEH
    done = replay(data, [{"sku": "TEH"}, {"pay": {"method": "cash", "amount": 5000}}])
    assert done.returncode == 0, done.stderr  # the till never refuses a sale
    [order] = orders(data)
    assert order["short"] is True and [x["short"] for x in order["lines"]] == [True, False]
    assert order_messages(data)[-1]["status"] == "short"
    assert order_messages(data)[-1]["short_skus"] == ["TEH"]
    with sqlite3.connect(data / "ledger.sqlite") as conn:
        [alert] = [json.loads(row[0]) for row in
                   conn.execute("SELECT payload FROM outbox WHERE topic = 'alert'")]  # fmt: skip
    assert alert["detail"] == {"order_id": "o4", "skus": ["TEH"], "reason": "order_short"}
    assert "short of TEH" in alert["message"]
    # Collected, it brings only what is still held: 2 TEH (their share of the discount).
    collected = replay(data, [{"order_pickup": "o4"}])
    sale = json.loads(collected.stdout)
    assert [(x["sku"], x["qty"], x["discount"]) for x in sale["lines"]] == [
        ("TEH", 2, 666), ("KOPI", 1, 0)]  # fmt: skip
    z = json.loads(kiosk(data, "report", "z", "--date", sale["business_date"], "--json").stdout)
    assert z["channels"] == [{"channel": "gofood", "count": 1, "total": 17334},
                             {"channel": "store", "count": 1, "total": 5000}]  # fmt: skip
    printed = kiosk(data, "report", "z", "--date", sale["business_date"], "--csv").stdout
    assert "Penjualan per kanal" in printed and "gofood (1)" in printed
    assert "Kasir toko (1)" in printed and "Dibayar online (1)" in printed


def test_a_bad_order_command_changes_nothing(data: Path) -> None:
    body = order_body("o5", prepaid=True)
    body["total"] = 1  # does not add up
    outcome = deliver(data, body, "c1", check=False)  # as a broken fleet might send it
    assert not outcome.ok and "total" in " ".join(outcome.errors)
    assert orders(data) == [] and order_messages(data) == []


def delivery_body(order_id: str) -> dict[str, Any]:
    body = order_body(order_id, prepaid=True, teh=1)
    body["fulfilment"] = {"kind": "delivery", "pickup_at": "", "address": "Jl. Melati 3", "fee": 0}
    return body


def test_a_delivery_the_rider_took_is_on_its_way_until_marked_delivered(data: Path) -> None:
    assert deliver(data, delivery_body("d1"), "c1").ok
    early = replay(data, [{"order_delivered": "d1"}])  # still in the store: refused
    assert early.returncode == 2 and "has not left the store (received)" in early.stderr
    steps = [{"order_ready": "d1"}, {"order_pickup": "d1"}]  # the rider takes it: the sale
    done = replay(data, steps)
    assert done.returncode == 0, done.stderr
    assert orders(data)[0]["status"] == "collected"
    marked = replay(data, [{"order_delivered": "d1"}])
    assert marked.returncode == 0, marked.stderr
    assert orders(data)[0]["status"] == "delivered"
    assert [m["status"] for m in order_messages(data)] == [
        "received", "ready", "collected", "delivered"]  # fmt: skip
    again = replay(data, [{"order_delivered": "d1"}])  # a repeat says nothing new
    assert again.returncode == 0 and len(order_messages(data)) == 4
    cancel = replay(data, [{"order_cancel": {"id": "d1", "reason": "late"}}])
    assert cancel.returncode == 2 and "already delivered" in cancel.stderr


def outcome(done: Any) -> str:
    result: str = json.loads(done.result_payload)["detail"]["outcome"]
    return result


def test_the_channel_reports_a_delivery_and_a_pickup_order_is_never_delivered(
    data: Path,
) -> None:
    assert deliver(data, delivery_body("d2"), "c1").ok
    assert deliver(data, order_body("p1", prepaid=True), "c2").ok
    word = {"action": "delivered", "order_id": "d2"}
    early = deliver(data, word, "c3")  # the rider has not taken it: nothing changes
    assert early.ok and outcome(early) == "received"
    assert replay(data, [{"order_pickup": "d2"}]).returncode == 0
    reported = deliver(data, word, "c4")
    assert reported.ok and outcome(reported) == "delivered"
    assert outcome(deliver(data, word, "c5")) == "delivered"
    assert replay(data, [{"order_pickup": "p1"}]).returncode == 0
    picked = deliver(data, {"action": "delivered", "order_id": "p1"}, "c6")
    assert picked.ok and outcome(picked) == "collected"
    refused = replay(data, [{"order_delivered": "p1"}])
    assert refused.returncode == 2 and "picked up, not delivered" in refused.stderr
    assert [(m["order_id"], m["status"]) for m in order_messages(data)
            if m["status"] in ("collected", "delivered")] == [
        ("d2", "collected"), ("d2", "delivered"), ("p1", "collected")]  # fmt: skip
