"""Online orders between the fleet and a store's kiosks: ``cmd/order`` (store-wide, on
``pos/v1/{store}/all/cmd/order``) carries an order priced by the fleet; the kiosk answers
each change of the order's state with an ``order`` message (outbox, QoS 1).

Prices here are the fleet's, computed from the store's catalog and promotions; the till
sells at these prices when the order is collected.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from kiosk.contract.documents import version
from kiosk.contract.fields import At, Document, Id, Money, Name, Text, items

Channel = Annotated[
    str,
    Field(min_length=2, max_length=32, pattern=r"^[a-z][a-z0-9_-]{1,31}$",
          description="web, gofood, grabfood, shopeefood, tokopedia, shopee, ..."),
]  # fmt: skip
STORE_CHANNEL = "store"  # a sale made at the till with no order behind it
OrderState = Literal[
    "received", "accepted", "packed", "ready", "collected", "delivered", "cancelled", "short"
]


class OrderLine(Document):
    sku: Id
    name: Name
    qty: int = Field(ge=1, le=10_000, description="units")
    unit_price: Money = Field(ge=0, description="the store's tax-inclusive price")
    gross: Money = Field(ge=0, description="unit_price * qty")
    discount: Money = Field(ge=0, description="promotions taken off this line")
    amount: Money = Field(ge=0, description="gross - discount")


class Customer(Document):
    name: str = Field(min_length=1, max_length=100)
    phone: str = Field(min_length=6, max_length=20, pattern=r"^\+?[0-9]{6,19}$",
                       description="WhatsApp number, digits with an optional +")  # fmt: skip


class Fulfilment(Document):
    kind: Literal["pickup", "delivery"]
    pickup_at: str = Field("", max_length=40, description="wished pickup time, ISO 8601")
    address: Text = Field("", description="for a delivery")
    fee: Money = Field(0, ge=0, description="the delivery fee charged")


class Order(Document):
    """An online order for the store's kiosks, or (``action: cancel``) the owner's or the
    channel's cancel of it, or (``action: delivered``) the channel's word that the rider
    handed a delivery order to the customer. Stored once per ``order_id`` on each kiosk
    and reserves stock there (available = on hand - reserved). ``total`` = sum of the
    line amounts + the delivery fee."""

    action: Literal["place", "cancel", "delivered"] = "place"
    order_id: Id = Field(description="the fleet's order id")
    channel: Channel = "web"
    external_id: Name = Field("", description="the caller's (connector's) order id")
    customer: Customer | None = None
    lines: list[OrderLine] = items(200, optional=True)
    fulfilment: Fulfilment | None = None
    total: Money = Field(0, ge=0)
    prepaid: bool = Field(False, description="the money was collected online")
    payment_reference: Name = Field("", description="the acquirer's or channel's reference")
    placed_at: At = ""
    reason: Name = Field("", description="why, for a cancel")

    def cross_checks(self) -> list[str]:
        if self.action != "place":
            return []
        errors = []
        if not self.lines:
            errors.append("lines: an order has at least one line")
        if self.customer is None or self.fulfilment is None:
            errors.append("customer, fulfilment: needed to place an order")
        for index, line in enumerate(self.lines):
            if (
                line.gross != line.unit_price * line.qty
                or line.amount != line.gross - line.discount
            ):
                errors.append(f"lines[{index}]: gross or amount does not add up")
        fee = self.fulfilment.fee if self.fulfilment else 0
        if self.total != sum(line.amount for line in self.lines) + fee:
            errors.append("total: is not the sum of the line amounts and the fee")
        return errors


class OrderStatus(Document):
    """A kiosk's change to an online order: ``received`` when stored (and stock reserved),
    then ``accepted``, ``packed``, ``ready``, ``collected`` (with the ``sale_id``; for a
    delivery, the rider took it) and, for a delivery, ``delivered``; or ``cancelled``
    (with a ``reason``); ``short`` when a till sale took a unit the order held
    (``short_skus``). Message id ``status_id``; the fleet keeps the latest state."""

    schema_version: Literal[1] = version()
    status_id: Id = Field(description="the dedup key")
    order_id: Id
    store_id: Id
    device_id: Id
    status: OrderState
    at: At
    reason: Name = ""
    sale_id: Name = ""
    short_skus: list[Id] = items(200, optional=True)


PICKUP_PREFIX = "POSORDER:"  # a customer's pickup QR: POSORDER:{order_id}
