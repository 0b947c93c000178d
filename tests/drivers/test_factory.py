from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from drivers.device_list import detected_hardware, devices_report, format_report
from drivers.factory import DEFAULT_PINS, UnavailableDevice, build_devices, is_simulated
from drivers.receipt_render import RenderOptions, render_bytes
from kiosk.domain.receipt import build_receipt
from kiosk.ports import DeviceError, DeviceEvent, Scan
from kiosk.testing.sales import sample_sale


def test_simulated_devices_all_work_together() -> None:
    events: list[DeviceEvent] = []
    devices = build_devices(
        {"hardware": "simulated", "printer": {"paper": "58mm"}}, on_event=events.append
    )
    try:
        assert devices.simulated
        scans: list[Scan] = []
        devices.scanners[0].start(scans.append, events.append)
        devices.scanners[0].scan("4006381333931")
        assert scans[0].gtin == "4006381333931"
        doc = build_receipt(sample_sale(2), header=["TOKO"], footer=[])
        devices.printer.print_document(doc)
        assert devices.printer.wait_idle(5)
        assert devices.twins["printer_connection"].output == render_bytes(
            doc, RenderOptions(columns=32)
        )
        devices.drawer.open("cash sale")
        assert devices.drawer.openings[0].reason == "cash sale"
        pins = devices.twins["pin_factory"]  # the MockFactory the lights were built on
        green, amber, red = (pins.pin(n) for n in DEFAULT_PINS.values())
        devices.lights.show("error")
        assert (green.state, amber.state, red.state) == (False, False, True)
        devices.lights.show("ready")
        assert (green.state, amber.state, red.state) == (True, False, False)
        devices.display.show_lines("Hello", "World")
        assert devices.twins["display_screen"].lines[0].startswith("Hello")
        assert devices.card_terminal.sale(1000, "X1").outcome == "approved"
        devices.twins["scale_peer"].place(750)  # the demo sells fruit by weight
        assert devices.scale is not None and devices.scale.weigh().grams == 750
        rows = devices_report(devices)
        assert {r["kind"] for r in rows} == {
            "scanner",
            "printer",
            "drawer",
            "lights",
            "display",
            "card_terminal",
            "scale",
        }
        assert all(r["available"] for r in rows)
        json.dumps(rows)  # `kiosk devices --json`
        assert "printer" in format_report(rows)
    finally:
        devices.close()


def test_missing_and_broken_hardware_never_stops_the_kiosk(tmp_path: Path) -> None:
    events: list[DeviceEvent] = []
    settings = {
        "hardware": "real",
        "scanners": [
            {"name": "s1", "type": "laser"},
            {"name": "s2", "type": "serial", "port": str(tmp_path / "ttyNONE")},
        ],
        "printer": {"connection": "network", "host": "127.0.0.1", "port": 1, "timeout": 0.2},
        "drawer": {"via": "printer", "pulse_ms": 100},
        "display": {"port": str(tmp_path / "no-display")},
        "card_terminal": {"port": str(tmp_path / "no-edc")},
        "lights": {"pins": {"green": 5}, "table": {"party": {}}},
    }
    devices = build_devices(settings, on_event=events.append)
    try:
        rows = {r["name"]: r for r in devices_report(devices)}
        assert "unknown type 'laser'" in rows["s1"]["reason"]
        assert rows["lights"]["state"] == "error" and "party" in rows["lights"]["reason"]
        assert not rows["display"]["available"] and not rows["card_terminal"]["available"]
        assert devices.card_terminal.sale(1000, "r").outcome == "error"
        devices.display.show_lines("a", "b")  # a missing display is shown, not fatal
        assert devices.printer.wait_idle(1)
        assert wait_for(lambda: devices.printer.status().state.value == "offline")
    finally:
        devices.close()
    assert any(e.kind == "display" for e in events)


def wait_for(condition, timeout: float = 3.0) -> bool:  # type: ignore[no-untyped-def]
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.01)
    return False


def test_unavailable_device_port_methods_are_safe() -> None:
    device = UnavailableDevice("printer", "printer", "no printer configured")
    with pytest.raises(DeviceError, match="printer unavailable: no printer configured"):
        device.print_document(object())
    assert device.sale(1000, "r").outcome == "error"
    assert device.is_open() is None


def test_printer_out_writes_exact_bytes(tmp_path: Path) -> None:
    out = tmp_path / "printer.bin"
    devices = build_devices({"printer": {"paper": "80mm"}}, simulated=True, printer_out=str(out))
    doc = build_receipt(sample_sale(3), header=["TOKO"], footer=[])
    devices.printer.print_document(doc)
    devices.close()
    assert out.read_bytes() == render_bytes(doc, RenderOptions(columns=48))


def test_env_picks_simulated(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KIOSK_HARDWARE", "simulated")
    assert is_simulated({"hardware": "real"})
    monkeypatch.setenv("KIOSK_HARDWARE", "real")
    assert not is_simulated({"hardware": "simulated"})
    monkeypatch.delenv("KIOSK_HARDWARE")
    assert is_simulated({"hardware": "simulated"})
    assert not is_simulated({"hardware": "simulated"}, simulated=False)


def test_detected_hardware_lists_without_failing() -> None:
    found = detected_hardware()
    assert set(found) == {"input", "serial"}
