"""The books' benchmark: the Z close of a 5,000-sale day and the refund lookup by receipt
number, both in a 1M-sale ledger, each against a baseline measured in the same run.

    python -m bench.bench_books [--quick] [--cache DIR]

Budgets (exit status 1 when blown, at 1M sales): Z close (close the day and build its
report) <= 200 ms; refund lookup (the sale by receipt number and its earlier refunds)
p99 <= 5 ms. Baselines: the plain day report, and a lookup of a sale by its primary key.
The ledger is the one bench_ledger builds and caches.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from bench.bench_ledger import _remove, _working_copy
from kiosk.services.books import books_services
from kiosk.services.staff import StaffMember
from kiosk.storage import books
from kiosk.storage.ledger import SqliteLedger
from kiosk.storage.reports import day_report
from kiosk.storage.unit_of_work import SqliteUnitOfWork
from kiosk.testing.clock import SettableClock

Z_CLOSE_BUDGET_MS = 200.0
LOOKUP_P99_BUDGET_MS = 5.0
LOOKUPS = 5_000
SUPERVISOR = StaffMember("s1", "Budi", "supervisor")


def _p99(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=100)[98] * 1000


def bench(cache: Path, n: int) -> tuple[float, float, float, float, int]:
    """(Z close ms, day report ms, lookup p99 ms, primary-key lookup p99 ms, day's sales)."""
    work = _working_copy(cache, n)
    ledger = SqliteLedger(work, "kiosk-1")
    try:
        day = ledger.conn.execute(
            "SELECT business_date FROM sales WHERE receipt_no = ?", (max(n // 2, 1),)
        ).fetchone()[0]
        start = time.perf_counter()
        report = day_report(ledger.conn, day, "kiosk-1")
        report_ms = (time.perf_counter() - start) * 1000
        # The till's clock at the end of that day (Jakarta): the Z closes it.
        clock = SettableClock(datetime.fromisoformat(f"{day}T16:00:00+00:00").astimezone(UTC))
        service = books_services(SqliteUnitOfWork(ledger), clock, "Asia/Jakarta")
        start = time.perf_counter()
        closed = service.day_close.close(SUPERVISOR)
        z = books.z_report(ledger.conn, closed["business_date"], "kiosk-1")
        z_ms = (time.perf_counter() - start) * 1000
        assert z["transactions"] == report["transactions"]
        rng = random.Random(11)
        by_receipt = (
            "SELECT sale_id, body FROM sales WHERE device_id = 'kiosk-1' AND receipt_no = ?"
        )
        lookups, sale_ids = [], []
        for receipt_no in (rng.randint(1, n) for _ in range(LOOKUPS)):
            # What RefundService.refund reads before planning: the sale by its receipt
            # number (bench bodies are padding, so the row, not CompletedSale) and the
            # refunds already made against it.
            start = time.perf_counter()
            sale_id, body = ledger.conn.execute(by_receipt, (receipt_no,)).fetchone()
            json.loads(body)
            books.refunds_of_sale(ledger.conn, sale_id)
            lookups.append(time.perf_counter() - start)
            sale_ids.append(sale_id)
        rng.shuffle(sale_ids)
        baseline = []
        for sale_id in sale_ids:
            start = time.perf_counter()
            row = ledger.conn.execute("SELECT body FROM sales WHERE sale_id = ?", (sale_id,))
            json.loads(row.fetchone()[0])
            baseline.append(time.perf_counter() - start)
        return z_ms, report_ms, _p99(lookups), _p99(baseline), int(report["transactions"])
    finally:
        ledger.close()
        _remove(work)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="a 100,000-sale ledger")
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "pi-pos-bench")
    args = parser.parse_args(argv)
    args.cache.mkdir(parents=True, exist_ok=True)
    n = 100_000 if args.quick else 1_000_000
    z_ms, report_ms, lookup_p99, pk_p99, count = bench(args.cache, n)
    print(f"Z close of a {count:,}-sale day in a {n:,}-sale ledger: {z_ms:.1f} ms"
          f" (baseline day report {report_ms:.1f} ms, {z_ms / report_ms:.2f}x)")  # fmt: skip
    print(f"refund lookup by receipt number: p99 {lookup_p99:.3f} ms"
          f" (baseline sale by primary key p99 {pk_p99:.3f} ms, {lookup_p99 / pk_p99:.2f}x)")  # fmt: skip
    ok = True
    if n == 1_000_000 and z_ms > Z_CLOSE_BUDGET_MS:
        print(f"  BUDGET BLOWN: Z close {z_ms:.1f} ms > {Z_CLOSE_BUDGET_MS} ms")
        ok = False
    if n == 1_000_000 and lookup_p99 > LOOKUP_P99_BUDGET_MS:
        print(f"  BUDGET BLOWN: refund lookup p99 {lookup_p99:.3f} ms > {LOOKUP_P99_BUDGET_MS} ms")
        ok = False
    print("budgets:", "met" if ok else "BLOWN")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
