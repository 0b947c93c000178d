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
points, rounded down, cumulative so the last unit brings them all back); the rest of the
money goes back to the sale's own tenders, non-cash first (a card or QRIS before the
drawer), each capped by what it paid less what earlier refunds already gave back to it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

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
    total = paid_share(returned) - paid_share(already)
    rounding = total - sum(line.amount for line in plan_lines)
    given_back = already_tenders or {}
    tenders = []
    points_back: dict[int, int] = {}
    left = total
    for index, tender in enumerate(sale.tenders):
        if tender.method != "points" or not tender.given or paid <= 0:
            continue
        per_point = tender.amount // tender.given
        count = (tender.given * paid_share(returned) // paid
                 - tender.given * paid_share(already) // paid)  # fmt: skip
        share = min(count, left // per_point) * per_point
        if share > 0:
            tenders.append((index, tender.method, share))
            points_back[index] = share // per_point
            left -= share
    order = sorted(
        (i for i, t in enumerate(sale.tenders) if t.method != "points"),
        key=lambda i: (sale.tenders[i].method == "cash", i),
    )
    for index in order:
        room = sale.tenders[index].amount - given_back.get(index, 0)
        share = min(left, max(room, 0))
        if share > 0:
            tenders.append((index, sale.tenders[index].method, share))
            left -= share
    if left > 0:
        raise RefundError.of(
            "refund.over_paid", message="the refund is more than the sale's tenders paid"
        )
    return RefundPlan(sale.sale_id, plan_lines, rounding, tuple(tenders), points_back)
