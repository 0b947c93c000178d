"""The counter's online orders: list them, move them on (accept, packed, ready), cancel
one with a reason, and collect one: its lines go into the till's basket at the ordered
prices (no promotion again); a prepaid order is paid by its online tender at once,
otherwise the customer pays at the till. The sale carries the order's channel and id;
committing it marks the order collected (``kiosk.storage.online_orders.after_sale``).

A customer's pickup QR holds ``POSORDER:{order_id}``; the till takes either.
"""

from __future__ import annotations

import sqlite3
import uuid
from typing import Any

from kiosk.contract.orders import PICKUP_PREFIX
from kiosk.domain.basket import Basket
from kiosk.domain.catalog import Product
from kiosk.ports import Clock
from kiosk.services.business_day import utc_stamp
from kiosk.services.checkout import CheckoutError, CheckoutService
from kiosk.storage import online_orders
from kiosk.storage.online_orders import OrderStateError

__all__ = ["OnlineOrderDesk", "OrderStateError", "order_id_of"]


def order_id_of(code: str) -> str:
    """The order id from a scanned pickup QR, or the id itself."""
    code = code.strip()
    return code[len(PICKUP_PREFIX) :] if code.startswith(PICKUP_PREFIX) else code


class OnlineOrderDesk:
    def __init__(self, conn: sqlite3.Connection, clock: Clock, *, store_id: str,
                 device_id: str) -> None:  # fmt: skip
        self.conn, self.clock = conn, clock
        self.origin = {"store_id": store_id, "device_id": device_id}

    def orders(self, *, open_only: bool = False) -> list[dict[str, Any]]:
        return online_orders.listing(self.conn, open_only=open_only)

    def get(self, code: str) -> dict[str, Any]:
        order = online_orders.get(self.conn, order_id_of(code))
        if order is None:
            raise OrderStateError(f"no online order {order_id_of(code)} on this till")
        return order

    def advance(self, code: str, status: str) -> dict[str, Any]:
        """``accepted``, ``packed`` or ``ready``; the fleet is told in the same commit."""
        return online_orders.advance(self.conn, order_id_of(code), status, self.origin,
                                     utc_stamp(self.clock))  # fmt: skip

    def deliver(self, code: str) -> dict[str, Any]:
        """A delivery order the rider took reached the customer; the fleet is told."""
        online_orders.deliver(self.conn, order_id_of(code), self.origin, utc_stamp(self.clock))
        return self.get(code)

    def cancel(self, code: str, reason: str) -> dict[str, Any]:
        return online_orders.cancel(self.conn, order_id_of(code), reason, self.origin,
                                    utc_stamp(self.clock))  # fmt: skip

    def load(self, checkout: CheckoutService, code: str) -> dict[str, Any]:
        """Put an order's lines into the open (empty) basket at the ordered prices; a
        prepaid order's online tender is taken too, so the sale can be completed. A line
        a till sale took units from carries only the units still held."""
        order = self.get(code)
        if order["status"] in online_orders.FINAL:
            raise OrderStateError(f"order {order['order_id']} is already {order['status']}")
        if not checkout.basket.is_empty or checkout.tenders is not None:
            raise CheckoutError.of(
                "checkout.finish_before_order",
                message="finish or suspend the open basket before collecting an order",
            )
        held = self._held_per_line(order["order_id"])
        basket = Basket(uuid.uuid4().hex)
        basket.order = {"order_id": order["order_id"], "channel": order["channel"]}
        for line_no, line in enumerate(order["lines"], start=1):
            units = held.get(line_no, 0)
            if units <= 0:
                continue
            known = checkout.catalog.by_sku(line["sku"])
            product = known or Product(line["sku"], line["name"], line["unit_price"])
            added = basket.add(product, units, price_override=line["unit_price"])
            off = line["discount"] * units // line["qty"]  # a short line keeps its share
            if off:
                basket.set_line_discount(added.line_no, amount=off)
        if basket.is_empty:
            raise OrderStateError(f"order {order['order_id']} has nothing left to collect")
        checkout.reopen(basket)
        if order["prepaid"]:
            due = checkout.start_payment().remaining
            reference = order["payment_reference"] or f"{order['channel']}:{order['external_id']}"
            checkout.start_payment().add_online(due, reference=reference[:200])
        return order

    def _held_per_line(self, order_id: str) -> dict[int, int]:
        rows = self.conn.execute(
            "SELECT line_no, reserved FROM online_order_lines WHERE order_id = ?", (order_id,)
        ).fetchall()
        return {int(n): int(r) for n, r in rows}
