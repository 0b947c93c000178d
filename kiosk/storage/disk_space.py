"""Free space under the data directory, watched long before a sale could fail.

A sale needs about 100 KB of WAL until the next checkpoint and a few KB of database for
good; a full SD card stops the till. Below ``min_free_bytes`` (setting
``disk.min_free_mb``, default 512 MB: weeks of sales) the till warns: health carries
``detail.disk.low``, the screen can ask :meth:`DiskWatch.status`, and one alert is raised
for the fleet; it is cleared once free space is back 10% above the threshold (so a value
hovering at the line does not alert on every check).
"""

from __future__ import annotations

import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kiosk.storage import stock_and_alerts

DEFAULT_MIN_FREE_MB = 512
MB = 1024 * 1024
CLEAR_MARGIN = 1.1
ALERT_KIND = CONDITION = "disk_low"  # the alert's kind, also kept in ``detail.condition``


@dataclass(frozen=True)
class DiskSpace:
    free_bytes: int | None  # None when the path cannot be measured
    total_bytes: int | None
    min_free_bytes: int

    @property
    def low(self) -> bool:
        return self.free_bytes is not None and self.free_bytes < self.min_free_bytes

    def as_detail(self) -> dict[str, Any]:
        return {"free_bytes": self.free_bytes, "min_free_bytes": self.min_free_bytes,
                "low": self.low}  # fmt: skip


def measure(path: str | Path, min_free_bytes: int) -> DiskSpace:
    try:
        usage = shutil.disk_usage(path)
    except OSError:
        return DiskSpace(None, None, min_free_bytes)
    return DiskSpace(int(usage.free), int(usage.total), min_free_bytes)


class DiskWatch:
    """Measures the data directory's file system and alerts once per low-space episode."""

    def __init__(
        self,
        path: str | Path,
        *,
        store_id: str,
        device_id: str,
        min_free_bytes: int = DEFAULT_MIN_FREE_MB * MB,
    ) -> None:
        self.path = Path(path)
        self.min_free_bytes = min_free_bytes
        self._origin = {"store_id": store_id, "device_id": device_id}
        self.alert_id: str | None = None  # the open alert, if any
        self.last: DiskSpace | None = None

    def status(self) -> DiskSpace:
        """Measure now (cheap: one statvfs); the screen's "disk space low" line."""
        self.last = measure(self.path, self.min_free_bytes)
        return self.last

    def check(self, conn: sqlite3.Connection, at: str) -> DiskSpace:
        """Measure, and raise or clear the alert on ``conn`` when the state changes. An
        alert that cannot be written (the disk is full) is tried at the next check."""
        space = self.status()
        try:
            if space.low and self.alert_id is None:
                self.alert_id = self._alert(conn, at, space, cleared=False)
            elif (
                self.alert_id is not None
                and space.free_bytes is not None
                and (space.free_bytes >= self.min_free_bytes * CLEAR_MARGIN)
            ):
                self._alert(conn, at, space, cleared=True)
                self.alert_id = None
        except sqlite3.OperationalError:
            pass  # e.g. "database or disk is full": health still reports the state
        return space

    def _alert(self, conn: sqlite3.Connection, at: str, space: DiskSpace, *, cleared: bool) -> str:
        free_mb = (space.free_bytes or 0) // MB
        message = (
            f"disk space back to {free_mb} MB free"
            if cleared
            else f"disk space low: {free_mb} MB free, below {self.min_free_bytes // MB} MB"
        )
        detail = {"condition": CONDITION, "path": str(self.path), **space.as_detail()}
        if cleared:
            detail["clears"] = self.alert_id
        return stock_and_alerts.raise_alert(
            conn, **self._origin, kind=ALERT_KIND, message=message, at=at,
            severity="info" if cleared else "warning", detail=detail, cleared=cleared,
        )  # fmt: skip
