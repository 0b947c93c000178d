"""Outbox drain benchmark against a private mosquitto (started here, on loopback).

    python -m bench.bench_drain [--sales N] [--grow N] [--quick]

1. Drain N queued sales (default 10,000) with ``sync_once``; the baseline is raw paho
   QoS 1 publishing of the same payloads to the same broker in the same run (paho's
   threaded loop, every message published then all PUBACKs awaited).
   Budget: drain rate / raw rate >= 0.5.
2. Selling while draining: commit sales through the real ledger while the drain thread
   works a backlog. Budget: commit p99 <= 2 ms (the core issue's budget).
3. Memory while the outbox grows to 100,000 rows with the broker down, then while those
   rows drain. Budget: RSS grows by at most 16 MiB.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion

from kiosk.domain.sale import CompletedSale
from kiosk.storage.db import canonical_json, open_db, transaction
from kiosk.storage.ledger import SqliteLedger
from kiosk.telemetry.mqtt_config import MqttConfig
from kiosk.telemetry.sync import outbox_summary, start_telemetry, sync_once
from kiosk.testing.broker_process import MosquittoProcess
from kiosk.testing.sales import numbered_sale

RATIO_BUDGET = 0.5
COMMIT_P99_BUDGET_MS = 2.0
RSS_GROWTH_BUDGET_MB = 16.0
STORE, DEVICE = "S01", "D01"
BROKER_TUNING = "max_inflight_messages 100\n"  # as examples/mosquitto/mosquitto.conf


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def payloads(count: int, start: int = 0) -> list[tuple[str, str]]:
    sales = (numbered_sale(STORE, DEVICE, start + i) for i in range(count))
    return [(s.sale_id, canonical_json(s.to_dict())) for s in sales]


def fill_outbox(db: Path, rows: list[tuple[str, str]]) -> None:
    conn = open_db(db)
    try:
        with transaction(conn):
            conn.executemany(
                "INSERT INTO outbox(topic, message_id, payload, created_at)"
                " VALUES ('sale', ?, ?, '2026-11-27T06:00:00.000000Z')",
                rows,
            )
    finally:
        conn.close()


def raw_paho_rate(broker: MosquittoProcess, rows: list[tuple[str, str]]) -> float:
    done = threading.Event()
    acked = [0]

    def on_publish(client: mqtt.Client, userdata: object, mid: int, rc: object, p: object) -> None:
        acked[0] += 1
        if acked[0] == len(rows):
            done.set()

    client = mqtt.Client(CallbackAPIVersion.VERSION2, client_id="raw", protocol=mqtt.MQTTv5)
    client.on_publish = on_publish
    client.connect(broker.host, broker.port)
    client.loop_start()
    topic = f"pos/v1/{STORE}/{DEVICE}/sale"
    started = time.perf_counter()
    for _, payload in rows:
        client.publish(topic, payload, qos=1)
    if not done.wait(120):
        raise RuntimeError(f"raw paho: only {acked[0]} of {len(rows)} PUBACKs")
    elapsed = time.perf_counter() - started
    client.disconnect()
    client.loop_stop()
    return len(rows) / elapsed


def config(broker: MosquittoProcess) -> MqttConfig:
    return MqttConfig(store_id=STORE, device_id=DEVICE, host=broker.host, port=broker.port,
                      backoff_initial_s=0.1, backoff_max_s=0.5, health_interval_s=3600)  # fmt: skip


def bench_rate(broker: MosquittoProcess, workdir: Path, count: int) -> dict[str, float]:
    rows = payloads(count)
    db = workdir / "rate.db"
    fill_outbox(db, rows)
    raw = raw_paho_rate(broker, rows)
    started = time.perf_counter()
    sent = sync_once(db, config(broker))
    drain = sent / (time.perf_counter() - started)
    if sent != count:
        raise RuntimeError(f"drain sent {sent} of {count}")
    return {"raw_paho_msgs_per_s": round(raw), "drain_msgs_per_s": round(drain),
            "ratio": round(drain / raw, 2)}  # fmt: skip


def bench_selling_while_draining(
    broker: MosquittoProcess, workdir: Path, backlog: int, commits: int
) -> dict[str, float]:
    db = workdir / "selling.db"
    fill_outbox(db, payloads(backlog))
    ledger = SqliteLedger(db, DEVICE)
    sales = [numbered_sale(STORE, DEVICE, backlog + i) for i in range(2 * commits)]
    # Baseline first (same ledger, same machine load, no drain), then with the drain.
    baseline = sorted(_commit(ledger, sale) for sale in sales[:commits])
    handle = start_telemetry(db, config(broker))
    latencies = []
    try:
        for sale in sales[commits:]:
            latencies.append(_commit(ledger, sale))
        deadline = time.monotonic() + 120
        while outbox_summary(db)["depth"] and time.monotonic() < deadline:
            time.sleep(0.1)
        drained = handle.drain.stats.acked
    finally:
        handle.stop()
        ledger.close()
    latencies.sort()
    return {"commits": commits, "commit_p50_ms": round(statistics.median(latencies), 3),
            "commit_p99_ms": round(latencies[int(len(latencies) * 0.99) - 1], 3),
            "no_drain_p99_ms": round(baseline[int(len(baseline) * 0.99) - 1], 3),
            "drained_meanwhile": drained}  # fmt: skip


def _commit(ledger: SqliteLedger, sale: CompletedSale) -> float:
    started = time.perf_counter()
    ledger.commit_sale(sale)
    return (time.perf_counter() - started) * 1000


def bench_memory(broker: MosquittoProcess, workdir: Path, grow: int) -> dict[str, float]:
    db = workdir / "memory.db"
    open_db(db).close()
    broker.stop()  # the outage: the drain keeps retrying while the outbox grows
    handle = start_telemetry(db, config(broker))
    samples = []
    try:
        step = max(1, grow // 10)
        for start in range(0, grow, step):
            fill_outbox(db, payloads(step, start))
            samples.append(rss_mb())
        broker.start()
        deadline = time.monotonic() + 300
        while outbox_summary(db)["depth"] and time.monotonic() < deadline:
            samples.append(rss_mb())
            time.sleep(0.25)
        left = outbox_summary(db)["depth"]
    finally:
        handle.stop()
    return {"rows": grow, "rss_first_mb": round(samples[0], 1), "rss_max_mb": round(max(samples), 1),
            "rss_growth_mb": round(max(samples) - samples[0], 1), "left_unsent": left}  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sales", type=int, default=10_000)
    parser.add_argument("--grow", type=int, default=100_000)
    parser.add_argument("--quick", action="store_true", help="small sizes, for a smoke run")
    args = parser.parse_args(argv if argv is not None else sys.argv[1:])
    sales, grow = (1_000, 10_000) if args.quick else (args.sales, args.grow)
    results: dict[str, object] = {}
    with (
        tempfile.TemporaryDirectory(prefix="bench-drain-") as tmp,
        MosquittoProcess(extra_config=BROKER_TUNING) as broker,
    ):
        workdir = Path(tmp)
        results["rate"] = rate = bench_rate(broker, workdir, sales)
        print(f"drain {rate['drain_msgs_per_s']}/s vs raw paho {rate['raw_paho_msgs_per_s']}/s"
              f" -> ratio {rate['ratio']} (budget >= {RATIO_BUDGET})", flush=True)  # fmt: skip
        results["selling"] = selling = bench_selling_while_draining(
            broker, workdir, backlog=sales, commits=min(2_000, sales)
        )
        print(f"sale commit while draining: p50 {selling['commit_p50_ms']} ms,"
              f" p99 {selling['commit_p99_ms']} ms (budget <= {COMMIT_P99_BUDGET_MS});"
              f" same run without the drain: p99 {selling['no_drain_p99_ms']} ms",
              flush=True)  # fmt: skip
        results["memory"] = memory = bench_memory(broker, workdir, grow)
        print(f"outbox grown to {memory['rows']} rows then drained: RSS {memory['rss_first_mb']}"
              f" -> max {memory['rss_max_mb']} MiB, growth {memory['rss_growth_mb']} MiB"
              f" (budget <= {RSS_GROWTH_BUDGET_MB}); unsent left {memory['left_unsent']}",
              flush=True)  # fmt: skip
    ok = (
        rate["ratio"] >= RATIO_BUDGET
        and selling["commit_p99_ms"] <= COMMIT_P99_BUDGET_MS
        and memory["rss_growth_mb"] <= RSS_GROWTH_BUDGET_MB
        and memory["left_unsent"] == 0
    )
    out = Path("bench/results")
    out.mkdir(parents=True, exist_ok=True)
    (out / "bench_drain.json").write_text(json.dumps(results, indent=2) + "\n")
    print("budgets met" if ok else "BUDGET BLOWN")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
