"""Status lights: LEDs or a light pole on GPIO, driven from ONE table a shop can change.

``LIGHT_TABLE`` maps a kiosk state to colour -> pattern. Patterns: "on", "off", "slow"
(1 Hz), "fast" (4 Hz). A shop overrides rows in settings (``lights.table``); the pins per
colour come from settings too (``lights.pins``). Each LED is driven through a transistor
(see firmware/wiring.md); a light pole's 12/24 V lamps through a relay or MOSFET board.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from gpiozero import LED

from kiosk.ports import DeviceEvent, DeviceListener, DeviceState, DeviceStatus

KIND = "lights"
STATES = ("ready", "busy", "help", "approval", "error", "offline")
PATTERNS: dict[str, tuple[float, float] | None] = {
    "on": None, "off": None, "slow": (0.5, 0.5), "fast": (0.125, 0.125),
}  # fmt: skip

# kiosk state -> {colour: pattern}. Colours not named are off.
LIGHT_TABLE: dict[str, dict[str, str]] = {
    "ready": {"green": "on"},
    "busy": {"green": "slow"},
    "help": {"amber": "fast"},  # customer asked for help
    "approval": {"amber": "on"},  # age check, void, price override: attendant needed
    "error": {"red": "on"},
    "offline": {"green": "on", "amber": "slow"},  # still selling; broker unreachable
}


def merge_table(overrides: Mapping[str, Mapping[str, str]] | None) -> dict[str, dict[str, str]]:
    table = {state: dict(row) for state, row in LIGHT_TABLE.items()}
    for state, row in (overrides or {}).items():
        if state not in STATES:
            raise ValueError(f"lights.table: unknown kiosk state {state!r} (known: {STATES})")
        for colour, pattern in row.items():
            if pattern not in PATTERNS:
                raise ValueError(f"lights.table.{state}.{colour}: unknown pattern {pattern!r}"
                                 f" (known: {sorted(PATTERNS)})")  # fmt: skip
        table[state] = dict(row)
    return table


class GpioLights:
    """The kiosk's ``Indicators``: ``show("help")`` sets every colour per the table."""

    def __init__(
        self,
        pins: Mapping[str, int | str],
        *,
        name: str = "lights",
        table: Mapping[str, Mapping[str, str]] | None = None,
        on_event: DeviceListener | None = None,
        pin_factory: Any = None,
    ) -> None:
        self.name = name
        self.table = merge_table(table)
        for state, row in self.table.items():
            missing = set(row) - set(pins)
            if missing:
                raise ValueError(
                    f"lights.table.{state} uses colours with no pin: {sorted(missing)}"
                )
        self._leds = {colour: LED(pin, pin_factory=pin_factory) for colour, pin in pins.items()}
        self._on_event = on_event
        self.current = ""
        self._status = DeviceStatus(KIND, name, DeviceState.IDLE, "", {"showing": ""})

    def show(self, state: str) -> None:
        if state not in self.table:
            raise ValueError(f"unknown light state {state!r} (known: {sorted(self.table)})")
        row = self.table[state]
        for colour, led in self._leds.items():
            pattern = row.get(colour, "off")
            timing = PATTERNS[pattern]
            if timing is not None:
                led.blink(on_time=timing[0], off_time=timing[1], background=True)
            elif pattern == "on":
                led.on()
            else:
                led.off()
        self.current = state
        self._status = DeviceStatus(KIND, self.name, DeviceState.IDLE, "", {"showing": state})
        if self._on_event is not None:
            self._on_event(DeviceEvent(KIND, self.name, "status", self._status, state))

    def status(self) -> DeviceStatus:
        return self._status

    def close(self) -> None:
        for led in self._leds.values():
            led.close()
