from __future__ import annotations

import contextlib
import os
import threading
import time
from types import SimpleNamespace
from typing import Any

import pytest
import serial

from drivers.evdev_scanner import EvdevScanner, ScannerMatch, find_devices
from drivers.serial_scanner import SerialScanner
from drivers.sim.scanner import SimulatedScanner
from kiosk.ports import DeviceEvent, DeviceState, Scan
from tests.drivers.keyevents import typed


class FakeInputDevice:
    """Stands in for ``evdev.InputDevice`` (no /dev/input here): a pipe for select(),
    real ``InputEvent``s from ``read()``, ENODEV once unplugged, grab recorded."""

    def __init__(self, bus: FakeBus, path: str, name: str, vendor: int, product: int) -> None:
        self.bus, self.path, self.name = bus, path, name
        self.info = SimpleNamespace(vendor=vendor, product=product)
        self._r, self._w = os.pipe()
        os.set_blocking(self._r, False)
        self.pending: list[Any] = []
        self.grabbed = False
        self.closed = False

    def fileno(self) -> int:
        return self._r

    def grab(self) -> None:
        self.grabbed = True

    def read(self) -> list[Any]:
        if self.path not in self.bus.plugged:
            raise OSError(19, "No such device")
        with contextlib.suppress(BlockingIOError):
            os.read(self._r, 4096)
        events, self.pending = self.pending, []
        return events

    def push(self, events: list[Any]) -> None:
        self.pending += events
        os.write(self._w, b"x")

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            os.close(self._r)
            os.close(self._w)


class FakeBus:
    def __init__(self) -> None:
        self.plugged: dict[str, tuple[str, int, int]] = {}
        self.opened: dict[str, FakeInputDevice] = {}

    def list_devices(self) -> list[str]:
        return sorted(self.plugged)

    def open(self, path: str) -> FakeInputDevice:
        if path not in self.plugged:
            raise OSError(19, "No such device")
        device = FakeInputDevice(self, path, *self.plugged[path])
        self.opened[path] = device
        return device

    def unplug(self, path: str) -> None:
        del self.plugged[path]
        self.opened[path].push([])  # the fd turns readable and the read fails, as in Linux


def wait_for(condition, timeout: float = 3.0) -> bool:  # type: ignore[no-untyped-def]
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.01)
    return False


SCANNER = ("Honeywell Barcode Scanner", 0x0C2E, 0x0B61)
KEYBOARD = ("AT Translated Set 2 keyboard", 0x0001, 0x0001)


def test_match_by_ids_or_name() -> None:
    bus = FakeBus()
    bus.plugged = {"/dev/input/event3": SCANNER, "/dev/input/event0": KEYBOARD}
    by_id = ScannerMatch.from_settings({"vendor_id": "0c2e", "product_id": "0b61"})
    found = find_devices(by_id, list_devices=bus.list_devices, open_device=bus.open)
    assert [d.path for d in found] == ["/dev/input/event3"]
    assert bus.opened["/dev/input/event0"].closed  # not ours: closed again
    by_name = ScannerMatch(name="*barcode*")
    assert len(find_devices(by_name, list_devices=bus.list_devices, open_device=bus.open)) == 1
    with pytest.raises(ValueError, match="needs vendor_id/product_id or a name pattern"):
        ScannerMatch()


def test_two_scanners_grabbed_decoded_and_replug_recovers() -> None:
    bus = FakeBus()
    bus.plugged = {
        "/dev/input/event3": SCANNER,
        "/dev/input/event4": SCANNER,
        "/dev/input/event0": KEYBOARD,
    }
    scans: list[Scan] = []
    events: list[DeviceEvent] = []
    scanner = EvdevScanner(
        "scanner-1",
        ScannerMatch(name="*barcode*"),
        list_devices=bus.list_devices,
        open_device=bus.open,
        rescan_s=0.2,
    )
    scanner.start(scans.append, events.append)
    try:
        assert scanner.status().state is DeviceState.IDLE
        assert bus.opened["/dev/input/event3"].grabbed and bus.opened["/dev/input/event4"].grabbed
        now = time.time()
        bus.opened["/dev/input/event3"].push(typed("4006381333931", start=now)[0])
        bus.opened["/dev/input/event4"].push(typed("96385074", start=now)[0])
        assert wait_for(lambda: len(scans) == 2)
        assert sorted(s.data for s in scans) == ["4006381333931", "96385074"]
        assert {s.source for s in scans} == {"scanner-1"}

        bus.unplug("/dev/input/event3")
        bus.unplug("/dev/input/event4")
        assert wait_for(lambda: scanner.status().state is DeviceState.OFFLINE)
        assert scanner.status().reason.startswith("unplugged")
        unplugged_at = time.monotonic()
        bus.plugged["/dev/input/event5"] = SCANNER  # replugged, new event node
        assert wait_for(lambda: scanner.status().state is DeviceState.IDLE)
        assert time.monotonic() - unplugged_at < 2.0
        bus.opened["/dev/input/event5"].push(typed("8992761111113", start=time.time())[0])
        assert wait_for(lambda: len(scans) == 3)
        assert scans[-1].gtin == "8992761111113"
    finally:
        scanner.close()


def test_half_scan_is_dropped_by_the_reader_thread() -> None:
    bus = FakeBus()
    bus.plugged = {"/dev/input/event3": SCANNER}
    events: list[DeviceEvent] = []
    scanner = EvdevScanner(
        "s", ScannerMatch(vendor=0x0C2E), list_devices=bus.list_devices, open_device=bus.open
    )
    scanner.start(lambda scan: None, events.append)
    try:
        bus.opened["/dev/input/event3"].push(typed("400638", start=time.time(), suffix="")[0])
        assert wait_for(lambda: any(e.event == "scan_timeout" for e in events))
    finally:
        scanner.close()


def test_grab_refused_is_an_error_state() -> None:
    bus = FakeBus()
    bus.plugged = {"/dev/input/event3": SCANNER}
    original = bus.open

    def open_busy(path: str) -> FakeInputDevice:
        device = original(path)

        def refuse() -> None:
            raise OSError(16, "Device or resource busy")

        device.grab = refuse  # type: ignore[method-assign]
        return device

    scanner = EvdevScanner(
        "s", ScannerMatch(vendor=0x0C2E), list_devices=bus.list_devices, open_device=open_busy
    )
    scanner.start(lambda scan: None, lambda event: None)
    try:
        assert scanner.status().state is DeviceState.ERROR
        assert "cannot grab" in scanner.status().reason
    finally:
        scanner.close()


# -- serial scanners -------------------------------------------------------------------


def test_serial_scanner_frames_by_suffix_over_loop() -> None:
    port = serial.serial_for_url("loop://", timeout=0.01)
    scanner = SerialScanner("serial-1", lambda: port, suffix="cr")
    scans: list[Scan] = []
    scanner.start(scans.append, lambda e: None)
    try:
        port.write(b"]E04006381333931\r]C10109501101530003\x1d10LOT\r")
        assert wait_for(lambda: len(scans) == 2)
        assert scans[0].symbology == "ean13" and scans[1].ais["10"] == "LOT"
    finally:
        scanner.close()


def test_serial_scanner_frames_by_idle_gap() -> None:
    scanner = SerialScanner("s", lambda: None, suffix="gap", idle_gap_ms=30)
    assert scanner.feed(b"40063", 1.000) == []
    assert scanner.feed(b"81333931", 1.010) == []
    assert scanner.feed(b"", 1.020) == []
    assert scanner.feed(b"", 1.045) == ["4006381333931"]


def test_serial_scanner_over_pty_and_reconnect() -> None:
    master, slave = os.openpty()
    name = os.ttyname(slave)
    opens = {"n": 0}
    lock = threading.Lock()

    def open_port() -> Any:
        with lock:
            opens["n"] += 1
            if opens["n"] == 1:
                raise serial.SerialException("could not open port: No such file")
        return serial.Serial(name, 9600, timeout=0.01)

    scans: list[Scan] = []
    scanner = SerialScanner("s", open_port, suffix="crlf", reopen_s=0.1)
    scanner.start(scans.append, lambda e: None)
    try:
        assert wait_for(lambda: scanner.status().state is DeviceState.IDLE)
        os.write(master, b"96385074\r\n")
        assert wait_for(lambda: len(scans) == 1)
        assert scans[0].symbology == "ean8"
    finally:
        scanner.close()
        os.close(master)
        os.close(slave)


def test_simulated_scanner_uses_the_real_decoder() -> None:
    scans: list[Scan] = []
    events: list[DeviceEvent] = []
    sim = SimulatedScanner()
    sim.start(scans.append, events.append)
    sim.scan("]C10109501101530003\x1d3103001250")
    sim.scan("12345", gap_ms=150)  # a person at the keyboard
    assert [s.ais.get("3103") for s in scans] == ["001250"]
    assert [e.event for e in events] == ["keyboard_typing"]
    sim.feed_keys([["KEY_4", 1], ["KEY_2", 1, 3], ["KEY_ENTER", 1, 3]])
    assert scans[-1].data == "42"
