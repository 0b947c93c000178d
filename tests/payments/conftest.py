"""Fixtures the payment tests share with others: the suite's X display (or an Xvfb); and
for the refund tests a ledger, a clock, the Midtrans fake and the books over them."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from kiosk.payments.midtrans import MidtransGateway
from kiosk.services.books import Books, books_services
from kiosk.storage.ledger import SqliteLedger
from kiosk.storage.unit_of_work import SqliteUnitOfWork
from kiosk.testing.clock import SettableClock
from kiosk.testing.fake_acquirers import FakeMidtrans
from tests.faults.test_sigterm_basket import display  # noqa: F401  (the X display, per module)

KEY = "SB-Mid-server-TEST"


@pytest.fixture
def fake() -> Iterator[FakeMidtrans]:
    with FakeMidtrans(KEY).serving() as server:
        assert isinstance(server, FakeMidtrans)
        yield server


@pytest.fixture
def gateway(fake: FakeMidtrans) -> MidtransGateway:
    return MidtransGateway(KEY, base_url=fake.url, timeout_s=2.0)


@pytest.fixture
def books(ledger: SqliteLedger, clock: SettableClock, gateway: MidtransGateway) -> Books:
    service = books_services(SqliteUnitOfWork(ledger), clock, "Asia/Jakarta")
    service.refunds.gateway = gateway
    return service
