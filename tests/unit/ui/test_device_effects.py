"""The presenters' effects over a real simulated DeviceSet: cash through the acceptor,
receipts to the printer, the drawer, and what is said when a device is missing."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from drivers.factory import build_devices
from kiosk.domain.receipt import build_receipt
from kiosk.ports import CardResult, DeviceSet
from kiosk.testing.broker_process import eventually
from kiosk.testing.sales import sample_sale
from kiosk.ui.device_effects import DeviceEffects
from kiosk.ui.event_bridge import EventBridge, UiEvent


@pytest.fixture
def devices() -> Iterator[DeviceSet]:
    built = build_devices({"cash_acceptor": {}, "printer": {"paper": "58mm"}}, simulated=True)
    yield built
    built.close()


def effects_over(devices: DeviceSet, *, counter: bool = False) -> tuple[DeviceEffects, EventBridge]:
    bridge = EventBridge()
    receipt = lambda sale: build_receipt(sale, header=["TOKO"], footer=[])  # noqa: E731
    return DeviceEffects(devices, bridge, counter=counter, language="en", receipt=receipt), bridge


def drained(bridge: EventBridge) -> list[tuple[str, object]]:
    seen: list[UiEvent] = []
    bridge.drain(seen.append)
    return [(event.kind, event.payload) for event in seen]


def test_cash_goes_through_the_acceptor_and_change_comes_out(devices: DeviceSet) -> None:
    effects, bridge = effects_over(devices)
    acceptor = devices.cash_acceptor
    assert effects.cash_available and acceptor is not None
    assert effects.start_cash(12_500) == ""
    assert acceptor.insert(10_000) and acceptor.insert(5_000)  # type: ignore[attr-defined]
    assert drained(bridge) == [("cash_inserted", 10_000), ("cash_inserted", 5_000)]
    effects.stop_cash()
    assert not acceptor.insert(1_000)  # type: ignore[attr-defined]
    assert effects.give_change(2_500) == ""
    assert acceptor.dispensed == [2_500]  # type: ignore[attr-defined]


def test_a_self_checkout_without_a_working_acceptor_offers_no_cash() -> None:
    effects, _ = effects_over(DeviceSet())
    assert not effects.cash_available
    assert effects.start_cash(1_000) == "no cash acceptor"
    assert effects.give_change(500) == "no cash acceptor"
    assert effects.print_receipt(sample_sale(2)) == "no printer"
    assert effects.open_drawer("sale") == "no cash drawer"
    real = build_devices({"cash_acceptor": {}}, simulated=False)
    try:
        broken, _ = effects_over(real)
        assert not broken.cash_available  # configured, but no driver: in ERROR
        said = broken.start_cash(1_000)  # in the screen's language, naming the device
        assert said == "The cash acceptor is not working; check its cable and power, then try again"
    finally:
        real.close()
    counter, _ = effects_over(DeviceSet(), counter=True)
    assert counter.cash_available  # the counter's cash goes into its drawer


def test_receipt_and_drawer_reach_their_devices(devices: DeviceSet) -> None:
    effects, _ = effects_over(devices)
    assert effects.print_receipt(sample_sale(2)) == ""
    assert devices.printer is not None and devices.printer.wait_idle(5)  # type: ignore[attr-defined]
    assert b"TOKO" in devices.twins["printer_connection"].output  # type: ignore[attr-defined]
    assert effects.open_drawer("no sale") == ""
    assert devices.drawer.openings[-1].reason == "no sale"  # type: ignore[union-attr]


def card_answer(bridge: EventBridge) -> CardResult:
    seen: list[UiEvent] = []
    assert eventually(lambda: bridge.drain(seen.append) > 0 or bool(seen), timeout=20)
    ((kind, result),) = [(e.kind, e.payload) for e in seen]
    assert kind == "card_result" and isinstance(result, CardResult)
    return result


def test_a_card_retry_after_an_unread_answer_asks_first_and_never_charges_twice() -> None:
    # The simulated terminal answers at once: only the unread answers (the sale's, then
    # the inquiry's) wait their timeouts out, 2 s and 5 s with the simulator's defaults.
    devices = build_devices(
        {"card_terminal": {"response_timeout": 0.5, "ack_timeout": 0.2}}, simulated=True
    )
    try:
        effects, bridge = effects_over(devices, counter=True)
        peer = devices.twins["card_peer"]
        peer.mode = "garbage"  # type: ignore[attr-defined]  # approved, but unreadable
        effects.start_card(5000, "BASKET-1")
        first = card_answer(bridge)
        assert (first.outcome, first.problem) == ("unknown", "garbled")
        peer.mode = "approve"  # type: ignore[attr-defined]
        effects.start_card(5000, "BASKET-1")  # the cashier tries again
        again = card_answer(bridge)
        assert (again.outcome, again.reference, again.amount) == ("approved", "BASKET-1", 5000)
        assert len(peer.transactions) == 1  # type: ignore[attr-defined]  # charged once
        assert [m.command for m in peer.received][-1] == "04"  # type: ignore[attr-defined]
        peer.mode = "decline"  # type: ignore[attr-defined]
        effects.start_card(3000, "BASKET-2")
        assert card_answer(bridge).outcome == "declined"  # a known outcome: no inquiry next
        peer.mode = "approve"  # type: ignore[attr-defined]
        effects.start_card(3000, "BASKET-2")
        assert card_answer(bridge).outcome == "approved"
        assert len(peer.transactions) == 3  # type: ignore[attr-defined]
    finally:
        devices.close()
