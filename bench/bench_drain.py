"""Outbox drain benchmark against a private mosquitto (started here, on loopback).

    python -m bench.bench_drain [--sales N] [--grow N] [--quick]

1. Drain N queued sales (default 10,000) with ``sync_once``; the baseline is raw paho
   QoS 1 publishing of the same payloads to the same broker in the same run (paho's
   threaded loop, every message published then all PUBACKs awaited). The two take turns,
   three times each, and the best of each is compared.
   Budget: drain rate / raw rate >= 0.5.
2. Selling while draining: commit sales through the real ledger while the drain works a
   backlog in its own process, as ``kiosk agent`` (kiosk-agent.service, at its Nice= and
   CPUSchedulingPolicy=) does on the appliance. Budget: commit p99 <= 2 ms (the core
   issue's budget). The same ledger's p99 with no drain, measured just before, is the
   baseline the ratio is taken against. Printed with it: how many rows the drain sent
   while the 2,000 sales were committed back to back, and how often it gave way to them
   (``drain.YIELD_S``): it slows, never stops. Reported beside it, not budgeted: the drain
   as a thread of the selling process, as a till started without an agent runs it
   (``make run``), where the two threads share one interpreter lock
   (docs/decisions/0008-the-drain-runs-beside-the-till.md).
3. Memory while the outbox grows to 100,000 rows with the broker down, then while those
   rows drain. Budget: RSS grows by at most 16 MiB.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
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
RATE_ROUNDS = 3
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


@dataclasses.dataclass(frozen=True)
class RateFigures:
    raw_paho_msgs_per_s: int  # the best of the turns
    drain_msgs_per_s: int
    ratio: float
    raw_rounds: list[int]
    drain_rounds: list[int]


def bench_rate(broker: MosquittoProcess, workdir: Path, count: int) -> RateFigures:
    """Raw paho and the drain take turns, ``RATE_ROUNDS`` times each, and the best of
    each is compared: a VM's speed drifts within a run (raw paho here: 7,900-12,800/s in
    one day), and taking turns lets a slow spell hit both sides alike."""
    rows = payloads(count)
    raw_rates, drain_rates = [], []
    for round_no in range(RATE_ROUNDS):
        raw_rates.append(raw_paho_rate(broker, rows))
        db = workdir / f"rate-{round_no}.db"
        fill_outbox(db, rows)
        started = time.perf_counter()
        sent = sync_once(db, config(broker))
        drain_rates.append(sent / (time.perf_counter() - started))
        if sent != count:
            raise RuntimeError(f"drain sent {sent} of {count}")
    raw, drain = max(raw_rates), max(drain_rates)
    return RateFigures(round(raw), round(drain), round(drain / raw, 2),
                       [round(r) for r in raw_rates], [round(r) for r in drain_rates])  # fmt: skip


def bench_selling_while_draining(
    broker: MosquittoProcess, workdir: Path, backlog: int, commits: int, *, own_process: bool
) -> dict[str, float]:
    db = workdir / ("agent.db" if own_process else "thread.db")
    fill_outbox(db, payloads(backlog))
    ledger = SqliteLedger(db, DEVICE)
    sales = [numbered_sale(STORE, DEVICE, backlog + i) for i in range(2 * commits)]
    # Baseline first (same ledger, same machine load, no drain), then with the drain.
    baseline = sorted(_commit(ledger, sale) for sale in sales[:commits])
    drain = _DrainProcess(db, broker) if own_process else _DrainThread(db, broker)
    latencies = []
    try:
        drain.wait_until_draining()
        published_before = drain.published()
        for sale in sales[commits:]:
            latencies.append(_commit(ledger, sale))
        # published, not marked: the marks wait while the till holds the write lock
        published_while_selling = drain.published() - published_before
    finally:
        drained, yields = drain.finish()
        ledger.close()
    latencies.sort()
    p99, no_drain_p99 = _p99(latencies), _p99(baseline)
    return {"commits": commits, "commit_p50_ms": round(statistics.median(latencies), 3),
            "commit_p99_ms": round(p99, 3), "no_drain_p99_ms": round(no_drain_p99, 3),
            "p99_vs_no_drain": round(p99 / no_drain_p99, 2),
            "drained": drained, "published_while_selling": published_while_selling,
            "yields": yields, "left_unsent": outbox_summary(db)["depth"]}  # fmt: skip


def _p99(sorted_ms: list[float]) -> float:
    return sorted_ms[int(len(sorted_ms) * 0.99) - 1]


class _DrainThread:
    """The drain as a thread of the selling process (a till without ``kiosk agent``)."""

    def __init__(self, db: Path, broker: MosquittoProcess) -> None:
        self.db, self.handle = db, start_telemetry(db, config(broker))

    def wait_until_draining(self) -> None:
        _wait(lambda: self.handle.drain.stats.acked > 0, "the drain thread never started")

    def published(self) -> int:
        return self.handle.drain.stats.published

    def finish(self) -> tuple[int, int]:
        """Rows marked sent, and the drain's waits for the till (``YIELD_S``)."""
        try:
            _wait(lambda: not outbox_summary(self.db)["depth"], "the drain did not finish", 120)
            return self.handle.drain.stats.acked, self.handle.drain.stats.yields
        finally:
            self.handle.stop()


class _DrainProcess:
    """The drain in a process of its own, as ``kiosk agent`` runs it on the appliance."""

    def __init__(self, db: Path, broker: MosquittoProcess) -> None:
        self.db = db
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "bench.bench_drain", "--drain-child", str(db), broker.host,
             str(broker.port)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        )  # fmt: skip

    def wait_until_draining(self) -> None:
        depth = outbox_summary(self.db)["depth"]
        _wait(lambda: outbox_summary(self.db)["depth"] < depth, "the drain process never started")

    def published(self) -> int:
        """Asks the drain process (a line on its stdin) how many rows it has published."""
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write("published?\n")
        self.proc.stdin.flush()
        return int(json.loads(self.proc.stdout.readline())["published"])

    def finish(self) -> tuple[int, int]:
        out, _ = self.proc.communicate("", timeout=180)  # EOF: selling is over
        if self.proc.returncode:
            raise RuntimeError(f"drain process failed ({self.proc.returncode})")
        counts = json.loads(out.splitlines()[-1])
        return int(counts["acked"]), int(counts["yields"])


def drain_child(db: str, host: str, port: int) -> None:
    """``--drain-child``: drain until stdin closes (answering each line with the count
    published so far), then until the outbox is empty, at the CPU priority
    kiosk-agent.service gives the agent (its ``Nice=`` and ``CPUSchedulingPolicy=``;
    threads started later inherit the policy, as there)."""
    nice, policy = agent_scheduling()
    os.nice(nice)
    os.sched_setscheduler(0, policy, os.sched_param(0))
    handle = start_telemetry(db, MqttConfig(store_id=STORE, device_id=DEVICE, host=host,
                             port=port, health_interval_s=3600))  # fmt: skip
    try:
        for _ in sys.stdin:  # a question until EOF: how many published so far
            print(json.dumps({"published": handle.drain.stats.published}), flush=True)
        _wait(lambda: not outbox_summary(db)["depth"], "the drain did not finish", 120)
    finally:
        handle.stop()
    stats = handle.drain.stats
    print(json.dumps({"acked": stats.acked, "yields": stats.yields}), flush=True)


POLICIES = {"other": os.SCHED_OTHER, "batch": os.SCHED_BATCH, "idle": os.SCHED_IDLE}


def agent_scheduling(
    unit: Path = Path(__file__).parents[1] / "systemd" / "kiosk-agent.service",
) -> tuple[int, int]:
    """The ``Nice=`` and the ``CPUSchedulingPolicy=`` (an ``os.SCHED_*``) of the unit."""
    fields: dict[str, str] = {}
    for line in unit.read_text(encoding="utf-8").splitlines():
        key, sep, value = line.partition("=")
        if sep and not line.startswith(("#", ";")):
            fields[key.strip()] = value.strip()
    return int(fields.get("Nice", "0")), POLICIES[fields.get("CPUSchedulingPolicy", "other")]


def _wait(done: Callable[[], bool], failure: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not done():
        if time.monotonic() > deadline:
            raise RuntimeError(failure)
        time.sleep(0.005)


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
    parser.add_argument("--drain-child", nargs=3, metavar=("DB", "HOST", "PORT"),
                        help=argparse.SUPPRESS)  # fmt: skip
    args = parser.parse_args(argv if argv is not None else sys.argv[1:])
    if args.drain_child:
        drain_child(args.drain_child[0], args.drain_child[1], int(args.drain_child[2]))
        return 0
    sales, grow = (1_000, 10_000) if args.quick else (args.sales, args.grow)
    results: dict[str, object] = {}
    with (
        tempfile.TemporaryDirectory(prefix="bench-drain-") as tmp,
        MosquittoProcess(extra_config=BROKER_TUNING) as broker,
    ):
        workdir = Path(tmp)
        rate = bench_rate(broker, workdir, sales)
        results["rate"] = dataclasses.asdict(rate)
        print(f"drain {rate.drain_msgs_per_s}/s vs raw paho {rate.raw_paho_msgs_per_s}/s (best"
              f" of {RATE_ROUNDS} turns each; drain {rate.drain_rounds}, raw {rate.raw_rounds})"
              f" -> ratio {rate.ratio} (budget >= {RATIO_BUDGET})", flush=True)  # fmt: skip
        results["selling"] = selling = bench_selling_while_draining(
            broker, workdir, backlog=sales, commits=min(2_000, sales), own_process=True
        )
        print(f"sale commit while kiosk agent's drain works a backlog: p50"
              f" {selling['commit_p50_ms']} ms, p99 {selling['commit_p99_ms']} ms (budget <="
              f" {COMMIT_P99_BUDGET_MS}); same run without the drain: p99"
              f" {selling['no_drain_p99_ms']} ms, so x{selling['p99_vs_no_drain']} with it;"
              f" {selling['published_while_selling']} rows published during the"
              f" {selling['commits']} sales, the drain gave way {selling['yields']} times"
              f" ({selling['drained']} rows drained in all)", flush=True)  # fmt: skip
        results["selling_in_thread"] = threaded = bench_selling_while_draining(
            broker, workdir, backlog=sales, commits=min(2_000, sales), own_process=False
        )
        print(f"  the drain as a thread of the till (no agent, not budgeted): p50"
              f" {threaded['commit_p50_ms']} ms, p99 {threaded['commit_p99_ms']} ms; without"
              f" it p99 {threaded['no_drain_p99_ms']} ms (x{threaded['p99_vs_no_drain']});"
              f" {threaded['published_while_selling']} rows published during the sales",
              flush=True)  # fmt: skip
        results["memory"] = memory = bench_memory(broker, workdir, grow)
        print(f"outbox grown to {memory['rows']} rows then drained: RSS {memory['rss_first_mb']}"
              f" -> max {memory['rss_max_mb']} MiB, growth {memory['rss_growth_mb']} MiB"
              f" (budget <= {RSS_GROWTH_BUDGET_MB}); unsent left {memory['left_unsent']}",
              flush=True)  # fmt: skip
    ok = (
        rate.ratio >= RATIO_BUDGET
        and selling["commit_p99_ms"] <= COMMIT_P99_BUDGET_MS
        and selling["left_unsent"] == threaded["left_unsent"] == 0
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
