"""Test helper for the analysis views: sales rung up on real kiosk ledgers on chosen days
and hours (by chosen cashiers, for chosen members), published to the fleet as the
kiosk's outbox drain would; returns the sale documents as published, from which each
test works out what the fleet must show."""

from __future__ import annotations

import dataclasses
import json
import random
import sqlite3
from collections import Counter
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from kiosk.storage.ledger import SqliteLedger
from kiosk.testing.sales import make_sale
from tests.fleet.test_fleet_reports import publish_to_fleet

WIB = timedelta(hours=7)


def utc_stamp(day: date, local_hour: int, minute: int = 0) -> str:
    """A WIB local time on ``day`` as the kiosk writes it (UTC)."""
    moment = datetime(day.year, day.month, day.day, local_hour, minute, tzinfo=UTC) - WIB
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def ring_up_plan(
    engine: sa.Engine,
    tmp_path: Path,
    device: str,
    plan: list[dict[str, Any]],
    seed: int,
    then: Callable[[SqliteLedger], None] | None = None,
    store: str = "store-1",
) -> list[dict[str, Any]]:
    """One sale per item of ``plan`` ({"day": date, "hour": local hour, optional "cashier",
    "member_id", "lines", "voided": lines voided before payment}), then ``then`` (more
    done on the same ledger), then published; the published sale documents."""
    db = tmp_path / f"{device}.db"
    ledger = SqliteLedger(db, device)
    rng = random.Random(seed)
    seen: Counter[tuple[date, int]] = Counter()  # sales so far in each hour: their minute
    try:  # in time order, as a till sells (its ledger refuses a clock that goes back)
        for n, item in enumerate(sorted(plan, key=lambda i: (i["day"], i["hour"]))):
            day: date = item["day"]
            minute = seen[day, item["hour"]]
            seen[day, item["hour"]] += 1
            sale = make_sale(rng, device_id=device, business_date=day.isoformat(),
                             created_at=utc_stamp(day, item["hour"], minute),
                             sale_id=f"{device}-{n:04d}", lines=item.get("lines"))  # fmt: skip
            voided = [{"sku": "VOID", "qty": 1, "amount": 1000 + v}
                      for v in range(item.get("voided", 0))]  # fmt: skip
            sale = dataclasses.replace(sale, cashier=item.get("cashier", "ana"), store_id=store,
                                       member_id=item.get("member_id", ""),
                                       extra={**sale.extra, "voided_lines": voided} if voided
                                       else sale.extra)  # fmt: skip
            ledger.commit_sale(sale)
        if then is not None:
            then(ledger)
    finally:
        ledger.close()
    publish_to_fleet(engine, db, device, store)
    rows = sqlite3.connect(db).execute("SELECT payload FROM outbox WHERE topic = 'sale'")
    return [json.loads(payload) for (payload,) in rows]


def random_plan(rng: random.Random, first: date, days: int, per_day: int) -> list[dict[str, Any]]:
    """Up to ``per_day`` sales a day (some days none) at shop hours 7..21 WIB."""
    plan = []
    for i in range(days):
        for _ in range(rng.randint(0, per_day)):
            plan.append({"day": first + timedelta(days=i), "hour": rng.randint(7, 21)})
    return plan
