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
import logging
import threading
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

import sqlalchemy as sa

from fleet.services import commands
from fleet.shop.order_status import release_payment, store_confirmed
from fleet.storage.shop_schema import orders
from kiosk.contract.messages import utc_now_iso
from kiosk.domain import qris

log = logging.getLogger(__name__)
PaymentState = Literal["pending", "paid", "expired", "failed"]
RefundState = Literal["refunded", "not_refunded", "unknown"]
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

    def refund(self, reference: str, amount: int) -> str:
        """Give ``amount`` back on a paid charge; the refund's reference."""
        ...

    def refund_state(self, reference: str) -> RefundState:
        """Whether the charge ``reference`` was refunded (raises when it cannot answer)."""
        ...


@dataclass
class SimulatedAcquirer:
    static_qris: str = SAMPLE_STATIC_QRIS
    name: str = "simulated"
    simulated: bool = True
    refunded: dict[str, int] = field(default_factory=dict)
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

    def refund(self, reference: str, amount: int) -> str:
        """A charge of its own up to its amount; a channel's payment (a connector's
        prepaid order, not made here) once, as the channel's settlement allows."""
        with self._lock:
            own = reference in self._made
            if own and (reference not in self._paid or amount > self._made[reference]):
                raise ValueError(f"simulated acquirer: {reference} was not paid {amount}")
            if not own and reference in self.refunded:
                raise ValueError(f"simulated acquirer: {reference} was refunded already")
            self.refunded[reference] = self.refunded.get(reference, 0) + amount
            return f"{reference}-R"

    def refund_state(self, reference: str) -> RefundState:
        with self._lock:
            return "refunded" if reference in self.refunded else "not_refunded"


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


def _refund_source(row: Any, body: dict[str, Any]) -> dict[str, Any]:
    """Where a prepaid order's money came from: a web order's QRIS payment, or the
    channel that collected it for a connector's order (its payment reference)."""
    if body.get("payment"):
        return dict(body["payment"])
    reference = body.get("payment_reference") or f"{row.channel}:{row.external_id}"
    return {"provider": row.channel, "reference": reference}


def _set_refund(engine: sa.Engine, order_id: str, refund: dict[str, Any] | None,
                source: dict[str, Any], history: dict[str, Any] | None = None) -> None:  # fmt: skip
    with engine.begin() as conn:
        text = conn.execute(sa.select(orders.c.body).where(orders.c.order_id == order_id))
        body = json.loads(text.scalar_one())
        payment = body.get("payment") or source
        if refund is None:
            payment.pop("refund", None)
        else:
            payment["refund"] = refund
        body["payment"] = payment
        if history is not None:
            body["history"].append(history)
        conn.execute(sa.update(orders).where(orders.c.order_id == order_id)
                     .values(body=json.dumps(body, sort_keys=True)))  # fmt: skip


def _claim(engine: sa.Engine, row: Any, body: dict[str, Any], source: dict[str, Any],
           now: str) -> bool:  # fmt: skip
    """Mark the refund as being made, unless another round already did (the refund loop
    and an order page may look at once): only the round whose update matched the body
    it read makes the call."""
    body["payment"] = {**source, "refund": {"state": "calling", "amount": int(row.total),
                                            "at": now}}  # fmt: skip
    with engine.begin() as conn:
        claimed = conn.execute(
            sa.update(orders).where(orders.c.order_id == row.order_id, orders.c.body == row.body)
            .values(body=json.dumps(body, sort_keys=True))
        ).rowcount  # fmt: skip
    return bool(claimed)


def refund_cancelled(engine: sa.Engine, acquirer: ShopAcquirer, now: str) -> list[str]:
    """Give the money back for every prepaid order that was then cancelled (at the till,
    by the owner or by its connector), exactly once: a web order's QRIS payment, and a
    connector's prepaid order by its channel's payment reference, through the acquirer
    the shop refunds its own payments with. The refund is claimed in the order before
    the call and kept with it after; one the acquirer refuses is released for the next
    round. A call whose answer was lost stays claimed (never paid twice). An order sent
    to the store is refunded only once its kiosks confirmed the cancel (``store_confirmed``):
    until then a till may still collect it. The ids refunded."""
    o = orders
    query = sa.select(o.c.order_id, o.c.channel, o.c.external_id, o.c.total, o.c.body,
                      o.c.sent).where(o.c.status == "cancelled", o.c.prepaid.is_(True))  # fmt: skip
    done = []
    with engine.connect() as conn:
        rows = conn.execute(query).all()
    for row in rows:
        body = json.loads(row.body)
        source = _refund_source(row, body)
        if (
            source.get("refund")
            or int(row.total) <= 0
            or not store_confirmed(row, body)
            or not _claim(engine, row, body, source, now)
        ):
            continue
        try:
            reference = acquirer.refund(source["reference"], int(row.total))
        except Exception as err:
            log.warning("refund of order %s not done yet: %s", row.order_id, err)
            _set_refund(engine, row.order_id, None, source)
            continue
        refund = {"state": "done", "reference": reference, "amount": int(row.total), "at": now}
        entry = {"status": "refunded", "at": now, "amount": int(row.total),
                 "via": source.get("provider", row.channel)}  # fmt: skip
        _set_refund(engine, row.order_id, refund, source, entry)
        done.append(row.order_id)
    return done


class RefundLoop:
    """``fleet run`` with an acquirer: refunds cancelled paid web orders every few
    seconds, on its own thread, until ``stop()``."""

    def __init__(self, engine: sa.Engine, acquirer: ShopAcquirer, every_s: float = 5.0) -> None:
        self.engine, self.acquirer, self.every_s = engine, acquirer, every_s
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="shop-refunds", daemon=True)

    def start(self) -> RefundLoop:
        self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stop.wait(self.every_s):
            try:
                refund_cancelled(self.engine, self.acquirer, utc_now_iso())
            except sa.exc.SQLAlchemyError:  # the database is away: next round
                continue

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(10)
