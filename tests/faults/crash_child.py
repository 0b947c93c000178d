"""Child process for test_crash_kill: commits sales (and some events) until killed.

Usage: python crash_child.py DB_PATH SEED. Prints "ready" once the ledger is open, then
one "committed <sale_id> <receipt_no>" line per sale after ``commit_sale`` returned.
"""

from __future__ import annotations

import random
import sys

from kiosk.storage.ledger import SqliteLedger
from kiosk.testing.sales import make_sale


def main() -> None:
    db_path, seed = sys.argv[1], int(sys.argv[2])
    rng = random.Random(seed)
    ledger = SqliteLedger(db_path, "kiosk-1")
    print("ready", flush=True)
    n = 0
    while True:
        n += 1
        stamp = f"2026-11-27T06:{n // 60 % 60:02d}:{n % 60:02d}.{seed % 10**6:06d}Z"
        sale = ledger.commit_sale(make_sale(rng, created_at=stamp))
        print(f"committed {sale.sale_id} {sale.receipt_no}", flush=True)
        if n % 5 == 0:
            ledger.record_event("no_sale", f"drawer-{seed}-{n}", {"n": n}, stamp)
        if n % 40 == 0:
            ledger.checkpoint()


if __name__ == "__main__":
    main()
