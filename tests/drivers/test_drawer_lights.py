from __future__ import annotations

import time

import pytest
from gpiozero.pins.mock import MockFactory

from drivers.drawer import CashDrawerDevice
from drivers.lights import LIGHT_TABLE, GpioLights
from kiosk.ports import DeviceError, DeviceEvent, DeviceState


def wait_for(condition, timeout: float = 2.0) -> bool:  # type: ignore[no-untyped-def]
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.005)
    return False


def pulse_seconds(mock_factory: MockFactory, pin_no: int, pulse_ms: int) -> float:
    """Open a GPIO drawer once; return how long its pin was high, from the pin's own
    record of state changes (gpiozero's MockPin stamps each change with the time since
    the one before it)."""
    drawer = CashDrawerDevice(pin=pin_no, pulse_ms=pulse_ms)
    pin = mock_factory.pin(pin_no)
    pin.clear_states()
    drawer.open("cash sale")
    assert wait_for(lambda: len(pin.states) >= 3, timeout=10)
    time.sleep(0.05)  # a second pulse, if the driver sent one, would show up here
    assert [s.state for s in pin.states] == [False, True, False]  # one pulse, then off
    assert [(o.reason, o.via) for o in drawer.openings] == [("cash sale", "gpio")]
    assert drawer.is_open() is None  # no sensor wired
    drawer.close()
    return float(pin.states[2].timestamp)


def test_gpio_pulse_has_the_configured_length(mock_factory: MockFactory) -> None:
    # A timer may fire late on a loaded machine, never early: each pulse is at least as
    # long as configured. The short one must still end before the long one's length, so
    # a pulse length that ignores the setting (or mistakes its unit) fails either way.
    short, long = pulse_seconds(mock_factory, 17, 30), pulse_seconds(mock_factory, 18, 300)
    assert 0.030 <= short < 0.300 <= long < 3.0, (short, long)


def test_printer_kick_is_used_when_configured(mock_factory: MockFactory) -> None:
    kicks: list[int] = []
    drawer = CashDrawerDevice(kick=lambda: kicks.append(2))
    drawer.open("no sale")
    assert kicks == [2]
    assert drawer.openings[0].via == "printer"


def test_sensor_and_left_open_event(mock_factory: MockFactory) -> None:
    events: list[DeviceEvent] = []
    drawer = CashDrawerDevice(pin=17, sensor_pin=27, left_open_s=0.1, on_event=events.append)
    sensor = mock_factory.pin(27)
    sensor.drive_low()  # switch closed: drawer shut
    assert drawer.is_open() is False
    drawer.open("cash sale")
    sensor.drive_high()  # the drawer springs open
    assert drawer.is_open() is True
    assert wait_for(lambda: any(e.event == "drawer_left_open" for e in events))
    assert drawer.status().reason == "left open"
    sensor.drive_low()
    assert wait_for(lambda: drawer.status().state is DeviceState.IDLE)
    assert [e.message for e in events if e.event == "drawer_opened"] == ["cash sale"]
    assert events[-1].event == "drawer_closed"
    drawer.close()


def test_closing_in_time_raises_no_left_open(mock_factory: MockFactory) -> None:
    events: list[DeviceEvent] = []
    drawer = CashDrawerDevice(pin=17, sensor_pin=27, left_open_s=0.15, on_event=events.append)
    sensor = mock_factory.pin(27)
    sensor.drive_low()
    drawer.open("cash sale")
    sensor.drive_high()
    sensor.drive_low()
    time.sleep(0.25)
    assert "drawer_left_open" not in [e.event for e in events]
    drawer.close()


def test_drawer_settings_are_checked(mock_factory: MockFactory) -> None:
    with pytest.raises(ValueError, match="exactly one of a GPIO pin or the printer kick"):
        CashDrawerDevice()
    with pytest.raises(ValueError, match="pulse_ms must be 20-500"):
        CashDrawerDevice(pin=17, pulse_ms=2000)
    drawer = CashDrawerDevice(pin=17)
    with pytest.raises(ValueError, match="needs a reason"):
        drawer.open(" ")


def test_failed_kick_is_a_device_error(mock_factory: MockFactory) -> None:
    def broken() -> None:
        raise OSError("printer unplugged")

    drawer = CashDrawerDevice(kick=broken)
    with pytest.raises(DeviceError, match="did not open"):
        drawer.open("cash sale")
    assert drawer.status().state is DeviceState.ERROR
    assert drawer.openings == []


PINS = {"green": 5, "amber": 6, "red": 13}


def test_lights_follow_the_table(mock_factory: MockFactory) -> None:
    lights = GpioLights(PINS)
    lights.show("ready")
    assert [mock_factory.pin(p).state for p in (5, 6, 13)] == [True, False, False]
    lights.show("error")
    assert [mock_factory.pin(p).state for p in (5, 6, 13)] == [False, False, True]
    lights.show("help")
    amber = mock_factory.pin(6)
    amber.clear_states()
    assert wait_for(lambda: len({s.state for s in amber.states}) == 2, 1.0)  # blinking
    assert lights.status().detail == {"showing": "help"}
    lights.close()


def test_shop_can_override_the_table(mock_factory: MockFactory) -> None:
    lights = GpioLights(PINS, table={"ready": {"green": "on", "amber": "on"}})
    lights.show("ready")
    assert [mock_factory.pin(p).state for p in (5, 6, 13)] == [True, True, False]
    assert LIGHT_TABLE["ready"] == {"green": "on"}  # the default is untouched
    lights.close()


def test_bad_light_settings_are_named(mock_factory: MockFactory) -> None:
    with pytest.raises(ValueError, match="unknown kiosk state 'party'"):
        GpioLights(PINS, table={"party": {"green": "on"}})
    with pytest.raises(ValueError, match="unknown pattern 'strobe'"):
        GpioLights(PINS, table={"ready": {"green": "strobe"}})
    with pytest.raises(ValueError, match="colours with no pin"):
        GpioLights({"green": 5})
    lights = GpioLights(PINS)
    with pytest.raises(ValueError, match="unknown light state"):
        lights.show("disco")
