"""Paying a web order online by QRIS through an acquirer, before it goes to the store.

``ShopAcquirer`` is what the shop needs of one: make a dynamic QRIS for an order and say
whether it is paid. The fleet's ``SimulatedAcquirer`` (``fleet run --simulated-acquirer``,
tests, demos) builds a real dynamic QRIS from a sample merchant with
``kiosk.domain.qris`` and is paid when told (the order page then offers a "pay
(simulation)" button, as an acquirer's sandbox does). A real acquirer (Midtrans, SNAP)
plugs in behind the same two calls.

An order waits in ``awaiting_payment`` (held from the kiosks) until a look at the
acquirer says paid; then it becomes a prepaid order and is sent to the store.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

import sqlalchemy as sa

from fleet.services import commands
from fleet.shop.order_status import release_payment
from fleet.storage.shop_schema import orders
from kiosk.domain import qris

PaymentState = Literal["pending", "paid", "expired", "failed"]
# An example merchant's static QRIS (not a real shop), as the simulated till uses.
SAMPLE_STATIC_QRIS = (
    "00020101021126430017ID.CO.EXAMPLE.WWW011893600000000000000151370014ID.CO.QRIS.WWW"
    "0215ID10000000000015204541153033605802ID5909TOKO SARI6007BANDUNG63044C38"
)


class ShopAcquirer(Protocol):
    name: str
    simulated: bool

    def create(self, order_id: str, amount: int) -> tuple[str, str]:
        """(the acquirer's reference, the dynamic QRIS payload to show)."""
        ...

    def state(self, reference: str) -> PaymentState: ...


@dataclass
class SimulatedAcquirer:
    static_qris: str = SAMPLE_STATIC_QRIS
    name: str = "simulated"
    simulated: bool = True
    _paid: set[str] = field(default_factory=set)
    _made: dict[str, int] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def create(self, order_id: str, amount: int) -> tuple[str, str]:
        payload = qris.to_dynamic(self.static_qris, amount, bill_number=order_id[-25:])
        with self._lock:
            reference = f"SIM-{len(self._made) + 1:06d}-{order_id[:8]}"
            self._made[reference] = amount
        return reference, payload

    def pay(self, reference: str) -> None:
        """The customer pays (the sandbox's simulate-payment button)."""
        with self._lock:
            if reference in self._made:
                self._paid.add(reference)

    def state(self, reference: str) -> PaymentState:
        with self._lock:
            return "paid" if reference in self._paid else "pending"


def start(engine: sa.Engine, acquirer: ShopAcquirer, order_id: str, amount: int) -> dict[str, Any]:
    """Ask the acquirer for the order's QRIS and keep it with the order."""
    reference, payload = acquirer.create(order_id, amount)
    payment = {"provider": acquirer.name, "reference": reference, "qris": payload}
    with engine.begin() as conn:
        query = sa.select(orders.c.body).where(orders.c.order_id == order_id)
        body = json.loads(conn.execute(query).scalar_one())
        body["payment"] = payment
        body["payment_reference"] = reference
        conn.execute(sa.update(orders).where(orders.c.order_id == order_id)
                     .values(body=json.dumps(body, sort_keys=True)))  # fmt: skip
    return payment


def check(
    engine: sa.Engine, acquirer: ShopAcquirer | None, publish: commands.Publish | None,
    order: dict[str, Any],
) -> bool:  # fmt: skip
    """For an order awaiting payment: ask the acquirer; once paid, send it to the store.
    True when this look found it paid."""
    payment = order.get("payment") or {}
    if order["status"] != "awaiting_payment" or acquirer is None or not payment:
        return False
    if acquirer.state(payment["reference"]) != "paid":
        return False
    release_payment(engine, publish, order["order_id"])
    return True
