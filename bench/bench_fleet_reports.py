"""A store's month on the fleet: the month report and the analytics over 1M sale lines.

    python -m bench.bench_fleet_reports [--sales 200000] [--runs 3] [--refunds 10]
                                        [--reports-only]

A fresh PostgreSQL database (the local server, or a throwaway cluster as the tests use)
gets one store's month: 200,000 sales of 5 lines (1M sale lines) over 30 days from two
kiosks, filled by bulk SQL straight into the month's partitions, with the products bought
together counted from those lines as ingest counts them (``sale_pairs``), and a year of
the store's books events before it and through it (each kiosk's refunds, shift close and Z
every day, ``--refunds`` refunds a day, stored as ingest stores them), then ANALYZE.
Timed, the median of ``--runs`` after one warm-up:

- the month report (``fleet.services.reports.period_report`` over the 30 days, what the
  report page shows for a month), and beside it one day's report (``--reports-only``:
  these two alone);
- each analytics page's figures: the overview (``store_analytics``: trend, best and slow
  sellers, basket, hours, members) and every view of ``fleet.web.analytics_routes.VIEWS``
  (heatmap, comparison, ABC, stock cover, bought together...), each a page of its own.

Baseline in the same run: one aggregate over the month's sale lines (count, units,
amount), the database's own cost of reading them once; each figure is printed as a
ratio of it. Budget (issue 12): the month report and each analytics page <= 1 s.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa

from fleet.services import analytics, reports
from fleet.storage import repository, sale_pairs
from fleet.storage.engine import open_engine
from fleet.storage.repository import Partitions
from fleet.web.analytics_routes import VIEWS
from kiosk.testing.postgres import fresh_database, server_url

BUDGET_S = 1.0
STORE = "toko-001"
FIRST = date(2026, 11, 1)
DAYS = 30
LINES_PER_SALE = 5
HISTORY_DAYS = 365  # books events this many days before the month, and through it


def _fill_sql(sales: int) -> list[str]:
    """One store, two kiosks, ``sales`` sales spread evenly over the month's days, from
    06:00 to 22:00 WIB (23:00-15:00 UTC), 5 lines each over 2,000 SKUs."""
    per_day = -(-sales // DAYS)
    day = f"(DATE '{FIRST.isoformat()}' + ((i - 1) / {per_day})::int)"
    seconds = 16 * 3600 / per_day
    at = (
        f"to_char({day} - INTERVAL '1 hour' + ((i - 1) % {per_day}) * INTERVAL '{seconds:.3f}"
        ' seconds\', \'YYYY-MM-DD"T"HH24:MI:SS.US"Z"\')'
    )
    ids = f"generate_series(1, {sales}) AS i"
    return [
        "INSERT INTO sales (business_date, sale_id, store_id, device_id, receipt_no,"
        " created_at, received_at, total, discount_total, cash_rounding, payable, cashier,"
        " member_id, mode, channel, journal_hash, body, void_count, void_amount)"
        f" SELECT {day}, lpad(to_hex(i), 32, '0'), '{STORE}', 'k' || (i % 2 + 1), i, {at},"
        f" {at}, 50000 + i % 1000 * 10, i % 3 * 500, 0, 50000 + i % 1000 * 10,"
        " CASE i % 2 WHEN 0 THEN 'ana' ELSE 'budi' END,"
        " CASE WHEN i % 4 = 0 THEN 'M' || (i % 5000) ELSE '' END, 'counter', 'store', '',"
        f" '{{}}', (i % 50 = 0)::int, (i % 50 = 0)::int * 4000 FROM {ids}",
        "INSERT INTO sale_lines (business_date, sale_id, line_no, store_id, sku, name,"
        " category, qty, weight_g, unit_price, gross, discount, amount)"
        f" SELECT {day}, lpad(to_hex(i), 32, '0'), k, '{STORE}', 'SKU' || (i * 7 + k * 13) % 2000,"
        " 'Item ' || (i * 7 + k * 13) % 2000, 'cat' || (i * 7 + k * 13) % 20, 1 + k % 3, 0,"
        f" 10000, 10000 * (1 + k % 3), 0, 10000 * (1 + k % 3) FROM {ids},"
        f" generate_series(1, {LINES_PER_SALE}) AS k",
        "INSERT INTO sale_tenders (business_date, sale_id, seq, store_id, method, amount,"
        f" reference) SELECT {day}, lpad(to_hex(i), 32, '0'), 1, '{STORE}',"
        " CASE i % 3 WHEN 0 THEN 'cash' WHEN 1 THEN 'card' ELSE 'qris' END,"
        f" 50000 + i % 1000 * 10, '' FROM {ids}",
        "INSERT INTO sale_taxes (business_date, sale_id, rate_percent, store_id, taxable, dpp,"
        f" ppn) SELECT {day}, lpad(to_hex(i), 32, '0'), '11', '{STORE}', 50000, 45045, 4955"
        f" FROM {ids}",
    ]


def _books_events(refunds_a_day: int) -> list[tuple[str, dict[str, Any]]]:
    """(device, event document) of each kiosk's books over the year before the month and
    through it: every day ``refunds_a_day`` refunds (one line, in cash, at 20:00 WIB), the
    cashier's shift close and the Z (its business day's, taken at 21:00 WIB)."""
    out = []
    for d in range(-HISTORY_DAYS, DAYS):
        day = FIRST + timedelta(days=d)
        stamp = f"{day.isoformat()}T{{}}:00:00.000000Z"
        for k, device in enumerate(("k1", "k2")):
            for n in range(refunds_a_day):
                payload = {
                    "refund_id": f"{device}-{d}-{n}", "device_id": device,
                    "sale_id": f"{device}-sale-{d}-{n}", "receipt_no": n + 1,
                    "business_date": day.isoformat(), "created_at": stamp.format(13),
                    "lines": [{"line_no": 1, "sku": f"SKU{n}", "qty": 1, "amount": -10000,
                               "restock": True}],
                    "rounding": 0, "total": -10000, "ppn": 991, "cash": 10000,
                    "tenders": [{"index": 0, "method": "cash", "amount": -10000,
                                 "paid_as": "cash", "points": 0}],
                    "by": "Budi", "cash_approved_by": "",
                }  # fmt: skip
                out.append((device, {"kind": "refund", "at": stamp.format(13),
                                     "ref": payload["refund_id"], "payload": payload}))  # fmt: skip
            shift = {"by": "Budi", "business_date": day.isoformat(), "shift_id": f"{device}-{d}",
                     "cashier": "Budi", "over_short": -100 * k}  # fmt: skip
            z = {"by": "Budi", "business_date": day.isoformat(), "z_number": d + HISTORY_DAYS + 1,
                 "closed_at": stamp.format(14)}  # fmt: skip
            out.append((device, {"kind": "shift_close", "at": stamp.format(14),
                                 "ref": shift["shift_id"], "payload": shift}))  # fmt: skip
            out.append((device, {"kind": "z_close", "at": stamp.format(14),
                                 "ref": f"Z{z['z_number']}", "payload": z}))  # fmt: skip
    return out


def fill(engine: sa.Engine, sales: int, refunds_a_day: int) -> float:
    """Bulk-load the month and store the year's books events; seconds taken."""
    started = time.perf_counter()
    with engine.begin() as conn:
        partitions = Partitions()
        for offset in (-DAYS, 0, DAYS):  # the month before (the comparison), this, next
            partitions.ensure(conn, FIRST + timedelta(days=offset))
        for statement in _fill_sql(sales):
            conn.execute(sa.text(statement))
        sale_pairs.count_from_lines(conn)  # what ingest counts per sale, from the lines
        for device, doc in _books_events(refunds_a_day):
            event_id = f"{device}:{doc['kind']}:{doc['ref']}"
            assert repository.store_event(conn, doc, event_id=event_id, store_id=STORE,
                                          device_id=device)  # fmt: skip
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(sa.text("ANALYZE"))
    return time.perf_counter() - started


def _median_s(action: Callable[[], Any], runs: int) -> float:
    action()  # warm-up: plans and caches, as a page served twice
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def measure(engine: sa.Engine, runs: int, *, reports_only: bool) -> dict[str, float]:
    last = FIRST + timedelta(days=DAYS - 1)
    month = [(FIRST + timedelta(days=d)).isoformat() for d in range(DAYS)]
    lines = sa.table("sale_lines", sa.column("store_id"), sa.column("business_date"),
                     sa.column("qty"), sa.column("amount"))  # fmt: skip

    with engine.connect() as conn:

        def baseline() -> Any:
            return conn.execute(
                sa.select(sa.func.count(), sa.func.sum(lines.c.qty), sa.func.sum(lines.c.amount))
                .where(lines.c.store_id == STORE)
                .where(lines.c.business_date.between(FIRST, last))
            ).one()

        def month_report() -> dict[str, Any]:
            return reports.period_report(conn, STORE, month[0], month[-1])

        def day_report() -> dict[str, Any]:
            return reports.day_report(conn, STORE, month[len(month) // 2])

        def overview() -> dict[str, Any]:
            return analytics.store_analytics(conn, STORE, FIRST, last)

        def view(name: str) -> Callable[[], Any]:
            return lambda: VIEWS[name](conn, STORE, FIRST, last)

        count = baseline()[0]
        assert count > 0, "the month has no sale lines"
        assert day_report()["refunds"]["count"] > 0, "the day has no refunds"
        figures = {
            "lines": float(count),
            "baseline": _median_s(baseline, runs),
            "day report": _median_s(day_report, runs),
            "month report": _median_s(month_report, runs),
        }
        if reports_only:
            return figures
        return (
            figures
            | {"analytics: overview": _median_s(overview, runs)}
            | {f"analytics: {name}": _median_s(view(name), runs) for name in VIEWS}
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sales", type=int, default=200_000, help="sales in the month")
    parser.add_argument("--runs", type=int, default=3, help="timed runs after a warm-up")
    parser.add_argument("--refunds", type=int, default=10, help="refunds a kiosk makes a day")
    parser.add_argument("--reports-only", action="store_true", help="no analytics pages")
    args = parser.parse_args(argv)
    with server_url() as admin, fresh_database(admin) as url:
        engine = open_engine(url)
        try:
            loaded = fill(engine, args.sales, args.refunds)
            figures = measure(engine, args.runs, reports_only=args.reports_only)
        finally:
            engine.dispose()
    base = figures["baseline"]
    print(f"PostgreSQL, one store's month: {args.sales:,} sales, {figures['lines']:,.0f} sale"
          f" lines, {HISTORY_DAYS + DAYS} days of books events with {args.refunds} refunds a"
          f" kiosk a day (loaded in {loaded:.0f} s)")  # fmt: skip
    print(f"  baseline, one aggregate over the month's lines: {base * 1000:8.1f} ms")
    ok = True
    for name, took in figures.items():
        if name in ("lines", "baseline"):
            continue
        verdict = "ok" if took <= BUDGET_S else f"BUDGET BLOWN (> {BUDGET_S:.0f} s)"
        if name == "day report":
            verdict = "(no budget)"
        print(f"  {name:<24} {took * 1000:8.1f} ms = {took / base:5.1f}x the baseline  {verdict}")
        ok = ok and took <= BUDGET_S
    print("budgets:", "met" if ok else "BLOWN")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
