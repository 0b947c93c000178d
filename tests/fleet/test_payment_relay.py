"""The fleet's payment relay end to end: an acquirer's notification posted to the fleet
(Midtrans, signed with signature_key; SNAP qr-mpm-notify, signed with the acquirer's RSA
key) reaches a real kiosk agent through a throwaway mosquitto as cmd/payment, and the
kiosk's waiting QRIS payment becomes paid. A notification whose signature does not
verify is refused and relayed to nobody."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from fastapi.testclient import TestClient

from fleet.services.commands import MqttPublisher
from fleet.services.payment_relay import (
    NotificationRefused,
    RelayKeys,
    midtrans_payment,
    midtrans_signature,
    minify,
    snap_string_to_sign,
)
from fleet.storage.engine import open_engine
from fleet.web import create_app
from fleet.web.payment_routes import add_payment_routes
from kiosk import bootstrap
from kiosk.storage import qris_payments
from kiosk.testing.broker_process import MosquittoProcess, TopicRecorder, eventually
from tests.integration import test_agent as agent_tests
from tests.integration.test_agent import prepare, start_agent, stop

pytestmark = pytest.mark.broker
broker = agent_tests.broker  # a throwaway mosquitto (skips when there is none)
SERVER_KEY = "SB-Mid-server-RELAY"
SNAP_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
SNAP_PEM = (
    SNAP_KEY.public_key()
    .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    .decode()
)


def midtrans_notification(order_id: str, amount: int, status: str = "settlement") -> dict[str, str]:
    code = {"settlement": "200", "pending": "201"}.get(status, "202")
    body = {"order_id": order_id, "status_code": code, "gross_amount": f"{amount}.00",
            "transaction_status": status, "fraud_status": "accept", "payment_type": "qris",
            "transaction_id": "b1f2c3d4-0000-4000-8000-000000000001"}  # fmt: skip
    body["signature_key"] = midtrans_signature(order_id, code, body["gross_amount"], SERVER_KEY)
    return body


def snap_notification(path: str, order_id: str, amount: int) -> tuple[bytes, dict[str, str]]:
    body = {"originalReferenceNo": "A120240000000001", "originalPartnerReferenceNo": order_id,
            "latestTransactionStatus": "00", "transactionStatusDesc": "Success",
            "amount": {"value": f"{amount}.00", "currency": "IDR"},
            "additionalInfo": {"qris": {"issuerName": "BANK X", "transactionType": "OFF-US"}}}  # fmt: skip
    raw = json.dumps(body, indent=2).encode()  # whitespace the signature does not cover
    stamp = "2026-11-30T14:30:00+07:00"
    signed = SNAP_KEY.sign(snap_string_to_sign(path, raw, stamp), padding.PKCS1v15(),
                           hashes.SHA256())  # fmt: skip
    return raw, {"X-TIMESTAMP": stamp, "X-SIGNATURE": base64.b64encode(signed).decode(),
                 "Content-Type": "application/json"}  # fmt: skip


def test_midtrans_checks_are_the_documented_ones() -> None:
    good = midtrans_notification("QR-abc-1", 5000)
    assert midtrans_payment(good, SERVER_KEY) == {
        "order_id": "QR-abc-1", "status": "paid", "amount": 5000, "provider": "midtrans",
        "reference": "b1f2c3d4-0000-4000-8000-000000000001"}  # fmt: skip
    for changed in ({"gross_amount": "50000.00"}, {"status_code": "201"}, {"order_id": "X"}):
        with pytest.raises(NotificationRefused, match="signature_key"):
            midtrans_payment({**good, **changed}, SERVER_KEY)
    with pytest.raises(NotificationRefused, match="signature_key"):
        midtrans_payment(good, "another key")
    challenged = {**good, "fraud_status": "challenge"}
    assert midtrans_payment(challenged, SERVER_KEY) is None  # not paid until accepted
    refund = midtrans_notification("QR-abc-1", 5000, "refund")
    assert midtrans_payment(refund, SERVER_KEY) is None
    assert midtrans_payment(midtrans_notification("QR-abc-1", 5000, "expire"),
                            SERVER_KEY)["status"] == "expired"  # type: ignore[index]  # fmt: skip
    assert minify(b'{ "a" : "x y",\n "b": [1, 2] }') == b'{"a":"x y","b":[1,2]}'


@pytest.fixture
def waiting(tmp_path: Path, broker: MosquittoProcess) -> Iterator[tuple[Path, list[str]]]:
    """A kiosk (store toko, k1) with two QRIS payments waiting, its agent running."""
    data = tmp_path / "device"
    data.mkdir()
    prepare(data, broker.port)
    kiosk = bootstrap.build(data, with_devices=False)
    service = kiosk.qris_service()
    orders = ["QR-basket000001-aaaaaa", "QR-basket000002-bbbbbb"]
    for order_id in orders:
        service.begin(order_id, 5000)
    kiosk.close()
    recorder = TopicRecorder(broker.host, broker.port, ["pos/v1/toko/k1/status"])
    agent = start_agent(data, tmp_path / "agent.log")
    try:
        online = lambda: any(b'"online"' in p for p in recorder.payloads("pos/v1/toko/k1/status"))  # noqa: E731
        assert eventually(online, timeout=20), (tmp_path / "agent.log").read_text()
        yield data, orders
    finally:
        assert stop(agent) == 0
        recorder.close()


def state(data: Path, order_id: str) -> tuple[str, str]:
    kiosk = bootstrap.build(data, with_devices=False)
    try:
        row = qris_payments.get(kiosk.ledger.conn, order_id)
        assert row is not None
        return row.state, row.confirmed_by
    finally:
        kiosk.close()


def test_notifications_reach_the_kiosk_through_the_broker(
    waiting: tuple[Path, list[str]], broker: MosquittoProcess, tmp_path: Path
) -> None:
    data, (first, second) = waiting
    engine = open_engine(f"sqlite:///{tmp_path / 'fleet.sqlite'}")
    publisher = MqttPublisher(broker.host, broker.port)
    app = create_app(engine, publish=publisher)
    add_payment_routes(app, engine, publisher, RelayKeys(SERVER_KEY, SNAP_PEM))
    client = TestClient(app)
    try:
        forged = {**midtrans_notification(first, 5000), "signature_key": "0" * 128}
        refused = client.post("/api/payments/midtrans/toko", json=forged)
        assert refused.status_code == 403 and refused.json()["status"] == "refused"
        sent = client.post("/api/payments/midtrans/toko", json=midtrans_notification(first, 5000))
        assert sent.status_code == 200 and sent.json()["status"] == "relayed", sent.text
        assert eventually(lambda: state(data, first)[0] == "paid", timeout=15), (
            tmp_path / "agent.log"
        ).read_text()
        assert state(data, first)[1].startswith("fleet:") and state(data, second)[0] == "pending"

        path = "/api/payments/snap/toko/k1/v1.0/qr/qr-mpm-notify"
        raw, headers = snap_notification(path, second, 5000)
        bad = client.post(path, content=raw.replace(b"5000.00", b"9000.00"), headers=headers)
        assert bad.status_code == 401 and bad.json()["responseCode"] == "4015200"
        ok = client.post(path, content=raw, headers=headers)
        assert ok.status_code == 200 and ok.json()["responseCode"] == "2005200"
        assert eventually(lambda: state(data, second)[0] == "paid", timeout=15)
    finally:
        publisher.close()
        engine.dispose()
