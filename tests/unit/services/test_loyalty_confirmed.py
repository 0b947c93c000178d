"""The fleet's confirmed balances (cmd/points) through the kiosk's real command processor
and ledger: a member's points earned at another store become spendable here; what this
till redeems after the last move the fleet counted is taken off; an older confirmation
changes nothing; a bad one is refused whole."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from kiosk.contract.messages import command_doc
from kiosk.domain import points
from kiosk.domain.catalog import Catalog, Product
from kiosk.services.checkout import CheckoutConfig, CheckoutService
from kiosk.services.loyalty import LoyaltyService
from kiosk.storage.ledger import SqliteLedger
from kiosk.storage.members_store import MembersStore
from kiosk.storage.points_store import PointsStore
from kiosk.storage.unit_of_work import SqliteUnitOfWork
from kiosk.telemetry.commands import CommandProcessor
from kiosk.telemetry.mqtt_config import MqttConfig
from kiosk.testing.clock import SettableClock

PRODUCTS = [Product("ROTI", "Roti", 25_000)]
PHONE = "081234567890"
TOPIC = "pos/v1/s1/all/cmd/points"


@pytest.fixture
def kiosk(tmp_path: Path) -> Iterator[tuple[SqliteLedger, LoyaltyService, CheckoutService]]:
    clock = SettableClock(datetime(2026, 11, 20, 3, 0, tzinfo=UTC))
    ledger = SqliteLedger(tmp_path / "kb.sqlite", "kb")
    loyalty = LoyaltyService(SqliteUnitOfWork(ledger), clock, PointsStore(ledger.conn),
                             MembersStore(ledger.conn),
                             points.LoyaltyRules(max_redeem_share_percent=100))  # fmt: skip
    config = CheckoutConfig(store_id="s1", device_id="kb")
    till = CheckoutService(catalog=Catalog(PRODUCTS), ledger=ledger, clock=clock, config=config)
    yield ledger, loyalty, till
    ledger.close()


def confirm(ledger: SqliteLedger, as_of: str, balance: int, seen: dict[str, int]) -> dict:
    processor = CommandProcessor(MqttConfig(store_id="s1", device_id="kb"))
    body = {"as_of": as_of, "balances": [{"member_id": "M1", "balance": balance, "seen": seen}]}
    outcome = processor.process(
        ledger.conn, TOPIC, json.dumps(command_doc("points", body)).encode()
    )
    return json.loads(outcome.result_payload)


def test_a_confirmed_balance_from_other_stores_is_spent_here_once(
    kiosk: tuple[SqliteLedger, LoyaltyService, CheckoutService],
) -> None:
    ledger, loyalty, till = kiosk
    loyalty.enrol(PHONE, "Sari")
    ledger.conn.execute("UPDATE members SET member_id = 'M1'")  # a fixed id for the fleet
    assert loyalty.spendable("M1") == 0  # earned elsewhere: nothing in this till's book
    result = confirm(ledger, "2026-11-20T02:00:00Z", 20, {})
    assert result["ok"] and result["detail"] == {"members": 1, "older": 0}
    assert loyalty.spendable("M1") == 20
    loyalty.attach(till, PHONE)
    till.add_sku("ROTI", 1)
    loyalty.redeem(till, 15)
    till.pay_cash(25_000 - 15 * points.LoyaltyRules().point_value)
    loyalty.complete(till)
    assert loyalty.spendable("M1") == 5  # 20 confirmed less the 15 redeemed since
    (seq,) = ledger.conn.execute("SELECT max(seq) FROM journal WHERE kind = 'points'").fetchone()
    # An older confirmation (sent before, arriving late) changes nothing.
    assert confirm(ledger, "2026-11-20T01:00:00Z", 50, {})["detail"] == {"members": 0, "older": 1}
    assert loyalty.spendable("M1") == 5
    # The fleet counted this till's redemption (seen) and another store's new earning.
    confirm(ledger, "2026-11-20T04:00:00Z", 12, {"kb": seq, "kz": 99})
    assert loyalty.spendable("M1") == 12


def test_a_bad_confirmation_is_refused_whole(
    kiosk: tuple[SqliteLedger, LoyaltyService, CheckoutService],
) -> None:
    ledger, loyalty, _ = kiosk
    processor = CommandProcessor(MqttConfig(store_id="s1", device_id="kb"))
    body = {"as_of": "2026-11-20T02:00:00Z", "balances": [
        {"member_id": "M1", "balance": 20}, {"member_id": "M2", "balance": "lots"}]}  # fmt: skip
    doc = {"schema": 1, "command_id": "bad-1", "body": body}
    result = json.loads(
        processor.process(ledger.conn, TOPIC, json.dumps(doc).encode()).result_payload
    )
    assert not result["ok"] and any("balance" in e for e in result["errors"])
    assert ledger.conn.execute("SELECT count(*) FROM points_confirmed").fetchone()[0] == 0
    assert loyalty.spendable("M1") == 0
