"""The simulated cash acceptor: takes known notes only while a payment asks for cash."""

from __future__ import annotations

import pytest

from drivers.factory import UnavailableDevice, build_devices
from drivers.sim.cash_acceptor import SimulatedCashAcceptor
from kiosk.ports import DeviceError, DeviceEvent, DeviceState, HandFedCashAcceptor


def test_takes_notes_only_while_accepting_and_reports_each() -> None:
    events: list[DeviceEvent] = []
    acceptor = SimulatedCashAcceptor(on_event=events.append)
    taken: list[int] = []
    assert not acceptor.insert(10_000)  # nobody asked for cash yet
    acceptor.accept(15_000, taken.append)
    assert acceptor.status().state is DeviceState.BUSY
    assert acceptor.insert(10_000) and acceptor.status().detail["due"] == 5_000
    assert not acceptor.insert(7_000)  # no such note
    assert acceptor.insert(5_000)
    acceptor.stop()
    assert not acceptor.insert(1_000)
    assert taken == [10_000, 5_000] == acceptor.inserted
    assert acceptor.refused == [10_000, 7_000, 1_000]
    assert [e.message for e in events] == [
        "not taking money", "not a known note: 7000", "not taking money"]  # fmt: skip
    assert acceptor.status().state is DeviceState.IDLE
    assert acceptor.dispense(2_500) == 2_500 and acceptor.dispensed == [2_500]


def test_the_note_a_customer_puts_in_next() -> None:
    acceptor = SimulatedCashAcceptor(denominations=[5_000, 20_000, 50_000])
    assert acceptor.note_for(3_500) == 5_000
    assert acceptor.note_for(20_000) == 20_000
    assert acceptor.note_for(20_001) == 50_000
    assert acceptor.note_for(180_000) == 50_000  # the largest, then again
    with pytest.raises(ValueError, match="Rupiah"):
        SimulatedCashAcceptor(denominations=[3_000])


def test_factory_builds_one_only_when_configured() -> None:
    plain = build_devices({}, simulated=True)
    configured = build_devices({"cash_acceptor": {"denominations": [1000, 2000]}}, simulated=True)
    real = build_devices({"cash_acceptor": {}}, simulated=False)
    try:
        assert plain.cash_acceptor is None
        assert isinstance(configured.cash_acceptor, HandFedCashAcceptor)
        assert configured.cash_acceptor.note_for(1500) == 2000
        assert configured.cash_acceptor in configured.all()
        assert isinstance(real.cash_acceptor, UnavailableDevice)
        assert real.cash_acceptor.status().state is DeviceState.ERROR
        with pytest.raises(DeviceError, match="no driver for a real cash acceptor"):
            real.cash_acceptor.accept(1000, lambda _amount: None)
    finally:
        for devices in (plain, configured, real):
            devices.close()
