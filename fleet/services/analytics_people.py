"""Who buys and who sells, over a store's period: loyalty members by RFM segment, and
each cashier's loss-prevention figures beside the store's.

RFM: recency = days from a member's last purchase to the period's end, frequency = their
sales in the period, monetary = what those sales came to. Each is scored 1..5 by rank
among the period's members (5 = most recent, most frequent, most spent; equal values
score alike), and the R and F scores name the segment.

Loss prevention: per cashier, voided lines and discounts (on their sales), cancelled
sales, refunds, no-sales and price overrides (journal events the kiosks publish) and the
over/short of their shifts. A figure is flagged when the cashier's rate per 100 sales is
at least twice the store's and counts at least two (discounts: twice the store's share
of gross). The kiosks name staff by id in some records and by name in others; an id
seen beside a name in any event joins the two.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa

from fleet.services.analytics import share
from fleet.services.analytics_time import local_moment, zone_of
from fleet.services.users import Access
from fleet.storage import schema

s, e = schema.sales, schema.events
SEGMENTS = ("champions", "loyal", "new", "at_risk", "lost", "attention")
# event kind -> (the figure it counts, the payload key naming who did it)
EVENT_FIGURES = {
    "sale_cancelled": ("cancels", "staff_id"),
    "refund": ("refunds", "by"),
    "no_sale": ("no_sales", "staff_id"),
    "price_override": ("price_overrides", "staff"),
}
COUNTS = ("sales", "gross", "discounts", "voids", "void_amount", "cancels", "refunds",
          "refund_amount", "no_sales", "price_overrides", "over_short")  # fmt: skip
RATED = ("voids", "cancels", "refunds", "no_sales", "price_overrides")
FLAG_TIMES, FLAG_MIN_COUNT = 2, 2


def _score(value: int, values: list[int], *, low_is_good: bool = False) -> int:
    """1..5 by how many of ``values`` ``value`` beats (ties score alike)."""
    beaten = sum(1 for v in values if (v > value if low_is_good else v < value))
    return 1 + 5 * beaten // len(values)


def _sales_of(
    store_id: str, first: date, last: date, access: Access | None
) -> sa.ColumnElement[bool]:
    """The store's sales of the period (after checking the store is granted)."""
    if access is not None:
        access.check_store(store_id)
    return (s.c.store_id == store_id) & s.c.business_date.between(first, last)


def segment(r: int, f: int, frequency: int) -> str:
    if r >= 4 and f >= 4:
        return "champions"
    if r >= 3 and f >= 3:
        return "loyal"
    if r >= 4 and frequency == 1:
        return "new"
    if r <= 2 and f >= 3:
        return "at_risk"
    if r <= 2:
        return "lost"
    return "attention"


def rfm(
    conn: sa.Connection, store_id: str, first: date, last: date, *, access: Access | None = None
) -> dict[str, Any]:
    mine = _sales_of(store_id, first, last, access)
    rows = conn.execute(
        sa.select(s.c.member_id, sa.func.max(s.c.business_date), sa.func.count(),
                  sa.func.sum(s.c.total))
        .where(mine & (s.c.member_id != "")).group_by(s.c.member_id)
    ).all()  # fmt: skip
    found = [(str(m), day, int(n), int(spent)) for m, day, n, spent in rows]
    recency = [(last - day).days for _, day, _, _ in found]
    frequency = [n for _, _, n, _ in found]
    monetary = [spent for _, _, _, spent in found]
    members = []
    for (member, day, n, spent), days in zip(found, recency, strict=True):
        r = _score(days, recency, low_is_good=True)
        f, m = _score(n, frequency), _score(spent, monetary)
        members.append({"member_id": member, "last_visit": day.isoformat(), "recency_days": days,
                        "frequency": n, "monetary": spent, "r": r, "f": f, "m": m,
                        "segment": segment(r, f, n)})  # fmt: skip
    members.sort(key=lambda x: (SEGMENTS.index(x["segment"]), -x["monetary"], x["member_id"]))
    total = sum(monetary)
    segments = []
    for name in SEGMENTS:
        inside = [x for x in members if x["segment"] == name]
        spent = sum(x["monetary"] for x in inside)
        segments.append({"segment": name, "members": len(inside), "monetary": spent,
                         "share": share(spent, total)})  # fmt: skip
    repeat = sum(1 for n in frequency if n >= 2)
    return {"store_id": store_id, "start": first.isoformat(), "end": last.isoformat(),
            "member_count": len(members), "repeat_members": repeat,
            "repeat_rate": share(repeat, len(members)), "segments": segments,
            "members": members}  # fmt: skip


class _Staff:
    """Joins the ids and names the kiosks use for one person."""

    def __init__(self) -> None:
        self.name_of: dict[str, str] = {}
        self.id_of: dict[str, str] = {}

    def learn(self, payload: dict[str, Any]) -> None:
        for id_key, name_key in (("staff_id", "staff_name"), ("supervisor_id", "supervisor_name")):
            staff_id, name = payload.get(id_key), payload.get(name_key)
            if isinstance(staff_id, str) and isinstance(name, str) and staff_id and name:
                self.name_of[staff_id], self.id_of[name] = name, staff_id

    def key(self, said: str) -> str:
        return said if said in self.name_of else self.id_of.get(said, said)


def _events(
    conn: sa.Connection, store_id: str, first: date, last: date
) -> list[tuple[str, dict[str, Any]]]:
    """(kind, payload) of the store's events that count on the period's days: those with
    a business day (refunds, no-sales, shift closes) by it, as the reports pick them
    (``events.business_date``, however far from their time a Z after midnight put it);
    the rest (cancels, overrides) by the store-local day of ``at``."""
    zone = zone_of(conn, store_id)
    kinds = [*EVENT_FIGURES, "shift_close", "supervisor_approval"]
    # Undated: a day either side as text, so any offset written is still in; exact below.
    since, until = (first - timedelta(days=1)).isoformat(), (last + timedelta(days=2)).isoformat()
    dated = e.c.business_date.between(first, last)
    undated = e.c.business_date.is_(None) & (e.c.at >= since) & (e.c.at < until)
    query = sa.select(e.c.kind, e.c.at, e.c.body, e.c.business_date).where(
        (e.c.store_id == store_id) & e.c.kind.in_(kinds) & (dated | undated)
    )
    found = []
    for kind, at, body, day in conn.execute(query):
        if day is None and not first <= local_moment(at, zone).date() <= last:
            continue
        found.append((str(kind), json.loads(body).get("payload") or {}))
    return found


def loss_prevention(
    conn: sa.Connection, store_id: str, first: date, last: date, *, access: Access | None = None
) -> dict[str, Any]:
    mine = _sales_of(store_id, first, last, access)
    sold = conn.execute(
        sa.select(s.c.cashier, sa.func.count(), sa.func.sum(s.c.total),
                  sa.func.sum(s.c.discount_total), sa.func.sum(s.c.void_count),
                  sa.func.sum(s.c.void_amount))
        .where(mine).group_by(s.c.cashier)
    ).all()  # fmt: skip
    events = _events(conn, store_id, first, last)
    staff = _Staff()
    for _, payload in events:
        staff.learn(payload)
    figures: dict[str, Counter[str]] = {}
    for cashier, n, net, discounts, voids, void_amount in sold:
        into = figures.setdefault(staff.key(str(cashier)), Counter())
        into.update(sales=int(n), gross=int(net) + int(discounts), discounts=int(discounts),
                    voids=int(voids), void_amount=int(void_amount))  # fmt: skip
    for kind, payload in events:
        if kind == "shift_close":
            into = figures.setdefault(staff.key(str(payload.get("cashier", ""))), Counter())
            into["over_short"] += int(payload.get("over_short", 0))
        elif kind in EVENT_FIGURES:
            figure, who = EVENT_FIGURES[kind]
            into = figures.setdefault(staff.key(str(payload.get(who, ""))), Counter())
            into[figure] += 1
            if kind == "refund":
                into["refund_amount"] -= int(payload.get("total", 0))
    store: Counter[str] = Counter()
    for counts in figures.values():
        store.update(counts)
    average = _rates(store)
    cashiers = []
    for key, counts in sorted(figures.items(), key=lambda kv: staff.name_of.get(kv[0], kv[0])):
        rates = _rates(counts)
        flags = [f for f in (*RATED, "discounts") if _flagged(f, counts, rates, store, average)]
        cashiers.append({"cashier": staff.name_of.get(key, key), "staff_id": key,
                         **{f: counts[f] for f in COUNTS}, "rates": rates,
                         "flags": flags})  # fmt: skip
    return {"store_id": store_id, "start": first.isoformat(), "end": last.isoformat(),
            "store": {**{f: store[f] for f in COUNTS}, "rates": average},
            "flag_times": FLAG_TIMES, "flag_min_count": FLAG_MIN_COUNT,
            "cashiers": cashiers}  # fmt: skip


def _rates(counts: Counter[str]) -> dict[str, str | None]:
    """Per 100 sales (None without sales) and discounts as a percent of gross."""
    rates: dict[str, str | None] = {
        f: share(counts[f], counts["sales"]) if counts["sales"] else None for f in RATED
    }
    rates["discounts"] = share(counts["discounts"], counts["gross"]) if counts["gross"] else None
    return rates


def _flagged(
    figure: str, counts: Counter[str], rates: dict[str, str | None], store: Counter[str],
    average: dict[str, str | None],
) -> bool:  # fmt: skip
    """At least twice the store's rate (compared exactly, not as rounded text)."""
    mine, norm = rates[figure], average[figure]
    if mine is None or norm is None:
        return False
    if figure == "discounts":
        whole, store_whole = counts["gross"], store["gross"]
    else:
        if counts[figure] < FLAG_MIN_COUNT:
            return False
        whole, store_whole = counts["sales"], store["sales"]
    return counts[figure] * store_whole >= FLAG_TIMES * store[figure] * whole > 0
