"""Refunds against the original receipt: whole or partial by line and quantity, restocked
or written off per line, exact to the rupiah (``kiosk.domain.refunds``). Every refund is
a new journal record that reverses part of a sale; nothing is edited. It counts on the
business day it is made. Card and QRIS shares go back through the terminal or the
acquirer (``kiosk.services.refund_payback``: called before the refund commits, recorded so
never twice); one the provider refused or could not take is paid from the drawer only
with a supervisor's approval (``cash_approver``), journaled as such: the published
refund record names the approver and each share's way back. Loyalty points spent
on the sale come back as whole points (the part no whole point fits, in cash), and the
points the sale earned are taken back."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from fractions import Fraction
from typing import Any

from kiosk.domain.money import round_half_up
from kiosk.domain.refunds import RefundError, RefundPlan, plan_refund
from kiosk.domain.sale import CompletedSale
from kiosk.payments.gateway import QrisGateway
from kiosk.ports import BooksUnitOfWork, Clock, PaymentTerminal
from kiosk.services.business_day import business_date, utc_stamp
from kiosk.services.loyalty import LoyaltyService
from kiosk.services.refund_payback import PROVIDER_METHODS, RECHECK_S, Payback, Paybacks
from kiosk.services.staff import StaffMember, StaffService


def _already(refunds: list[dict[str, Any]]) -> tuple[dict[int, int], dict[int, int]]:
    """Units refunded per line and amounts given back per tender index so far."""
    lines: dict[int, int] = {}
    tenders: dict[int, int] = {}
    for refund in refunds:
        for line in refund["lines"]:
            lines[line["line_no"]] = lines.get(line["line_no"], 0) + int(line["qty"])
        for tender in refund["tenders"]:
            if tender["method"] == "points" and tender.get("paid_as") != "points":
                continue  # the cash for part of a point: no tender paid it
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
        # Where card and QRIS shares go back; without them those shares need the cash
        # fallback's approval. The terminal is asked for when first needed.
        self.terminal: Callable[[], PaymentTerminal | None] = lambda: None
        self.gateway: QrisGateway | None = None
        self.recheck_s = RECHECK_S  # payments.qris.refund_recheck_seconds

    def lookup(self, receipt_no: int) -> tuple[CompletedSale, dict[int, int]]:
        """The sale behind a receipt number and the units of each line that can still be
        refunded (``RefundError`` for a receipt this till does not have)."""
        sale = self.uow.books.sale_by_receipt(receipt_no)
        if sale is None:
            raise RefundError.of("refund.no_receipt", receipt=receipt_no)
        done, _ = _already(self.uow.books.refunds_of_sale(sale.sale_id))
        return sale, {line.line_no: line.qty - done.get(line.line_no, 0) for line in sale.lines}

    def _plan(
        self, receipt_no: int, lines: Sequence[tuple[int, int]]
    ) -> tuple[CompletedSale, list[dict[str, Any]], RefundPlan]:
        sale = self.uow.books.sale_by_receipt(receipt_no)
        if sale is None:
            raise RefundError.of("refund.no_receipt", receipt=receipt_no)
        earlier = self.uow.books.refunds_of_sale(sale.sale_id)
        done_lines, done_tenders = _already(earlier)
        return sale, earlier, plan_refund(sale, lines, done_lines, done_tenders)

    def refund(
        self,
        staff: StaffMember | None,
        receipt_no: int,
        lines: Sequence[tuple[int, int]],
        *,
        restock: bool,
        cash_approver: StaffMember | None = None,
    ) -> dict[str, Any]:
        """Refund ``lines`` ((line number, quantity) pairs) of receipt ``receipt_no``;
        returns the refund document (``total`` and tender amounts negative). A card or
        QRIS share its provider does not take goes to cash only if ``cash_approver`` (a
        supervisor) approves; otherwise ``RefundError`` and nothing is booked."""
        member = StaffService.require(staff, "refund")
        approver = None if cash_approver is None else StaffService.require(cash_approver, "refund")
        with self.uow.transaction():
            sale, _earlier, plan = self._plan(receipt_no, lines)
        refund_id = uuid.uuid4().hex
        shares = [share for share in plan.tenders if share[1] in PROVIDER_METHODS]
        paybacks = Paybacks(self.uow, lambda: utc_stamp(self.clock), self.terminal, self.gateway,
                            recheck_s=self.recheck_s)  # fmt: skip
        backs = {b.index: b for b in paybacks.give(sale, shares, refund_id)} if shares else {}
        fallback = [b for b in backs.values() if b.paid_as == "cash"]
        if fallback and approver is None:
            amount = sum(b.amount for b in fallback)
            raise RefundError.of(
                "refund.cash_needs_supervisor", amount=amount,
                message=f"{amount} could not go back to the card or QRIS: paying it in cash"
                " needs a supervisor's approval",
            )  # fmt: skip
        now = self.clock.now()
        at = utc_stamp(self.clock, now)
        with self.uow.transaction():
            sale, earlier, again = self._plan(receipt_no, lines)
            if again != plan:  # another refund of this sale committed meanwhile
                raise RefundError.of("refund.changed", message="the receipt changed; try again")
            tenders = [_tender(index, method, amount, plan.points.get(index), backs.get(index))
                       for index, method, amount in plan.tenders]  # fmt: skip
            tenders += [{"index": index, "method": "points", "amount": -amount, "paid_as": "cash"}
                        for index, amount in plan.points_cash.items()]  # fmt: skip
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
                # What leaves the drawer: cash tenders and the card/QRIS shares that fell back.
                "cash": -sum(int(t["amount"]) for t in tenders if t["paid_as"] == "cash"),
                "tenders": tenders,
                "by": member.name,
            }  # fmt: skip
            if fallback and approver is not None:
                body["cash_approved_by"] = approver.name
            self.uow.books.insert_refund(body)
            calls = [b.call_id for b in backs.values() if b.call_id]
            if calls:
                self.uow.books.provider_apply(calls, refund_id, at)
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


def _tender(
    index: int, method: str, amount: int, points: int | None, back: Payback | None
) -> dict[str, Any]:
    tender: dict[str, Any] = {"index": index, "method": method, "amount": -amount,
                              "paid_as": "cash"}  # fmt: skip
    if points is not None:
        tender.update(paid_as="points", points=points)
    elif back is not None:
        # How it went back: the masked card number, approval, RRN or the QRIS order id;
        # never more of a card number than the sale itself kept.
        tender.update(paid_as=back.paid_as, via=back.detail)
    return tender
