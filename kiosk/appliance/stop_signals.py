"""SIGTERM (systemd's stop) and SIGINT (Ctrl-C) as a request to stop cleanly.

A signal handler runs on the main thread between two bytecodes, wherever the program
happens to be: in the middle of a sale's commit, of a Kivy callback, of a replay step.
So by default it only notes the request, and the running loop looks at ``received`` at
its next safe point (between frames, between script lines) and winds down from there:
the open basket is already on disk, the telemetry link says "offline", exit 0.

``interrupt=True`` is for work that has no loop of ours to look (``kiosk sync`` inside
the drain): the first signal raises ``StopRequested`` there, as Ctrl-C would; every
write on that path is a transaction that rolls back on it.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterable, Iterator
from types import FrameType, TracebackType
from typing import Any, TypeVar

STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)
T = TypeVar("T")


class StopRequested(BaseException):  # like KeyboardInterrupt: not an error
    """Raised by ``StopSignals(interrupt=True)`` on the first stop signal."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


class StopSignals:
    """``with StopSignals() as stop:`` ... ``if stop.received: ...``."""

    def __init__(self, *, interrupt: bool = False) -> None:
        self.received = 0  # the first stop signal's number; 0: none yet
        self._interrupt = interrupt
        self._previous: dict[int, Any] = {}

    @property
    def name(self) -> str:
        return signal.Signals(self.received).name if self.received else ""

    def __enter__(self) -> StopSignals:
        if threading.current_thread() is threading.main_thread():
            for signum in STOP_SIGNALS:
                self._previous[signum] = signal.signal(signum, self._note)
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        for signum, handler in self._previous.items():
            signal.signal(signum, handler)
        self._previous.clear()

    def _note(self, signum: int, _frame: FrameType | None) -> None:
        if self.received:
            return  # already stopping: a second signal does not cut the clean-up short
        self.received = signum
        if self._interrupt:
            raise StopRequested(signum)

    def until_stopped(self, items: Iterable[T]) -> Iterator[T]:
        """``items`` one by one, ending early once a stop signal has arrived."""
        for item in items:
            if self.received:
                return
            yield item
