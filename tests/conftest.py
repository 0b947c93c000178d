"""Fixtures shared by every test folder: a till's ledger in a real SQLite file and a
clock the test moves. A folder or a module picks the ledger's till with ``device_id``.
Also the order the suite runs in: the long modules first (see below)."""

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
def device_id() -> str:
    """The till the ``ledger`` fixture belongs to; a folder or module overrides it."""
    return "k1"


@pytest.fixture
def ledger(tmp_path: Path, device_id: str) -> Iterator[SqliteLedger]:
    ledger = SqliteLedger(tmp_path / "ledger.sqlite", device_id)
    yield ledger
    ledger.close()


# Folders whose tests start processes (a Kivy till under X, brokers, `kiosk` commands),
# longest first; anything else (tests/drivers, tests/unit) after them. With xdist's
# worksteal (scripts/run-tests.sh) a worker that runs dry takes half of the other's
# queue, so the run ends on short tests and both workers finish together; with the
# long ones last, one worker ran them alone for minutes while the other sat idle.
FIRST = ("ui", "faults", "integration", "appliance", "payments", "fleet")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Modules with a `slow` test, then FIRST's folders in that order, then the rest; a
    stable sort, so each module's tests stay together and in their own order (module
    fixtures are made once)."""
    slow = {item.path for item in items if item.get_closest_marker("slow")}
    here = Path(__file__).parent

    def rank(item: pytest.Item) -> tuple[int, int]:
        top = item.path.relative_to(here).parts[0] if item.path.is_relative_to(here) else ""
        return (0 if item.path in slow else 1, FIRST.index(top) if top in FIRST else len(FIRST))

    items.sort(key=rank)
