"""The counter's online-orders queue (plain Python, the screen draws it): how many orders
are open (the badge), each order as staff read it (customer, channel, pickup or delivery,
lines, total, paid or not, status), and the steps: accept, packed, ready, collected (the
order's lines go into the basket, as the replay's ``order_pickup`` does; a delivery is
collected when the rider takes it, then stays listed on its way until marked delivered)
or cancel with a reason. Every step is the ``OnlineOrderDesk``'s; a new order plays the chime.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from kiosk.domain.errors import ShownError
from kiosk.services.checkout import CheckoutService
from kiosk.services.online_orders import OnlineOrderDesk, OrderStateError
from kiosk.ui.i18n import Language
from kiosk.ui.presenters.counter_books import DeskOwner
from kiosk.ui.presenters.refusals import N_, shown_text

STATUS_WORDS = {
    "received": N_("New"),
    "accepted": N_("Accepted"),
    "packed": N_("Packed"),
    "ready": N_("Ready"),
    "collected": N_("Collected"),
    "on_the_way": N_("On its way"),  # a delivery the rider took
    "delivered": N_("Delivered"),
    "cancelled": N_("Cancelled"),
}
CHANNEL_WORDS = {"web": N_("Web shop"), "gofood": "GoFood", "grabfood": "GrabFood",
                 "shopeefood": "ShopeeFood"}  # fmt: skip
CANCEL_REASONS = (
    N_("Out of stock"),
    N_("Customer asked to cancel"),
    N_("Store is closing"),
    N_("Other"),
)
NEXT_STEP = {"received": "accepted", "accepted": "packed", "packed": "ready",
             "on_the_way": "delivered"}  # fmt: skip


@dataclass(frozen=True)
class OrderRow:
    order_id: str
    title: str  # customer, channel, pickup or delivery
    lines: str  # "2 x Teh Botol, 1 x Kopi Susu"
    total: str
    paid: str
    status: str
    next_step: str  # "accepted", "packed", "ready", "delivered" or "" (ready: collect it)
    can_collect: bool  # ready orders: the customer or the rider takes them
    delivery: bool = False


class OrdersOwner(DeskOwner, Protocol):
    def _after_tender(self) -> None: ...


class CounterOrders:
    def __init__(self, owner: OrdersOwner, desk: OnlineOrderDesk, checkout: CheckoutService,
                 chime: Callable[[], Any] = lambda: None) -> None:  # fmt: skip
        self.owner, self.desk, self.checkout, self.chime = owner, desk, checkout, chime
        self.open_count = 0
        self.seen: set[str] = set()
        self.chosen = ""  # the order whose cancel reasons are shown

    @property
    def lang(self) -> Language:
        return self.owner.lang

    def _say(self, text: str, level: str = "info") -> None:
        self.owner._say(text, level)
        self.owner._changed()

    # -- the queue --------------------------------------------------------------------
    def poll(self) -> bool:
        """Re-read the open orders (the app calls this every few seconds); a new one plays
        the chime and is said on the screen. True when something changed."""
        open_orders = self.desk.orders(open_only=True)
        fresh = [o for o in open_orders if o["order_id"] not in self.seen]
        self.seen.update(o["order_id"] for o in open_orders)
        changed = bool(fresh) or len(open_orders) != self.open_count
        self.open_count = len(open_orders)
        if fresh:
            self.chime()
            who = fresh[-1]["customer"].get("name", "") or fresh[-1]["order_id"]
        if fresh and self.owner.screen not in ("tender", "done"):  # not over what is due
            self.owner._say(self.lang._("New online order from {name}").format(name=who),
                            "attention")  # fmt: skip
        if changed:
            self.owner._changed()
        return changed

    def rows(self) -> list[OrderRow]:
        _ = self.lang._
        result = []
        for order in self.desk.orders(open_only=True):
            kind = order["fulfilment"].get("kind", "pickup")
            channel = CHANNEL_WORDS.get(order["channel"], order["channel"])
            title = "  ·  ".join(
                part for part in (order["customer"].get("name", ""), _(channel),
                                  _("Delivery") if kind == "delivery" else _("Pickup")) if part
            )  # fmt: skip
            lines = ", ".join(
                f"{line['qty']} x {line['name']}" + (f" ({_('short')})" if line["short"] else "")
                for line in order["lines"]
            )
            step = order["status"]
            if step == "collected" and kind == "delivery":
                step = "on_the_way"
            result.append(OrderRow(
                order["order_id"], title, lines, self.lang.money(order["total"]),
                _("Paid") if order["paid"] else _("To pay at the till"),
                _(STATUS_WORDS.get(step, step)), NEXT_STEP.get(step, ""),
                step == "ready", kind == "delivery",
            ))  # fmt: skip
        return result

    def open(self) -> None:
        if self.owner.cashier is None:
            self._say(self.lang._("Sign in first"), "attention")
            return
        self.chosen = ""
        self.owner.screen = "orders"
        self.poll()
        self._say(self.lang._("Online orders"))

    def leave(self) -> None:
        self.chosen = ""
        self.owner.screen = "sale"
        self._say("")

    # -- steps ------------------------------------------------------------------------
    def _step(self, action: Callable[[], dict[str, Any]], done: str) -> dict[str, Any] | None:
        try:
            order = action()
        except OrderStateError:
            self._say(self.lang._("This order cannot take that step any more"), "error")
            self.poll()
            return None
        except ShownError as error:
            self._say(shown_text(error, self.lang), "error")
            return None
        self.poll()
        name = order["customer"].get("name", "") or order["order_id"]
        self._say(self.lang._(done).format(name=name), "ok")
        return order

    def advance(self, order_id: str, status: str) -> None:
        """``accepted``, ``packed``, ``ready`` or (a delivery the rider took) ``delivered``."""
        done = {"accepted": N_("Order of {name} accepted"),
                "packed": N_("Order of {name} packed"),
                "ready": N_("Order of {name} is ready for pickup"),
                "delivered": N_("Order of {name} delivered")}[status]  # fmt: skip
        if status == "delivered":
            self._step(lambda: self.desk.deliver(order_id), done)
            return
        if status == "ready" and self._is_delivery(order_id):
            done = N_("Order of {name} is ready for the rider")
        self._step(lambda: self.desk.advance(order_id, status), done)

    def _is_delivery(self, order_id: str) -> bool:
        try:
            return bool(self.desk.get(order_id)["fulfilment"].get("kind") == "delivery")
        except OrderStateError:
            return False  # the step itself says what is wrong

    def ask_cancel(self, order_id: str) -> None:
        self.chosen = order_id
        self._say(self.lang._("Why is this order cancelled?"), "attention")

    def keep(self) -> None:
        """Back from the cancel reasons: the order stays as it was."""
        self.chosen = ""
        self._say("")

    def cancel(self, reason: str) -> None:
        order_id, self.chosen = self.chosen, ""
        if order_id:
            self._step(lambda: self.desk.cancel(order_id, reason),
                       N_("Order of {name} cancelled"))  # fmt: skip

    def collect(self, order_id: str) -> None:
        """The customer is here: the order's lines go into the basket at their prices."""
        order = self._step(lambda: self.desk.load(self.checkout, order_id),
                           N_("Order of {name} is in the basket"))  # fmt: skip
        if order is None:
            return
        if order["prepaid"]:  # its online tender covers it: the sale completes at once
            self.owner.screen = "tender"
            self.owner._after_tender()
        else:
            self.owner.screen = "sale"
            self.owner._changed()
