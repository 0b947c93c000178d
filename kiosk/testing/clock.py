"""One clock that moves only when told, for tests, demo data and benchmarks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

DEFAULT_START = datetime(2026, 11, 27, 3, 0, tzinfo=UTC)  # 10:00 in Jakarta


class SettableClock:
    """A ``kiosk.ports.Clock`` (``now()``) and a monotonic source (call it) in one.

    Set ``at`` or ``advance(seconds)``; the monotonic reading follows ``at``, so a test
    that moves the wall clock moves idle timers and lockouts with it."""

    def __init__(self, at: datetime = DEFAULT_START) -> None:
        self.at = at

    def now(self) -> datetime:
        return self.at

    def advance(self, seconds: float) -> None:
        self.at += timedelta(seconds=seconds)

    def __call__(self) -> float:
        return self.at.timestamp()
