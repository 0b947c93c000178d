"""What ``kiosk devices`` lists: the configured devices with state, and what is plugged in."""

from __future__ import annotations

from typing import Any

from drivers.factory import UnavailableDevice
from kiosk.ports import DeviceSet


def devices_report(devices: DeviceSet) -> list[dict[str, Any]]:
    """One row per configured device: kind, name, state, reason, detail, simulated."""
    rows = []
    for device in devices.all():
        status = device.status()
        rows.append(
            {
                "kind": status.kind, "name": status.name, "state": status.state.value,
                "reason": status.reason, "detail": dict(status.detail),
                "simulated": devices.simulated,
                "available": not isinstance(device, UnavailableDevice),
            }
        )  # fmt: skip
    return rows


def detected_hardware() -> dict[str, list[dict[str, Any]]]:
    """Input devices and serial ports present now (for matching settings to hardware)."""
    found: dict[str, list[dict[str, Any]]] = {"input": [], "serial": []}
    try:
        import evdev

        for path in evdev.list_devices():
            try:
                device = evdev.InputDevice(path)
            except OSError:
                continue
            found["input"].append({"path": path, "name": device.name,
                                   "vendor_id": f"{device.info.vendor:04x}",
                                   "product_id": f"{device.info.product:04x}"})  # fmt: skip
            device.close()
    except (ImportError, OSError):
        pass
    from serial.tools import list_ports

    for port in list_ports.comports():
        found["serial"].append({"device": port.device, "description": port.description,
                                "hwid": port.hwid})  # fmt: skip
    return found


def format_report(rows: list[dict[str, Any]]) -> str:
    """A plain table for the terminal."""
    lines = [f"{'KIND':<14}{'NAME':<16}{'STATE':<9}REASON"]
    for row in rows:
        lines.append(f"{row['kind']:<14}{row['name']:<16}{row['state']:<9}{row['reason']}")
    return "\n".join(lines)
