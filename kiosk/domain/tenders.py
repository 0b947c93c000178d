"""Paying for a sale: cash, card, QRIS and loyalty points, split in any order.

- Card and QRIS may not exceed what remains (a terminal never gives change).
- Cash may: the customer gets ``change = given - remaining``.
- When cash settles the sale and a rounding step is set (Rp100 or Rp500), what remains is
  first rounded *down* to the step; the difference is the sale's ``cash_rounding``
  (negative, its own line on the receipt). Cash that does not settle is never rounded.
- A record's ``amount`` is what it paid towards the sale (for cash: given minus change);
  the applied amounts of a complete session add up to ``payable + cash_rounding``.
- Cash handed over at once is at most ``Limits.max_cash_tendered``: a mistyped
  2^63 is refused, not committed with absurd change.
- Points are a tender worth their rupiah value (``given`` holds the points spent); like a
  card they may not exceed what remains.
- A card number is stored masked or not at all: at most the first 6 and last 4 digits.
"""

from __future__ import annotations

from kiosk.domain.bounds import AMOUNT_CEILING, DEFAULT_LIMITS, BoundsError, Limits, check_amount
from kiosk.domain.errors import ShownError
from kiosk.domain.money import round_down_to
from kiosk.domain.sale import TenderRecord

CASH_ROUNDING_STEPS = (0, 100, 200, 500, 1000)
_MASK_CHARS = frozenset("*Xx#•")


class TenderError(ShownError, ValueError):
    """A payment that cannot be taken; the message says why."""


def _whole(amount: int, what: str) -> int:
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise TenderError.of(
            "tender.not_whole", message=f"{what} must be whole rupiah, got {amount!r}"
        )
    return amount


def _bounded(amount: int, what: str, maximum: int) -> None:
    try:
        check_amount(amount, what, maximum, minimum=-AMOUNT_CEILING)
    except BoundsError as err:
        raise TenderError.of("tender.over_limit", limit=maximum, message=err.message) from None


def check_masked_pan(masked_pan: str) -> str:
    """The masked card number with spaces and dashes removed; ``TenderError`` when more
    than the first 6 and last 4 digits are visible (PCI DSS)."""
    compact = "".join(ch for ch in masked_pan if ch not in " -")
    if not compact:
        return ""
    if any(not (ch.isascii() and ch.isdigit()) and ch not in _MASK_CHARS for ch in compact):
        raise TenderError.of(
            "tender.masked_card",
            message="masked card number may hold only digits and mask characters (*)",
        )
    middle = compact[6:-4] if len(compact) > 10 else ""
    if any(ch.isdigit() for ch in middle):
        raise TenderError.of(
            "tender.card_unmasked",
            message="card number is not masked: only the first 6 and last 4 digits may be kept",
        )
    return compact


class TenderSession:
    def __init__(
        self, payable: int, *, cash_rounding_step: int = 0, limits: Limits = DEFAULT_LIMITS
    ) -> None:
        if _whole(payable, "amount payable") < 0:
            raise TenderError.of(
                "tender.payable_negative", message=f"amount payable must be >= 0, got {payable}"
            )
        _bounded(payable, "amount payable", limits.max_sale_total)
        self.limits = limits
        if cash_rounding_step not in CASH_ROUNDING_STEPS:
            raise TenderError.of(
                "tender.rounding_step",
                message=f"cash rounding step must be one of {CASH_ROUNDING_STEPS}, "
                f"got {cash_rounding_step!r}",
            )
        self.payable = payable
        self.cash_rounding_step = cash_rounding_step
        self._records: list[TenderRecord] = []
        self._cash_rounding = 0
        self._change = 0

    def __repr__(self) -> str:
        return f"TenderSession(payable={self.payable}, remaining={self.remaining})"

    @property
    def applied(self) -> int:
        return sum(r.amount for r in self._records)

    @property
    def remaining(self) -> int:
        """What is still owed; 0 once complete."""
        return self.payable + self._cash_rounding - self.applied

    @property
    def cash_due(self) -> int:
        """What cash would settle the sale now (the remainder rounded down to the step)."""
        remaining = self.remaining
        return (
            round_down_to(remaining, self.cash_rounding_step)
            if self.cash_rounding_step
            else remaining
        )

    @property
    def is_complete(self) -> bool:
        return self.remaining == 0

    @property
    def change(self) -> int:
        return self._change

    @property
    def cash_rounding(self) -> int:
        """<= 0: what the customer was let off by rounding the cash remainder down."""
        return self._cash_rounding

    def records(self) -> tuple[TenderRecord, ...]:
        return tuple(self._records)

    def _check_open(self) -> None:
        if self.is_complete:
            raise TenderError.of("tender.paid", message="the sale is already paid in full")

    def add_cash(self, given: int) -> TenderRecord:
        """Cash handed over. Settles the sale (with change and rounding) when it covers
        ``cash_due``; otherwise it is a part payment. ``given`` may be 0 only when rounding
        alone settles the sale (e.g. Rp50 left with a Rp100 step)."""
        self._check_open()
        _whole(given, "cash given")
        _bounded(given, "cash given", self.limits.max_cash_tendered)
        due = self.cash_due
        if given < 0 or (given == 0 and due > 0):
            raise TenderError.of(
                "tender.cash_zero", message=f"cash given must be more than Rp0, got {given}"
            )
        if given >= due:
            record = TenderRecord(method="cash", amount=due, given=given)
            self._cash_rounding = due - self.remaining
            self._change = given - due
        else:
            record = TenderRecord(method="cash", amount=given, given=given)
        self._records.append(record)
        return record

    def _add_electronic(
        self,
        method: str,
        amount: int,
        reference: str,
        *,
        approval_code: str = "",
        masked_pan: str = "",
        terminal_id: str = "",
    ) -> TenderRecord:
        self._check_open()
        _whole(amount, f"{method} amount")
        label = {"qris": "QRIS", "online": "online payment"}.get(method, "card")
        kind = method if method in ("qris", "online") else "card"
        if amount <= 0:
            raise TenderError.of(
                "tender.qris_zero"
                if kind == "qris"
                else "tender.online_zero"
                if kind == "online"
                else "tender.card_zero",
                message=f"{label} amount must be more than Rp0, got {amount}",
            )
        if amount > self.remaining:
            raise TenderError.of(
                "tender.qris_over"
                if kind == "qris"
                else "tender.online_over"
                if kind == "online"
                else "tender.card_over",
                due=self.remaining,
                message=f"{label} amount {amount} is more than the {self.remaining} still due; "
                f"a {label} payment cannot give change",
            )
        if not reference.strip():
            raise TenderError.of(
                "tender.qris_reference"
                if kind == "qris"
                else "tender.online_reference"
                if kind == "online"
                else "tender.card_reference",
                message=f"{label} payment needs the reference from the {label} provider",
            )
        record = TenderRecord(
            method=method,
            amount=amount,
            reference=reference.strip(),
            approval_code=approval_code,
            masked_pan=masked_pan,
            terminal_id=terminal_id,
        )
        self._records.append(record)
        return record

    def add_card(
        self,
        amount: int,
        *,
        reference: str,
        approval_code: str = "",
        masked_pan: str = "",
        terminal_id: str = "",
    ) -> TenderRecord:
        return self._add_electronic(
            "card",
            amount,
            reference,
            approval_code=approval_code,
            masked_pan=check_masked_pan(masked_pan),
            terminal_id=terminal_id,
        )

    def add_qris(self, amount: int, *, reference: str) -> TenderRecord:
        return self._add_electronic("qris", amount, reference)

    def add_online(self, amount: int, *, reference: str) -> TenderRecord:
        """Money an online order's channel (or the web shop's acquirer) already took."""
        return self._add_electronic("online", amount, reference)

    @property
    def points_spent(self) -> int:
        return sum(r.given or 0 for r in self._records if r.method == "points")

    def add_points(self, points: int, value: int) -> TenderRecord:
        """Loyalty points worth ``value`` rupiah (``kiosk.domain.points.redeem`` says
        whether they may be spent); like a card, never more than what remains."""
        self._check_open()
        _whole(points, "points")
        _whole(value, "points value")
        if points <= 0 or value <= 0:
            raise TenderError.of("points.whole", message="points to redeem must be above zero")
        if value > self.remaining:
            raise TenderError.of(
                "tender.points_over",
                due=self.remaining,
                message=f"points worth {value} are more than the {self.remaining} still due; "
                "points cannot give change",
            )
        record = TenderRecord(method="points", amount=value, given=points)
        self._records.append(record)
        return record
