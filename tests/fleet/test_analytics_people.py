"""Member RFM segments and per-cashier loss-prevention figures, against what the kiosks
published (sales, and the journal events of cancels, no-sales, price overrides, refunds
and approvals made through their real ledger and books), on both engines; pages and CSV."""

from __future__ import annotations

import csv
import io
import random
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from fractions import Fraction
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from fastapi.testclient import TestClient

from fleet.web import create_app
from kiosk.services.books import books_services
from kiosk.services.staff import StaffMember
from kiosk.storage.ledger import SqliteLedger
from kiosk.storage.unit_of_work import SqliteUnitOfWork
from kiosk.testing.clock import SettableClock
from tests.fleet.accounts import signed_in
from tests.fleet.analytics_sales import ring_up_plan
from tests.fleet.test_analytics_products import pct

FIRST, LAST = date(2026, 11, 1), date(2026, 11, 28)
QUERY = f"start={FIRST}&end={LAST}"


def day(n: int) -> date:
    return FIRST + timedelta(days=n - 1)


def client_for(engine: sa.Engine) -> TestClient:
    client = TestClient(create_app(engine))
    signed_in(engine, client, "manager", role="manager", stores=["store-1"])
    return client


def member_plan(rng: random.Random) -> list[dict[str, Any]]:
    visits = {"M-CHAMP": [day(d) for d in (3, 7, 10, 14, 18, 21, 25, 28)],
              "M-NEW": [day(27)], "M-RISK": [day(d) for d in range(1, 8)], "M-LOST": [day(2)]}  # fmt: skip
    for n in range(5, 13):  # the others last came before M-NEW and M-CHAMP
        visits[f"M{n:02d}"] = [day(rng.randint(10, 26)) for _ in range(rng.randint(1, 5))]
    plan = [
        {"day": d, "hour": rng.randint(8, 20), "member_id": m}
        for m, days in visits.items()
        for d in days
    ]
    plan.append({"day": day(28), "hour": 9})  # not a member
    plan.append({"day": date(2026, 10, 30), "hour": 9, "member_id": "M-LOST"})  # before the period
    return plan


def score(value: int, values: list[int], low_is_good: bool = False) -> int:
    beaten = sum(1 for v in values if (v > value if low_is_good else v < value))
    return 1 + 5 * beaten // len(values)


def test_members_by_rfm_segment(fleet_engine: sa.Engine, tmp_path: Path) -> None:
    docs = ring_up_plan(fleet_engine, tmp_path, "k1", member_plan(random.Random(3)), 1)
    mine = [d for d in docs if d["member_id"] and str(FIRST) <= d["business_date"] <= str(LAST)]
    last: dict[str, str] = {}
    visits: Counter[str] = Counter()
    spent: Counter[str] = Counter()
    for doc in mine:
        last[doc["member_id"]] = max(last.get(doc["member_id"], ""), doc["business_date"])
        visits[doc["member_id"]] += 1
        spent[doc["member_id"]] += doc["total"]
    recency = {m: (LAST - date.fromisoformat(d)).days for m, d in last.items()}
    data = client_for(fleet_engine).get(f"/api/stores/store-1/analytics/rfm?{QUERY}").json()
    got = {x["member_id"]: x for x in data["members"]}
    assert set(got) == set(visits) and data["member_count"] == 12
    for member, row in got.items():
        assert (row["recency_days"], row["frequency"], row["monetary"]) == (
            recency[member], visits[member], spent[member])  # fmt: skip
        assert row["r"] == score(recency[member], list(recency.values()), low_is_good=True)
        assert row["f"] == score(visits[member], list(visits.values()))
        assert row["m"] == score(spent[member], list(spent.values()))
    assert got["M-CHAMP"]["segment"] == "champions" and got["M-NEW"]["segment"] == "new"
    assert got["M-RISK"]["segment"] == "at_risk" and got["M-LOST"]["segment"] == "lost"
    assert got["M-LOST"]["frequency"] == 1  # the October visit is outside the period
    repeat = sum(1 for n in visits.values() if n >= 2)
    assert (data["repeat_members"], data["repeat_rate"]) == (repeat, pct(repeat, 12))
    segments = {g["segment"]: g for g in data["segments"]}
    assert sum(g["members"] for g in segments.values()) == 12
    assert segments["champions"]["monetary"] == sum(
        x["monetary"] for x in data["members"] if x["segment"] == "champions")  # fmt: skip


ANI = StaffMember("s-ani", "Ani", "cashier")
BUDI = StaffMember("s-budi", "Budi", "supervisor")
DEDI = StaffMember("s-dedi", "Dedi", "supervisor")
EVENING = datetime(2026, 11, 28, 13, 0, tzinfo=UTC)  # 20:00 WIB on the period's last day


def cashier_plan(rng: random.Random) -> list[dict[str, Any]]:
    """Ten sales each; the till writes some cashiers by id, replay by name. Ani voids a
    line in six of hers, everyone else in one."""
    plan = []
    for cashier, voiding in (("s-ani", 6), ("Budi", 1), ("Citra", 1), ("s-dedi", 1)):
        for n in range(10):
            plan.append({"day": day(rng.randint(1, 27)), "hour": rng.randint(8, 20),
                         "cashier": cashier, "voided": 1 if n < voiding else 0})  # fmt: skip
    return plan


def journal(ledger: SqliteLedger) -> None:
    """What the counter journals for cancels, overrides and approvals, and the books'
    own no-sales and refunds, all on the period's last evening (one cancel after it)."""
    stamp = EVENING.strftime("%Y-%m-%dT%H:%M:%S.000000Z")

    def cancel(who: StaffMember, n: int, at: str = stamp) -> None:
        ledger.record_event("sale_cancelled", f"b-{who.staff_id}-{n}",
                            {"reason": "pelanggan batal", "basket": {}, "total": 5000 + n,
                             "staff_id": who.staff_id, "staff_name": who.name,
                             "role": who.role}, at)  # fmt: skip

    for n in range(5):
        cancel(DEDI, n)
    cancel(ANI, 0)
    cancel(ANI, 1, "2026-11-29T13:00:00.000000Z")  # 20:00 WIB on the 29th: not in the period
    ledger.record_event("supervisor_approval", "b-c", {"action": "price_override", "detail": {},
                        "supervisor_id": "s-budi", "supervisor_name": "Budi",
                        "staff_id": "s-citra", "staff_name": "Citra", "role": "cashier"}, stamp)  # fmt: skip
    for n in range(3):
        ledger.record_event("price_override", f"b-c{n}", {"line_no": 1, "sku": "SKU001",
                            "old": 10_000, "new": 9_000, "staff": "s-citra"}, stamp)  # fmt: skip
    books = books_services(SqliteUnitOfWork(ledger), SettableClock(EVENING), "Asia/Jakarta")
    for who, times in ((DEDI, 4), (BUDI, 1)):
        for n in range(times):
            books.shifts.no_sale(who, "uang kecil", f"ns-{who.staff_id}-{n}")
    for receipt in (1, 2):
        books.refunds.refund(BUDI, receipt, [(1, 1)], restock=True, cash_approver=BUDI)


def test_loss_prevention_per_cashier(fleet_engine: sa.Engine, tmp_path: Path) -> None:
    docs = ring_up_plan(fleet_engine, tmp_path, "k1", cashier_plan(random.Random(4)), 2, journal)
    key = {"s-ani": "s-ani", "Budi": "s-budi", "Citra": "s-citra", "s-dedi": "s-dedi"}
    wanted: dict[str, Counter[str]] = {k: Counter() for k in key.values()}
    for doc in docs:
        into = wanted[key[doc["cashier"]]]
        into.update(sales=1, gross=doc["total"] + doc["discount_total"],
                    discounts=doc["discount_total"], voids=len(doc["extra"].get("voided_lines", [])))  # fmt: skip
    wanted["s-dedi"].update(cancels=5, no_sales=4)
    wanted["s-ani"].update(cancels=1)
    wanted["s-budi"].update(no_sales=1, refunds=2)
    wanted["s-citra"].update(price_overrides=3)
    store: Counter[str] = Counter()
    for counts in wanted.values():
        store.update(counts)
    data = client_for(fleet_engine).get(f"/api/stores/store-1/analytics/loss?{QUERY}").json()
    rows = {c["staff_id"]: c for c in data["cashiers"]}
    assert set(rows) == set(wanted)
    assert [c["cashier"] for c in data["cashiers"]] == ["Ani", "Budi", "Citra", "Dedi"]
    for staff_id, counts in wanted.items():
        row = rows[staff_id]
        for figure in ("sales", "gross", "discounts", "voids", "cancels", "refunds", "no_sales",
                       "price_overrides"):  # fmt: skip
            assert row[figure] == counts[figure], (staff_id, figure)
        for figure in ("voids", "cancels", "refunds", "no_sales", "price_overrides"):
            assert row["rates"][figure] == pct(counts[figure], counts["sales"])
        assert row["rates"]["discounts"] == pct(counts["discounts"], counts["gross"])
        flags = [f for f in ("voids", "cancels", "refunds", "no_sales", "price_overrides")
                 if counts[f] >= 2 and Fraction(counts[f], counts["sales"])
                 >= 2 * Fraction(store[f], store["sales"])]  # fmt: skip
        if counts["discounts"] and Fraction(counts["discounts"], counts["gross"]) >= 2 * Fraction(
                store["discounts"], store["gross"]):  # fmt: skip
            flags.append("discounts")
        assert row["flags"] == flags, staff_id
    assert rows["s-dedi"]["flags"][:2] == ["cancels", "no_sales"]
    assert "voids" in rows["s-ani"]["flags"] and "price_overrides" in rows["s-citra"]["flags"]
    assert "refunds" in rows["s-budi"]["flags"] and "cancels" not in rows["s-ani"]["flags"]
    refunded = rows["s-budi"]["refund_amount"]
    assert refunded > 0 and data["store"]["refund_amount"] == refunded
    assert data["store"]["sales"] == 40 and data["store"]["cancels"] == 6


def test_pages_and_csv(fleet_engine: sa.Engine, tmp_path: Path) -> None:
    ring_up_plan(fleet_engine, tmp_path, "k1", cashier_plan(random.Random(4)), 2, journal)
    ring_up_plan(fleet_engine, tmp_path, "k2", member_plan(random.Random(3)), 1)
    client = client_for(fleet_engine)
    page = client.get(f"/stores/store-1/analytics/loss?{QUERY}&lang=id").text
    assert "Kasir: tanda kebocoran" in page and "Seluruh toko" in page and "Dedi" in page
    assert "Transaksi dibatalkan" in page and "s-dedi" not in page
    english = client.get(f"/stores/store-1/analytics/loss?{QUERY}&lang=en").text
    assert "Cancelled sales" in english and "Look into" in english
    page = client.get(f"/stores/store-1/analytics/rfm?{QUERY}&lang=id").text
    assert "Pelanggan terbaik" in page and "Mulai menjauh" in page and "champions" not in page
    rows = list(
        csv.reader(
            io.StringIO(client.get(f"/stores/store-1/analytics/loss/csv?{QUERY}&lang=en").text)
        )
    )
    assert rows[0][:3] == ["Cashier", "Transactions", "Voids"] and rows[0][-1] == "Look into"
    dedi = next(r for r in rows if r[0] == "Dedi")
    assert dedi[4] == "5" and "Cancelled sales" in dedi[-1]
    rows = list(
        csv.reader(
            io.StringIO(client.get(f"/stores/store-1/analytics/rfm/csv?{QUERY}&lang=id").text)
        )
    )
    assert rows[0][0] == "Member" and {r[-1] for r in rows[1:]} >= {"Pelanggan terbaik", "Baru"}
