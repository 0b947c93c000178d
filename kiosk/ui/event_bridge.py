"""The one place where driver threads hand events to the Kivy main thread.

Scanner, card-terminal and device threads call ``post`` (thread-safe, never blocks). The
main thread calls ``drain`` once per frame; ``SimpleQueue.get_nowait`` removes each event
as it hands it out, so every event is applied exactly once, in arrival order, and an
event posted while the UI is busy simply waits in the queue for the next frame.
"""

from __future__ import annotations

import itertools
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from kiosk.ports import DeviceEvent


@dataclass(frozen=True)
class UiEvent:
    kind: str  # "scan" | "device" | "card_result" | "call"
    payload: Any
    seq: int = 0
    posted_at: float = 0.0
    meta: dict[str, Any] = field(default_factory=dict)


class EventBridge:
    def __init__(self, clock: Callable[[], float] | None = None) -> None:
        self._queue: queue.SimpleQueue[UiEvent] = queue.SimpleQueue()
        self._seq = itertools.count(1)
        self._seq_lock = threading.Lock()
        self._clock = clock or (lambda: 0.0)
        self.last_applied = 0

    def post(self, kind: str, payload: Any, **meta: Any) -> int:
        with self._seq_lock:
            seq = next(self._seq)
            self._queue.put(UiEvent(kind, payload, seq, self._clock(), meta))
        return seq

    def device_listener(self, event: DeviceEvent) -> None:
        """A ``DeviceListener``: device events from driver threads reach the UI here."""
        self.post("device", event)

    def pending(self) -> int:
        return self._queue.qsize()

    def drain(self, handle: Callable[[UiEvent], None], limit: int = 100) -> int:
        """Apply up to ``limit`` queued events on the calling (main) thread.

        A handler that raises does not lose the following events: they stay queued for
        the next drain, and the failing one is not retried (it was applied once)."""
        applied = 0
        while applied < limit:
            try:
                event = self._queue.get_nowait()
            except queue.Empty:
                break
            self.last_applied = event.seq
            applied += 1
            handle(event)
        return applied
