"""Child process for test_crash_kill: commits sales (and some events) until killed.

Usage: python crash_child.py DB_PATH SEED. Prints "ready" once the ledger is open, then
one "committed <sale_id> <receipt_no>" line per sale after ``commit_sale`` returned.
"""

from __future__ import annotations

import random
import sys
from datetime import UTC, datetime

from kiosk.domain.sale import iso_utc
from kiosk.storage.ledger import SqliteLedger
from kiosk.testing.sales import make_sale


def main() -> None:
    db_path, seed = sys.argv[1], int(sys.argv[2])
    rng = random.Random(seed)
    # Checkpoints every 40 sales on the ledger's own thread: killed mid-checkpoint too.
    ledger = SqliteLedger(db_path, "kiosk-1", checkpoint_every=40)
    print("ready", flush=True)
    n = 0
    while True:
        n += 1
        # Real time: each child's sales come after the killed one's (the ledger refuses a
        # sale dated before the previous one).
        stamp = iso_utc(datetime.now(UTC))
        sale = ledger.commit_sale(make_sale(rng, created_at=stamp))
        print(f"committed {sale.sale_id} {sale.receipt_no}", flush=True)
        if n % 5 == 0:
            ledger.record_event("no_sale", f"drawer-{seed}-{n}", {"n": n}, stamp)


if __name__ == "__main__":
    main()
