"""The clock of a Pi: no battery, so after a power cut without network it can boot with
an old time. ``GuardedClock`` keeps the last time the till knew as a floor and never
answers earlier than it.

- At start the floor is the later of the stored floor and the last journal record; from
  then on it moves with the monotonic clock, so "expected" time is ``floor + elapsed``.
- System time behind the expected time (beyond ``TOLERANCE``): the clock is *not
  synchronised*; ``now()`` answers the expected time instead, so no sale is dated before
  the previous one, and the state is stored for health and the screen.
- System time jumping ahead of the expected time by more than ``JUMP`` while running
  (NTP arrived, someone set the time), or catching up after being behind: the correction
  is journaled as a ``clock_set`` event (from, to) and published to the fleet.
- The floor is stored at most once per ``REMEMBER_EVERY`` (sales move it for free).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, Protocol

from kiosk.domain.sale import iso_utc
from kiosk.ports import Clock

TOLERANCE = timedelta(seconds=2)
JUMP = timedelta(minutes=5)
REMEMBER_EVERY = timedelta(minutes=1)


class ClockFloorStore(Protocol):
    """What the guard needs from the ledger (``SqliteLedger`` implements it)."""

    def clock_floor(self) -> str | None: ...

    def remember_time(self, at: str, *, synchronised: bool) -> None: ...

    def record_event(
        self, kind: str, ref: str, payload: dict[str, Any], created_at: str, publish: bool = True
    ) -> None: ...


def _parse(stamp: str) -> datetime:
    return datetime.fromisoformat(stamp.replace("Z", "+00:00"))


class GuardedClock:
    """A ``kiosk.ports.Clock`` over another one that never goes back past its floor."""

    def __init__(
        self,
        clock: Clock,
        store: ClockFloorStore,
        *,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._clock = clock
        self._store = store
        self._monotonic = monotonic
        stored = store.clock_floor()
        # (wall time known, monotonic reading then); None until the first reading.
        self._anchor: tuple[datetime, float] | None = (
            (_parse(stored), monotonic()) if stored else None
        )
        self._live = False  # the anchor came from a reading in this run (jumps are real)
        self._remembered: datetime | None = None
        self.synchronised = True
        self.corrections = 0

    def expected(self) -> datetime | None:
        """The floor moved on by the time elapsed since it was known."""
        if self._anchor is None:
            return None
        wall, mono = self._anchor
        return wall + timedelta(seconds=self._monotonic() - mono)

    def now(self) -> datetime:
        raw = self._clock.now()
        expected = self.expected()
        if expected is not None and raw < expected - TOLERANCE:
            if self.synchronised:
                self.synchronised = False
                self._remember(expected, force=True)
            return expected.astimezone(raw.tzinfo)
        if expected is not None and (
            not self.synchronised or (self._live and raw > expected + JUMP)
        ):
            self._record_correction(expected, raw)
        self._anchor, self._live = (raw, self._monotonic()), True
        if not self.synchronised:
            self.synchronised = True
            self._remember(raw, force=True)
        else:
            self._remember(raw)
        return raw

    def status(self) -> dict[str, Any]:
        """For health and the screen: ``synchronised`` and the expected time."""
        expected = self.expected()
        return {
            "synchronised": self.synchronised,
            "expected": iso_utc(expected) if expected is not None else None,
            "corrections": self.corrections,
        }

    def _record_correction(self, expected: datetime, raw: datetime) -> None:
        self.corrections += 1
        payload = {
            "from": iso_utc(expected),
            "to": iso_utc(raw),
            "was_synchronised": self.synchronised,
        }
        self._store.record_event("clock_set", "clock", payload, iso_utc(raw))

    def _remember(self, at: datetime, *, force: bool = False) -> None:
        if not force and self._remembered is not None and at - self._remembered < REMEMBER_EVERY:
            return
        self._remembered = at
        self._store.remember_time(iso_utc(at), synchronised=self.synchronised)
