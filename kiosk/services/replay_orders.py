"""The replay steps of online orders: ``order_accept``, ``order_ready`` (and
``order_packed``) take an order id; ``order_cancel`` takes ``{"id", "reason"}``;
``order_pickup`` loads the order into the basket at its prices (an id or the pickup QR's
text): a prepaid order is then complete, otherwise a ``pay`` step follows;
``order_delivered`` marks a delivery order the rider took as delivered."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from kiosk.domain.bounds import check_text
from kiosk.services.checkout import CheckoutService
from kiosk.services.online_orders import OnlineOrderDesk

ORDER_STEPS = ("order_accept", "order_packed", "order_ready", "order_cancel", "order_pickup",
               "order_delivered")  # fmt: skip


@dataclass
class OrderSteps:
    desk: OnlineOrderDesk
    checkout: CheckoutService
    log: Callable[[str], None] = lambda _msg: None

    def run(self, name: str, value: Any) -> None:
        if name == "order_cancel":
            if not isinstance(value, dict) or set(value) != {"id", "reason"}:
                raise ValueError('order_cancel needs {"id": "...", "reason": "..."}')
            order = self.desk.cancel(check_text(value["id"], "id"),
                                     check_text(value["reason"], "reason"))  # fmt: skip
            self.log(f"order {order['order_id']} cancelled: {order['reason']}")
            return
        code = check_text(value, name)
        if name == "order_pickup":
            order = self.desk.load(self.checkout, code)
            due = "paid online" if order["prepaid"] else "to pay at the till"
            self.log(f"order {order['order_id']} in the basket, {due}")
            return
        if name == "order_delivered":
            order = self.desk.deliver(code)
            self.log(f"order {order['order_id']} delivered")
            return
        status = {"order_accept": "accepted", "order_packed": "packed",
                  "order_ready": "ready"}[name]  # fmt: skip
        order = self.desk.advance(code, status)
        self.log(f"order {order['order_id']} {order['status']}")
