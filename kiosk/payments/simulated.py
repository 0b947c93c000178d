"""An in-process acquirer for the simulated till and replay scripts.

It makes a real dynamic QRIS from the shop's static one (or a sample) and settles each
charge the way it is told: ``outcome`` "approved" pays after ``pay_after`` status
questions, "declined" fails, "expired" expires, "timeout" never answers in time.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kiosk.domain import qris
from kiosk.payments.gateway import (
    GatewayError,
    QrisCharge,
    QrisRefund,
    QrisStatus,
    RefundState,
)

OUTCOMES = ("approved", "declined", "expired", "timeout")
# An example merchant's static QRIS (not a real shop): replay's when none is set.
SAMPLE_STATIC_QRIS = (
    "00020101021126430017ID.CO.EXAMPLE.WWW011893600000000000000151370014ID.CO.QRIS.WWW"
    "0215ID10000000000015204541153033605802ID5909TOKO SARI6007BANDUNG63044C38"
)


@dataclass
class _Charge:
    charge: QrisCharge
    outcome: str
    asked: int = 0
    status: QrisStatus = QrisStatus.PENDING
    refunded: int = 0
    refund_ids: set[str] = field(default_factory=set)


@dataclass
class SimulatedGateway:
    static_qris: str
    outcome: str = "approved"
    pay_after: int = 1
    name: str = "simulated"
    reachable: bool = True
    charges: dict[str, _Charge] = field(default_factory=dict)

    def _reach(self) -> None:
        if not self.reachable:
            raise GatewayError("simulated acquirer: cannot connect", retryable=True, sent=False)

    def create(self, order_id: str, amount: int) -> QrisCharge:
        self._reach()
        if self.outcome not in OUTCOMES:
            raise GatewayError(
                f"simulated acquirer: unknown outcome {self.outcome}", retryable=False
            )
        if order_id in self.charges:
            raise GatewayError("simulated acquirer: order id already used", retryable=False)
        payload = qris.to_dynamic(self.static_qris, amount, bill_number=order_id[-25:])
        charge = QrisCharge(order_id, f"SIM-{len(self.charges) + 1:06d}", amount, payload)
        self.charges[order_id] = _Charge(charge, self.outcome)
        return charge

    def _entry(self, order_id: str) -> _Charge:
        entry = self.charges.get(order_id)
        if entry is None:
            raise GatewayError("simulated acquirer: no such order", retryable=False, code="404")
        return entry

    def status(self, charge: QrisCharge) -> QrisStatus:
        self._reach()
        entry = self._entry(charge.order_id)
        if entry.status is not QrisStatus.PENDING:
            return entry.status
        entry.asked += 1
        if entry.outcome == "timeout":
            raise GatewayError("simulated acquirer: no answer in time", retryable=True)
        if entry.asked >= self.pay_after:
            entry.status = {
                "approved": QrisStatus.PAID,
                "declined": QrisStatus.FAILED,
                "expired": QrisStatus.EXPIRED,
            }[entry.outcome]
        return entry.status

    def cancel(self, charge: QrisCharge) -> QrisStatus:
        self._reach()
        entry = self._entry(charge.order_id)
        if entry.status is QrisStatus.PENDING:
            entry.status = QrisStatus.CANCELLED
        return entry.status

    def refund(self, charge: QrisCharge, refund_id: str, amount: int, reason: str) -> QrisRefund:
        self._reach()
        entry = self._entry(charge.order_id)
        if entry.status not in (QrisStatus.PAID, QrisStatus.REFUNDED):
            raise GatewayError("simulated acquirer: not paid", retryable=False)
        if entry.refunded + amount > charge.amount:
            raise GatewayError("simulated acquirer: more than was paid", retryable=False)
        if refund_id in entry.refund_ids:  # the same refund asked again: counted once
            return QrisRefund(refund_id, amount, f"{charge.reference}-R")
        entry.refunded += amount
        entry.refund_ids.add(refund_id)
        if entry.refunded == charge.amount:
            entry.status = QrisStatus.REFUNDED
        return QrisRefund(refund_id, amount, f"{charge.reference}-R")

    def refund_status(self, charge: QrisCharge, refund_id: str) -> RefundState:
        self._reach()
        entry = self.charges.get(charge.order_id)
        done = entry is not None and refund_id in entry.refund_ids
        return RefundState.REFUNDED if done else RefundState.NONE

    def settle_now(self, order_id: str) -> None:
        """The customer pays: the next status question answers PAID."""
        entry = self.charges[order_id]
        if entry.status is QrisStatus.PENDING:
            entry.status = QrisStatus.PAID
