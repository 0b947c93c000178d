"""USB/HID keyboard-wedge scanners through evdev: discovery, exclusive grab, hotplug.

One ``EvdevScanner`` per configured scanner entry; it takes every input device that
matches (vendor/product id and/or a name pattern), grabs it (EVIOCGRAB) so scans never
reach the UI as keystrokes, and decodes each device with its own ``ScanDecoder``. A
reader thread selects on all of them; a device that disappears (read fails with ENODEV)
is dropped and the scanner shows offline until a rescan (every ``rescan_s``, default 1 s,
so a replug is back well within 2 s) finds it again. Users need group ``input`` or the
udev rule in firmware/.
"""

from __future__ import annotations

import contextlib
import fnmatch
import select
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from drivers.scan_decoder import DecodedRead, DecoderConfig, ScanDecoder
from drivers.symbology import parse_scan
from kiosk.ports import (
    DeviceEvent,
    DeviceListener,
    DeviceState,
    DeviceStatus,
    ScanListener,
)

KIND = "scanner"


@dataclass(frozen=True)
class ScannerMatch:
    vendor: int | None = None
    product: int | None = None
    name: str = ""  # fnmatch pattern, case-insensitive, e.g. "*barcode*"

    def __post_init__(self) -> None:
        if self.vendor is None and self.product is None and not self.name:
            raise ValueError("an evdev scanner needs vendor_id/product_id or a name pattern")

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any]) -> ScannerMatch:
        def hex_id(key: str) -> int | None:
            value = settings.get(key)
            return None if value is None else int(value, 16) if isinstance(value, str) else value

        return cls(hex_id("vendor_id"), hex_id("product_id"), str(settings.get("name", "")))

    def matches(self, device: Any) -> bool:
        info = device.info
        if self.vendor is not None and info.vendor != self.vendor:
            return False
        if self.product is not None and info.product != self.product:
            return False
        return not self.name or fnmatch.fnmatch(device.name.lower(), self.name.lower())


def _evdev_list() -> list[str]:
    import evdev

    return list(evdev.list_devices())


def _evdev_open(path: str) -> Any:
    import evdev

    return evdev.InputDevice(path)


def find_devices(
    match: ScannerMatch,
    *,
    list_devices: Callable[[], list[str]] = _evdev_list,
    open_device: Callable[[str], Any] = _evdev_open,
    skip: frozenset[str] = frozenset(),
) -> list[Any]:
    found = []
    for path in list_devices():
        if path in skip:
            continue
        try:
            device = open_device(path)
        except OSError:
            continue  # vanished or no permission: the next rescan tries again
        if match.matches(device):
            found.append(device)
        else:
            device.close()
    return found


class EvdevScanner:
    def __init__(
        self,
        name: str,
        match: ScannerMatch,
        config: DecoderConfig | None = None,
        *,
        list_devices: Callable[[], list[str]] = _evdev_list,
        open_device: Callable[[str], Any] = _evdev_open,
        rescan_s: float = 1.0,
        grab: bool = True,
    ) -> None:
        self.name = name
        self.match = match
        self.config = config or DecoderConfig()
        self._list, self._open = list_devices, open_device
        self._rescan_s = rescan_s
        self._grab = grab
        self._devices: dict[str, tuple[Any, ScanDecoder]] = {}
        self._status = DeviceStatus(KIND, name, DeviceState.OFFLINE, "not connected")
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._on_scan: ScanListener | None = None
        self._on_event: DeviceListener | None = None

    def status(self) -> DeviceStatus:
        return self._status

    def start(self, on_scan: ScanListener, on_event: DeviceListener) -> None:
        self._on_scan, self._on_event = on_scan, on_event
        self._rescan()
        self._thread = threading.Thread(target=self._run, name=f"scanner-{self.name}", daemon=True)
        self._thread.start()

    def close(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=2)
        for path in list(self._devices):
            self._drop(path, report=False)

    def _run(self) -> None:
        next_scan = time.monotonic() + self._rescan_s
        while not self._stop.is_set():
            fds = {dev.fileno(): path for path, (dev, _) in self._devices.items()}
            ready = select.select(list(fds), [], [], 0.05)[0] if fds else []
            if not fds:
                self._stop.wait(0.05)
            for fd in ready:
                self._read(fds[fd])
            now = time.time()
            for path, (_, decoder) in list(self._devices.items()):
                self._deliver(path, decoder.poll(now))
            if time.monotonic() >= next_scan:
                self._rescan()
                next_scan = time.monotonic() + self._rescan_s

    def _read(self, path: str) -> None:
        device, decoder = self._devices[path]
        try:
            events = list(device.read())
        except BlockingIOError:
            return
        except OSError as exc:  # ENODEV: unplugged
            self._drop(path, report=True, reason=f"unplugged ({exc.strerror or exc})")
            return
        for event in events:
            self._deliver(path, decoder.feed_event(event))

    def _deliver(self, path: str, reads: list[DecodedRead]) -> None:
        for read in reads:
            if read.kind == "scan" and self._on_scan is not None:
                self._on_scan(parse_scan(read.text, source=self.name))
            elif read.kind != "scan":
                event = "scan_timeout" if read.kind == "timeout" else "keyboard_typing"
                self._emit(event, f"{read.kind} read of {len(read.text)} characters dropped"
                                  f" on {path}")  # fmt: skip

    def _rescan(self) -> None:
        try:
            found = find_devices(self.match, list_devices=self._list, open_device=self._open,
                                 skip=frozenset(self._devices))  # fmt: skip
        except OSError as exc:
            self._set(DeviceState.ERROR, f"cannot list input devices: {exc}")
            return
        for device in found:
            try:
                if self._grab:
                    device.grab()  # EBUSY when another program holds it
            except OSError as exc:
                device.close()
                self._set(DeviceState.ERROR, f"cannot grab {device.path}: {exc}")
                continue
            self._devices[device.path] = (device, ScanDecoder(self.config))
        if self._devices and self._status.state is not DeviceState.IDLE:
            self._set(DeviceState.IDLE, "")

    def _drop(self, path: str, *, report: bool, reason: str = "") -> None:
        device, _ = self._devices.pop(path)
        with contextlib.suppress(OSError):
            device.close()
        if report and not self._devices:
            self._set(DeviceState.OFFLINE, reason)

    def _detail(self) -> dict[str, Any]:
        return {"devices": sorted(self._devices)}

    def _set(self, state: DeviceState, reason: str) -> None:
        self._status = DeviceStatus(KIND, self.name, state, reason, self._detail())
        self._emit("status", reason or state.value)

    def _emit(self, event: str, message: str) -> None:
        if self._on_event is not None:
            self._on_event(DeviceEvent(KIND, self.name, event, self._status, message))
