"""The clock of a Pi going back 3 years (a boot without network) and forward a day: no
sale is dated before the previous one, an ended day stays closed, every correction is
journaled, and the journal verifies throughout."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from kiosk.domain.catalog import Catalog, Product
from kiosk.services.checkout import CheckoutConfig, CheckoutService
from kiosk.services.clock_guard import GuardedClock
from kiosk.storage import journal, reports
from kiosk.storage.ledger import SaleRefusedError, SqliteLedger
from kiosk.testing.clock import SettableClock
from kiosk.testing.sales import make_sale

T0 = datetime(2026, 11, 27, 3, 0, tzinfo=UTC)  # 10:00 in Jakarta
THREE_YEARS = timedelta(days=3 * 365)
CATALOG = Catalog([Product(sku="TEH", name="Teh", price=5000, category="Minuman")])


class Monotonic:
    def __init__(self) -> None:
        self.value = 50.0

    def __call__(self) -> float:
        return self.value


def sell(ledger: SqliteLedger, clock: GuardedClock) -> tuple[str, str]:
    checkout = CheckoutService(catalog=CATALOG, ledger=ledger, clock=clock,
                               config=CheckoutConfig(store_id="s1", device_id="kiosk-1"))  # fmt: skip
    checkout.add_sku("TEH")
    checkout.pay_cash(5000)
    sale = checkout.complete()
    return sale.business_date, sale.created_at


def stamps(ledger: SqliteLedger, kind: str) -> list[dict[str, object]]:
    rows = ledger.conn.execute("SELECT payload FROM journal WHERE kind = ? ORDER BY seq", (kind,))
    return [json.loads(r[0]) for r in rows]


@pytest.fixture
def ledger(tmp_path: Path):
    led = SqliteLedger(tmp_path / "ledger.sqlite", "kiosk-1")
    yield led
    assert journal.verify(led.conn).ok, journal.verify(led.conn).problem
    led.close()


def test_back_three_years_then_synchronised(ledger: SqliteLedger) -> None:
    first = sell(ledger, GuardedClock(SettableClock(T0), ledger, monotonic=Monotonic()))
    # Power cut, boot without network: the system clock says three years ago.
    mono = Monotonic()
    raw = SettableClock(T0 - THREE_YEARS)
    clock = GuardedClock(raw, ledger, monotonic=mono)
    mono.value += 30
    day, at = sell(ledger, clock)
    assert not clock.synchronised
    assert day == first[0] and at > first[1]  # dated after the previous sale, same day
    three_years_ago = (T0 - THREE_YEARS).date().isoformat()
    assert reports.day_report(ledger.conn, three_years_ago)["transactions"] == 0
    # Network back: NTP sets the time; the correction is journaled and selling goes on.
    mono.value += 30
    raw.at = T0 + timedelta(minutes=5)
    assert sell(ledger, clock)[1] > at and clock.synchronised
    [correction] = stamps(ledger, "clock_set")
    assert correction["was_synchronised"] is False
    assert str(correction["from"]).startswith(T0.date().isoformat())


def test_forward_one_day_closes_the_day_before(ledger: SqliteLedger) -> None:
    mono = Monotonic()
    raw = SettableClock(T0)
    clock = GuardedClock(raw, ledger, monotonic=mono)
    today, _ = sell(ledger, clock)
    raw.advance(24 * 3600)  # someone sets the clock a day ahead
    tomorrow, at = sell(ledger, clock)
    assert tomorrow > today and len(stamps(ledger, "clock_set")) == 1
    with pytest.raises(SaleRefusedError, match=f"business day {today} has ended"):
        ledger.commit_sale(make_sale(random.Random(1), business_date=today, created_at=at))
    # Set back again (the forward jump was the mistake): the floor holds, sales are not
    # dated before the last one, and the till says its clock is not synchronised.
    raw.advance(-24 * 3600)
    mono.value += 10
    day, later = sell(ledger, clock)
    assert (day, later > at, clock.synchronised) == (tomorrow, True, False)
    assert reports.day_report(ledger.conn, today)["transactions"] == 1


def test_demo_sales_onto_a_closed_past_are_refused_with_a_message(tmp_path: Path) -> None:
    def demo() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "kiosk", "--data-dir", str(tmp_path / "dev"), "demo-data",
             "--days", "1", "--per-day", "5"],
            capture_output=True, text=True, timeout=120, check=False,
        )  # fmt: skip

    assert demo().returncode == 0
    again = demo()
    assert again.returncode != 0 and "demo sales not added" in again.stderr
    assert "before the previous sale" in again.stderr and "unexpected" not in again.stderr
