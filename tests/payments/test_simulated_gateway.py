"""The simulated acquirer settles each charge the way the script says."""

from __future__ import annotations

import pytest

from kiosk.domain import qris
from kiosk.payments.gateway import GatewayError, QrisStatus
from kiosk.payments.simulated import SimulatedGateway
from kiosk.testing.fake_acquirers import sample_static_qris


@pytest.mark.parametrize(
    ("outcome", "final"),
    [("approved", QrisStatus.PAID), ("declined", QrisStatus.FAILED),
     ("expired", QrisStatus.EXPIRED)],
)  # fmt: skip
def test_outcomes(outcome: str, final: QrisStatus) -> None:
    gateway = SimulatedGateway(sample_static_qris(), outcome=outcome, pay_after=2)
    charge = gateway.create("S-1", 4500)
    assert qris.parse(charge.qr_string).amount == 4500
    assert gateway.status(charge) is QrisStatus.PENDING
    assert gateway.status(charge) is final
    assert gateway.status(charge) is final


def test_timeout_is_retryable_and_unreachable_is_too() -> None:
    gateway = SimulatedGateway(sample_static_qris(), outcome="timeout")
    charge = gateway.create("S-2", 1000)
    with pytest.raises(GatewayError) as slow:
        gateway.status(charge)
    assert slow.value.retryable
    gateway.reachable = False
    with pytest.raises(GatewayError, match="cannot connect"):
        gateway.create("S-3", 1000)


def test_cancel_then_pay_stays_cancelled_and_refund_needs_payment() -> None:
    gateway = SimulatedGateway(sample_static_qris(), pay_after=5)
    charge = gateway.create("S-4", 1000)
    assert gateway.cancel(charge) is QrisStatus.CANCELLED
    gateway.settle_now("S-4")
    assert gateway.status(charge) is QrisStatus.CANCELLED
    with pytest.raises(GatewayError, match="not paid"):
        gateway.refund(charge, "R", 1000, "x")
    paid = gateway.create("S-5", 1000)
    gateway.settle_now("S-5")
    gateway.refund(paid, "R-1", 400, "part")
    with pytest.raises(GatewayError, match="more than was paid"):
        gateway.refund(paid, "R-2", 601, "too much")
    gateway.refund(paid, "R-3", 600, "rest")
    assert gateway.status(paid) is QrisStatus.REFUNDED
