"""The evdev scanner against a real kernel input device made with UInput.

Runs only where /dev/uinput exists and is writable (a Pi, a developer's laptop with the
uinput module); the development and CI machines of this project have none, so there the
decoder is tested with InputEvent sequences instead (test_scan_decoder.py)."""

from __future__ import annotations

import os
import queue
import time

import pytest

from drivers.evdev_scanner import EvdevScanner, ScannerMatch
from drivers.keymaps import keystrokes_for
from kiosk.ports import DeviceEvent, DeviceState, Scan

pytestmark = pytest.mark.skipif(
    not os.access("/dev/uinput", os.W_OK), reason="no writable /dev/uinput on this machine"
)
EAN = "8991000000010"


def type_scan(device: object, text: str) -> None:
    from evdev import ecodes

    for code, shift in [*keystrokes_for(text), (ecodes.KEY_ENTER, None)]:
        if shift:
            device.write(ecodes.EV_KEY, shift, 1)  # type: ignore[attr-defined]
        device.write(ecodes.EV_KEY, code, 1)  # type: ignore[attr-defined]
        device.write(ecodes.EV_KEY, code, 0)  # type: ignore[attr-defined]
        if shift:
            device.write(ecodes.EV_KEY, shift, 0)  # type: ignore[attr-defined]
        device.syn()  # type: ignore[attr-defined]
        time.sleep(0.002)  # a scanner's burst: a few ms per key


def test_a_uinput_scanner_is_grabbed_decoded_and_replugged() -> None:
    from evdev import UInput, ecodes

    keys = list(range(ecodes.KEY_ESC, ecodes.KEY_KPDOT + 1))
    scans: queue.SimpleQueue[Scan] = queue.SimpleQueue()
    events: queue.SimpleQueue[DeviceEvent] = queue.SimpleQueue()
    scanner = EvdevScanner("uinput", ScannerMatch(name="pi-pos test scanner*"), rescan_s=0.3)
    device = UInput(
        {ecodes.EV_KEY: keys}, name="pi-pos test scanner", vendor=0x05E0, product=0x1200
    )
    try:
        scanner.start(scans.put, events.put)
        deadline = time.monotonic() + 3
        while scanner.status().state != DeviceState.IDLE and time.monotonic() < deadline:
            time.sleep(0.05)
        assert scanner.status().state == DeviceState.IDLE
        type_scan(device, EAN)
        scan = scans.get(timeout=3)
        assert scan.data == EAN and scan.gtin == EAN
        device.close()  # unplug
        deadline = time.monotonic() + 3
        while scanner.status().state != DeviceState.OFFLINE and time.monotonic() < deadline:
            time.sleep(0.05)
        assert scanner.status().state == DeviceState.OFFLINE
        device = UInput({ecodes.EV_KEY: keys}, name="pi-pos test scanner")  # replug
        started = time.monotonic()
        while scanner.status().state != DeviceState.IDLE and time.monotonic() - started < 2:
            time.sleep(0.05)
        assert scanner.status().state == DeviceState.IDLE, "not back within 2 s"
    finally:
        scanner.close()
        device.close()
