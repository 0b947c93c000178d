"""Cash drawer: opened by a GPIO pulse or by the printer's drawer kick; optional sensor.

Wiring (firmware/wiring.md): the GPIO drives a logic-level MOSFET or relay that switches
the drawer solenoid's 12/24 V, with a flyback diode across the coil. The sensor is a
switch to ground read with the internal pull-up. Every open is recorded with its reason;
a drawer left open longer than ``left_open_s`` raises ``drawer_left_open``.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from gpiozero import DigitalInputDevice, DigitalOutputDevice

from kiosk.ports import DeviceError, DeviceEvent, DeviceListener, DeviceState, DeviceStatus

KIND = "drawer"


@dataclass(frozen=True)
class DrawerOpening:
    at: float  # time.time() of the pulse
    reason: str  # "cash sale", "no sale", "float", ...
    via: str  # "gpio" | "printer"


class CashDrawerDevice:
    """The kiosk's ``CashDrawer``. ``kick`` is the printer's drawer kick when the drawer
    hangs off the printer; otherwise ``pin`` is pulsed for ``pulse_ms``."""

    def __init__(
        self,
        name: str = "drawer",
        *,
        pin: int | str | None = None,
        pulse_ms: int = 100,
        kick: Callable[[], Any] | None = None,
        sensor_pin: int | str | None = None,
        open_when_high: bool = True,
        left_open_s: float = 30.0,
        on_event: DeviceListener | None = None,
        pin_factory: Any = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if (pin is None) == (kick is None):
            raise ValueError("cash drawer needs exactly one of a GPIO pin or the printer kick")
        if not 20 <= pulse_ms <= 500:
            raise ValueError(f"drawer pulse_ms must be 20-500 (solenoids burn), got {pulse_ms}")
        self.name = name
        self.pulse_s = pulse_ms / 1000
        self.left_open_s = left_open_s
        self.openings: list[DrawerOpening] = []
        self._open_when_high = open_when_high
        self._kick = kick
        self._on_event = on_event
        self._clock = clock
        self._timer: threading.Timer | None = None
        self._output = (
            DigitalOutputDevice(pin, pin_factory=pin_factory) if pin is not None else None
        )
        self._sensor: DigitalInputDevice | None = None
        if sensor_pin is not None:
            # switch to ground + pull-up: a closed switch reads low (gpiozero: active)
            self._sensor = DigitalInputDevice(sensor_pin, pull_up=True, pin_factory=pin_factory)
            self._sensor.when_activated = self._sensor_changed
            self._sensor.when_deactivated = self._sensor_changed
        self._status = DeviceStatus(KIND, name, DeviceState.IDLE, "", self._detail())

    def status(self) -> DeviceStatus:
        return self._status

    def open(self, reason: str) -> None:
        if not reason.strip():
            raise ValueError("a drawer open needs a reason")
        try:
            if self._output is not None:
                self._output.blink(on_time=self.pulse_s, off_time=0, n=1, background=True)
                via = "gpio"
            else:
                assert self._kick is not None
                self._kick()
                via = "printer"
        except Exception as exc:
            self._set(DeviceState.ERROR, f"could not open: {exc}", "error")
            raise DeviceError(
                "The cash drawer did not open",
                kind=KIND,
                name=self.name,
                code="device.drawer_jammed",
            ) from exc
        self.openings.append(DrawerOpening(self._clock(), reason, via))
        self._emit("drawer_opened", reason)
        if self._sensor is None:
            return
        self._arm_timer()

    def is_open(self) -> bool | None:
        if self._sensor is None:
            return None
        pin_high = not self._sensor.value  # pulled up: active means the pin is low
        return pin_high if self._open_when_high else not pin_high

    def close(self) -> None:
        self._cancel_timer()
        for device in (self._output, self._sensor):
            if device is not None:
                device.close()

    # -- sensor and "left open" ---------------------------------------------------------
    def _sensor_changed(self) -> None:
        if self.is_open():
            self._arm_timer()
            self._set(DeviceState.BUSY, "open", "drawer_state")
        else:
            self._cancel_timer()
            self._set(DeviceState.IDLE, "", "drawer_closed")

    def _arm_timer(self) -> None:
        self._cancel_timer()
        self._timer = threading.Timer(self.left_open_s, self._left_open)
        self._timer.daemon = True
        self._timer.start()

    def _cancel_timer(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _left_open(self) -> None:
        if self.is_open():
            self._set(DeviceState.BUSY, "left open", "drawer_left_open")

    def _detail(self) -> dict[str, Any]:
        return {"open": self.is_open(), "opens": len(self.openings)}

    def _set(self, state: DeviceState, reason: str, event: str) -> None:
        self._status = DeviceStatus(KIND, self.name, state, reason, self._detail())
        self._emit(event, reason)

    def _emit(self, event: str, message: str) -> None:
        if event == "drawer_opened":
            self._status = DeviceStatus(KIND, self.name, self._status.state,
                                        self._status.reason, self._detail())  # fmt: skip
        if self._on_event is not None:
            self._on_event(DeviceEvent(KIND, self.name, event, self._status, message))
