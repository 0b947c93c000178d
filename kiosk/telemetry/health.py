"""The periodic ``health`` document: devices, outbox backlog, disk, CPU temperature,
uptime and software version (schema in docs/messages.md). ``detail.disk`` says whether
free space is below the threshold (an alert is raised once), ``detail.clock`` whether the
till's clock is synchronised (false while it is behind the last time the till knew; an
alert is raised once, and cleared when it is right again)."""

from __future__ import annotations

import json
import logging
import sqlite3
import time
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from kiosk.contract.schemas import require
from kiosk.domain.sale import iso_utc
from kiosk.ports import DeviceStatus
from kiosk.storage import clock_floor, outbox, stock_and_alerts
from kiosk.storage.disk_space import DEFAULT_MIN_FREE_MB, MB, DiskWatch

log = logging.getLogger(__name__)

DeviceStatusProvider = Callable[[], Iterable[DeviceStatus]]
THERMAL_ZONE = Path("/sys/class/thermal/thermal_zone0/temp")


def cpu_temperature_c(path: Path = THERMAL_ZONE) -> float | None:
    """Millidegrees from sysfs -> degrees C; None where there is no thermal zone."""
    try:
        return round(int(path.read_text().strip()) / 1000, 1)
    except (OSError, ValueError):
        return None


def system_uptime_s(path: Path = Path("/proc/uptime")) -> int | None:
    try:
        return int(float(path.read_text().split()[0]))
    except (OSError, ValueError, IndexError):
        return None


def _device_doc(status: DeviceStatus) -> dict[str, Any]:
    # detail comes from drivers; force it through JSON so one odd value cannot break health
    detail = json.loads(json.dumps(dict(status.detail), default=str))
    return {"kind": status.kind, "name": status.name, "state": status.state.value,
            "reason": status.reason, "detail": detail}  # fmt: skip


class HealthCollector:
    """Callable ``(conn) -> health document``; the drain calls it on its own thread with
    its own connection. ``device_status`` must be safe to call from that thread (return
    a snapshot; do not touch Kivy)."""

    def __init__(
        self,
        store_id: str,
        device_id: str,
        version: str,
        device_status: DeviceStatusProvider | None = None,
        *,
        disk_path: str | Path = "/",
        min_free_bytes: int = DEFAULT_MIN_FREE_MB * MB,
        thermal_path: Path = THERMAL_ZONE,
        lane_locked: Callable[[], bool] | None = None,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.store_id, self.device_id, self.version = store_id, device_id, version
        self._device_status = device_status
        # Low free space raises one alert (kiosk.storage.disk_space) and shows in detail.disk.
        self.disk = DiskWatch(disk_path, store_id=store_id, device_id=device_id,
                              min_free_bytes=min_free_bytes)  # fmt: skip
        self._thermal_path = thermal_path
        self._lane_locked = lane_locked
        self._now = now
        # Set by whoever runs the drain: its link counters (sessions, last error) so the
        # fleet sees a kiosk that keeps reconnecting, not only one that is offline.
        self.link: Callable[[], dict[str, Any]] | None = None
        self._started = time.monotonic()
        self._clock_alert_id: str | None = None  # the open clock alert, if any

    def __call__(self, conn: sqlite3.Connection) -> dict[str, Any]:
        now = self._now()
        depth, oldest = outbox.depth(conn)
        age = None
        if oldest is not None:
            try:
                age = max(0, int((now - datetime.fromisoformat(oldest)).total_seconds()))
            except ValueError:
                age = None
        disk = self.disk.check(conn, iso_utc(now))
        synchronised = clock_floor.synchronised(conn)
        self._clock_alert(conn, iso_utc(now), synchronised is not False)
        doc: dict[str, Any] = {
            "schema": 1, "at": iso_utc(now), "store_id": self.store_id,
            "device_id": self.device_id, "version": self.version,
            "uptime_s": int(time.monotonic() - self._started),
            "devices": self._devices(),
            "outbox": {"depth": depth, "oldest_created_at": oldest, "oldest_age_s": age},
            "disk_free_bytes": disk.free_bytes, "disk_total_bytes": disk.total_bytes,
            "cpu_temp_c": cpu_temperature_c(self._thermal_path),
            "detail": {"system_uptime_s": system_uptime_s(), "disk": disk.as_detail(),
                       "clock": {"synchronised": synchronised}},
        }  # fmt: skip
        if self.link is not None:
            doc["detail"]["link"] = self.link()
        if self._lane_locked is not None:
            doc["lane_locked"] = bool(self._lane_locked())
        return require("health", doc)

    def _clock_alert(self, conn: sqlite3.Connection, at: str, synchronised: bool) -> None:
        """One ``clock_not_synchronised`` alert while the clock is behind the last time the
        till knew, cleared when it is right again (as the disk's)."""
        if synchronised == (self._clock_alert_id is None):
            return
        text = "clock synchronised again" if synchronised else (
            "clock not synchronised: it is behind the last time the till knew; sales keep "
            "that time until it is set")  # fmt: skip
        detail = {"clears": self._clock_alert_id} if synchronised else {}
        try:
            raised = stock_and_alerts.raise_alert(
                conn, store_id=self.store_id, device_id=self.device_id,
                kind="clock_not_synchronised", message=text, at=at,
                severity="info" if synchronised else "warning", detail=detail,
                cleared=synchronised,
            )  # fmt: skip
        except sqlite3.OperationalError:
            return  # e.g. the disk is full: tried again at the next health report
        self._clock_alert_id = None if synchronised else raised

    def _devices(self) -> list[dict[str, Any]]:
        if self._device_status is None:
            return []
        try:
            return [_device_doc(status) for status in self._device_status()]
        except Exception:  # a broken driver must not silence health
            log.exception("telemetry: device status provider failed")
            return [{"kind": "kiosk", "name": "device-status", "state": "error",
                     "reason": "device status unavailable", "detail": {}}]  # fmt: skip
