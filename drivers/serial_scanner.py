"""Serial and USB CDC-ACM scanners through pyserial: scans framed by suffix or idle gap.

CDC-ACM mode avoids keyboard layouts altogether (FIELD-NOTES). A scan ends at the
configured suffix (CR, LF, CRLF, TAB) or, with ``suffix: gap``, after ``idle_gap_ms``
without a byte (~30 ms). The port is reopened every second while it is missing.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from drivers.symbology import parse_scan
from kiosk.ports import DeviceEvent, DeviceListener, DeviceState, DeviceStatus, ScanListener

KIND = "scanner"
SUFFIX_BYTES = {"cr": b"\r", "lf": b"\n", "crlf": b"\r\n", "tab": b"\t", "gap": b""}


def _open_serial(url: str, baudrate: int) -> Any:
    import serial

    return serial.serial_for_url(url, baudrate=baudrate, timeout=0.01)


class SerialScanner:
    def __init__(
        self,
        name: str,
        open_port: Callable[[], Any],
        *,
        suffix: str = "cr",
        idle_gap_ms: float = 30.0,
        reopen_s: float = 1.0,
    ) -> None:
        if suffix not in SUFFIX_BYTES:
            raise ValueError(
                f"unknown serial scan suffix {suffix!r} (known: {sorted(SUFFIX_BYTES)})"
            )
        self.name = name
        self._open_port = open_port
        self._suffix = SUFFIX_BYTES[suffix]
        self._gap_s = idle_gap_ms / 1000
        self._reopen_s = reopen_s
        self._port: Any = None
        self._buf = b""
        self._last_byte = 0.0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._on_scan: ScanListener | None = None
        self._on_event: DeviceListener | None = None
        self._status = DeviceStatus(KIND, name, DeviceState.OFFLINE, "not connected")

    @classmethod
    def from_settings(cls, name: str, settings: dict[str, Any]) -> SerialScanner:
        url, baud = str(settings["port"]), int(settings.get("baudrate", 9600))
        return cls(name, lambda: _open_serial(url, baud), suffix=str(settings.get("suffix", "cr")),
                   idle_gap_ms=float(settings.get("idle_gap_ms", 30)))  # fmt: skip

    def status(self) -> DeviceStatus:
        return self._status

    def start(self, on_scan: ScanListener, on_event: DeviceListener) -> None:
        self._on_scan, self._on_event = on_scan, on_event
        self._thread = threading.Thread(target=self._run, name=f"scanner-{self.name}", daemon=True)
        self._thread.start()

    def close(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=2)
        if self._port is not None:
            self._port.close()

    def feed(self, data: bytes, now: float) -> list[str]:
        """Frame bytes into scans (pure; the reader thread and tests call it)."""
        out: list[str] = []
        if data:
            self._buf += data
            self._last_byte = now
        if self._suffix:
            while self._suffix in self._buf:
                scan, self._buf = self._buf.split(self._suffix, 1)
                out.append(scan.decode("latin-1"))
        elif self._buf and now - self._last_byte >= self._gap_s:
            out.append(self._buf.decode("latin-1"))
            self._buf = b""
        return [s.strip("\r\n") for s in out if s.strip("\r\n")]

    def _run(self) -> None:
        while not self._stop.is_set():
            if self._port is None and not self._connect():
                self._stop.wait(self._reopen_s)
                continue
            try:
                data = self._port.read(max(1, self._port.in_waiting))
            except Exception as exc:  # unplugged CDC-ACM: SerialException / OSError
                self._port = None
                self._set(DeviceState.OFFLINE, f"disconnected: {exc}")
                continue
            for text in self.feed(data, time.monotonic()):
                if self._on_scan is not None:
                    self._on_scan(parse_scan(text, source=self.name))

    def _connect(self) -> bool:
        try:
            self._port = self._open_port()
        except Exception as exc:
            if self._status.reason != f"not connected: {exc}":
                self._set(DeviceState.OFFLINE, f"not connected: {exc}")
            return False
        self._set(DeviceState.IDLE, "")
        return True

    def _set(self, state: DeviceState, reason: str) -> None:
        self._status = DeviceStatus(KIND, self.name, state, reason)
        if self._on_event is not None:
            self._on_event(DeviceEvent(KIND, self.name, "status", self._status, reason))
