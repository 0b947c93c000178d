"""Tells systemd the till is up, and feeds its watchdog from Kivy's main loop.

The ping is a Clock interval, so it runs only while frames are being processed: a UI
blocked in a callback (frozen) stops pinging and systemd restarts it; a busy UI still
reaches the next frame and keeps pinging.
"""

from __future__ import annotations

import json
import logging
import os
import time
from pathlib import Path
from typing import Any

from kivy.clock import Clock

from kiosk import __version__
from kiosk.appliance.files import write_atomically
from kiosk.appliance.sd_notify import Notifier

log = logging.getLogger(__name__)


class SystemdLink:
    def __init__(self, notifier: Notifier | None = None) -> None:
        self.notifier = notifier or Notifier()
        self._pinger: Any = None  # the Clock event, held here: Kivy holds callbacks weakly

    def _ping(self, _dt: float) -> None:
        self.notifier.watchdog()

    def ready(self, status: str = "ready to scan") -> None:
        """Once the first till frame is on screen: READY=1, then watchdog pings; and the
        ready file `kiosk update` waits for (the version that came up)."""
        self.notifier.ready(status)
        write_ready_file(os.environ.get("KIOSK_READY_FILE", ""), status)
        interval = self.notifier.watchdog_interval()
        if interval is not None and self._pinger is None:
            self.notifier.watchdog()
            self._pinger = Clock.schedule_interval(self._ping, interval)

    def stopping(self) -> None:
        if self._pinger is not None:
            self._pinger.cancel()
            self._pinger = None
        self.notifier.stopping()


def write_ready_file(path: str, status: str) -> None:
    if not path:
        return
    doc = {"version": __version__, "pid": os.getpid(), "status": status, "at": time.time()}
    try:
        write_atomically(Path(path), json.dumps(doc) + "\n", mode=0o644)
    except OSError as error:  # the till runs on; only an update's health check waits for it
        log.warning("ready file %s: %s", path, error)


LINK = SystemdLink()
