"""The QRIS gateway port: what the till asks of an acquirer, whichever it is.

The till creates a charge for one sale, shows the charge's QR and then learns the outcome
by asking (``status``) or by being told (the fleet relays the acquirer's notification).
Every adapter maps its provider's words onto ``QrisStatus`` so the rest of the till
never sees a provider's status code.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Protocol


class QrisStatus(enum.Enum):
    PENDING = "pending"
    PAID = "paid"
    EXPIRED = "expired"
    CANCELLED = "cancelled"
    FAILED = "failed"
    REFUNDED = "refunded"

    @property
    def final(self) -> bool:
        return self is not QrisStatus.PENDING


@dataclass(frozen=True)
class QrisCharge:
    """One QR shown for one sale. ``order_id`` is ours; ``reference`` is the acquirer's."""

    order_id: str
    reference: str
    amount: int
    qr_string: str
    expires_in_s: int = 900


@dataclass(frozen=True)
class QrisRefund:
    refund_id: str
    amount: int
    reference: str = ""


class RefundState(enum.Enum):
    """What the acquirer says of one refund id, asked after a refund call got no answer."""

    REFUNDED = "refunded"  # it made that refund
    NONE = "none"  # it has no such refund (never arrived, or failed): it never will be
    PENDING = "pending"  # it has it, not final yet


class GatewayError(Exception):
    """The acquirer could not be reached or refused; ``retryable`` says whether asking
    again later may succeed (a timeout or 5xx) or not (a refusal). ``sent`` is False
    only when the request certainly never left the till (no connection was made), so
    the acquirer cannot have acted on it. The message never holds a key or a signature."""

    def __init__(self, message: str, *, retryable: bool, code: str = "", sent: bool = True) -> None:
        super().__init__(message)
        self.retryable = retryable
        self.code = code
        self.sent = sent


class QrisGateway(Protocol):
    name: str

    def create(self, order_id: str, amount: int) -> QrisCharge: ...

    def status(self, charge: QrisCharge) -> QrisStatus: ...

    def cancel(self, charge: QrisCharge) -> QrisStatus: ...

    def refund(
        self, charge: QrisCharge, refund_id: str, amount: int, reason: str
    ) -> QrisRefund: ...

    def refund_status(self, charge: QrisCharge, refund_id: str) -> RefundState:
        """Whether the refund ``refund_id`` of ``charge`` was made (``GatewayError`` when
        the acquirer does not answer)."""
        ...
