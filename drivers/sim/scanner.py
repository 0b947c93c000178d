"""A simulated keyboard-wedge scanner: text or key steps in, through the real decoder."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from drivers import keymaps
from drivers.scan_decoder import SUFFIXES, DecoderConfig, ScanDecoder, parse_key_steps
from drivers.symbology import parse_scan
from kiosk.ports import DeviceEvent, DeviceListener, DeviceState, DeviceStatus, ScanListener

KIND = "scanner"


class SimulatedScanner:
    def __init__(self, name: str = "scanner-sim", config: DecoderConfig | None = None) -> None:
        self.name = name
        self.config = config or DecoderConfig()
        self._decoder = ScanDecoder(self.config)
        self._clock = 0.0
        self._on_scan: ScanListener | None = None
        self._on_event: DeviceListener | None = None
        self.connected = True

    def start(self, on_scan: ScanListener, on_event: DeviceListener) -> None:
        self._on_scan, self._on_event = on_scan, on_event

    def status(self) -> DeviceStatus:
        if not self.connected:
            return DeviceStatus(KIND, self.name, DeviceState.OFFLINE, "unplugged (simulated)")
        return DeviceStatus(KIND, self.name, DeviceState.IDLE, "", {"simulated": True})

    def close(self) -> None:
        self._on_scan = None

    def scan(self, text: str, *, gap_ms: float = 2.0) -> None:
        """Type ``text`` + suffix as the scanner would, key by key, ``gap_ms`` apart."""
        suffix = keymaps.KEY_CODES[SUFFIXES[self.config.suffix][0]]
        strokes = [*keymaps.keystrokes_for(text, self.config.layout), (suffix, None)]
        for code, modifier in strokes:
            self._clock += gap_ms / 1000
            if modifier is not None:
                self._feed(modifier, 1, self._clock)
            self._feed(code, 1, self._clock + 0.0001)
            self._feed(code, 0, self._clock + 0.0005)
            if modifier is not None:
                self._feed(modifier, 0, self._clock + 0.0006)
        self._clock += 1.0  # the next scan is a fresh read

    def feed_keys(self, steps: Sequence[Any]) -> None:
        """Replay ``[["KEY_A", 1, 4], ...]`` steps (see ``scan_decoder.parse_key_steps``)."""
        start = self._clock
        for code, value, t in parse_key_steps(steps):
            self._feed(code, value, start + t)
            self._clock = start + t
        self._clock += 1.0
        for read in self._decoder.poll(self._clock):
            self._report(read.kind, read.text)

    def _feed(self, code: int, value: int, t: float) -> None:
        for read in self._decoder.feed(code, value, t):
            if read.kind == "scan":
                if self._on_scan is not None:
                    self._on_scan(parse_scan(read.text, source=self.name))
            else:
                self._report(read.kind, read.text)

    def _report(self, kind: str, text: str) -> None:
        if self._on_event is not None:
            event = "scan_timeout" if kind == "timeout" else "keyboard_typing"
            message = f"{kind} read of {len(text)} characters dropped"
            self._on_event(DeviceEvent(KIND, self.name, event, self.status(), message))
