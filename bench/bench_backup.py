"""The nightly backup against a busy till: the online copy of a 100,000-sale ledger while
another thread commits sales, and what the copy costs those commits.

    python -m bench.bench_backup [--sales N]

Budget (exit status 1 when blown): the copy finishes within 60 s while sales are being
committed (a copy made in small steps restarts on every commit and, on a busy till, never
finishes). Figures: copy time and MB/s; commit p50/p99/max during the copy, against the
same commits with no copy running (baseline, same run). The journal check that follows a
copy is timed on its own (a bulk-built ledger has no chained hashes to check, so the
check is timed on a real 2,000-sale chain).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

from bench.bench_ledger import _ms, build_ledger, five_line_sale, ledger_name
from kiosk.appliance.backup import check, snapshot
from kiosk.storage.ledger import SqliteLedger

COPY_BUDGET_S = 60.0


def commits_while(work: Path, busy: threading.Event, done: threading.Event) -> list[float]:
    """Commit 5-line sales every 5 ms until ``done``; latencies while ``busy`` is set."""
    ledger = SqliteLedger(work, "kiosk-1")
    samples: list[float] = []
    i = 0
    while not done.is_set():
        sale = five_line_sale(10_000_000 + i)
        i += 1
        start = time.perf_counter()
        ledger.commit_sale(sale)
        if busy.is_set():
            samples.append(time.perf_counter() - start)
        time.sleep(0.005)
    ledger.close()
    return samples


def run_phase(work: Path, seconds: float | None, copy_to: Path | None) -> tuple[list[float], float]:
    busy, done = threading.Event(), threading.Event()
    out: list[list[float]] = []
    worker = threading.Thread(target=lambda: out.append(commits_while(work, busy, done)))
    worker.start()
    time.sleep(0.5)  # the till is warm
    busy.set()
    started = time.perf_counter()
    if copy_to is not None:
        snapshot(work, copy_to)
    else:
        time.sleep(seconds or 1.0)
    took = time.perf_counter() - started
    busy.clear()
    done.set()
    worker.join()
    return out[0], took


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sales", type=int, default=100_000)
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "pi-pos-bench")
    args = parser.parse_args(argv)
    args.cache.mkdir(parents=True, exist_ok=True)
    source = args.cache / ledger_name(args.sales)
    build_ledger(source, args.sales)
    work_dir = Path(tempfile.mkdtemp(dir=args.cache))
    try:
        work = work_dir / "ledger.sqlite"
        shutil.copyfile(source, work)
        size_mb = work.stat().st_size / 1e6
        copied, took = run_phase(work, None, work_dir / "copy.sqlite")
        baseline, _ = run_phase(work, took, None)
        print(f"online copy of a {args.sales:,}-sale ledger ({size_mb:.0f} MB) while selling:"
              f" {took:.2f} s ({size_mb / took:.0f} MB/s), {len(copied)} sales committed meanwhile")  # fmt: skip
        for name, samples in (("during the copy", copied), ("no copy (baseline)", baseline)):
            p50, p99 = _ms(samples)
            print(f"  commit {name:<20} p50 {p50:6.2f} ms  p99 {p99:6.2f} ms"
                  f"  max {max(samples) * 1000:6.2f} ms  ({len(samples)} sales)")  # fmt: skip
        demo = work_dir / "chain.sqlite"
        chain = SqliteLedger(demo, "kiosk-1")
        for i in range(2_000):
            chain.commit_sale(five_line_sale(i))
        chain.close()
        check_started = time.perf_counter()
        records = check(demo)
        print(f"journal check of a copy: {records:,} chained records in"
              f" {time.perf_counter() - check_started:.2f} s")  # fmt: skip
    finally:
        shutil.rmtree(work_dir, ignore_errors=True)
    ok = took <= COPY_BUDGET_S
    if not ok:
        print(f"  BUDGET BLOWN: copy took {took:.1f} s > {COPY_BUDGET_S} s")
    print("budgets:", "met" if ok else "BLOWN")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
