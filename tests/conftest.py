"""Fixtures shared by every test folder: a till's ledger in a real SQLite file and a
clock the test moves. A folder's own conftest or a test module may define its own."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from kiosk.storage.ledger import SqliteLedger
from kiosk.testing.clock import SettableClock


@pytest.fixture
def clock() -> SettableClock:
    return SettableClock(datetime(2026, 11, 20, 3, 0, tzinfo=UTC))


@pytest.fixture
def ledger(tmp_path: Path) -> Iterator[SqliteLedger]:
    ledger = SqliteLedger(tmp_path / "ledger.sqlite", "k1")
    yield ledger
    ledger.close()
