"""What the outbox drain counts over its life, and what it knows during one connection to
the broker: the publish window, rows read ahead, acks not yet marked, and when it last
looked whether the till had written (kiosk/telemetry/drain.py uses both)."""

from __future__ import annotations

import sqlite3
from collections import deque
from dataclasses import dataclass, field

from kiosk.storage import outbox


@dataclass
class DrainStats:
    published: int = 0  # outbox publishes, repeats included
    acked: int = 0  # rows marked sent
    sessions: int = 0  # successful CONNACKs
    connected: bool = False
    listening: bool = False  # the broker acknowledged the command subscriptions
    last_error: str = ""
    invalid: int = 0  # rows that failed schema validation (published anyway)
    yields: int = 0  # waits of drain.YIELD_S because the till had written


@dataclass
class DrainSession:
    window: int
    ready: bool = False  # CONNACK received
    ended: str = ""  # why the session must end
    inflight: dict[int, int] = field(default_factory=dict)  # mid -> outbox id
    buffer: deque[outbox.OutboxRow] = field(default_factory=deque)
    last_id: int = 0
    exhausted_at: float = -1.0  # monotonic time the outbox was last found empty
    acked: list[int] = field(default_factory=list)
    flushed_at: float = 0.0
    deferred_at: float = -1.0  # monotonic time the marks were first put off (-1: not)
    retry_at: float = 0.0
    data_version: int = -1  # PRAGMA data_version when the drain last looked (-1: never)
    unlooked: int = 0  # publishes since then

    def till_wrote(self, conn: sqlite3.Connection) -> bool:
        """Whether another connection committed since the drain last looked. It looks
        once per window of publishes and only with rows read ahead (a backlog), so a
        trickle of new sales goes out at once. The drain's own marks do not change
        ``data_version`` on its own connection ``conn``."""
        if self.unlooked < self.window or not self.buffer:
            return False
        self.unlooked = 0
        version = int(conn.execute("PRAGMA data_version").fetchone()[0])
        wrote = self.data_version >= 0 and version != self.data_version
        self.data_version = version
        return wrote
