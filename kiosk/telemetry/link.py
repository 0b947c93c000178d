"""One fleet link per device, whichever process holds it: ``kiosk agent`` or the UI.

The link (the MQTT drain: outbox, status, health, fleet commands) belongs to the process
holding an exclusive ``flock`` on ``fleet-link.lock`` in the data directory; the kernel
drops the lock when that process ends, however it ends, so a crashed agent never blocks
the next one. The holder records what fleet commands changed in ``fleet-link.json``
(a change counter, the last change, the lane lock), written atomically; a process that
does not hold the link (the UI while the agent runs) follows that file with a
:class:`LinkFollower`, a small thread that polls it every ``POLL_S`` (well inside the
one second the UI has to pick up a price change or a lane lock) and calls the same
``on_change``/``on_lock`` callbacks the link would have called in-process.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from kiosk.ports import DeviceState, DeviceStatus

LOCK_FILE = "fleet-link.lock"
STATE_FILE = "fleet-link.json"
DEVICES_FILE = "fleet-devices.json"  # the till's device statuses, for the agent's health
POLL_S = 0.2
DEVICES_EVERY_S = 5.0


class LinkHeldError(RuntimeError):
    """Another process holds this device's fleet link."""


@dataclass
class LinkLock:
    """The held lock; ``release()`` (or the process ending) gives it up."""

    path: Path
    handle: TextIO | None

    def release(self) -> None:
        handle, self.handle = self.handle, None
        if handle is not None:
            fcntl.flock(handle, fcntl.LOCK_UN)
            handle.close()


def claim(data_dir: Path) -> LinkLock:
    """Take this device's link or raise :class:`LinkHeldError` naming the holder's pid."""
    path = Path(data_dir) / LOCK_FILE
    handle = path.open("a+", encoding="utf-8")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.seek(0)
        holder = handle.read().strip() or "?"
        handle.close()
        raise LinkHeldError(f"the fleet link of this device is held by process {holder}") from None
    handle.seek(0)
    handle.truncate()
    handle.write(str(os.getpid()))
    handle.flush()
    return LinkLock(path, handle)


def read_state(data_dir: Path) -> dict[str, Any]:
    try:
        state = json.loads((Path(data_dir) / STATE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"changes": 0, "last": "", "locks": 0, "lane_locked": False}
    return state if isinstance(state, dict) else {}


class LinkState:
    """What the link holder writes: each fleet change and lane lock, for the followers."""

    def __init__(self, data_dir: Path) -> None:
        self.path = Path(data_dir) / STATE_FILE
        self._lock = threading.Lock()
        self._state = read_state(data_dir)

    def changed(self, name: str) -> None:
        self._write(changes=int(self._state.get("changes", 0)) + 1, last=name)

    def set_lock(self, locked: bool) -> None:
        self._write(locks=int(self._state.get("locks", 0)) + 1, lane_locked=locked)

    def lane_locked(self) -> bool:
        return bool(self._state.get("lane_locked", False))

    def _write(self, **changes: Any) -> None:
        with self._lock:
            self._state = {**self._state, **changes}
            _write_atomically(self.path, self._state)


def _write_atomically(path: Path, value: Any) -> None:
    temp = path.with_suffix(".tmp")
    temp.write_text(json.dumps(value, sort_keys=True), encoding="utf-8")
    os.replace(temp, path)  # a reader never sees half a file


def read_devices(data_dir: Path) -> list[DeviceStatus]:
    """The device statuses the till last wrote (its devices are not the agent's to open);
    empty when there is no till or its file is older than a minute."""
    path = Path(data_dir) / DEVICES_FILE
    try:
        if time.time() - path.stat().st_mtime > 60:
            return []
        rows = json.loads(path.read_text(encoding="utf-8"))
        return [DeviceStatus(r["kind"], r["name"], DeviceState(r["state"]), r.get("reason", ""),
                             r.get("detail") or {}) for r in rows]  # fmt: skip
    except (OSError, ValueError, KeyError, TypeError):
        return []


class LinkFollower:
    """Polls the holder's state file; calls ``on_change(name)`` when the change counter
    moves and ``on_lock(locked)`` when the lock counter does (on its own thread)."""

    def __init__(
        self,
        data_dir: Path,
        on_change: Callable[[str], None] | None = None,
        on_lock: Callable[[bool], None] | None = None,
        devices: Callable[[], list[DeviceStatus]] | None = None,
    ) -> None:
        self.data_dir = Path(data_dir)
        self._on_change, self._on_lock, self._devices = on_change, on_lock, devices
        self._devices_at = 0.0
        start = read_state(self.data_dir)
        self._seen = (int(start.get("changes", 0)), int(start.get("locks", 0)))
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="fleet-link-follower",
                                        daemon=True)  # fmt: skip

    def start(self) -> LinkFollower:
        self._thread.start()
        return self

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        with contextlib.suppress(RuntimeError):
            self._thread.join(timeout)

    def _run(self) -> None:
        while not self._stop.wait(POLL_S):
            state = read_state(self.data_dir)
            changes, locks = int(state.get("changes", 0)), int(state.get("locks", 0))
            if changes != self._seen[0] and self._on_change is not None:
                self._on_change(str(state.get("last", "")))
            if locks != self._seen[1] and self._on_lock is not None:
                self._on_lock(bool(state.get("lane_locked", False)))
            self._seen = (changes, locks)
            if self._devices is not None and time.monotonic() - self._devices_at > DEVICES_EVERY_S:
                self._devices_at = time.monotonic()
                rows = [{"kind": d.kind, "name": d.name, "state": d.state, "reason": d.reason,
                         "detail": d.detail} for d in self._devices()]  # fmt: skip
                with contextlib.suppress(OSError, TypeError, ValueError):
                    _write_atomically(self.data_dir / DEVICES_FILE, rows)


def holder(data_dir: Path) -> str:
    """The pid written by the process that holds (or last held) the link, or "?"."""
    try:
        return (Path(data_dir) / LOCK_FILE).read_text(encoding="utf-8").strip() or "?"
    except OSError:
        return "?"


def wait_until_free(data_dir: Path, stop: threading.Event, on_wait: Callable[[str], None]) -> bool:
    """Block until no process holds the link (True) or ``stop`` is set (False);
    ``on_wait(pid)`` once when it has to wait."""
    told = False
    while not stop.is_set():
        try:
            claim(data_dir).release()
            return True
        except LinkHeldError:
            if not told:
                on_wait(holder(data_dir))
                told = True
        stop.wait(1.0)
    return False
