"""The BI-SNAP adapter against a local acquirer that verifies tokens and signatures."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from kiosk.domain import qris
from kiosk.payments.gateway import GatewayError, QrisStatus
from kiosk.payments.snap import SnapGateway
from kiosk.testing.fake_acquirers import FakeSnapAcquirer

KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
PEM = KEY.private_bytes(
    serialization.Encoding.PEM,
    serialization.PrivateFormat.PKCS8,
    serialization.NoEncryption(),
).decode()


@pytest.fixture
def acquirer() -> Iterator[FakeSnapAcquirer]:
    with FakeSnapAcquirer(public_key=KEY.public_key()).serving() as server:
        assert isinstance(server, FakeSnapAcquirer)
        yield server


def gateway(acquirer: FakeSnapAcquirer, **overrides: str) -> SnapGateway:
    settings = {
        "client_id": "client-1",
        "client_secret": "secret-1",
        "private_key_pem": PEM,
        "partner_id": "partner-1",
        "merchant_id": "M-0001",
    } | overrides
    return SnapGateway(base_url=acquirer.url, timeout_s=2.0, **settings)


def test_generate_fetches_a_token_then_signs_the_request(acquirer: FakeSnapAcquirer) -> None:
    charge = gateway(acquirer).create("S-0001", 15000)
    token_request, generate = acquirer.requests
    assert token_request.path == "/v1.0/access-token/b2b"
    assert generate.path == "/v1.0/qr/qr-mpm-generate"
    assert generate.body is not None
    assert generate.body["amount"] == {"value": "15000.00", "currency": "IDR"}
    assert generate.body["partnerReferenceNo"] == "S-0001"
    assert qris.parse(charge.qr_string).amount == 15000


def test_the_token_is_reused_until_the_acquirer_drops_it(acquirer: FakeSnapAcquirer) -> None:
    gw = gateway(acquirer)
    charge = gw.create("S-2", 1000)
    gw.status(charge)
    assert [r.path.rsplit("/", 1)[-1] for r in acquirer.requests] == [
        "b2b", "qr-mpm-generate", "qr-mpm-query"
    ]  # fmt: skip
    acquirer.revoke_tokens()
    with pytest.raises(GatewayError, match="4015101"):
        gw.status(charge)
    assert gw.status(charge) is QrisStatus.PENDING  # a fresh token on the next call


def test_pending_paid_refunded(acquirer: FakeSnapAcquirer) -> None:
    gw = gateway(acquirer)
    charge = gw.create("S-3", 8000)
    assert gw.status(charge) is QrisStatus.PENDING
    acquirer.settle("S-3")
    assert gw.status(charge) is QrisStatus.PAID
    gw.refund(charge, "R-3", 8000, "returned")
    assert gw.status(charge) is QrisStatus.REFUNDED
    with pytest.raises(GatewayError, match="4097801"):
        gw.refund(charge, "R-3", 8000, "again")


def test_expired_and_cancelled(acquirer: FakeSnapAcquirer) -> None:
    gw = gateway(acquirer)
    first, second = gw.create("S-4", 1000), gw.create("S-5", 1000)
    acquirer.expire("S-4")
    assert gw.status(first) is QrisStatus.EXPIRED
    assert gw.cancel(second) is QrisStatus.CANCELLED
    assert gw.status(second) is QrisStatus.CANCELLED
    with pytest.raises(GatewayError, match="4097700"):
        gw.cancel(first)


def test_a_wrong_client_secret_fails_the_signature(acquirer: FakeSnapAcquirer) -> None:
    with pytest.raises(GatewayError, match="4014700") as refused:
        gateway(acquirer, client_secret="not-the-secret").create("S-6", 1000)
    assert "not-the-secret" not in str(refused.value) and not refused.value.retryable


def test_a_token_signed_with_another_key_is_refused(acquirer: FakeSnapAcquirer) -> None:
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = other.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    with pytest.raises(GatewayError, match="4017300"):
        gateway(acquirer, private_key_pem=pem).create("S-7", 1000)


def test_over_the_qris_limit_and_server_errors(acquirer: FakeSnapAcquirer) -> None:
    gw = gateway(acquirer)
    with pytest.raises(GatewayError, match="4034702"):
        gw.create("S-8", qris.QRIS_MAX_AMOUNT + 1)
    acquirer.faults.fail = 1
    with pytest.raises(GatewayError) as failed:
        gw.create("S-9", 1000)
    assert failed.value.retryable


def test_a_bad_private_key_is_a_clear_error() -> None:
    with pytest.raises(GatewayError, match="not a PEM RSA key"):
        SnapGateway(
            base_url="http://127.0.0.1:9",
            client_id="c",
            client_secret="s",
            private_key_pem="-----BEGIN NOTHING-----",
            partner_id="p",
            merchant_id="m",
        )
