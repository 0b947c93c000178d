"""Printer and drawer events from the real drivers (simulated twins) become fleet alerts."""

from __future__ import annotations

import json
import queue
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from drivers.sim.printer import simulated_printer
from kiosk.contract.schemas import validate
from kiosk.ports import DeviceEvent, DeviceState, DeviceStatus
from kiosk.services.device_alerts import DeviceAlerts
from kiosk.storage.ledger import SqliteLedger
from kiosk.testing.clock import SettableClock


@pytest.fixture
def ledger(tmp_path: Path) -> Iterator[SqliteLedger]:
    ledger = SqliteLedger(tmp_path / "l.sqlite", "kiosk-1", store_id="toko-1")
    yield ledger
    ledger.close()


def alerts(ledger: SqliteLedger) -> list[dict[str, object]]:
    docs = [json.loads(r[0]) for r in ledger.conn.execute(
        "SELECT payload FROM outbox WHERE topic = 'alert' ORDER BY id")]  # fmt: skip
    assert all(validate("alert", d) == [] for d in docs)
    return docs


def test_paper_out_alerts_once_and_clears_when_paper_is_back(ledger: SqliteLedger) -> None:
    events: queue.SimpleQueue[DeviceEvent] = queue.SimpleQueue()
    printer, connection = simulated_printer(on_event=events.put, poll_interval=3600)
    service = DeviceAlerts(ledger, SettableClock(datetime(2026, 11, 27, 6, tzinfo=UTC)))
    try:
        for paper in ("out", "out", "ok"):
            connection.paper = paper
            printer.poll_status()
            while not events.empty():
                service.handle(events.get())  # the main thread's side of the hand-over
    finally:
        printer.close()
    raised, cleared = alerts(ledger)
    assert (
        raised["kind"] == "paper_out" and raised["severity"] == "critical" and not raised["cleared"]
    )
    assert cleared["kind"] == "paper_out" and cleared["cleared"] is True
    assert cleared["detail"]["clears"] == raised["alert_id"]


def test_drawer_left_open_then_closed(ledger: SqliteLedger) -> None:
    service = DeviceAlerts(ledger, SettableClock(datetime(2026, 11, 27, 6, tzinfo=UTC)))

    def event(name: str, state: DeviceState = DeviceState.IDLE) -> DeviceEvent:
        return DeviceEvent("drawer", "drawer", name, DeviceStatus("drawer", "drawer", state))

    assert service.handle(event("drawer_opened")) is None  # opening is not news
    first = service.handle(event("drawer_left_open", DeviceState.ERROR))
    assert service.handle(event("drawer_left_open", DeviceState.ERROR)) is None
    assert service.handle(event("drawer_closed")) == first
    assert [(a["kind"], a["cleared"]) for a in alerts(ledger)] == [
        ("drawer_left_open", False), ("drawer_left_open", True)]  # fmt: skip
