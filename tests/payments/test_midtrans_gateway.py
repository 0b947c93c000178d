"""The Midtrans adapter against a local server that behaves as Midtrans documents."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from kiosk.domain import qris
from kiosk.payments.gateway import GatewayError, QrisStatus
from kiosk.payments.midtrans import MidtransGateway, verify_notification
from kiosk.testing.fake_acquirers import FakeMidtrans

KEY = "SB-Mid-server-TEST"


@pytest.fixture
def fake() -> Iterator[FakeMidtrans]:
    with FakeMidtrans(KEY).serving() as server:
        assert isinstance(server, FakeMidtrans)
        yield server


def gateway(fake: FakeMidtrans, key: str = KEY, timeout_s: float = 2.0) -> MidtransGateway:
    return MidtransGateway(key, base_url=fake.url, timeout_s=timeout_s)


def test_charge_sends_the_documented_request_and_returns_a_dynamic_qris(
    fake: FakeMidtrans,
) -> None:
    charge = gateway(fake).create("S-0001", 27500)
    request = fake.requests[-1]
    assert (request.method, request.path) == ("POST", "/v2/charge")
    assert request.body == {
        "payment_type": "qris",
        "transaction_details": {"order_id": "S-0001", "gross_amount": 27500},
        "qris": {"acquirer": "gopay"},
    }
    payload = qris.parse(charge.qr_string)
    assert payload.dynamic and payload.amount == 27500
    assert charge.reference == fake.txns["S-0001"].reference


def test_status_follows_pending_then_paid(fake: FakeMidtrans) -> None:
    gw = gateway(fake)
    charge = gw.create("S-0002", 1000)
    assert gw.status(charge) is QrisStatus.PENDING
    fake.settle("S-0002")
    assert gw.status(charge) is QrisStatus.PAID
    assert fake.requests[-1].path == "/v2/S-0002/status"


def test_expired_and_cancelled(fake: FakeMidtrans) -> None:
    gw = gateway(fake)
    first, second = gw.create("S-3", 1000), gw.create("S-4", 1000)
    fake.expire("S-3")
    assert gw.status(first) is QrisStatus.EXPIRED
    assert gw.cancel(second) is QrisStatus.CANCELLED
    assert gw.status(second) is QrisStatus.CANCELLED


def test_cancel_after_payment_reports_paid_instead_of_failing(fake: FakeMidtrans) -> None:
    gw = gateway(fake)
    charge = gw.create("S-5", 1000)
    fake.settle("S-5")
    assert gw.cancel(charge) is QrisStatus.PAID


def test_refund_whole_and_twice_with_the_same_key_counts_once(fake: FakeMidtrans) -> None:
    gw = gateway(fake)
    charge = gw.create("S-6", 5000)
    fake.settle("S-6")
    gw.refund(charge, "R-1", 2000, "returned")
    gw.refund(charge, "R-1", 2000, "returned")  # a retry after a lost answer
    assert fake.txns["S-6"].refunds == {"R-1": 2000}
    with pytest.raises(GatewayError, match="414") as refused:
        gw.refund(charge, "R-2", 3001, "too much")
    assert not refused.value.retryable


def test_wrong_server_key_is_refused_and_the_key_is_not_in_the_message(
    fake: FakeMidtrans,
) -> None:
    with pytest.raises(GatewayError) as refused:
        gateway(fake, key="SB-Mid-server-WRONG").create("S-7", 1000)
    assert "WRONG" not in str(refused.value) and not refused.value.retryable


def test_server_errors_and_slow_answers_are_retryable(fake: FakeMidtrans) -> None:
    gw = gateway(fake, timeout_s=0.3)
    fake.faults.fail = 1
    with pytest.raises(GatewayError, match="server error 503") as failed:
        gw.create("S-8", 1000)
    assert failed.value.retryable
    fake.faults.delay_s = 1.0
    with pytest.raises(GatewayError, match="no answer in time") as slow:
        gw.create("S-8", 1000)
    assert slow.value.retryable
    fake.faults.delay_s = 0.0


def test_unreachable_host_is_retryable() -> None:
    gw = MidtransGateway(KEY, base_url="http://127.0.0.1:9", timeout_s=0.5)
    with pytest.raises(GatewayError, match="cannot connect") as failed:
        gw.create("S-9", 1000)
    assert failed.value.retryable


def test_duplicate_order_id_is_refused(fake: FakeMidtrans) -> None:
    gw = gateway(fake)
    gw.create("S-10", 1000)
    with pytest.raises(GatewayError, match="406"):
        gw.create("S-10", 1000)


def test_notification_signature_verifies_only_untouched_bodies(fake: FakeMidtrans) -> None:
    gateway(fake).create("S-11", 12000)
    fake.settle("S-11")
    note = fake.notification("S-11")
    assert verify_notification(note, KEY)
    assert not verify_notification({**note, "gross_amount": "1.00"}, KEY)
    assert not verify_notification(note, "another-key")


def test_an_answer_that_is_not_json_is_not_retryable() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=b"<html>maintenance</html>")

    client = httpx.Client(base_url="http://acquirer", transport=httpx.MockTransport(handler))
    with pytest.raises(GatewayError, match="not JSON") as failed:
        MidtransGateway(KEY, client=client).create("S-12", 1000)
    assert not failed.value.retryable
