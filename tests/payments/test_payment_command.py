"""``cmd/payment``: the fleet relays the acquirer's confirmation to the till waiting for
it (over a second connection to the same ledger file, as the telemetry link has)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kiosk.contract.errors import SchemaError
from kiosk.contract.messages import command_doc
from kiosk.contract.schemas import validate_command
from kiosk.payments.simulated import SimulatedGateway
from kiosk.services.qris_payment import Backoff, QrisPaymentService
from kiosk.storage.db import open_db
from kiosk.telemetry.commands import CommandOutcome, CommandProcessor
from kiosk.telemetry.mqtt_config import MqttConfig
from kiosk.testing.fake_acquirers import sample_static_qris

CONFIG = MqttConfig(store_id="S01", device_id="D01")


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "kiosk.db"


@pytest.fixture
def link(db: Path) -> Iterator[sqlite3.Connection]:
    connection = open_db(db)
    yield connection
    connection.close()


@pytest.fixture
def till(db: Path) -> Iterator[QrisPaymentService]:
    connection = open_db(db)
    gateway = SimulatedGateway(sample_static_qris(), outcome="timeout")  # the poll never hears
    yield QrisPaymentService(connection, gateway, sleep=lambda s: None, backoff=Backoff(0, 0))
    connection.close()


def relay(conn: sqlite3.Connection, body: dict[str, Any], command_id: str) -> CommandOutcome:
    doc = command_doc("payment", body, command_id=command_id)
    payload = json.dumps(doc).encode()
    return CommandProcessor(CONFIG).process(conn, "pos/v1/S01/D01/cmd/payment", payload)


def detail(outcome: CommandOutcome) -> Any:
    return json.loads(outcome.result_payload)["detail"]


def test_a_relayed_paid_ends_the_wait_once(
    link: sqlite3.Connection, till: QrisPaymentService
) -> None:
    till.begin("Q-1", 27500)
    looks: list[int] = []

    def customer_pays() -> bool:
        looks.append(1)
        if len(looks) == 2:
            paid = {"order_id": "Q-1", "status": "paid", "amount": 27500, "provider": "midtrans"}
            first = relay(link, paid, "c-1")
            assert first.ok and detail(first)["outcome"] == "apply"
            again = relay(link, paid, "c-2")  # the acquirer notified twice
            assert again.ok and detail(again)["outcome"] == "already"
        return False

    row = till.wait("Q-1", timeout_s=3600, cancelled=customer_pays)
    assert (row.state, row.confirmed_by) == ("paid", "fleet:c-1")
    assert len(looks) == 2


def test_a_relayed_paid_after_cancel_is_flagged_for_refund(
    link: sqlite3.Connection, till: QrisPaymentService
) -> None:
    till.begin("Q-2", 9000)
    assert till.cancel("Q-2").state == "cancelled"
    late = relay(link, {"order_id": "Q-2", "status": "paid", "amount": 9000}, "c-3")
    assert late.ok and detail(late)["outcome"] == "refund_due"
    row = till.payment("Q-2")
    assert (row.state, row.refund_due) == ("cancelled", True)


def test_unknown_orders_other_amounts_and_bad_bodies_are_refused(
    link: sqlite3.Connection, till: QrisPaymentService
) -> None:
    till.begin("Q-3", 5000)
    unknown = relay(link, {"order_id": "Q-9", "status": "paid", "amount": 5000}, "c-4")
    assert not unknown.ok and "no QRIS payment Q-9" in unknown.result_payload
    other = relay(link, {"order_id": "Q-3", "status": "paid", "amount": 4000}, "c-5")
    assert not other.ok and "4000 confirmed, 5000 charged" in other.result_payload
    # ... each with its code and what the fleet words it from
    codes = [
        [r["code"] for r in json.loads(o.result_payload)["refusals"]] for o in (unknown, other)
    ]
    assert codes == [["payment.unknown"], ["payment.amount"]]
    assert json.loads(other.result_payload)["refusals"][0]["params"] == {
        "order_id": "Q-3", "confirmed": 4000, "charged": 5000}  # fmt: skip
    assert till.payment("Q-3").state == "pending"
    with pytest.raises(SchemaError, match="body.status: 'settlement' is not one of"):
        command_doc("payment", {"order_id": "Q-3", "status": "settlement", "amount": 5000})
    envelope = {"schema": 1, "command_id": "c-6", "body": {"order_id": "Q-3", "status": "paid"}}
    assert validate_command("payment", envelope) == ["body.amount: missing"]
