"""The outbox drain: publishes unsent outbox rows in id order at QoS 1, marks them sent
on PUBACK, and keeps the device's retained status, health and command channel alive.

One thread, one SQLite connection, one paho client driven by ``client.loop()``: PUBACKs,
commands and our writes all happen on this thread, so nothing is shared but counters.

Why a fresh paho client per connection: paho keeps unacknowledged QoS 1 messages in
memory and re-sends them on reconnect. The outbox is the durable queue, so each session
starts clean and re-reads unsent rows from the oldest; anything delivered twice is
dropped by the fleet, which stores by message id.
"""

from __future__ import annotations

import contextlib
import json
import logging
import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

import paho.mqtt.client as mqtt

from kiosk.contract.messages import status_doc, utc_now_iso
from kiosk.contract.schemas import encode, quick_check, validate
from kiosk.storage import outbox
from kiosk.storage.db import is_busy, open_db, without_waiting
from kiosk.telemetry.backoff import Backoff
from kiosk.telemetry.drain_session import DrainSession, DrainStats
from kiosk.telemetry.mqtt_config import MqttConfig, connect, make_client

log = logging.getLogger(__name__)

READ_AHEAD = 500  # rows fetched per query
IDLE_POLL_S = 0.1  # how soon a new sale is noticed when the outbox was empty
# "Sent" marks are batched into one short write per second (or when all acks are in):
# a sale commit that meets the drain's write lock waits in SQLite's busy handler (1 ms,
# then 2, then 5...), so the fewer drain writes, the fewer slow sale commits. A crash
# loses at most a second of marks: those rows go out again and the fleet drops them.
ACK_FLUSH_S = 1.0
ACK_FLUSH_ROWS = 5000
# The marks never wait for the lock while the till writes: a busy lock puts them off by
# ACK_RETRY_S (sales are seconds apart, so they land at once on a real till); after
# ACK_MAX_DEFER_S of being put off they wait for it like any writer.
ACK_RETRY_S = 0.05
ACK_MAX_DEFER_S = 5.0
# The drain gives way to a till that is writing: when another connection has committed
# since the drain last looked (a sale, a basket saved at a scan), it waits this long
# before it publishes more. It looks once per window (max_inflight publishes), so a till
# selling back to back slows the drain (a window per wait) but never stops it.
# bench_drain, selling while a backlog drains (2 vCPUs, the broker beside the till):
# commit p99 2.07-3.04 ms without the wait, 1.46-2.48 ms with it, lower in each of
# seven pairs (docs/decisions/0011-the-drain-gives-way-to-the-till.md). A till's sales
# are seconds apart: a 20 ms wait after one is not seen.
YIELD_S = 0.02
CONNACK_TIMEOUT_S = 10.0

HealthSource = Callable[[sqlite3.Connection], dict[str, Any]]


class CommandSink(Protocol):
    """What the drain hands inbound commands to (see kiosk.telemetry.commands)."""

    def filters(self) -> tuple[str, ...]: ...

    def handle(self, conn: sqlite3.Connection, topic: str, payload: bytes) -> tuple[str, str]:
        """Apply one command; return ``(result topic, result payload)``."""
        ...


class OutboxDrain:
    """Run with :meth:`start` / :meth:`stop` (a thread) or :meth:`run_until_empty`."""

    def __init__(
        self,
        db_path: str | Path,
        config: MqttConfig,
        *,
        health: HealthSource | None = None,
        commands: CommandSink | None = None,
        announce: bool = True,
        persistent_session: bool = True,
        client_id: str | None = None,
        validate_payloads: str = "quick",
        backoff: Backoff | None = None,
    ) -> None:
        self.db_path = Path(db_path)
        self.config = config
        self.topics = config.topics
        self._health = health
        self._commands = commands
        self._announce = announce  # birth/will/offline on the retained status topic
        self._persistent = persistent_session
        self._client_id = client_id
        if validate_payloads not in ("quick", "full", "off"):
            raise ValueError(f"validate_payloads must be quick, full or off: {validate_payloads!r}")
        self._validate = validate_payloads
        self.backoff = backoff or Backoff(config.backoff_initial_s, config.backoff_max_s)
        self.stats = DrainStats()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._upto_id: int | None = None  # run_until_empty: ignore rows added later
        self._next_health = 0.0

    # --- lifecycle --------------------------------------------------------------------

    def start(self) -> OutboxDrain:
        self._thread = threading.Thread(target=self._run_forever, name="outbox-drain", daemon=True)
        self._thread.start()
        return self

    def stop(self, timeout: float = 5.0) -> None:
        """Publish the retained "offline", disconnect cleanly, end the thread."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)

    @property
    def alive(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def _run_forever(self) -> None:
        conn = open_db(self.db_path, migrate=False)
        try:
            while not self._stop.is_set():
                try:
                    self._session(conn, until_empty=False)
                except (OSError, sqlite3.Error) as exc:
                    self.stats.last_error = f"{type(exc).__name__}: {exc}"
                    log.warning("telemetry: %s (%s)", self.stats.last_error, self.config.describe())
                except Exception:  # the drain must outlive any bug in one session
                    log.exception("telemetry: session failed")
                    self.stats.last_error = "internal error (see log)"
                if not self._stop.is_set():
                    self._stop.wait(self.backoff.next_delay())
        finally:
            conn.close()

    def run_until_empty(self, timeout: float = 60.0) -> int:
        """Connect once, publish every row that is unsent now, wait for their PUBACKs,
        disconnect. Returns the number of rows marked sent. Raises ``OSError`` when the
        broker cannot be reached or drops/refuses us (``ConnectionError`` names why),
        ``TimeoutError`` when it does not finish in time."""
        conn = open_db(self.db_path)
        try:
            self._upto_id = outbox.newest_unsent_id(conn)
            before = self.stats.acked
            if self._upto_id:
                self._session(conn, until_empty=True, deadline=time.monotonic() + timeout)
            return self.stats.acked - before
        finally:
            conn.close()

    # --- one connection ---------------------------------------------------------------

    def _session(
        self, conn: sqlite3.Connection, *, until_empty: bool, deadline: float | None = None
    ) -> None:
        will = None
        if self._announce:
            offline = status_doc(self.config.store_id, self.config.device_id, "offline",
                                 reason="connection lost")  # fmt: skip
            will = (self.topics.status, encode(offline))
        client = make_client(self.config, client_id=self._client_id, will=will,
                             persistent_session=self._persistent)  # fmt: skip
        s = DrainSession(window=self.config.max_inflight)
        client.on_connect = lambda c, u, f, rc, props: self._on_connect(c, s, rc, props)
        client.on_publish = lambda c, u, mid, rc, props: self._on_publish(s, mid, rc)
        client.on_disconnect = lambda c, u, f, rc, props: self._on_disconnect(s, rc)
        client.on_subscribe = lambda c, u, mid, rcs, props: self._on_subscribe(rcs)
        if self._commands is not None:
            commands = self._commands
            client.on_message = lambda c, u, msg: self._on_command(c, conn, commands, msg)
        connect(client, self.config, persistent_session=self._persistent)
        try:
            self._pump(client, conn, s, until_empty, deadline)
        finally:
            self._flush(conn, s, force=True)
            if s.inflight:
                outbox.record_attempt(conn, s.inflight.values())
            self.stats.connected = self.stats.listening = False
            if s.ready and not s.ended:
                self._goodbye(client)
            client.disconnect()
            client.loop(timeout=0.05)  # lets paho close the socket

    def _pump(
        self,
        client: mqtt.Client,
        conn: sqlite3.Connection,
        s: DrainSession,
        until_empty: bool,
        deadline: float | None,
    ) -> None:
        connack_by = time.monotonic() + CONNACK_TIMEOUT_S
        while not self._stop.is_set() and not s.ended:
            busy = s.ready and len(s.inflight) < s.window and bool(s.buffer or not self._idle(s))
            rc = client.loop(timeout=0.0 if busy else 0.02)
            if rc != mqtt.MQTT_ERR_SUCCESS and not s.ended:
                s.ended = f"connection lost ({mqtt.error_string(rc)})"
            if not s.ready or s.ended:
                if not s.ready and time.monotonic() > min(connack_by, deadline or connack_by):
                    raise TimeoutError("broker did not answer CONNECT in time")
                continue
            if s.till_wrote(conn):
                self.stats.yields += 1
                self._stop.wait(YIELD_S)
            self._fill_window(client, conn, s)
            self._flush(conn, s)
            if self._health is not None and not until_empty:
                self._maybe_publish_health(client, conn)
            if until_empty and not s.inflight and not s.buffer and self._idle(s):
                return
            if deadline is not None and time.monotonic() > deadline:
                raise TimeoutError(f"drain did not finish in time ({len(s.inflight)} unacked)")
        if s.ended:
            self.stats.last_error = s.ended
            raise ConnectionError(s.ended)

    def _idle(self, s: DrainSession) -> bool:
        return s.exhausted_at >= 0 and time.monotonic() - s.exhausted_at < IDLE_POLL_S

    def _fill_window(self, client: mqtt.Client, conn: sqlite3.Connection, s: DrainSession) -> None:
        while len(s.inflight) < s.window:
            if not s.buffer:
                if self._idle(s):
                    return
                rows = outbox.pending(conn, limit=READ_AHEAD, after_id=s.last_id)
                if self._upto_id is not None:
                    rows = [r for r in rows if r.id <= self._upto_id]
                if not rows:
                    s.exhausted_at = time.monotonic()
                    return
                s.exhausted_at = -1.0
                s.buffer.extend(rows)
                s.last_id = rows[-1].id
            row = s.buffer.popleft()
            if self._validate != "off":
                self._check_row(row)
            info = client.publish(self.topics.of(row.topic), row.payload, qos=1)
            if info.rc != mqtt.MQTT_ERR_SUCCESS:
                s.ended = f"publish failed ({mqtt.error_string(info.rc)})"
                return
            s.inflight[info.mid] = row.id
            s.unlooked += 1
            self.stats.published += 1

    def _check_row(self, row: outbox.OutboxRow) -> None:
        # Never hold a row back: a row that fails here is a bug upstream; the fleet keeps
        # it as rejected with the raw payload, where it can be repaired. Dropping it or
        # blocking everything behind it would both lose sales.
        if self._validate == "quick":
            errors = quick_check(row.topic, row.payload)
        else:
            try:
                errors = validate(row.topic, json.loads(row.payload))
            except ValueError as exc:
                errors = [f"not JSON: {exc}"]
        if errors:
            self.stats.invalid += 1
            log.error("telemetry: outbox row %s (%s) fails its schema: %s",
                      row.id, row.topic, "; ".join(errors[:3]))  # fmt: skip

    def _flush(self, conn: sqlite3.Connection, s: DrainSession, *, force: bool = False) -> None:
        if not s.acked:
            return
        now = time.monotonic()
        all_in = not s.inflight and not s.buffer
        if not (force or all_in or len(s.acked) >= ACK_FLUSH_ROWS
                or now - s.flushed_at >= ACK_FLUSH_S):  # fmt: skip
            return
        wait = force or (s.deferred_at >= 0 and now - s.deferred_at >= ACK_MAX_DEFER_S)
        if not wait and now < s.retry_at:
            return
        try:
            with contextlib.nullcontext(conn) if wait else without_waiting(conn):
                marked = outbox.mark_sent(conn, s.acked, utc_now_iso())
        except sqlite3.OperationalError as exc:
            if wait or not is_busy(exc):
                raise
            s.retry_at = now + ACK_RETRY_S  # the till is writing: never queue behind a sale
            if s.deferred_at < 0:
                s.deferred_at = now
            return
        self.stats.acked += marked
        s.acked, s.flushed_at, s.deferred_at = [], now, -1.0

    # --- callbacks (run inside client.loop on this thread) ----------------------------

    def _on_connect(self, client: mqtt.Client, s: DrainSession, rc: Any, props: Any) -> None:
        if rc.is_failure:
            s.ended = f"broker refused the connection: {rc}"
            return
        receive_max = getattr(props, "ReceiveMaximum", None) if props is not None else None
        if receive_max:
            s.window = max(1, min(s.window, int(receive_max)))
        s.ready = True
        self.stats.sessions += 1
        self.stats.connected = True
        self.backoff.reset()
        log.info("telemetry: connected to %s (window %d)", self.config.describe(), s.window)
        if self._announce:
            online = status_doc(self.config.store_id, self.config.device_id, "online",
                                at=utc_now_iso(), version=self.config.version)  # fmt: skip
            client.publish(self.topics.status, encode(online), qos=1, retain=True)
        if self._commands is not None:
            client.subscribe([(f, 1) for f in self._commands.filters()])
        self._next_health = 0.0  # report health right after (re)connecting

    def _on_publish(self, s: DrainSession, mid: int, rc: Any) -> None:
        row_id = s.inflight.pop(mid, None)
        if row_id is None:
            return  # status, health or a command result
        if rc.is_failure:
            # e.g. "Not authorized": the broker did not take the message. Keep the row
            # and reconnect later; the error is in the log and the health report.
            s.ended = f"broker refused outbox row {row_id}: {rc}"
            return
        s.acked.append(row_id)

    def _on_subscribe(self, reason_codes: list[Any]) -> None:
        refused = [str(rc) for rc in reason_codes if rc.is_failure]
        if refused:  # e.g. the ACL does not let this device read its commands
            log.error("telemetry: command subscription refused: %s", ", ".join(refused))
        self.stats.listening = not refused

    def _on_disconnect(self, s: DrainSession, rc: Any) -> None:
        if not s.ended:
            s.ended = f"disconnected: {rc}"

    def _on_command(
        self, client: mqtt.Client, conn: sqlite3.Connection, sink: CommandSink, msg: Any
    ) -> None:
        try:
            topic, payload = sink.handle(conn, msg.topic, msg.payload)
        except Exception:
            log.exception("telemetry: command on %s failed", msg.topic)
            return
        client.publish(topic, payload, qos=1)

    def _maybe_publish_health(self, client: mqtt.Client, conn: sqlite3.Connection) -> None:
        now = time.monotonic()
        if self._health is None or now < self._next_health:
            return
        self._next_health = now + self.config.health_interval_s
        try:
            doc = self._health(conn)
        except Exception:
            log.exception("telemetry: health collection failed")
            return
        client.publish(self.topics.health, encode(doc), qos=1, retain=True)

    def _goodbye(self, client: mqtt.Client) -> None:
        """Graceful stop: a clean DISCONNECT suppresses the will, so say "offline" first."""
        if not self._announce:
            return
        offline = status_doc(self.config.store_id, self.config.device_id, "offline",
                             at=utc_now_iso(), reason="shutdown")  # fmt: skip
        info = client.publish(self.topics.status, encode(offline), qos=1, retain=True)
        deadline = time.monotonic() + 2.0
        while not info.is_published() and time.monotonic() < deadline:
            if client.loop(timeout=0.05) != mqtt.MQTT_ERR_SUCCESS:
                break
