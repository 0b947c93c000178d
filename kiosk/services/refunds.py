"""Refunds against the original receipt: whole or partial by line and quantity, restocked
or written off per line, exact to the rupiah (``kiosk.domain.refunds``). Every refund is
a new journal record that reverses part of a sale; nothing is edited. It counts on the
business day it is made. Card and QRIS shares are paid back in cash by a supervisor
until card and QRIS refunds exist (the payments issue); loyalty points spent on the sale
come back as points, and the points the sale earned are taken back (with loyalty)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from fractions import Fraction
from typing import Any

from kiosk.domain.money import round_half_up
from kiosk.domain.refunds import RefundError, RefundPlan, plan_refund
from kiosk.domain.sale import CompletedSale
from kiosk.ports import BooksUnitOfWork, Clock
from kiosk.services.business_day import business_date, utc_stamp
from kiosk.services.loyalty import LoyaltyService
from kiosk.services.staff import StaffMember, StaffService


def _already(refunds: list[dict[str, Any]]) -> tuple[dict[int, int], dict[int, int]]:
    """Units refunded per line and amounts given back per tender index so far."""
    lines: dict[int, int] = {}
    tenders: dict[int, int] = {}
    for refund in refunds:
        for line in refund["lines"]:
            lines[line["line_no"]] = lines.get(line["line_no"], 0) + int(line["qty"])
        for tender in refund["tenders"]:
            index = int(tender["index"])
            tenders[index] = tenders.get(index, 0) - int(tender["amount"])
    return lines, tenders


def _ppn(sale: CompletedSale, plan: RefundPlan) -> int:
    """The PPN inside the refunded amounts (prices are tax-inclusive)."""
    rates = {line.line_no: Fraction(line.tax_rate_percent) for line in sale.lines}
    return sum(
        round_half_up(Fraction(line.amount) * rates[line.line_no] / (100 + rates[line.line_no]))
        for line in plan.lines
    )


class RefundService:
    def __init__(
        self, uow: BooksUnitOfWork, clock: Clock, timezone: str,
        loyalty: LoyaltyService | None = None,
    ) -> None:  # fmt: skip
        self.uow = uow
        self.clock = clock
        self.timezone = timezone
        self.loyalty = loyalty

    def lookup(self, receipt_no: int) -> tuple[CompletedSale, dict[int, int]]:
        """The sale behind a receipt number and the units of each line that can still be
        refunded (``RefundError`` for a receipt this till does not have)."""
        sale = self.uow.books.sale_by_receipt(receipt_no)
        if sale is None:
            raise RefundError.of("refund.no_receipt", receipt=receipt_no)
        done, _ = _already(self.uow.books.refunds_of_sale(sale.sale_id))
        return sale, {line.line_no: line.qty - done.get(line.line_no, 0) for line in sale.lines}

    def refund(
        self,
        staff: StaffMember | None,
        receipt_no: int,
        lines: Sequence[tuple[int, int]],
        *,
        restock: bool,
    ) -> dict[str, Any]:
        """Refund ``lines`` ((line number, quantity) pairs) of receipt ``receipt_no``;
        returns the refund document (``total`` and tender amounts negative)."""
        member = StaffService.require(staff, "refund")
        now = self.clock.now()
        at = utc_stamp(self.clock, now)
        with self.uow.transaction():
            sale = self.uow.books.sale_by_receipt(receipt_no)
            if sale is None:
                raise RefundError.of("refund.no_receipt", receipt=receipt_no)
            earlier = self.uow.books.refunds_of_sale(sale.sale_id)
            done_lines, done_tenders = _already(earlier)
            plan = plan_refund(sale, lines, done_lines, done_tenders)
            as_points = sum(amount for index, _m, amount in plan.tenders if index in plan.points)
            refund_id = uuid.uuid4().hex
            by_no = {line.line_no: line for line in sale.lines}
            body: dict[str, Any] = {
                "refund_id": refund_id,
                "device_id": self.uow.books.device_id,
                "sale_id": sale.sale_id,
                "receipt_no": receipt_no,
                "business_date": self.uow.books.open_day(business_date(now, self.timezone)),
                "created_at": at,
                "lines": [{"line_no": line.line_no, "sku": line.sku, "qty": line.qty,
                           "amount": -line.amount, "restock": restock} for line in plan.lines],
                "rounding": -plan.rounding,
                "total": -plan.total,
                "ppn": _ppn(sale, plan),
                # Paid from the drawer (card and QRIS shares too, for now); points as points.
                "cash": plan.total - as_points,
                "tenders": [_tender(index, method, amount, plan.points.get(index))
                            for index, method, amount in plan.tenders],
                "by": member.name,
            }  # fmt: skip
            self.uow.books.insert_refund(body)
            if restock:
                for line in plan.lines:
                    weight = by_no[line.line_no].weight_g
                    self.uow.books.restock(line.sku, weight or line.qty, refund_id, at)
            if self.loyalty is not None:
                before = sum(-int(r["total"]) for r in earlier)
                returned = sum(plan.points.values())
                self.loyalty.reverse(sale, before, plan.total, returned, at)
            self.uow.books.publish_event("refund", refund_id, body, at)
        return body


def _tender(index: int, method: str, amount: int, points: int | None) -> dict[str, Any]:
    if points is None:
        return {"index": index, "method": method, "amount": -amount, "paid_as": "cash"}
    return {"index": index, "method": method, "amount": -amount, "paid_as": "points",
            "points": points}  # fmt: skip
