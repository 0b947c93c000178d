"""The orders API's request body (documented in the OpenAPI spec). Unknown fields are
refused, so a connector's typo is an error rather than silently nothing; a ``price`` on
a line (or a ``total``) is accepted and ignored: the store's own prices are used."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

Phone = Annotated[
    str, Field(pattern=r"^\+?[0-9]{6,19}$", description="WhatsApp number: digits, optional +")
]
IGNORED = "ignored: the server prices every order from the store's catalog"


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class LineIn(Strict):
    sku: str = Field(min_length=1, max_length=64)
    qty: int = Field(ge=1, le=1000, description="units")
    price: int | None = Field(None, description=IGNORED)
    unit_price: int | None = Field(None, description=IGNORED)


class CustomerIn(Strict):
    name: str = Field(min_length=1, max_length=100)
    phone: Phone


class FulfilmentIn(Strict):
    type: Literal["pickup", "delivery"]
    address: str = Field("", max_length=500, description="needed for a delivery")
    pickup_at: str = Field("", max_length=40, description="wished pickup time, ISO 8601")


class OrderIn(Strict):
    """An order from a connector (GoFood, Tokopedia, ...) or the web shop."""

    order_id: str = Field(
        min_length=1, max_length=64,
        description="the caller's order id: a repeat is answered, not placed again",
    )  # fmt: skip
    channel: str = Field(
        "web", pattern=r"^[a-z][a-z0-9_-]{1,31}$",
        description="web, gofood, grabfood, shopeefood, tokopedia, shopee, ...",
    )  # fmt: skip
    customer: CustomerIn
    lines: list[LineIn] = Field(min_length=1, max_length=200)
    fulfilment: FulfilmentIn | Literal["pickup", "delivery"] = Field(
        description='{"type": "pickup"|"delivery", "address", "pickup_at"} or just the word'
    )
    address: str = Field("", max_length=500, description="with fulfilment given as a word")
    pickup_at: str = Field("", max_length=40, description="with fulfilment given as a word")
    prepaid: bool = Field(False, description="the channel has already collected the money")
    payment_reference: str = Field("", max_length=200)
    total: int | None = Field(None, description=IGNORED)

    def fulfilment_parts(self) -> FulfilmentIn:
        if isinstance(self.fulfilment, FulfilmentIn):
            return self.fulfilment
        return FulfilmentIn(type=self.fulfilment, address=self.address, pickup_at=self.pickup_at)


class OrderLineOut(BaseModel):
    sku: str
    name: str
    qty: int
    unit_price: int
    gross: int
    discount: int
    amount: int


class OrderOut(BaseModel):
    order_id: str = Field(description="the fleet's order id")
    external_id: str = Field(description="the caller's order id")
    channel: str
    status: str = Field(description="placed, received, accepted, packed, ready, collected "
                        "(a delivery: the rider took it), delivered, cancelled "
                        "(awaiting_payment for an unpaid web order)")  # fmt: skip
    lines: list[OrderLineOut]
    delivery_fee: int
    total: int
    prepaid: bool
    short: bool = Field(description="a till sale took a unit the order held")
    order_url: str = Field(description="the customer's order page (unguessable)")
    warnings: list[str] = Field(description="e.g. a price in the request that was ignored")
    duplicate: bool = Field(description="this order id was placed before; nothing new")
    refunded: int = Field(0, description="a cancelled prepaid order: the amount given back "
                          "(once; 0 until the refund is made)")  # fmt: skip


class CancelIn(Strict):
    """The channel's customer or the channel cancelled the order."""

    reason: str = Field(min_length=1, max_length=200)


class AvailabilityItem(BaseModel):
    sku: str
    name: str
    price: int
    available: int | None = Field(description="units; null when the store does not track it")
    state: Literal["in_stock", "few_left", "sold_out"]


class Problem(BaseModel):
    code: str = Field(description="unknown_product, not_available, duplicate_order_id, "
                      "store_closed, ... ")  # fmt: skip
    message: str
    skus: list[str] = Field(default_factory=list)
