"""The books' benchmark: the Z close of a 5,000-sale day and the refund lookup by receipt
number, both in a 1M-sale ledger, each against a baseline measured in the same run.

    python -m bench.bench_books [--quick] [--cache DIR]

Budgets (exit status 1 when blown, at 1M sales): Z close (close the day and build its
report) <= 200 ms; refund lookup (the sale by receipt number and its earlier refunds)
p99 <= 5 ms. Baselines: the plain day report, and a lookup of a sale by its primary key.
The ledger is the one bench_ledger builds and caches.

Also measured (figures, no budget of the issue): the printed Z (its document, ESC/POS
bytes and PDF) against the same day report, and a sale's commit with the cost of goods
recorded (every SKU with a known cost) against the same commit with no costs known,
alternating in blocks in one ledger.
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

from bench.bench_ledger import _remove, _working_copy, five_line_sale
from drivers.receipt_render import RenderOptions, lines_bytes
from kiosk.domain.books_report import layout_report, z_document
from kiosk.export.report_files import report_pdf
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


def bench(cache: Path, n: int) -> tuple[float, float, float, float, float, int]:
    """(Z close ms, day report ms, lookup p99 ms, primary-key lookup p99 ms, printed Z
    ms, day's sales)."""
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
        printed_ms = printed_z_ms(ledger, closed["business_date"])
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
        figures = (z_ms, report_ms, _p99(lookups), _p99(baseline), printed_ms)
        return *figures, int(report["transactions"])
    finally:
        ledger.close()
        _remove(work)


def printed_z_ms(ledger: SqliteLedger, day: str) -> float:
    """The Z as it is printed and filed: document, ESC/POS bytes (80 mm) and PDF."""
    start = time.perf_counter()
    z = books.z_report(ledger.conn, day, "kiosk-1")
    document = z_document(z, kind="Z", header=["TOKO"], lang="id", printed_at="-")
    lines_bytes(layout_report(document, 48), RenderOptions())
    report_pdf(document)
    return (time.perf_counter() - start) * 1000


def commit_with_costs(
    cache: Path, n: int, blocks: int = 8, per_block: int = 50
) -> tuple[float, float]:
    """(p99 ms with every SKU's cost known, p99 ms with none), alternating blocks."""
    work = _working_copy(cache, n)
    ledger = SqliteLedger(work, "kiosk-1", checkpoint_every=None)
    try:
        for i in range(50):  # warm the caches
            ledger.commit_sale(five_line_sale(i))
        timed: dict[bool, list[float]] = {True: [], False: []}
        for block in range(blocks):
            costed = block % 2 == 0
            with ledger.conn:
                ledger.conn.execute("DELETE FROM stock_costs")
                if costed:
                    ledger.conn.executemany(
                        "INSERT INTO stock_costs(sku, unit_cost, updated_at) VALUES (?, ?, ?)",
                        [(f"SKU{i:03d}", 3_000 + i, "2026-01-01") for i in range(40)],
                    )
            ledger.checkpoint()
            for i in range(per_block):
                sale = five_line_sale(1000 + block * per_block + i)
                start = time.perf_counter()
                ledger.commit_sale(sale)
                timed[costed].append(time.perf_counter() - start)
        costed_rows = ledger.conn.execute("SELECT count(*) FROM sale_line_costs").fetchone()[0]
        assert costed_rows == 5 * per_block * ((blocks + 1) // 2), costed_rows
        return _p99(timed[True]), _p99(timed[False])
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
    z_ms, report_ms, lookup_p99, pk_p99, printed_ms, count = bench(args.cache, n)
    costed_p99, plain_p99 = commit_with_costs(args.cache, n)
    print(f"Z close of a {count:,}-sale day in a {n:,}-sale ledger: {z_ms:.1f} ms"
          f" (baseline day report {report_ms:.1f} ms, {z_ms / report_ms:.2f}x)")  # fmt: skip
    print(f"refund lookup by receipt number: p99 {lookup_p99:.3f} ms"
          f" (baseline sale by primary key p99 {pk_p99:.3f} ms, {lookup_p99 / pk_p99:.2f}x)")  # fmt: skip
    print(f"printed Z (document, ESC/POS bytes, PDF): {printed_ms:.1f} ms"
          f" (baseline day report {report_ms:.1f} ms, {printed_ms / report_ms:.2f}x)")  # fmt: skip
    print(f"sale commit with cost of goods recorded: p99 {costed_p99:.3f} ms"
          f" (baseline no cost known p99 {plain_p99:.3f} ms, {costed_p99 / plain_p99:.2f}x)")  # fmt: skip
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
