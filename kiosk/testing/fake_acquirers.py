"""Local stand-ins for the QRIS acquirers, behaving as their documentation says
(shared/QRIS-GATEWAYS.md): they check every request field by field, verify credentials
and signatures, keep each charge's status (pending -> paid / expired / cancelled,
paid -> refunded) and can be told to fail or to be slow.
"""

from __future__ import annotations

import base64
import hashlib
import re
import uuid
from typing import Any

from cryptography.hazmat.primitives.asymmetric import rsa

from kiosk.domain import qris
from kiosk.payments import snap_signing
from kiosk.payments.midtrans import notification_signature
from kiosk.testing.http_fake import Answer, JsonFake, Seen, Txn


def _tlv(tag: str, value: str) -> str:
    return f"{tag}{len(value):02d}{value}"


def sample_static_qris(name: str = "TOKO SARI") -> str:
    """A shop's static QRIS, well-formed, for fakes and demos (no real merchant)."""
    body = (
        _tlv("00", "01")
        + _tlv("01", "11")
        + _tlv("26", _tlv("00", "ID.CO.EXAMPLE.WWW") + _tlv("01", "936000000000000001"))
        + _tlv("51", _tlv("00", "ID.CO.QRIS.WWW") + _tlv("02", "ID1000000000001"))
        + _tlv("52", "5411")
        + _tlv("53", "360")
        + _tlv("58", "ID")
        + _tlv("59", name[:25])
        + _tlv("60", "BANDUNG")
        + "6304"
    )
    return body + qris.crc16(body)


def _rupiah(value: object) -> int | None:
    match = re.fullmatch(r"([1-9][0-9]*)\.00", str(value))
    return int(match.group(1)) if match else None


class _ListsRefundsLate:
    """``list_late``: a refund made from now on is in process, left out of the status
    answers until ``list_refunds`` (as an acquirer still processing it would)."""

    txns: dict[str, Txn]
    list_late = False

    def _took(self, txn: Txn, key: str) -> None:
        if self.list_late:
            txn.unlisted.add(key)

    def list_refunds(self) -> None:
        for txn in self.txns.values():
            txn.unlisted.clear()


class FakeMidtrans(_ListsRefundsLate, JsonFake):
    """Midtrans Core API: /v2/charge, /v2/{id}/status, /cancel, /refund."""

    def __init__(self, server_key: str = "SB-Mid-server-TEST") -> None:
        super().__init__()
        self.server_key = server_key
        self.txns: dict[str, Txn] = {}

    # -- what a test does to a charge -------------------------------------------------
    def settle(self, order_id: str) -> None:
        with self.lock:
            self.txns[order_id].status = "settlement"

    def expire(self, order_id: str) -> None:
        with self.lock:
            self.txns[order_id].status = "expire"

    def notification(self, order_id: str) -> dict[str, Any]:
        """The HTTP notification Midtrans would POST for this charge, signed."""
        txn = self.txns[order_id]
        code = {"settlement": "200", "pending": "201"}.get(txn.status, "202")
        body: dict[str, Any] = {
            "order_id": order_id,
            "transaction_id": txn.reference,
            "status_code": code,
            "gross_amount": f"{txn.amount}.00",
            "transaction_status": txn.status,
            "fraud_status": "accept",
            "payment_type": "qris",
        }
        body["signature_key"] = notification_signature(body, self.server_key)
        return body

    # -- the API ------------------------------------------------------------------------
    def handle(self, seen: Seen) -> Answer:
        expected = "Basic " + base64.b64encode(f"{self.server_key}:".encode()).decode()
        if seen.headers.get("Authorization") != expected:
            return Answer(401, {"status_code": "401", "status_message": "Unauthorized"})
        if seen.method == "POST" and seen.path == "/v2/charge":
            return self._charge(seen.body)
        match = re.fullmatch(r"/v2/([^/]+)/(status|cancel|refund)", seen.path)
        if not match or match.group(1) not in self.txns:
            return Answer(404, {"status_code": "404", "status_message": "not found"})
        txn = self.txns[match.group(1)]
        action = match.group(2)
        if action == "status" and seen.method == "GET":
            return Answer(200, self._view(txn, "200"))
        if action == "cancel" and seen.method == "POST":
            if txn.status != "pending":
                return Answer(200, {"status_code": "412", "status_message": "cannot change"})
            txn.status = "cancel"
            return Answer(200, self._view(txn, "200"))
        if action == "refund" and seen.method == "POST":
            return self._refund(txn, seen.body or {})
        return Answer(405, {"status_code": "405", "status_message": "method"})

    def _view(self, txn: Txn, code: str) -> dict[str, Any]:
        view: dict[str, Any] = {
            "status_code": code,
            "transaction_id": txn.reference,
            "order_id": txn.order_id,
            "gross_amount": f"{txn.amount}.00",
            "currency": "IDR",
            "payment_type": "qris",
            "transaction_status": txn.status,
            "fraud_status": "accept",
        }
        listed = {key: amount for key, amount in txn.refunds.items() if key not in txn.unlisted}
        if listed:  # each refund by its key, as the status API lists them [M5]
            view["refunds"] = [{"refund_key": key, "refund_amount": f"{amount}.00"}
                               for key, amount in listed.items()]  # fmt: skip
        return view

    def _charge(self, body: dict[str, Any] | None) -> Answer:
        def bad(why: str) -> Answer:
            return Answer(400, {"status_code": "400", "status_message": why})

        if not body or body.get("payment_type") != "qris":
            return bad("payment_type must be qris")
        details = body.get("transaction_details")
        if not isinstance(details, dict):
            return bad("transaction_details is required")
        order_id, amount = details.get("order_id"), details.get("gross_amount")
        if not isinstance(order_id, str) or not 0 < len(order_id) <= 50:
            return bad("order_id must be 1-50 characters")
        if not isinstance(amount, int) or isinstance(amount, bool) or amount < 1:
            return bad("gross_amount must be a whole number above zero")
        if amount > qris.QRIS_MAX_AMOUNT:
            return bad("gross_amount is over the QRIS limit")
        acquirer = (body.get("qris") or {}).get("acquirer", "gopay")
        if acquirer not in ("gopay", "airpay shopee"):
            return bad("unknown acquirer")
        old = self.txns.get(order_id)
        if old is not None and old.status in ("pending", "settlement"):
            return Answer(200, {"status_code": "406", "status_message": "order_id taken"})
        txn = Txn(order_id, str(uuid.uuid4()), amount, "pending")
        self.txns[order_id] = txn
        view = self._view(txn, "201")
        view["qr_string"] = qris.to_dynamic(sample_static_qris(), amount, bill_number=order_id[:25])
        view["acquirer"] = acquirer
        return Answer(200, view)

    def _refund(self, txn: Txn, body: dict[str, Any]) -> Answer:
        key, amount = body.get("refund_key"), body.get("amount")
        if txn.status not in ("settlement", "refund", "partial_refund"):
            return Answer(200, {"status_code": "412", "status_message": "not settled"})
        if not isinstance(key, str) or not isinstance(amount, int) or amount < 1:
            return Answer(200, {"status_code": "400", "status_message": "refund_key, amount"})
        if key in txn.refunds:
            return Answer(200, {**self._view(txn, "200"), "refund_key": key})
        if sum(txn.refunds.values()) + amount > txn.amount:
            return Answer(200, {"status_code": "414", "status_message": "amount too large"})
        txn.refunds[key] = amount
        self._took(txn, key)
        txn.status = "refund" if sum(txn.refunds.values()) == txn.amount else "partial_refund"
        return Answer(200, {**self._view(txn, "200"), "refund_key": key})


class FakeSnapAcquirer(_ListsRefundsLate, JsonFake):
    """A BI-SNAP QRIS MPM acquirer: token, generate, query, cancel, refund."""

    def __init__(
        self,
        *,
        client_id: str = "client-1",
        client_secret: str = "secret-1",  # noqa: S107 - a fake
        public_key: rsa.RSAPublicKey,
        partner_id: str = "partner-1",
        merchant_id: str = "M-0001",
    ) -> None:
        super().__init__()
        self.client_id, self.client_secret, self.public_key = client_id, client_secret, public_key
        self.partner_id, self.merchant_id = partner_id, merchant_id
        self.tokens: set[str] = set()
        self.external_ids: dict[str, bytes] = {}
        self.txns: dict[str, Txn] = {}  # by partnerReferenceNo

    def settle(self, order_id: str) -> None:
        with self.lock:
            self.txns[order_id].status = "00"

    def expire(self, order_id: str) -> None:
        with self.lock:
            self.txns[order_id].status = "08"

    def revoke_tokens(self) -> None:
        with self.lock:
            self.tokens.clear()

    def handle(self, seen: Seen) -> Answer:
        stamp = seen.headers.get("X-TIMESTAMP", "")
        if not re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d", stamp):
            return Answer(400, {"responseCode": "4000001", "responseMessage": "X-TIMESTAMP"})
        if seen.path.endswith("/v1.0/access-token/b2b"):
            return self._token(seen, stamp)
        match = re.search(r"/v1\.0/qr/(qr-mpm-[a-z]+)$", seen.path)
        service = match.group(1) if match else ""
        code = {"qr-mpm-generate": "47", "qr-mpm-query": "51", "qr-mpm-cancel": "77",
                "qr-mpm-refund": "78"}.get(service)  # fmt: skip
        if code is None:
            return Answer(404, {"responseCode": "4040000", "responseMessage": "no such service"})
        refused = self._check_request(seen, stamp, code)
        if refused is not None:
            return refused
        body = seen.body or {}
        if body.get("merchantId") != self.merchant_id:
            return Answer(400, {"responseCode": f"400{code}02", "responseMessage": "merchantId"})
        handler = {
            "qr-mpm-generate": self._qr_mpm_generate,
            "qr-mpm-query": self._qr_mpm_query,
            "qr-mpm-cancel": self._qr_mpm_cancel,
            "qr-mpm-refund": self._qr_mpm_refund,
        }[service]
        return handler(body, code)

    def _token(self, seen: Seen, stamp: str) -> Answer:
        if seen.headers.get("X-CLIENT-KEY") != self.client_id:
            return Answer(401, {"responseCode": "4017300", "responseMessage": "client"})
        given = seen.headers.get("X-SIGNATURE", "")
        if not snap_signing.verify_token(self.public_key, self.client_id, stamp, given):
            return Answer(401, {"responseCode": "4017300", "responseMessage": "Unauthorized"})
        if (seen.body or {}).get("grantType") != "client_credentials":
            return Answer(400, {"responseCode": "4007302", "responseMessage": "grantType"})
        token = uuid.uuid4().hex
        self.tokens.add(token)
        return Answer(200, {"responseCode": "2007300", "accessToken": token,
                            "tokenType": "Bearer", "expiresIn": "900"})  # fmt: skip

    def _check_request(self, seen: Seen, stamp: str, code: str) -> Answer | None:
        auth = seen.headers.get("Authorization", "")
        token = auth.removeprefix("Bearer ")
        if not auth.startswith("Bearer ") or token not in self.tokens:
            return Answer(401, {"responseCode": f"401{code}01", "responseMessage": "token"})
        minified = snap_signing.minify(seen.body or {})
        if seen.raw != minified:
            return Answer(400, {"responseCode": f"400{code}00", "responseMessage": "not minified"})
        expected = snap_signing.sign_request(
            self.client_secret, seen.method, seen.path, token, seen.raw, stamp=stamp
        )
        if seen.headers.get("X-SIGNATURE") != expected:
            return Answer(401, {"responseCode": f"401{code}00", "responseMessage": "signature"})
        if seen.headers.get("X-PARTNER-ID") != self.partner_id:
            return Answer(401, {"responseCode": f"401{code}00", "responseMessage": "partner"})
        if not re.fullmatch(r"\d{5}", seen.headers.get("CHANNEL-ID", "")):
            return Answer(400, {"responseCode": f"400{code}02", "responseMessage": "CHANNEL-ID"})
        external = seen.headers.get("X-EXTERNAL-ID", "")
        if not re.fullmatch(r"\d{1,36}", external):
            return Answer(400, {"responseCode": f"400{code}02", "responseMessage": "external"})
        if self.external_ids.get(external, seen.raw) != seen.raw:
            return Answer(409, {"responseCode": f"409{code}00", "responseMessage": "Conflict"})
        self.external_ids[external] = seen.raw
        return None

    def _qr_mpm_generate(self, body: dict[str, Any], code: str) -> Answer:
        ref, amount = body.get("partnerReferenceNo"), body.get("amount") or {}
        value = _rupiah(amount.get("value")) if isinstance(amount, dict) else None
        if not isinstance(ref, str) or not 0 < len(ref) <= 36:
            return Answer(400, {"responseCode": "4004702", "responseMessage": "reference"})
        if value is None or amount.get("currency") != "IDR":
            return Answer(400, {"responseCode": "4004701", "responseMessage": "amount"})
        if value > qris.QRIS_MAX_AMOUNT:
            return Answer(403, {"responseCode": "4034702", "responseMessage": "over limit"})
        if ref in self.txns:
            return Answer(409, {"responseCode": "4094701", "responseMessage": "duplicate"})
        txn = Txn(ref, "A" + uuid.uuid4().hex[:20], value, "03")
        self.txns[ref] = txn
        return Answer(200, {"responseCode": "2004700", "referenceNo": txn.reference,
                            "partnerReferenceNo": ref, "merchantName": "TOKO SARI",
                            "qrContent": qris.to_dynamic(sample_static_qris(), value,
                                                         bill_number=ref[:25])})  # fmt: skip

    def _find(self, body: dict[str, Any]) -> Txn | None:
        txn = self.txns.get(str(body.get("originalPartnerReferenceNo", "")))
        if txn is None or body.get("originalReferenceNo") not in (None, txn.reference):
            return None
        return txn

    def _qr_mpm_query(self, body: dict[str, Any], code: str) -> Answer:
        txn = self._find(body)
        if txn is None:
            return Answer(404, {"responseCode": "4045101", "responseMessage": "not found"})
        amount = {"value": f"{txn.amount}.00", "currency": "IDR"}
        history = [{"partnerRefundNo": key, "refundStatus": "00",
                    "refundAmount": {"value": f"{value}.00", "currency": "IDR"}}
                   for key, value in txn.refunds.items() if key not in txn.unlisted]  # fmt: skip
        return Answer(200, {"responseCode": "2005100", "originalReferenceNo": txn.reference,
                            "originalPartnerReferenceNo": txn.order_id,
                            "latestTransactionStatus": txn.status, "amount": amount,
                            "refundHistory": history})  # fmt: skip

    def _qr_mpm_cancel(self, body: dict[str, Any], code: str) -> Answer:
        txn = self._find(body)
        if txn is None:
            return Answer(404, {"responseCode": "4047701", "responseMessage": "not found"})
        if txn.status != "03":
            return Answer(409, {"responseCode": "4097700", "responseMessage": "not pending"})
        txn.status = "05"
        return Answer(200, {"responseCode": "2007700", "originalReferenceNo": txn.reference})

    def _qr_mpm_refund(self, body: dict[str, Any], code: str) -> Answer:
        txn = self._find(body)
        if txn is None:
            return Answer(404, {"responseCode": "4047801", "responseMessage": "not found"})
        refund_no = body.get("partnerRefundNo")
        amount = body.get("refundAmount") or {}
        value = _rupiah(amount.get("value")) if isinstance(amount, dict) else None
        if not isinstance(refund_no, str) or value is None:
            return Answer(400, {"responseCode": "4007802", "responseMessage": "refund fields"})
        if refund_no in txn.refunds:
            return Answer(409, {"responseCode": "4097801", "responseMessage": "duplicate"})
        if txn.status not in ("00", "04") or sum(txn.refunds.values()) + value > txn.amount:
            return Answer(403, {"responseCode": "4037814", "responseMessage": "not refundable"})
        txn.refunds[refund_no] = value
        self._took(txn, refund_no)
        if sum(txn.refunds.values()) == txn.amount:
            txn.status = "04"
        digest = hashlib.sha256(refund_no.encode()).hexdigest()[:16]
        return Answer(200, {"responseCode": "2007800", "referenceNo": "R" + digest,
                            "partnerRefundNo": refund_no})  # fmt: skip
