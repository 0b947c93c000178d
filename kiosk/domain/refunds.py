"""Refunds against an original sale: what each returned unit gives back, to the rupiah.

A line's ``amount`` is what the customer paid for all its units after line and order
discounts and promotions. The first ``n`` units of a line are worth ``amount * n // qty``
(floor), so any sequence of partial refunds adds up to exactly the line's amount when the
last unit comes back. A weighed line comes back whole or not at all. A cash sale whose
total was rounded down paid less than its lines: every refund gives back the same share
of what was paid as of the lines' worth (``worth * paid // total``, cumulative), so no
refund ever exceeds what was paid and the last one brings the sum to exactly that; the
difference to the lines' amounts is the refund's ``rounding`` (<= 0).
Loyalty points spent on the sale come back in proportion to what is refunded (whole
points, rounded down, cumulative), never worth more than the refund; the rest of the money
goes back to the sale's own tenders, non-cash first (a card or QRIS before the drawer),
each capped by what it paid less what earlier refunds already gave back to it. Where those
cannot carry the rest because a point is indivisible (seven units of Rp93 paid with
Rp50 points, returned one at a time: each unit can take back one point at most), more
points come back than the proportion if the refund can hold them, and what still no
whole point fits (always less than one point's value) is paid in cash: ``points_cash``.
So every refund is exactly what its units were worth, and the sale's refunds add up to
exactly what it paid.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

from kiosk.domain.errors import ShownError
from kiosk.domain.sale import CompletedSale, SaleLine


class RefundError(ShownError, ValueError):
    """A refund that cannot be made; the message says why."""


@dataclass(frozen=True)
class RefundLine:
    line_no: int
    sku: str
    qty: int
    amount: int  # positive: what goes back to the customer for these units


@dataclass(frozen=True)
class RefundPlan:
    sale_id: str
    lines: tuple[RefundLine, ...]
    rounding: int  # what the sale's cash rounding takes off these lines (<= 0)
    tenders: tuple[tuple[int, str, int], ...]  # (tender index, method, amount) paid back
    points: Mapping[int, int] = field(default_factory=dict)  # tender index -> points back
    # points tender index -> rupiah paid in cash because no whole point fits (< a point)
    points_cash: Mapping[int, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(line.amount for line in self.lines) + self.rounding


def _worth(line: SaleLine, units: int) -> int:
    return line.amount * units // line.qty


def plan_refund(
    sale: CompletedSale,
    wanted: Sequence[tuple[int, int]],
    already: Mapping[int, int],
    already_tenders: Mapping[int, int] | None = None,
) -> RefundPlan:
    """A refund of ``wanted`` (line number, quantity) given the quantities of each line
    ``already`` refunded before and the amounts ``already_tenders`` gave back per tender
    (by index in ``sale.tenders``). Raises ``RefundError`` for an unknown line, a quantity
    of zero or less, more units than remain, or part of a weighed line."""
    by_no = {line.line_no: line for line in sale.lines}
    asked: dict[int, int] = {}
    for line_no, qty in wanted:
        if line_no not in by_no:
            raise RefundError.of("refund.no_line", line=line_no)
        if isinstance(qty, bool) or not isinstance(qty, int) or qty <= 0:
            raise RefundError.of("refund.qty", line=line_no)
        asked[line_no] = asked.get(line_no, 0) + qty
    if not asked:
        raise RefundError.of("refund.nothing")
    lines = []
    for line_no, qty in sorted(asked.items()):
        line = by_no[line_no]
        done = already.get(line_no, 0)
        if done + qty > line.qty:
            raise RefundError.of(
                "refund.too_many", line=line_no, left=line.qty - done, qty=line.qty
            )
        if line.weight_g and qty != line.qty:
            raise RefundError.of("refund.weighed", line=line_no)
        amount = _worth(line, done + qty) - _worth(line, done)
        lines.append(RefundLine(line_no, line.sku, qty, amount))
    returned = {n: already.get(n, 0) + asked.get(n, 0) for n in by_no}
    paid = sale.total + sale.cash_rounding

    def paid_share(counts: Mapping[int, int]) -> int:
        worth = sum(_worth(by_no[n], counts.get(n, 0)) for n in by_no)
        return worth * paid // sale.total if sale.total > 0 else 0

    plan_lines = tuple(lines)
    share_now = paid_share(returned)
    total = share_now - paid_share(already)
    rounding = total - sum(line.amount for line in plan_lines)
    tenders, points_back, points_cash = _pay_back(
        sale, total, Fraction(share_now, paid) if paid > 0 else Fraction(0),
        already_tenders or {},
    )  # fmt: skip
    return RefundPlan(sale.sale_id, plan_lines, rounding, tenders, points_back, points_cash)


def _pay_back(
    sale: CompletedSale, total: int, returned_share: Fraction, given_back: Mapping[int, int],
) -> tuple[tuple[tuple[int, str, int], ...], dict[int, int], dict[int, int]]:  # fmt: skip
    """The shares of ``total`` per tender, the points given back per points tender and
    the cash for what no whole point fits. ``returned_share`` is the part of what the sale
    paid that has come back with this refund, all refunds so far included."""
    others = sorted(
        (i for i, t in enumerate(sale.tenders) if t.method != "points"),
        key=lambda i: (sale.tenders[i].method == "cash", i),
    )
    room = {i: max(sale.tenders[i].amount - given_back.get(i, 0), 0) for i in others}
    by_points = {
        i: t.given for i, t in enumerate(sale.tenders)
        if t.method == "points" and t.given and t.given > 0 and t.amount > 0
    }  # fmt: skip
    tenders: list[tuple[int, str, int]] = []
    points_back: dict[int, int] = {}
    left = total
    for position, (index, given) in enumerate(by_points.items()):
        per_point = sale.tenders[index].amount // given
        back_before = given_back.get(index, 0) // per_point
        target = math.floor(given * returned_share) - back_before
        # Fewer points than ``least`` and the other tenders (and later points) cannot
        # carry the rest; more than ``most`` would be worth more than the refund.
        later = list(by_points)[position + 1 :]
        carried = sum(room.values()) + sum(sale.tenders[i].amount - given_back.get(i, 0)
                                           for i in later)  # fmt: skip
        least = -((carried - left) // per_point)
        most = min(given - back_before, left // per_point)
        count = max(min(max(target, least), most), 0)
        if count > 0:
            tenders.append((index, "points", count * per_point))
            points_back[index] = count
            left -= count * per_point
    for index in others:
        share = min(left, room[index])
        if share > 0:
            tenders.append((index, sale.tenders[index].method, share))
            left -= share
    if left > 0 and not by_points:
        raise RefundError.of(
            "refund.over_paid", message="the refund is more than the sale's tenders paid"
        )
    points_cash = {next(iter(by_points)): left} if left > 0 else {}
    return tuple(tenders), points_back, points_cash
