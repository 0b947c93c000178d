"""Load for demos, benchmarks and broker tests: numbered sales through the real ledger."""

from __future__ import annotations

from pathlib import Path

from kiosk.storage.ledger import SqliteLedger
from kiosk.testing.sales import numbered_sale


def commit_sales(
    db_path: str | Path, store_id: str, device_id: str, count: int, *, start: int = 0
) -> list[str]:
    """Commit ``count`` sales through the real ledger; returns their ids in order."""
    ledger = SqliteLedger(db_path, device_id)
    try:
        return [
            ledger.commit_sale(numbered_sale(store_id, device_id, start + i)).sale_id
            for i in range(count)
        ]
    finally:
        ledger.close()
