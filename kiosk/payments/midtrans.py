"""Midtrans Core API: QRIS charge, status, cancel, refund, and the notification signature.

Facts (shared/QRIS-GATEWAYS.md §1): HTTP Basic with the server key as user and an empty
password; the body's ``status_code`` is the truth, not the HTTP status; a payment is made
when ``transaction_status`` is ``settlement`` (or ``capture``) with ``fraud_status``
``accept``; the notification's ``signature_key`` is the hex SHA-512 of
order_id + status_code + gross_amount + server key, the strings exactly as received.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

import httpx

from kiosk.payments.gateway import (
    GatewayError,
    QrisCharge,
    QrisRefund,
    QrisStatus,
    RefundState,
)
from kiosk.payments.http import parse_rupiah, send

SANDBOX = "https://api.sandbox.midtrans.com"
_STATUS = {
    "pending": QrisStatus.PENDING,
    "settlement": QrisStatus.PAID,
    "capture": QrisStatus.PAID,
    "expire": QrisStatus.EXPIRED,
    "cancel": QrisStatus.CANCELLED,
    "deny": QrisStatus.FAILED,
    "failure": QrisStatus.FAILED,
    "refund": QrisStatus.REFUNDED,
    "partial_refund": QrisStatus.PAID,
}


def status_of(body: dict[str, Any]) -> QrisStatus:
    """A transaction's status in our words; fraud that is not accepted is never paid."""
    status = _STATUS.get(str(body.get("transaction_status", "")))
    if status is None:
        raise GatewayError(
            f"midtrans: unknown transaction status {body.get('transaction_status')!r}",
            retryable=False,
        )
    if status is QrisStatus.PAID and body.get("fraud_status", "accept") != "accept":
        return QrisStatus.FAILED
    return status


def notification_signature(body: dict[str, Any], server_key: str) -> str:
    text = f"{body.get('order_id', '')}{body.get('status_code', '')}{body.get('gross_amount', '')}"
    return hashlib.sha512((text + server_key).encode()).hexdigest()


def verify_notification(body: dict[str, Any], server_key: str) -> bool:
    """True when the notification was signed with our server key."""
    given = str(body.get("signature_key", ""))
    return hmac.compare_digest(given, notification_signature(body, server_key))


class MidtransGateway:
    name = "midtrans"

    def __init__(
        self,
        server_key: str,
        *,
        base_url: str = SANDBOX,
        acquirer: str = "gopay",
        timeout_s: float = 10.0,
        client: httpx.Client | None = None,
        notification_url: str = "",
    ) -> None:
        if not server_key:
            raise GatewayError("midtrans: no server key set", retryable=False)
        self.acquirer = acquirer
        # Where Midtrans posts this charge's notification (the fleet's relay for this
        # kiosk; a kiosk behind NAT cannot take it itself): X-Override-Notification [M2].
        self.notification_url = notification_url
        self._client = client or httpx.Client(
            base_url=base_url,
            auth=(server_key, ""),
            timeout=timeout_s,
            headers={"Accept": "application/json"},
        )

    def _call(
        self, method: str, path: str, body: dict[str, Any] | None = None, **headers: str
    ) -> dict[str, Any]:
        request = self._client.build_request(method, path, json=body, headers=headers)
        answer = send(self._client, request, self.name)
        code = str(answer.get("status_code", ""))
        if code.startswith("5"):
            raise GatewayError(f"midtrans {path}: {code}", retryable=True, code=code)
        if code and not code.startswith("2") and code != "407":
            message = str(answer.get("status_message", ""))[:120]
            raise GatewayError(f"midtrans {path}: {code} {message}", retryable=False, code=code)
        return answer

    def create(self, order_id: str, amount: int) -> QrisCharge:
        answer = self._call(
            "POST",
            "/v2/charge",
            {
                "payment_type": "qris",
                "transaction_details": {"order_id": order_id, "gross_amount": amount},
                "qris": {"acquirer": self.acquirer},
            },
            **({"X-Override-Notification": self.notification_url} if self.notification_url else {}),
        )
        qr = answer.get("qr_string")
        reference = answer.get("transaction_id")
        if not isinstance(qr, str) or not qr or not isinstance(reference, str):
            raise GatewayError("midtrans /v2/charge: answer has no QR", retryable=False)
        try:
            charged = parse_rupiah(answer.get("gross_amount", amount))
        except ValueError as err:
            raise GatewayError(f"midtrans /v2/charge: {err}", retryable=False) from err
        if charged != amount:
            raise GatewayError(
                f"midtrans /v2/charge: charged {charged}, asked {amount}", retryable=False
            )
        return QrisCharge(order_id=order_id, reference=reference, amount=amount, qr_string=qr)

    def status(self, charge: QrisCharge) -> QrisStatus:
        return status_of(self._call("GET", f"/v2/{charge.order_id}/status"))

    def cancel(self, charge: QrisCharge) -> QrisStatus:
        try:
            return status_of(self._call("POST", f"/v2/{charge.order_id}/cancel"))
        except GatewayError as err:
            if err.code == "412":  # its status can no longer change: ask what it is
                return self.status(charge)
            raise

    def refund(self, charge: QrisCharge, refund_id: str, amount: int, reason: str) -> QrisRefund:
        answer = self._call(
            "POST",
            f"/v2/{charge.order_id}/refund",
            {"refund_key": refund_id, "amount": amount, "reason": reason[:255]},
        )
        return QrisRefund(
            refund_id=refund_id, amount=amount, reference=str(answer.get("refund_key", refund_id))
        )

    def refund_status(self, charge: QrisCharge, refund_id: str) -> RefundState:
        """From the transaction's status: its ``refunds`` list names each refund by its
        ``refund_key`` [M5]; an order Midtrans does not know has no refund either."""
        try:
            answer = self._call("GET", f"/v2/{charge.order_id}/status")
        except GatewayError as err:
            if err.code == "404":
                return RefundState.NONE
            raise
        refunds = answer.get("refunds")
        if isinstance(refunds, list) and any(
            isinstance(one, dict) and one.get("refund_key") == refund_id for one in refunds
        ):
            return RefundState.REFUNDED
        return RefundState.NONE
