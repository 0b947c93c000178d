"""Fleet ingest benchmark: sales per second from simulated kiosks into SQLite and into
PostgreSQL, one ingest worker against two (``fleet ingest --workers N``, processes).

    python -m bench.bench_fleet_ingest [--kiosks 200] [--sales 20000] [--quick]
                                       [--engine sqlite|postgresql] [--workers 1|2]

For each engine and worker count: a fresh database and a private mosquitto (persistence
on, ``max_inflight_messages 100`` as examples/mosquitto/mosquitto.conf); the workers
subscribe once and go away, the kiosks' sales (valid contract messages with a valid
journal chain, round-robin over the kiosks, 2 kiosks per store) are queued by the broker,
then the workers start and the rate is sales / (last stored - first stored), read from
the rows' ``received_at``. Baseline in the same run: a raw paho subscriber taking the
same queued messages (ack only, no storage). Budget (issue 12): two workers >= 1.7x one
on PostgreSQL. On SQLite the ratio is printed, not budgeted: SQLite has one writer, so a
second worker waits for the first one's lock (ADR 4: run one worker on SQLite).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import paho.mqtt.client as mqtt
import sqlalchemy as sa
from paho.mqtt.enums import CallbackAPIVersion

from fleet.ingest import FILTERS, IngestWorker
from fleet.storage import schema
from fleet.storage.engine import open_engine
from kiosk.contract.journal_hash import record_hash
from kiosk.contract.messages import sale_payload
from kiosk.contract.schemas import encode
from kiosk.contract.topics import DeviceTopics
from kiosk.testing.broker_process import MosquittoProcess
from kiosk.testing.postgres import fresh_database, server_url
from kiosk.testing.sales import numbered_sale

SCALING_BUDGET = 1.7
BROKER_TUNING = "max_inflight_messages 100\n"


def kiosk_messages(kiosks: int, sales: int) -> list[tuple[str, bytes]]:
    """(topic, payload) of ``sales`` sales spread round-robin over ``kiosks`` kiosks."""
    chains: dict[int, tuple[int, str]] = {}
    out = []
    for n in range(sales):
        k = n % kiosks
        store, device = f"toko-{k // 2:03d}", f"k{k % 2 + 1}"
        sale = numbered_sale(store, device, n)
        body = encode(sale.to_dict())
        seq, prev = chains.get(k, (0, "0" * 64))
        seq += 1
        digest = record_hash(prev, (seq, "sale", sale.sale_id, sale.created_at, body))
        chains[k] = (seq, digest)
        out.append((DeviceTopics(store, device).of("sale"),
                    sale_payload(body, seq, digest, prev).encode()))  # fmt: skip
    return out


def publish(broker: MosquittoProcess, rows: list[tuple[str, bytes]]) -> None:
    done = threading.Event()
    acked = [0]

    def on_publish(client: mqtt.Client, userdata: object, mid: int, rc: object, p: object) -> None:
        acked[0] += 1
        if acked[0] == len(rows):
            done.set()

    client = mqtt.Client(CallbackAPIVersion.VERSION2, client_id="bench-kiosks",
                         protocol=mqtt.MQTTv5)  # fmt: skip
    client.on_publish = on_publish
    client.max_inflight_messages_set(100)
    client.connect(broker.host, broker.port)
    client.loop_start()
    for topic, payload in rows:
        client.publish(topic, payload, qos=1)
    if not done.wait(300):
        raise RuntimeError("the broker did not take every sale")
    client.disconnect()
    client.loop_stop()


def raw_rate(broker: MosquittoProcess, rows: list[tuple[str, bytes]]) -> float:
    """Messages per second a bare paho subscriber takes from the broker's queue."""
    got: list[float] = []
    done = threading.Event()

    def on_message(client: mqtt.Client, userdata: object, msg: mqtt.MQTTMessage) -> None:
        got.append(time.perf_counter())
        if len(got) == len(rows):
            done.set()

    def client() -> mqtt.Client:
        c = mqtt.Client(CallbackAPIVersion.VERSION2, client_id="bench-raw",
                        protocol=mqtt.MQTTv311, clean_session=False)  # fmt: skip
        c.on_connect = lambda c, u, f, rc, p: c.subscribe([(f, 1) for f in FILTERS])
        return c

    first = client()
    first.connect(broker.host, broker.port)
    first.loop_start()
    time.sleep(1.0)
    first.disconnect()
    first.loop_stop()
    publish(broker, rows)
    second = client()
    second.on_message = on_message
    second.connect(broker.host, broker.port)
    second.loop_start()
    done.wait(300)
    second.disconnect()
    second.loop_stop()
    return round((len(got) - 1) / (got[-1] - got[0]), 1)


def stored_span(url: str) -> tuple[int, float]:
    engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.connect() as conn:
        s = schema.sales
        count, first, last = conn.execute(
            sa.select(sa.func.count(), sa.func.min(s.c.received_at), sa.func.max(s.c.received_at))
        ).one()
    engine.dispose()
    if not count:
        return 0, 0.0
    span = datetime.fromisoformat(last) - datetime.fromisoformat(first)
    return int(count), span.total_seconds()


def ingest_rate(url: str, rows: list[tuple[str, bytes]], workers: int) -> float:
    """Sales per second ``fleet ingest --workers N`` stores from a queued backlog."""
    open_engine(url).dispose()
    with MosquittoProcess(persistent=True, extra_config=BROKER_TUNING) as broker:
        for i in range(workers):  # each worker's session, so the broker queues for it
            worker = IngestWorker(url, broker.host, broker.port, index=i, workers=workers)
            worker.start().subscribed.wait(10)
            worker.stop()
        publish(broker, rows)
        fleet = subprocess.Popen(
            [sys.executable, "-m", "fleet.cli", "ingest", "--db", url, "--broker",
             f"{broker.host}:{broker.port}", "--workers", str(workers)],
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        try:
            deadline = time.monotonic() + 600
            while stored_span(url)[0] < len(rows) and time.monotonic() < deadline:
                time.sleep(0.5)
        finally:
            fleet.send_signal(signal.SIGTERM)
            fleet.wait(30)
        count, seconds = stored_span(url)
    if count != len(rows):
        raise RuntimeError(f"stored {count} of {len(rows)} sales")
    return round((count - 1) / seconds, 1)


@contextlib.contextmanager
def database(engine: str, workdir: Path, name: str) -> Iterator[str]:
    if engine == "sqlite":
        yield f"sqlite:///{workdir / name}.sqlite"
        return
    with server_url() as server, fresh_database(server) as url:
        yield url


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kiosks", type=int, default=200)
    parser.add_argument("--sales", type=int, default=20_000)
    parser.add_argument("--quick", action="store_true", help="small sizes, for a smoke run")
    parser.add_argument("--engine", choices=("sqlite", "postgresql"), action="append",
                        help="only this engine (repeatable; default both)")  # fmt: skip
    parser.add_argument("--workers", type=int, choices=(1, 2), action="append",
                        help="only this many workers (repeatable; default 1 and 2)")  # fmt: skip
    args = parser.parse_args(argv if argv is not None else sys.argv[1:])
    sales = 2_000 if args.quick else args.sales
    rows = kiosk_messages(args.kiosks, sales)
    results: dict[str, object] = {"kiosks": args.kiosks, "sales": sales}
    ok = True
    with tempfile.TemporaryDirectory(prefix="bench-fleet-") as tmp:
        workdir = Path(tmp)
        with MosquittoProcess(persistent=True, extra_config=BROKER_TUNING) as broker:
            results["raw_paho_msgs_per_s"] = raw = raw_rate(broker, rows)
        print(f"baseline: a bare paho subscriber takes {raw} msgs/s", flush=True)
        for engine in args.engine or ("sqlite", "postgresql"):
            rates = {}
            for workers in args.workers or (1, 2):
                with database(engine, workdir, f"{engine}-{workers}") as url:
                    rates[workers] = ingest_rate(url, rows, workers)
            print(f"{engine}: {rates} sales/s", flush=True)
            if len(rates) < 2:
                results[engine] = rates
                continue
            ratio = round(rates[2] / rates[1], 2)
            results[engine] = {"one_worker_sales_per_s": rates[1],
                               "two_workers_sales_per_s": rates[2], "ratio": ratio,
                               "one_worker_vs_raw": round(rates[1] / raw, 3)}  # fmt: skip
            budgeted = engine == "postgresql"  # SQLite: one writer (ADR 4)
            budget = f"budget >= {SCALING_BUDGET}" if budgeted else "no budget: one writer"
            print(f"{engine}: one worker {rates[1]} sales/s, two {rates[2]} sales/s -> ratio"
                  f" {ratio} ({budget}); one worker / raw paho"
                  f" {round(rates[1] / raw, 3)}", flush=True)  # fmt: skip
            ok = ok and (ratio >= SCALING_BUDGET or not budgeted)
    print(json.dumps(results, sort_keys=True))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
