"""A prepaid order collected at the till while its channel cancels it, on both engines,
through the real pieces: the orders API, the kiosk's ledger (SQLite file) taking the
fleet's ``cmd/order`` through its command handler, the till's checkout selling the
order, and the kiosk's outbox messages stored by the fleet's ingest. Whichever reaches
the other first, the order ends either collected and not refunded, or cancelled, not
sold and refunded once: never refunded and collected."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from fleet.ingest import messages
from fleet.shop import payments
from fleet.shop.payments import SimulatedAcquirer
from fleet.storage.shop_schema import orders
from fleet.web import create_app
from kiosk.domain.catalog import Catalog
from kiosk.domain.errors import ShownError
from kiosk.services.checkout import CheckoutConfig, CheckoutService
from kiosk.services.online_orders import OnlineOrderDesk
from kiosk.storage import online_orders, outbox
from kiosk.storage.ledger import SqliteLedger
from kiosk.telemetry.command_types import CommandContext
from kiosk.telemetry.order_commands import order_handler
from kiosk.testing.clock import SettableClock
from tests.fleet.test_shop_connector_steps import open_store
from tests.fleet.test_web_shop import Broker


class Store:
    """The fleet's API and one kiosk of store ``toko``: its ledger, till and link."""

    def __init__(self, engine: sa.Engine, client: TestClient, broker: Broker,
                 acquirer: SimulatedAcquirer, key: str, ledger: SqliteLedger) -> None:  # fmt: skip
        self.engine, self.client, self.broker = engine, client, broker
        self.acquirer, self.key, self.ledger = acquirer, key, ledger
        self.checkout = CheckoutService(catalog=Catalog([]), ledger=ledger, clock=SettableClock(),
                                        config=CheckoutConfig("toko", "k1", mode="counter"))  # fmt: skip
        self.desk = OnlineOrderDesk(ledger.conn, self.checkout.clock, store_id="toko",
                                    device_id="k1")  # fmt: skip
        self.handled = 0

    def api(self, path: str, body: dict[str, Any] | None = None) -> Any:
        headers = {"Authorization": f"Bearer {self.key}"}
        url = f"/api/v1/stores/toko/orders{path}"
        answer = (self.client.get(url, headers=headers) if body is None
                  else self.client.post(url, json=body, headers=headers))  # fmt: skip
        assert answer.status_code in (200, 201), answer.text
        return answer.json()

    def kiosk_takes_commands(self) -> list[Any]:
        """The kiosk applies the store's order commands it has not yet seen."""
        handler, outcomes = order_handler(), []
        for body in self.broker.orders()[self.handled :]:
            context = CommandContext("order", "c", "toko", "k1")
            outcomes.append(handler.apply(self.ledger.conn, body, context)["outcome"])
        self.handled = len(self.broker.orders())
        return outcomes

    def fleet_hears_kiosk(self) -> list[str]:
        """The kiosk's queued ``order`` messages reach the fleet's ingest."""
        rows = [r for r in outbox.pending(self.ledger.conn) if r.topic == "order"]
        said = []
        for row in rows:
            with self.engine.begin() as conn:
                messages.store_message(conn, "pos/v1/toko/k1/order", row.payload.encode(),
                                       received_at=row.created_at,
                                       partitions=messages.repository.Partitions())  # fmt: skip
            said.append(row.payload)
        outbox.mark_sent(self.ledger.conn, [r.id for r in rows], "2026-11-30T03:00:00Z")
        return said

    def refunds(self) -> list[str]:
        return payments.refund_cancelled(self.engine, self.acquirer, "2026-11-30T03:10:00Z")


@pytest.fixture
def store(fleet_engine: sa.Engine, tmp_path: Path) -> Iterator[Store]:
    broker, acquirer = Broker(), SimulatedAcquirer()
    key = open_store(fleet_engine, broker)
    ledger = SqliteLedger(tmp_path / "k1.sqlite", "k1", store_id="toko")
    app = create_app(fleet_engine, publish=broker, acquirer=acquirer)
    with TestClient(app) as client:
        yield Store(fleet_engine, client, broker, acquirer, key, ledger)
    ledger.close()


def placed_at_the_kiosk(store: Store, order_id: str, *, prepaid: bool = True) -> str:
    body = {"order_id": order_id, "channel": "gofood",
            "customer": {"name": "Sari", "phone": "+6281234567890"},
            "lines": [{"sku": "TEH", "qty": 2}], "fulfilment": "pickup", "prepaid": prepaid,
            "payment_reference": f"GOPAY-{order_id}" if prepaid else ""}  # fmt: skip
    placed = store.api("", body)
    assert store.kiosk_takes_commands() == ["stored"]
    store.fleet_hears_kiosk()
    assert store.api(f"/{order_id}")["status"] == "received"
    return str(placed["order_id"])


def test_a_sale_the_till_made_first_wins_over_the_channels_cancel(store: Store) -> None:
    oid = placed_at_the_kiosk(store, "GF-1")
    store.desk.load(store.checkout, oid)  # the pickup QR: a prepaid order is paid online
    sale = store.checkout.complete()
    assert online_orders.get(store.ledger.conn, oid)["status"] == "collected"  # type: ignore[index]
    # The channel's cancel reaches the fleet before the kiosk's "collected" does.
    cancel = store.api("/GF-1/cancel", {"reason": "customer"})
    assert (cancel["status"], cancel["refunded"]) == ("cancelled", 0)
    assert store.refunds() == []  # the kiosk has not confirmed: its till may have sold it
    assert store.kiosk_takes_commands() == ["collected"]  # the kiosk keeps its sale
    store.fleet_hears_kiosk()
    answer = store.api("/GF-1")
    assert (answer["status"], answer["refunded"]) == ("collected", 0)
    assert store.refunds() == [] and store.acquirer.refunded == {}
    with store.engine.connect() as conn:
        row = conn.execute(sa.select(orders).where(orders.c.order_id == oid)).one()
    assert row.sale_id == sale.sale_id and row.reason == ""


def test_a_cancel_the_till_had_first_refuses_the_sale_and_is_refunded_once(
    store: Store,
) -> None:
    oid = placed_at_the_kiosk(store, "GF-2")
    store.desk.load(store.checkout, oid)  # scanned; the cancel comes before the sale
    cancel = store.api("/GF-2/cancel", {"reason": "customer"})
    assert (cancel["status"], cancel["refunded"]) == ("cancelled", 0)
    assert store.kiosk_takes_commands() == ["cancelled"]
    with pytest.raises(ShownError) as refused:
        store.checkout.complete()
    assert refused.value.code == "checkout.order_cancelled"
    assert refused.value.params == {"name": "Sari"}
    assert store.ledger.conn.execute("SELECT count(*) FROM sales").fetchone()[0] == 0
    assert online_orders.get(store.ledger.conn, oid)["status"] == "cancelled"  # type: ignore[index]
    assert store.refunds() == []  # the kiosk's confirmation has not reached the fleet
    waits = "Your payment is refunded once the store confirms the cancellation."
    assert waits in store.client.get(cancel["order_url"] + "?lang=en").text
    store.fleet_hears_kiosk()
    assert store.refunds() == [oid] and store.refunds() == []
    page = store.client.get(cancel["order_url"] + "?lang=id").text
    assert waits not in page and "Pembayaran Anda sudah dikembalikan." in page
    answer = store.api("/GF-2")
    assert answer["status"] == "cancelled" and answer["refunded"] == answer["total"]
    assert store.acquirer.refunded == {"GOPAY-GF-2": answer["total"]}


def test_a_pay_at_pickup_order_paid_at_the_till_after_its_cancel_is_collected(
    store: Store,
) -> None:
    oid = placed_at_the_kiosk(store, "GF-3", prepaid=False)
    store.desk.load(store.checkout, oid)
    store.api("/GF-3/cancel", {"reason": "customer"})
    assert store.kiosk_takes_commands() == ["cancelled"]
    due = store.checkout.start_payment().remaining
    store.checkout.start_payment().add_cash(due)
    store.checkout.complete()  # the customer paid here and took the goods
    store.fleet_hears_kiosk()  # "cancelled" then "collected": the collection wins
    answer = store.api("/GF-3")
    assert (answer["status"], answer["refunded"]) == ("collected", 0)
    assert store.refunds() == [] and store.acquirer.refunded == {}
