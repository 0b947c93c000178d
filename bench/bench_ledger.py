"""Ledger benchmark: sale commit latency vs ledger size, TinyDB baseline, Z report time.

    python -m bench.bench_ledger [--quick] [--commits N] [--cache DIR]

Budgets (exit status 1 when blown): commit p99 <= 2 ms with 1M sales in the ledger, with
the ledger's WAL checkpoints running (figures: bytes written to the WAL and to the
database per sale, and what would lower them);
day report <= 100 ms for a day of 5,000 sales in a 1M-sale ledger. Large ledgers are
built by bulk SQL in one transaction and cached (default: $TMPDIR/pi-pos-bench) so a
re-run takes about a minute.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from tinydb import TinyDB

from kiosk.domain.sale import CompletedSale, SaleLine, TaxLine, TenderRecord
from kiosk.services.checkout import new_id
from kiosk.storage.checkpointer import Checkpointer, CheckpointResult, wal_size
from kiosk.storage.ledger import SqliteLedger
from kiosk.storage.migrations import SCHEMA_VERSION, migrate
from kiosk.storage.reports import day_report

COMMIT_P99_BUDGET_MS = 2.0
REPORT_BUDGET_MS = 100.0
SALES_PER_DAY = 5_000
# Between sales in the paced run: 20x faster than a busy till's one sale a second, long
# enough for the Checkpointer's thread to finish between two sales.
PACE_S = 0.05
FIRST_DAY = "2026-01-01"
FIRST_DAY_MS = 1_767_225_600_000  # 2026-01-01T00:00:00Z
MS_PER_SALE = 86_400_000 // SALES_PER_DAY
# Part of the cached ledger's name: a new layout of the bulk data builds a new file.
BULK_LAYOUT = 2  # 2: time-ordered sale ids


def five_line_sale(n: int) -> CompletedSale:
    lines = tuple(
        SaleLine(
            line_no=i,
            sku=f"SKU{(n + i) % 40:03d}",
            name=f"Item {i}",
            qty=1 + i % 3,
            unit_price=5_000 + 500 * i,
            gross=(5_000 + 500 * i) * (1 + i % 3),
            discount=0,
            amount=(5_000 + 500 * i) * (1 + i % 3),
            tax_rate_percent="11",
            barcode=f"89910021010{i:02d}",
            category="food",
        )
        for i in range(1, 6)
    )
    total = sum(ln.amount for ln in lines)
    ppn = total * 11 // 111
    return CompletedSale(
        sale_id=new_id(), store_id="store-1", device_id="kiosk-1",
        business_date="2026-12-31", created_at="2026-12-31T03:00:00.000000Z", lines=lines,
        taxes=(TaxLine("11", total, total - ppn, ppn),),
        tenders=(TenderRecord("cash", total, given=total),), total=total, discount_total=0,
    )  # fmt: skip


def _bulk_sql(n: int) -> list[str]:
    """Fill every ledger table for ``n`` sales (5 lines each, 5,000 sales a day)."""
    series = f"WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < {n})"
    pad = "x" * 600  # bodies of realistic size (~1 KB)
    return [
        # Sale ids as the till makes them (kiosk.domain.record_ids): milliseconds first.
        f"CREATE TEMP TABLE ids AS {series} SELECT i, printf('%012x', {FIRST_DAY_MS} + i * {MS_PER_SALE})"
        " || '7' || substr(lower(hex(randomblob(10))), 2) AS id FROM c",
        "INSERT INTO sales(sale_id, device_id, receipt_no, business_date, created_at, total,"
        " discount_total, gross, cash_rounding, change, cashier, member_id, mode, void_count,"
        " void_amount, body) SELECT id, 'kiosk-1', i,"
        f" date('{FIRST_DAY}', '+' || ((i - 1) / {SALES_PER_DAY}) || ' days'),"
        " '2026-01-01T03:00:00Z', 50000 + i % 1000, i % 3 * 500, 50000 + i % 1000 + i % 3 * 500,"
        f" 0, 0, 'ana', '', 'counter', i % 50 = 0, (i % 50 = 0) * 4000, '{{\"p\":\"{pad}\"}}'"
        " FROM ids ORDER BY i",
        "INSERT INTO sale_lines SELECT id, k, 'SKU' || (i + k) % 40, 'Item', 1, 10000, 10000,"
        " 0, 10000, '11', '8991002101012', 'food', NULL FROM ids,"
        " (SELECT 1 AS k UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4"
        " UNION ALL SELECT 5) ORDER BY id, k",
        "INSERT INTO sale_taxes SELECT id, '11', 50000, 45045, 4955 FROM ids ORDER BY id",
        "INSERT INTO tenders SELECT id, 1, CASE i % 3 WHEN 0 THEN 'cash' WHEN 1 THEN 'card'"
        " ELSE 'qris' END, 50000, NULL, '', '', '', '' FROM ids ORDER BY id",
        "INSERT INTO stock_moves(sku, delta, reason, ref, created_at) SELECT 'SKU' || (i + k) % 40,"
        " -1, 'sale', id, '2026-01-01T03:00:00Z' FROM ids, (SELECT 1 AS k UNION ALL SELECT 2"
        " UNION ALL SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 5) ORDER BY i, k",
        "INSERT INTO stock_levels SELECT sku, sum(delta) FROM stock_moves GROUP BY sku",
        # Hashes are not chained here (bulk data); the benchmark measures, it does not verify.
        "INSERT INTO journal SELECT i, 'sale', id, '2026-01-01T03:00:00Z',"
        f' \'{{"p":"{pad}"}}\', lower(hex(randomblob(32))), lower(hex(randomblob(32)))'
        " FROM ids ORDER BY i",
        "INSERT INTO outbox(topic, message_id, payload, created_at)"
        f" SELECT 'sale', id, '{{\"p\":\"{pad}\"}}', '2026-01-01T03:00:00Z' FROM ids ORDER BY i",
        # Every bulk sale was delivered long ago (the insert trigger queued each one).
        "INSERT INTO outbox_sent SELECT id, '2026-01-01T03:00:01Z' FROM outbox_unsent",
        "DELETE FROM outbox_unsent",
        f"INSERT INTO device_counters VALUES ('kiosk-1', {n})",
    ]


def ledger_name(n: int) -> str:
    return f"ledger-{n}-v{SCHEMA_VERSION}-b{BULK_LAYOUT}.db"


def build_ledger(path: Path, n: int) -> None:
    """Create ``path`` holding ``n`` bulk sales, unless a finished copy is cached."""
    if path.exists():
        return
    tmp = path.with_suffix(".building")
    tmp.unlink(missing_ok=True)
    conn = sqlite3.connect(tmp, isolation_level=None)
    conn.execute("PRAGMA journal_mode=OFF")
    conn.execute("PRAGMA synchronous=OFF")
    conn.execute("PRAGMA cache_size=-1000000")
    migrate(conn)
    if n:
        conn.execute("BEGIN")
        for statement in _bulk_sql(n):
            conn.execute(statement)
        conn.execute("COMMIT")
    conn.execute("PRAGMA journal_mode=WAL")
    conn.close()
    os.replace(tmp, path)


def _ms(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
    return statistics.median(ordered) * 1000, p99 * 1000


@dataclass(frozen=True)
class CommitFigures:
    p50_ms: float
    p99_ms: float
    wal_bytes: float  # per sale, written to the WAL (every page a sale touches, whole)
    db_bytes: float  # per sale, written to the database file by checkpoints
    frames: float  # WAL frames (pages) per sale
    checkpoints: int  # by the Checkpointer's thread and, past the WAL bound, the writer
    by_writer: int
    wal_peak: int  # bytes


def _wchar(path: str) -> int:
    """Bytes handed to write() so far (Linux /proc/<pid|thread>/io); 0 elsewhere."""
    try:
        for line in Path(path).read_text().splitlines():
            if line.startswith("wchar:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _counting(checkpointer: Checkpointer, written: list[int]) -> None:
    """Count the bytes each checkpoint writes, on whichever thread runs it."""
    run_now = checkpointer.run_now

    def counted(mode: str = "PASSIVE") -> CheckpointResult:
        before = _wchar("/proc/thread-self/io")
        try:
            return run_now(mode)
        finally:
            written.append(_wchar("/proc/thread-self/io") - before)

    checkpointer.run_now = counted  # type: ignore[method-assign]


def _working_copy(cache: Path, n: int) -> Path:
    source = cache / ledger_name(n)
    build_ledger(source, n)
    work = cache / "work.db"
    _remove(work)
    shutil.copyfile(source, work)
    # The copy leaves gigabytes of dirty pages; until the kernel has written them back,
    # every fsync of a commit waits behind them (ext4 commits its journal in order). A
    # till's disk has no such backlog, so flush it before anything is timed.
    os.sync()
    return work


def _remove(work: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{work}{suffix}").unlink(missing_ok=True)


def bench_sqlite_baseline(cache: Path, n: int, commits: int) -> tuple[float, float]:
    """The same commits with no checkpoint running meanwhile (one every 200 sales, off
    the timed path): the same-run baseline for the cost of the Checkpointer."""
    work = _working_copy(cache, n)
    ledger = SqliteLedger(work, "kiosk-1", checkpoint_every=None)
    sales = [five_line_sale(i) for i in range(commits + 50)]
    for sale in sales[:50]:
        ledger.commit_sale(sale)
    ledger.checkpoint()
    samples = []
    for i, sale in enumerate(sales[50:], start=1):
        start = time.perf_counter()
        ledger.commit_sale(sale)
        samples.append(time.perf_counter() - start)
        if i % 200 == 0:
            ledger.checkpoint()
    ledger.close()
    _remove(work)
    return _ms(samples)


def bench_disk_floor(cache: Path, commits: int, pace_s: float = 0.0) -> tuple[float, float]:
    """One 200-byte row per commit, WAL and synchronous=FULL, on the same disk: what
    any durable commit costs here, the floor under a sale's commit (``pace_s``: the
    same pause between commits as the paced sales, which idle machines make slower)."""
    work = cache / "floor.db"
    _remove(work)
    conn = sqlite3.connect(work, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("CREATE TABLE t(v TEXT)")
    samples = []
    for _ in range(commits):
        start = time.perf_counter()
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("INSERT INTO t VALUES (?)", ("x" * 200,))
        conn.execute("COMMIT")
        samples.append(time.perf_counter() - start)
        if pace_s:
            time.sleep(pace_s)
    conn.close()
    _remove(work)
    return _ms(samples)


def bench_sqlite(cache: Path, n: int, commits: int, pace_s: float = 0.0) -> CommitFigures:
    """Commit ``commits`` 5-line sales into a copy of the n-sale ledger while its
    Checkpointer runs (a thread every 64 sales; the writer itself past the WAL bound).
    ``pace_s``: a pause between sales (untimed), as a till has between customers."""
    work = _working_copy(cache, n)
    ledger = SqliteLedger(work, "kiosk-1")
    checkpointer = ledger.checkpointer
    assert checkpointer is not None
    sales = [five_line_sale(i) for i in range(commits + 50)]
    for sale in sales[:50]:  # warm up caches
        ledger.commit_sale(sale)
    checkpointer.run_now("TRUNCATE")
    first_checkpoint, first_by_writer = checkpointer.checkpoints, checkpointer.caught_up
    written: list[int] = []
    _counting(checkpointer, written)
    before = _wchar("/proc/self/io")
    samples, wal_peak = [], 0
    for sale in sales[50:]:
        start = time.perf_counter()
        ledger.commit_sale(sale)
        samples.append(time.perf_counter() - start)
        wal_peak = max(wal_peak, wal_size(work))
        if pace_s:
            time.sleep(pace_s)
    checkpointer.stop(truncate=False)
    checkpointer.run_now("PASSIVE")  # the last sales' pages reach the database too
    total = _wchar("/proc/self/io") - before
    page_size = int(ledger.conn.execute("PRAGMA page_size").fetchone()[0])
    ledger.close()
    _remove(work)
    p50, p99 = _ms(samples)
    wal_bytes = (total - sum(written)) / commits
    return CommitFigures(
        p50, p99, wal_bytes, sum(written) / commits, wal_bytes / (page_size + 24),
        checkpointer.checkpoints - first_checkpoint - 1,
        checkpointer.caught_up - first_by_writer, wal_peak,
    )  # fmt: skip


WEAR_NOTE = """\
  what would lower the bytes written per sale (an SD card wears):
  - the WAL takes every page a sale touches, whole: rows in sales, sale_lines, sale_taxes,
    tenders, stock_moves, stock_levels, journal and outbox plus their indexes. A smaller
    page (PRAGMA page_size=1024, set before the first table) writes ~1/4 of the bytes for
    the same pages touched;
  - the sale's JSON is stored three times (sales.body, journal.payload, outbox.payload):
    keeping it once (journal) and pruning sent outbox rows once the fleet holds the chain
    head would remove ~2 KB a sale from both the WAL and the database;
  - fewer secondary indexes (each is one more page per sale);
  - checkpointing less often: a page changed by many sales reaches the database once per
    checkpoint (the thread runs every 64 sales; a till idles between sales anyway).
"""


def bench_tinydb(cache: Path, n: int, inserts: int) -> tuple[float, float]:
    """The same sales into a TinyDB JSON document already holding ``n`` sales."""
    path = cache / "tinydb.json"
    body = five_line_sale(0).to_dict()
    path.write_text(json.dumps({"_default": {str(i): body for i in range(1, n + 1)}}))
    samples = []
    with TinyDB(path) as db:
        for i in range(inserts):
            sale = five_line_sale(i).to_dict()
            start = time.perf_counter()
            db.insert(sale)
            samples.append(time.perf_counter() - start)
    path.unlink()
    return _ms(samples)


def bench_report(cache: Path, n: int, runs: int = 5) -> tuple[float, float, int]:
    """Day report of a mid-ledger day; (first run ms, median ms, sales that day)."""
    ledger = SqliteLedger(cache / ledger_name(n), "kiosk-1")
    day = ledger.conn.execute(
        "SELECT business_date FROM sales WHERE receipt_no = ?", (n // 2,)
    ).fetchone()[0]
    times, count = [], 0
    for _ in range(runs):
        start = time.perf_counter()
        report = day_report(ledger.conn, day, "kiosk-1")
        times.append(time.perf_counter() - start)
        count = report["transactions"]
    ledger.close()
    return times[0] * 1000, statistics.median(times) * 1000, count


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="skip the 1M-sale ledger")
    parser.add_argument("--commits", type=int, default=1000, help="timed commits per size")
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "pi-pos-bench")
    args = parser.parse_args(argv)
    args.cache.mkdir(parents=True, exist_ok=True)
    sizes = [0, 1_000, 10_000, 100_000] + ([] if args.quick else [1_000_000])
    ok = True

    print(f"sale commit, 5 lines, synchronous=FULL, WAL checkpoints running"
          f" ({args.commits} commits per size)")  # fmt: skip
    sqlite_p50: dict[int, float] = {}
    for n in sizes:
        started = time.perf_counter()
        f = bench_sqlite(args.cache, n, args.commits)
        p99 = f.p99_ms
        sqlite_p50[n] = f.p50_ms
        print(f"  SQLite  {n:>9,} sales: p50 {f.p50_ms:6.3f} ms  p99 {p99:6.3f} ms"
              f"  ({time.perf_counter() - started:.0f} s incl. build)")  # fmt: skip
        print(f"      per sale: WAL {f.wal_bytes / 1024:5.1f} KiB ({f.frames:.1f} pages),"
              f" database {f.db_bytes / 1024:5.1f} KiB;  {f.checkpoints} checkpoints"
              f" ({f.by_writer} by the writer at the WAL bound), WAL peak"
              f" {f.wal_peak / 2**20:.1f} MiB")  # fmt: skip
        if n == 1_000_000 and p99 > COMMIT_P99_BUDGET_MS:
            print(f"  BUDGET BLOWN: p99 {p99:.3f} ms > {COMMIT_P99_BUDGET_MS} ms at 1M sales")
            ok = False

    paced = bench_sqlite(args.cache, sizes[-1], args.commits, pace_s=PACE_S)
    print(f"  SQLite {sizes[-1]:>9,} sales, a sale every {PACE_S * 1000:.0f} ms (a till has"
          f" seconds between customers): p50 {paced.p50_ms:6.3f} ms  p99 {paced.p99_ms:6.3f} ms;"
          f" {paced.checkpoints} checkpoints ({paced.by_writer} by the writer)")  # fmt: skip
    base_p50, base_p99 = bench_sqlite_baseline(args.cache, sizes[-1], args.commits)
    print(f"  baseline, {sizes[-1]:,} sales, no checkpoint running meanwhile: p50"
          f" {base_p50:6.3f} ms  p99 {base_p99:6.3f} ms; with the Checkpointer p99 is"
          f" {p99 / base_p99:.2f}x")  # fmt: skip
    floor_p50, floor_p99 = bench_disk_floor(args.cache, args.commits)
    print(f"  disk floor, one 200-byte row per durable commit: p50 {floor_p50:6.3f} ms"
          f"  p99 {floor_p99:6.3f} ms; the sale commit at {sizes[-1]:,} sales is"
          f" {sqlite_p50[sizes[-1]] / floor_p50:.1f}x (p50) and {p99 / floor_p99:.1f}x (p99)"
          " the floor")  # fmt: skip
    paced_p50, paced_p99 = bench_disk_floor(args.cache, args.commits, pace_s=PACE_S)
    print(f"  disk floor paced like the sales (a commit every {PACE_S * 1000:.0f} ms): p50"
          f" {paced_p50:6.3f} ms  p99 {paced_p99:6.3f} ms; the paced sale commit is"
          f" {paced.p50_ms / paced_p50:.1f}x (p50) and {paced.p99_ms / paced_p99:.1f}x (p99)"
          " that floor")  # fmt: skip
    print(WEAR_NOTE, end="")
    print("TinyDB baseline (whole JSON file rewritten per insert)")
    for n, inserts in ((0, 30), (1_000, 10), (10_000, 5)):
        p50, p99 = bench_tinydb(args.cache, n, inserts)
        print(f"  TinyDB  {n:>9,} sales: p50 {p50:8.3f} ms  max {p99:8.3f} ms"
              f"  = {p50 / sqlite_p50[n]:,.1f}x SQLite p50 at the same size")  # fmt: skip

    report_n = sizes[-1]
    first, median, count = bench_report(args.cache, report_n)
    print(f"day report, {count:,} sales in a {report_n:,}-sale ledger:"
          f" first {first:.1f} ms, median {median:.1f} ms")  # fmt: skip
    if report_n == 1_000_000 and median > REPORT_BUDGET_MS:
        print(f"  BUDGET BLOWN: day report {median:.1f} ms > {REPORT_BUDGET_MS} ms")
        ok = False
    print("budgets:", "met" if ok else "BLOWN")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
