"""The store's books as the fleet hears them: the ``payload`` of an ``event`` whose
``kind`` is ``refund``, ``shift_close``, ``z_close``, ``points`` or ``void``. They travel
as journal events (their hash-chain link included) so the fleet's chain of the device
has no gap; the event's payload is checked against the model of its kind before it is
queued."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from kiosk.contract.fields import At, Count, Day, Document, Id, Money, Name, Text, items
from kiosk.contract.points import Points


class RefundLine(Document):
    line_no: int = Field(ge=1, description="the line of the original receipt")
    sku: Id
    qty: int = Field(ge=1, description="units given back (1 for a weighed line)")
    amount: Money = Field(le=0, description="paid back for these units (negative)")
    restock: bool = Field(description="back on the shelf (true) or written off")


class PaidBack(Document):
    """How a card or QRIS share went back: through the terminal (``kind`` void or refund,
    the masked card number, approval code, RRNs, terminal id) or the acquirer (the
    original ``order_id``, our ``refund_id``, the acquirer's ``reference``); or, with
    ``fallback`` (refused / unreached), why it was paid in cash instead."""

    kind: Literal["void", "refund", ""] = ""
    masked_pan: str = Field("", max_length=19, pattern=r"^([0-9]{0,6}\*+[0-9]{0,4})?$",
                            description="at most the first 6 and last 4 digits")  # fmt: skip
    rrn: Name = Field("", description="the original sale's RRN")
    refund_rrn: Name = ""
    approval_code: Name = ""
    response_code: Name = ""
    terminal_id: Name = ""
    order_id: Name = Field("", description="the QRIS payment's order id")
    gateway: Name = ""
    refund_id: Name = Field("", description="the refund's id at the acquirer")
    reference: Name = Field("", description="the acquirer's reference")
    code: Name = ""
    reason: Text = Field("", description="the terminal's or acquirer's words")
    fallback: Literal["refused", "unreached", ""] = ""
    call_id: Name = ""
    ref: Name = Field("", description="the till's reference the terminal echoes")
    void_ref: Name = ""
    resolved_by: Literal["last_transaction", "asked_again", "acquirer_query", "supervisor", ""] = (
        Field("", description="how a call whose answer was lost was settled")
    )
    asked: Text = Field("", description="the acquirer's word on a refund whose answer was lost")
    checked_by: Name = Field("", description="the supervisor who cleared a blocked share")
    taken_again: bool = Field(False, description="a call an earlier, failed refund made")


class RefundTender(Document):
    index: int = Field(ge=0, description="the tender of the original sale (0-based)")
    method: Name = Field(description="that tender's method")
    amount: Money = Field(le=0, description="given back against it (negative)")
    paid_as: Literal["cash", "points", "card", "qris"] = Field(description="how it was paid back")
    points: int = Field(0, ge=0, le=10**9, description="loyalty points given back")
    via: PaidBack | None = Field(None, description="a card or QRIS share's way back")


class Refund(Document):
    """A refund against an original receipt; it counts on ``business_date``, the day it
    was made. ``total`` = sum of the line amounts + ``rounding`` (the sale's cash rounding,
    given back with its last unit)."""

    refund_id: Id
    device_id: Id
    sale_id: Id
    receipt_no: int = Field(ge=1, description="the original sale's receipt number")
    business_date: Day
    created_at: At
    lines: list[RefundLine] = items(10_000, 1)
    rounding: Money
    total: Money = Field(le=0)
    ppn: Money = Field(ge=0, description="PPN inside the refunded amount")
    cash: Money = Field(ge=0, description="paid out of the drawer (not the points part)")
    tenders: list[RefundTender] = items(100, 1)
    by: Name = Field(description="the staff member who made it")
    cash_approved_by: Name = Field(
        "", description="the supervisor who approved paying a card or QRIS share in cash"
    )

    def cross_checks(self) -> list[str]:
        problems = []
        if sum(line.amount for line in self.lines) + self.rounding != self.total:
            problems.append("total: is not the sum of the lines and the rounding")
        if sum(tender.amount for tender in self.tenders) != self.total:
            problems.append("tenders: do not add up to the total")
        return problems


class ShiftClose(Document):
    """A cashier's shift closed with its blind count: ``expected_cash`` = float + cash
    sales + cash in - cash out - cash refunds; ``over_short`` = counted - expected."""

    by: Name
    business_date: Day
    shift_id: Id
    cashier: Name
    opened_at: At
    closed_at: At
    float: Money = Field(ge=0)
    cash_sales: Money
    cash_in: Money = Field(ge=0)
    cash_out: Money = Field(ge=0)
    cash_refunds: Money = Field(ge=0)
    expected_cash: Money
    counted: Money = Field(ge=0)
    over_short: Money

    def cross_checks(self) -> list[str]:
        expected = self.float + self.cash_sales + self.cash_in - self.cash_out - self.cash_refunds
        problems = []
        if expected != self.expected_cash:
            problems.append("expected_cash: is not float + sales + in - out - refunds")
        if self.counted - self.expected_cash != self.over_short:
            problems.append("over_short: is not counted - expected_cash")
        return problems


class DayClose(Document):
    """The Z close: ``business_date`` ended with Z number ``z_number`` (gap-free per
    device); nothing is added to that day afterwards."""

    by: Name
    business_date: Day
    z_number: Count = Field(ge=1)
    closed_at: At


class Void(Document):
    """A line voided from an open basket (``ref`` is the basket id). Published so the
    fleet's copy of the device's chain has no gap where it was; the money side of voids
    reaches the fleet with the sale that follows (``extra.voided_lines``), as on the Z."""

    line_no: int = Field(ge=1, description="the basket line voided")
    sku: Id
    qty: int = Field(ge=0, description="its units when voided (1 for a weighed line)")
    staff: Name = Field(description="who voided it (empty on self-checkout)")


EVENT_PAYLOADS: dict[str, type[Document]] = {
    "void": Void,
    "refund": Refund,
    "shift_close": ShiftClose,
    "z_close": DayClose,
    "points": Points,
}
