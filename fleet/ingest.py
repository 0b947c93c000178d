"""Fleet ingest: kiosks' ``sale`` messages -> SQLite, exactly once by sale id.

Subscribes with a persistent session so the broker queues sales while the worker is
away, including across a broker restart when the broker has persistence on. Several
workers can split the load with ``group="fleet"`` (``$share/fleet/pos/v1/+/+/sale``),
but measured on mosquitto 2.0.11: a shared subscription of an offline session is NOT
restored after a broker restart (a plain one is), so sales PUBACK'd by the broker before
the workers resubscribe would be lost. Hence one worker with a plain subscription is the
default. A message is acknowledged (paho sends PUBACK after
``on_message`` returns) only after its row is committed, and ``INSERT OR IGNORE`` on the
sale id makes the kiosk's at-least-once delivery exactly once here. Documents that fail
their schema are kept verbatim in ``rejected`` rather than dropped.

The PostgreSQL store of the full fleet service will replace the SQLite file; the
protocol side (subscription, ack after commit, dedup key) stays as it is here.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
from pathlib import Path
from typing import Any

import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties

from kiosk.contract import topics
from kiosk.contract.messages import utc_now_iso
from kiosk.contract.schemas import validate

log = logging.getLogger(__name__)

SCHEMA = """
CREATE TABLE IF NOT EXISTS sales (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,  -- arrival order of first delivery
    sale_id     TEXT NOT NULL UNIQUE,
    store_id    TEXT NOT NULL,
    device_id   TEXT NOT NULL,
    receipt_no  INTEGER NOT NULL,
    total       INTEGER NOT NULL,
    created_at  TEXT NOT NULL,
    received_at TEXT NOT NULL,
    body        TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS rejected (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    topic       TEXT NOT NULL,
    payload     BLOB NOT NULL,
    errors      TEXT NOT NULL,
    received_at TEXT NOT NULL
);
"""
SALE_FILTER = f"{topics.ROOT}/+/+/sale"


def open_store(path: str | Path) -> sqlite3.Connection:
    conn = sqlite3.connect(str(path), isolation_level=None, timeout=5, check_same_thread=False)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.executescript(SCHEMA)
    return conn


def store_sale(conn: sqlite3.Connection, topic: str, payload: bytes) -> str:
    """Store one delivery; returns "new", "duplicate" or "rejected"."""
    now = utc_now_iso()
    try:
        doc: Any = json.loads(payload)
        errors = validate("sale", doc)
    except (ValueError, UnicodeDecodeError) as exc:
        doc, errors = None, [f"not JSON: {exc}"]
    parsed = topics.parse(topic)
    if not errors and (parsed is None or (parsed.store_id, parsed.device_id)
                       != (doc["store_id"], doc["device_id"])):  # fmt: skip
        errors = [f"topic {topic} does not match the sale's store/device"]
    if errors:
        conn.execute(
            "INSERT INTO rejected(topic, payload, errors, received_at) VALUES (?, ?, ?, ?)",
            (topic, payload, json.dumps(errors), now),
        )
        return "rejected"
    cursor = conn.execute(
        "INSERT OR IGNORE INTO sales(sale_id, store_id, device_id, receipt_no, total,"
        " created_at, received_at, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (doc["sale_id"], doc["store_id"], doc["device_id"], doc.get("receipt_no", 0),
         doc["total"], doc["created_at"], now, payload.decode("utf-8")),
    )  # fmt: skip
    return "new" if cursor.rowcount == 1 else "duplicate"


class SaleIngest:
    """``start()`` connects and consumes on paho's thread; ``stop()`` disconnects."""

    def __init__(
        self,
        db_path: str | Path,
        host: str,
        port: int,
        *,
        client_id: str = "fleet-ingest-1",
        group: str = "",
        username: str = "",
        password: str = "",
        ca_file: str = "",
        session_expiry_s: int = 7 * 24 * 3600,
        reconnect_max_s: int = 30,
    ) -> None:
        self.db_path = Path(db_path)
        self.host, self.port = host, port
        self.filter = f"$share/{group}/{SALE_FILTER}" if group else SALE_FILTER
        self.counts = {"new": 0, "duplicate": 0, "rejected": 0}
        self.subscribed = threading.Event()
        self._conn = open_store(self.db_path)
        self._lock = threading.Lock()
        self._session_expiry_s = session_expiry_s
        self.client = mqtt.Client(
            CallbackAPIVersion.VERSION2, client_id=client_id, protocol=mqtt.MQTTv5
        )
        if username:
            self.client.username_pw_set(username, password or None)
        if ca_file:
            self.client.tls_set(ca_certs=ca_file)
        self.client.reconnect_delay_set(min_delay=1, max_delay=reconnect_max_s)
        self.client.on_connect = self._on_connect
        self.client.on_subscribe = self._on_subscribe
        self.client.on_message = self._on_message

    def start(self) -> SaleIngest:
        props = Properties(PacketTypes.CONNECT)  # type: ignore[no-untyped-call]
        props.SessionExpiryInterval = self._session_expiry_s
        self.client.connect_async(self.host, self.port, clean_start=False, properties=props)
        self.client.loop_start()
        return self

    def stop(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()
        with self._lock:
            self._conn.close()

    def _on_connect(
        self, client: mqtt.Client, userdata: Any, flags: Any, rc: Any, props: Any
    ) -> None:
        if rc.is_failure:
            log.error("fleet ingest: broker refused connection: %s", rc)
            return
        client.subscribe(self.filter, qos=1)

    def _on_subscribe(
        self, client: mqtt.Client, userdata: Any, mid: int, rcs: Any, props: Any
    ) -> None:
        if all(not rc.is_failure for rc in rcs):
            self.subscribed.set()
        else:
            log.error("fleet ingest: subscription refused: %s", rcs)

    def _on_message(self, client: mqtt.Client, userdata: Any, msg: mqtt.MQTTMessage) -> None:
        with self._lock:
            outcome = store_sale(self._conn, msg.topic, bytes(msg.payload))
        self.counts[outcome] += 1
        if outcome == "rejected":
            log.warning("fleet ingest: rejected a message on %s", msg.topic)

    # --- reading (any thread) ----------------------------------------------------------

    def sale_ids(self, device_id: str | None = None) -> list[str]:
        """Stored sale ids in first-arrival order (optionally one device's)."""
        sql = "SELECT sale_id FROM sales"
        args: tuple[Any, ...] = ()
        if device_id is not None:
            sql, args = sql + " WHERE device_id = ?", (device_id,)
        with self._lock:
            return [r[0] for r in self._conn.execute(sql + " ORDER BY seq", args)]

    def count(self) -> int:
        with self._lock:
            return int(self._conn.execute("SELECT count(*) FROM sales").fetchone()[0])
