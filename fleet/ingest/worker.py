"""An ingest worker: a persistent MQTT session on every kiosk topic; deliveries stored
in batches, each batch one transaction, every message acknowledged only after its commit.

paho's manual acknowledgement: ``on_message`` queues the delivery, the writer thread
stores what has queued up (up to ``BATCH``; the broker's in-flight window bounds it
too) and then sends the PUBACKs. A crash before the commit leaves the messages with the
broker, which redelivers them (the store is idempotent by id). One commit per batch
instead of per message is what lets one worker keep up with hundreds of kiosks. A
message the database refuses (a value too long, say) is quarantined on its own and the
rest of its batch stored again; when the database is away the writer retries the batch,
holding the rest back in the broker, until it commits or the worker stops. Worker
``index`` of ``workers`` stores only its stores' messages (``partition``). After a batch
with new loyalty points moves, the members' balances go back to their stores' kiosks
(``cmd/points``, fleet.services.loyalty).
"""

from __future__ import annotations

import logging
import queue
import threading
from collections import Counter
from typing import Any

import paho.mqtt.client as mqtt
import sqlalchemy as sa
from paho.mqtt.enums import CallbackAPIVersion
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties

from fleet.ingest import messages, partition
from fleet.services import loyalty
from fleet.storage import repository, sale_pairs
from fleet.storage.engine import open_engine
from kiosk.contract.messages import utc_now_iso

log = logging.getLogger(__name__)
PROTOCOLS = {"5": mqtt.MQTTv5, "3.1.1": mqtt.MQTTv311}
DB_RETRY_S = 1.0
BATCH = 500
Delivery = tuple[int, str, bytes, int, int]  # (connection generation, topic, payload, mid, qos)


class IngestWorker:
    """``start()`` connects and consumes on paho's thread; ``stop()`` disconnects."""

    def __init__(
        self,
        db: str | sa.Engine,
        host: str,
        port: int,
        *,
        index: int = 0,
        workers: int = 1,
        protocol: str = "5",
        client_id: str = "",
        username: str = "",
        password: str = "",
        ca_file: str = "",
        session_expiry_s: int = 7 * 24 * 3600,
        reconnect_max_s: int = 30,
    ) -> None:
        if protocol not in PROTOCOLS:
            raise ValueError(f"broker protocol must be 5 or 3.1.1, got {protocol!r}")
        if not 0 <= index < workers:
            raise ValueError(f"worker index {index} is not in 0..{workers - 1}")
        self.engine = open_engine(db) if isinstance(db, str) else db
        self._own_engine = isinstance(db, str)
        self.host, self.port = host, port
        self.index, self.workers, self.protocol = index, workers, protocol
        self.counts: Counter[str] = Counter()
        self.subscribed = threading.Event()
        self._stopping = threading.Event()
        self._queue: queue.Queue[Delivery] = queue.Queue()
        self._generation = 0
        self._writer = threading.Thread(target=self._write_loop, name="fleet-ingest-writer",
                                        daemon=True)  # fmt: skip
        self._partitions = repository.Partitions()
        self._session_expiry_s = session_expiry_s
        mqtt5 = protocol == "5"
        self.client = mqtt.Client(
            CallbackAPIVersion.VERSION2,
            client_id=client_id or f"fleet-ingest-{index + 1}-of-{workers}",
            protocol=PROTOCOLS[protocol],
            clean_session=None if mqtt5 else False,  # 3.1.1: a persistent session
            manual_ack=True,
        )
        if username:
            self.client.username_pw_set(username, password or None)
        if ca_file:
            self.client.tls_set(ca_certs=ca_file)
        self.client.reconnect_delay_set(min_delay=1, max_delay=reconnect_max_s)
        self.client.on_connect = self._on_connect
        self.client.on_subscribe = self._on_subscribe
        self.client.on_message = self._on_message

    def start(self) -> IngestWorker:
        if self.protocol == "5":
            props = Properties(PacketTypes.CONNECT)  # type: ignore[no-untyped-call]
            props.SessionExpiryInterval = self._session_expiry_s
            self.client.connect_async(self.host, self.port, clean_start=False, properties=props)
        else:
            self.client.connect_async(self.host, self.port)
        self._writer.start()
        self.client.loop_start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        if self._writer.is_alive():
            self._writer.join(10)
        self.client.disconnect()
        self.client.loop_stop()
        if self._own_engine:
            self.engine.dispose()

    def _on_connect(
        self, client: mqtt.Client, userdata: Any, flags: Any, rc: Any, props: Any
    ) -> None:
        if rc.is_failure:
            log.error("fleet ingest: broker refused connection: %s", rc)
            return
        self._generation += 1  # a PUBACK owed on the old connection is not sent on this one
        client.subscribe([(f, 1) for f in messages.FILTERS])

    def _on_subscribe(
        self, client: mqtt.Client, userdata: Any, mid: int, rcs: Any, props: Any
    ) -> None:
        if all(not rc.is_failure for rc in rcs):
            self.subscribed.set()
        else:
            log.error("fleet ingest: subscription refused: %s", rcs)

    def _on_message(self, client: mqtt.Client, userdata: Any, msg: mqtt.MQTTMessage) -> None:
        if not partition.mine(msg.topic, self.index, self.workers):
            self.counts["other worker"] += 1
            client.ack(msg.mid, msg.qos)
            return
        self._queue.put((self._generation, msg.topic, bytes(msg.payload), msg.mid, msg.qos))

    def _write_loop(self) -> None:
        while not self._stopping.is_set():  # what is left unacknowledged comes again
            try:
                batch = [self._queue.get(timeout=0.2)]
            except queue.Empty:
                continue
            while len(batch) < BATCH:
                try:
                    batch.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            outcomes = self.handle([(topic, payload) for _, topic, payload, _, _ in batch])
            if outcomes is None:
                return  # stopping with the database away: the broker keeps the batch
            self.counts.update(outcomes)
            for generation, _, _, mid, qos in batch:
                if generation == self._generation:
                    self.client.ack(mid, qos)
            self._confirm_points(
                [(t, p) for (_, t, p, _, _), o in zip(batch, outcomes, strict=True) if o == "new"]
            )

    def _confirm_points(self, stored: list[tuple[str, bytes]]) -> None:
        """Balances of the members whose new points moves were just stored, back to their
        stores' kiosks (fleet.services.loyalty); a failure is logged, ingest goes on."""
        members = loyalty.members_in(stored)
        if not members:
            return
        try:
            sent = loyalty.confirm(self.engine, self._publish, members)
        except (sa.exc.SQLAlchemyError, ValueError, RuntimeError) as err:
            log.warning("fleet ingest: points not confirmed for %d members: %s", len(members), err)
            return
        self.counts["points confirmations"] += sent

    def _publish(self, topic: str, payload: bytes) -> None:
        self.client.publish(topic, payload, qos=1)

    def handle(self, deliveries: list[tuple[str, bytes]]) -> list[str] | None:
        """Store deliveries in one transaction; their outcomes, or None when stopping
        before the database took them (they are then not acknowledged)."""
        while True:
            received_at = utc_now_iso()
            try:
                with self.engine.begin() as conn:
                    pairs = sale_pairs.Counts()  # the batch's, in one statement at its end
                    outcomes: list[str] = [
                        messages.store_message(conn, topic, payload, received_at=received_at,
                                               partitions=self._partitions, pairs=pairs)
                        for topic, payload in deliveries
                    ]  # fmt: skip
                    pairs.flush(conn)
                    return outcomes
            except (sa.exc.IntegrityError, sa.exc.DataError) as err:
                if len(deliveries) == 1:
                    topic, payload = deliveries[0]
                    return [self._quarantine(topic, payload, f"cannot be stored: {err.orig}")]
                one_by_one = [self.handle([d]) for d in deliveries]  # find the one refused
                return None if None in one_by_one else [o for r in one_by_one if r for o in r]
            except sa.exc.OperationalError as err:
                log.warning("fleet ingest: database unavailable, retrying: %s", err.orig)
                self._partitions = repository.Partitions()  # the rollback undid new ones
                if self._stopping.wait(DB_RETRY_S):
                    return None

    def _quarantine(self, topic: str, payload: bytes, reason: str) -> str:
        with self.engine.begin() as conn:
            repository.quarantine(conn, topic, payload, reason, utc_now_iso())
        log.warning("fleet ingest: quarantined a message on %s: %s", topic, reason)
        return "quarantined"

    # --- reading (any thread) ----------------------------------------------------------

    def sale_ids(self, device_id: str | None = None) -> list[str]:
        with self.engine.connect() as conn:
            return messages.sale_ids(conn, device_id)

    def count(self) -> int:
        with self.engine.connect() as conn:
            return messages.sale_count(conn)
