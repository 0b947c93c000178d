"""The counter's online-orders queue through the presenter over the real order desk,
checkout, staff and ledger (SQLite): an order arriving as ``cmd/order`` stores it
(``online_orders.receive``) shows in the badge and plays the chime once; accept, packed,
ready and collected (the basket at the ordered prices) or cancel with a reason move it in
the ledger, each told to the fleet through the outbox. The chime is the real
``DeviceEffects.play_sound`` (Kivy's SoundLoader; silent without an audio device)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from drivers.factory import build_devices
from kiosk.domain.receipt import build_receipt
from kiosk.ports import DeviceSet
from kiosk.services.checkout import CheckoutService
from kiosk.services.online_orders import OnlineOrderDesk
from kiosk.services.staff import StaffService
from kiosk.storage import online_orders
from kiosk.storage.ledger import SqliteLedger
from kiosk.ui.device_effects import DeviceEffects
from kiosk.ui.event_bridge import EventBridge
from kiosk.ui.presenters.counter import CounterPresenter
from kiosk.ui.presenters.counter_orders import CANCEL_REASONS, CounterOrders

ORIGIN = {"store_id": "store-1", "device_id": "kiosk-1"}


def order_body(order_id: str, *, prepaid: bool = False, kind: str = "pickup") -> dict[str, Any]:
    return {
        "action": "place", "order_id": order_id, "channel": "gofood", "external_id": "GF-9",
        "customer": {"name": "Sari", "phone": "+6281234567890"},
        "lines": [{"sku": "TEH", "name": "Teh Botol 330ml", "qty": 2, "unit_price": 5000,
                   "gross": 10000, "discount": 1000, "amount": 9000}],
        "fulfilment": {"kind": kind, "pickup_at": "", "address": "", "fee": 0},
        "total": 9000, "prepaid": prepaid, "payment_reference": "GF-PAY-9",
    }  # fmt: skip


@pytest.fixture
def devices() -> Iterator[DeviceSet]:
    built = build_devices({"printer": {"paper": "58mm"}}, simulated=True)
    yield built
    built.close()


@pytest.fixture
def effects(devices: DeviceSet) -> DeviceEffects:
    receipt = lambda sale, reprint=False: build_receipt(sale, header=["TOKO"], footer=[])  # noqa: E731
    return DeviceEffects(devices, EventBridge(), counter=True, language="id", receipt=receipt)


def till(checkout: CheckoutService, staff: StaffService, effects: DeviceEffects,
         ledger: SqliteLedger) -> tuple[CounterPresenter, CounterOrders]:  # fmt: skip
    p = CounterPresenter(checkout, staff, effects, lang="id")
    desk = OnlineOrderDesk(ledger.conn, checkout.clock, **ORIGIN)
    p.orders_desk = CounterOrders(p, desk, checkout, lambda: effects.play_sound("new_order"))
    for key in "1111":
        p.pin_key(key)
    p.pin_key("enter")
    return p, p.orders_desk


def arrive(ledger: SqliteLedger, body: dict[str, Any]) -> None:
    assert online_orders.receive(ledger.conn, body, ORIGIN, "2026-11-30T07:00:00Z")


def statuses_told(ledger: SqliteLedger, order_id: str) -> list[str]:
    rows = ledger.conn.execute("SELECT payload FROM outbox WHERE topic = 'order' ORDER BY id")
    docs = [json.loads(r[0]) for r in rows]
    return [d["status"] for d in docs if d["order_id"] == order_id]


def test_a_new_order_chimes_once_and_moves_to_ready(
    checkout: CheckoutService, staff: StaffService, effects: DeviceEffects, ledger: SqliteLedger
) -> None:
    p, q = till(checkout, staff, effects, ledger)
    assert not q.poll() and q.open_count == 0 and effects.sounds_played == []
    arrive(ledger, order_body("o-1"))
    assert q.poll() and q.open_count == 1
    assert effects.sounds_played == ["new_order"]
    assert p.message.text == "Pesanan online baru dari Sari"
    q.poll()  # nothing new: no second chime
    assert effects.sounds_played == ["new_order"]
    q.open()
    assert p.screen == "orders"
    (row,) = q.rows()
    assert (row.title, row.lines, row.total) == ("Sari  ·  GoFood  ·  Ambil di toko",
                                                  "2 x Teh Botol 330ml", "Rp9.000")  # fmt: skip
    assert (row.paid, row.status, row.next_step) == ("Bayar di kasir", "Baru", "accepted")
    for step in ("accepted", "packed", "ready"):
        q.advance("o-1", step)
        assert online_orders.get(ledger.conn, "o-1")["status"] == step  # type: ignore[index]
    assert q.rows()[0].can_collect and q.rows()[0].status == "Siap"
    assert p.message.text == "Pesanan Sari siap diambil"
    assert statuses_told(ledger, "o-1") == ["received", "accepted", "packed", "ready"]
    q.advance("o-1", "packed")  # a step back is refused in words, nothing changes
    assert p.message.level == "error"
    assert online_orders.get(ledger.conn, "o-1")["status"] == "ready"  # type: ignore[index]


def test_collecting_loads_the_basket_and_the_sale_collects_the_order(
    checkout: CheckoutService, staff: StaffService, effects: DeviceEffects, ledger: SqliteLedger
) -> None:
    p, q = till(checkout, staff, effects, ledger)
    arrive(ledger, order_body("o-2"))
    q.poll()
    q.collect("POSORDER:o-2")
    assert p.screen == "sale" and p.basket.total == 9000
    assert checkout.basket.order == {"order_id": "o-2", "channel": "gofood"}
    p.pay()
    p.tender_cash(10_000)
    assert p.screen == "done"
    assert online_orders.get(ledger.conn, "o-2")["status"] == "collected"  # type: ignore[index]
    q.poll()
    assert q.open_count == 0 and q.rows() == []


def test_a_prepaid_pickup_scanned_at_the_till_completes_at_once(
    checkout: CheckoutService, staff: StaffService, effects: DeviceEffects, ledger: SqliteLedger
) -> None:
    p, _q = till(checkout, staff, effects, ledger)
    arrive(ledger, order_body("o-3", prepaid=True))
    p.scan("POSORDER:o-3")
    assert p.screen == "done" and p.last_sale is not None
    assert [t.method for t in p.last_sale.tenders] == ["online"]
    assert online_orders.get(ledger.conn, "o-3")["status"] == "collected"  # type: ignore[index]


def test_cancel_with_a_reason_frees_the_units(
    checkout: CheckoutService, staff: StaffService, effects: DeviceEffects, ledger: SqliteLedger
) -> None:
    p, q = till(checkout, staff, effects, ledger)
    arrive(ledger, order_body("o-4", kind="delivery"))
    q.open()
    assert q.rows()[0].title.endswith("Antar")
    q.ask_cancel("o-4")
    assert q.chosen == "o-4" and p.message.level == "attention"
    q.cancel(CANCEL_REASONS[0])
    order = online_orders.get(ledger.conn, "o-4")
    assert order is not None and (order["status"], order["reason"]) == ("cancelled", "Out of stock")
    assert online_orders.held(ledger.conn) == {}
    assert q.open_count == 0 and statuses_told(ledger, "o-4")[-1] == "cancelled"


def test_the_queue_needs_a_signed_in_cashier(
    checkout: CheckoutService, staff: StaffService, effects: DeviceEffects, ledger: SqliteLedger
) -> None:
    p = CounterPresenter(checkout, staff, effects, lang="en")
    p.orders_desk = CounterOrders(p, OnlineOrderDesk(ledger.conn, checkout.clock, **ORIGIN),
                                  checkout)  # fmt: skip
    p.orders_desk.open()
    assert p.screen == "login" and p.message.text == "Sign in first"


def test_an_order_arriving_while_paying_chimes_but_keeps_what_is_due_on_screen(
    checkout: CheckoutService, staff: StaffService, effects: DeviceEffects, ledger: SqliteLedger
) -> None:
    p, q = till(checkout, staff, effects, ledger)
    product = checkout.catalog.by_sku("TEH")
    assert product is not None
    p.scan(product.barcodes[0])
    p.pay()
    p.tender_cash(2_000)
    due = p.message.text
    assert p.screen == "tender" and due == "Sisa bayar: Rp3.000"
    arrive(ledger, order_body("o-5"))
    assert q.poll() and q.open_count == 1
    assert effects.sounds_played == ["new_order"] and p.message.text == due


def test_a_delivery_goes_to_the_rider_and_stays_listed_until_delivered(
    checkout: CheckoutService, staff: StaffService, effects: DeviceEffects, ledger: SqliteLedger
) -> None:
    p, q = till(checkout, staff, effects, ledger)
    arrive(ledger, order_body("o-6", prepaid=True, kind="delivery"))
    q.open()
    q.advance("o-6", "ready")
    assert p.message.text == "Pesanan Sari siap diambil kurir"
    (row,) = q.rows()
    assert row.can_collect and row.delivery  # the screen says "Serahkan ke kurir"
    q.collect("o-6")  # the rider takes it: a prepaid order's sale completes at once
    assert online_orders.get(ledger.conn, "o-6")["status"] == "collected"  # type: ignore[index]
    q.poll()
    (row,) = q.rows()
    assert (row.status, row.next_step, row.can_collect) == ("Dibawa kurir", "delivered", False)
    assert q.open_count == 1
    q.advance("o-6", "delivered")
    assert p.message.text == "Pesanan Sari sudah diantar"
    assert online_orders.get(ledger.conn, "o-6")["status"] == "delivered"  # type: ignore[index]
    assert statuses_told(ledger, "o-6")[-2:] == ["collected", "delivered"]
    assert q.open_count == 0 and q.rows() == []
    q.advance("o-6", "delivered")  # a second press (or the channel's word) adds nothing
    assert statuses_told(ledger, "o-6").count("delivered") == 1


def test_a_prepaid_order_cancelled_before_its_sale_is_not_sold_and_the_till_says_so(
    checkout: CheckoutService, staff: StaffService, effects: DeviceEffects, ledger: SqliteLedger
) -> None:
    p, q = till(checkout, staff, effects, ledger)
    arrive(ledger, order_body("o-9", prepaid=True))
    q.desk.load(checkout, "POSORDER:o-9")  # scanned; the channel's cancel comes first
    online_orders.cancel(ledger.conn, "o-9", "customer", ORIGIN, "2026-11-30T07:01:00Z")
    p.screen = "tender"
    p._after_tender()
    assert p.message.text == "Pesanan Sari sudah dibatalkan: jangan diserahkan"
    assert p.message.level == "error" and p.screen == "sale" and p.last_sale is None
    assert checkout.basket.is_empty and checkout.tenders is None
    assert ledger.conn.execute("SELECT count(*) FROM sales").fetchone()[0] == 0
    assert statuses_told(ledger, "o-9") == ["received", "cancelled"]
