"""A BI-SNAP QRIS MPM acquirer: access token, generate, query, cancel, refund.

Response codes are HTTP status (3) + service code (2) + case (2): generate 47, query 51,
cancel 77, refund 78, token 73. The query's ``latestTransactionStatus`` is the truth:
00 paid, 03 pending, 04 refunded, 05 cancelled, 06 failed, 07 not found, 08 expired,
09 rejected.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import httpx
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from kiosk.payments import snap_signing
from kiosk.payments.gateway import (
    GatewayError,
    QrisCharge,
    QrisRefund,
    QrisStatus,
    RefundState,
)
from kiosk.payments.http import parse_rupiah, rupiah_string, send

WIB = timezone(timedelta(hours=7))
_LATEST = {
    "00": QrisStatus.PAID,
    "03": QrisStatus.PENDING,
    "04": QrisStatus.REFUNDED,
    "05": QrisStatus.CANCELLED,
    "06": QrisStatus.FAILED,
    "07": QrisStatus.FAILED,
    "08": QrisStatus.EXPIRED,
    "09": QrisStatus.FAILED,
}


def load_private_key(pem: str) -> rsa.RSAPrivateKey:
    try:
        key = serialization.load_pem_private_key(pem.encode(), password=None)
    except (ValueError, TypeError) as err:
        raise GatewayError("snap: the private key is not a PEM RSA key", retryable=False) from err
    if not isinstance(key, rsa.RSAPrivateKey):
        raise GatewayError("snap: the private key is not an RSA key", retryable=False)
    return key


class SnapGateway:
    name = "snap"

    def __init__(
        self,
        *,
        base_url: str,
        client_id: str,
        client_secret: str,
        private_key_pem: str,
        partner_id: str,
        merchant_id: str,
        channel_id: str = "95221",
        path_prefix: str = "",
        validity_s: int = 900,
        timeout_s: float = 10.0,
        now: Callable[[], datetime] = lambda: datetime.now(UTC).astimezone(WIB),
        client: httpx.Client | None = None,
    ) -> None:
        if not (client_id and client_secret and partner_id and merchant_id):
            raise GatewayError(
                "snap: client id, secret, partner and merchant id are needed", retryable=False
            )
        self._key = load_private_key(private_key_pem)
        self._client_id, self._secret = client_id, client_secret
        self._partner, self._merchant, self._channel = partner_id, merchant_id, channel_id
        self._prefix, self._validity_s, self._now = path_prefix, validity_s, now
        self._client = client or httpx.Client(base_url=base_url, timeout=timeout_s)
        self._token = ""
        self._token_until = 0.0

    def _stamp(self) -> str:
        return snap_signing.timestamp(self._now())

    def _access_token(self) -> str:
        if self._token and time.monotonic() < self._token_until:
            return self._token
        stamp = self._stamp()
        body = snap_signing.minify({"grantType": "client_credentials"})
        request = self._client.build_request(
            "POST",
            f"{self._prefix}/v1.0/access-token/b2b",
            content=body,
            headers={
                "Content-Type": "application/json",
                "X-TIMESTAMP": stamp,
                "X-CLIENT-KEY": self._client_id,
                "X-SIGNATURE": snap_signing.sign_token(self._key, self._client_id, stamp),
            },
        )
        answer = self._checked(send(self._client, request, self.name), "2007300")
        token = answer.get("accessToken")
        if not isinstance(token, str) or not token:
            raise GatewayError("snap access-token: answer has no token", retryable=False)
        try:
            lifetime = int(answer.get("expiresIn", 900))
        except (TypeError, ValueError):
            lifetime = 900
        self._token, self._token_until = token, time.monotonic() + max(lifetime - 60, 30)
        return token

    def _checked(self, answer: dict[str, Any], ok: str, *also: str) -> dict[str, Any]:
        code = str(answer.get("responseCode", ""))
        if code in (ok, *also):
            return answer
        if code[:3] in ("401",):
            self._token = ""  # a token the acquirer no longer takes: fetch a new one next time
        message = str(answer.get("responseMessage", ""))[:120]
        retryable = code.startswith("5") or code == "2024700"
        raise GatewayError(f"snap: {code} {message}".strip(), retryable=retryable, code=code)

    def _call(self, service: str, body: dict[str, Any], ok: str, *also: str) -> dict[str, Any]:
        token = self._access_token()
        path = f"{self._prefix}/v1.0/qr/{service}"
        content = snap_signing.minify(body)
        stamp = self._stamp()
        request = self._client.build_request(
            "POST",
            path,
            content=content,
            headers={
                "Content-Type": "application/json",
                "Authorization": f"Bearer {token}",
                "X-TIMESTAMP": stamp,
                "X-SIGNATURE": snap_signing.sign_request(
                    self._secret, "POST", path, token, content, stamp=stamp
                ),
                "X-PARTNER-ID": self._partner,
                "X-EXTERNAL-ID": str(uuid.uuid4().int)[:32],
                "CHANNEL-ID": self._channel,
            },
        )
        return self._checked(send(self._client, request, self.name), ok, *also)

    def create(self, order_id: str, amount: int) -> QrisCharge:
        until = self._now() + timedelta(seconds=self._validity_s)
        answer = self._call(
            "qr-mpm-generate",
            {
                "partnerReferenceNo": order_id,
                "amount": {"value": rupiah_string(amount), "currency": "IDR"},
                "merchantId": self._merchant,
                "validityPeriod": snap_signing.timestamp(until),
            },
            "2004700",
        )
        qr, reference = answer.get("qrContent"), answer.get("referenceNo")
        if not isinstance(qr, str) or not qr or not isinstance(reference, str):
            raise GatewayError("snap qr-mpm-generate: answer has no QR", retryable=False)
        return QrisCharge(order_id, reference, amount, qr, expires_in_s=self._validity_s)

    def _query(self, charge: QrisCharge) -> dict[str, Any]:
        return self._call(
            "qr-mpm-query",
            {
                "originalReferenceNo": charge.reference,
                "originalPartnerReferenceNo": charge.order_id,
                "merchantId": self._merchant,
                "serviceCode": "47",
            },
            "2005100",
        )

    def status(self, charge: QrisCharge) -> QrisStatus:
        answer = self._query(charge)
        latest = str(answer.get("latestTransactionStatus", ""))
        status = _LATEST.get(latest)
        if status is None:
            raise GatewayError(f"snap qr-mpm-query: unknown status {latest!r}", retryable=False)
        amount = answer.get("amount")
        if status is QrisStatus.PAID and isinstance(amount, dict):
            try:
                paid = parse_rupiah(amount.get("value"))
            except ValueError as err:
                raise GatewayError(f"snap qr-mpm-query: {err}", retryable=False) from err
            if paid != charge.amount:
                raise GatewayError(
                    f"snap qr-mpm-query: paid {paid}, charged {charge.amount}", retryable=False
                )
        return status

    def cancel(self, charge: QrisCharge) -> QrisStatus:
        self._call(
            "qr-mpm-cancel",
            {
                "originalReferenceNo": charge.reference,
                "originalPartnerReferenceNo": charge.order_id,
                "merchantId": self._merchant,
                "reason": "cancelled at the till",
            },
            "2007700",
        )
        return QrisStatus.CANCELLED

    def refund(self, charge: QrisCharge, refund_id: str, amount: int, reason: str) -> QrisRefund:
        answer = self._call(
            "qr-mpm-refund",
            {
                "merchantId": self._merchant,
                "originalPartnerReferenceNo": charge.order_id,
                "originalReferenceNo": charge.reference,
                "partnerRefundNo": refund_id,
                "refundAmount": {"value": rupiah_string(amount), "currency": "IDR"},
                "reason": reason[:255],
            },
            "2007800",
        )
        return QrisRefund(refund_id, amount, str(answer.get("referenceNo", "")))

    def refund_status(self, charge: QrisCharge, refund_id: str) -> RefundState:
        """From the query's ``refundHistory`` (each refund by its ``partnerRefundNo``,
        ``refundStatus`` 00 done, 03 in process, 06 failed); a transaction the acquirer
        does not know (4045101) has no refund either."""
        try:
            answer = self._query(charge)
        except GatewayError as err:
            if err.code == "4045101":
                return RefundState.NONE
            raise
        history = answer.get("refundHistory")
        for one in history if isinstance(history, list) else []:
            if isinstance(one, dict) and one.get("partnerRefundNo") == refund_id:
                return {"00": RefundState.REFUNDED, "06": RefundState.NONE}.get(
                    str(one.get("refundStatus", "00")), RefundState.PENDING
                )
        return RefundState.NONE
