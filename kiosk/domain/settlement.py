"""Reconciliation: what the till recorded against what the acquirer says it paid.

An acquirer's settlement report (a Midtrans balance statement, a SNAP acquirer's report)
is read by its column names, never by position: acquirers append columns. Each settled
line is matched to the till's non-cash tender with the same reference (the order id the
till gave the acquirer). The outcome per reference is one of:

- matched: same amount; the fee (MDR) is what the acquirer kept;
- amount differs: same reference, different gross amount;
- missing at the bank: the till took it, the report does not have it (yet);
- missing at the till: the bank paid it, the till has no such tender;
- voided: a card sale voided at the terminal, which the bank never settles.

Refund lines (a negative amount, a refund status, type or key) are matched to the till's
card and QRIS refunds the same way (``kiosk.domain.settlement_refunds``).

A static QRIS paid without an acquirer's confirmation is "unverified" until a report
line matches it.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from kiosk.domain.errors import ShownError

# Column names as acquirers write them, lower-cased; the first found wins.
_COLUMNS = {
    "reference": ("order id", "order_id", "partnerreferenceno", "partner reference no",
                  "merchant reference", "reference", "rrn"),
    "amount": ("amount", "gross amount", "gross_amount", "transaction amount", "value"),
    "fee": ("fee", "mdr", "fee amount", "feeamount", "merchant fee"),
    "status": ("status", "transaction status", "latesttransactionstatus"),
    "time": ("date & time", "transaction time", "paidtime", "paid time", "date", "time"),
    "method": ("transaction type", "payment type", "channel", "method"),
    "refund_key": ("refund key", "refund_key", "partnerrefundno", "partner refund no",
                   "refund id", "refund rrn"),
    "refund_type": ("refund type", "refund_type"),
}  # fmt: skip
_SETTLED = frozenset({"settlement", "settled", "success", "paid", "00", "capture"})
# A refund line's status: these say it is not (yet) done; any other counts as made.
_REFUND_NOT_DONE = frozenset({"pending", "03", "failure", "failed", "06", "deny", "cancel",
                              "expire", "rejected", "09"})  # fmt: skip
_REFUND_STATUS = frozenset({"refund", "refunded", "partial_refund", "04"})
_AMOUNT = re.compile(r"-?[0-9]{1,13}(\.[0-9]{1,2})?")


class SettlementFileError(ShownError):
    """A report that cannot be read; the message names the line and the column."""


class Outcome(enum.Enum):
    MATCHED = "matched"
    AMOUNT_DIFFERS = "amount_differs"
    MISSING_AT_BANK = "missing_at_bank"
    MISSING_AT_TILL = "missing_at_till"
    VOIDED = "voided"


@dataclass(frozen=True)
class ReportLine:
    reference: str
    amount: int
    fee: int
    status: str
    time: str
    method: str
    line_no: int
    refund: bool = False  # money given back: ``amount`` is then what went back (positive)
    refund_key: str = ""  # the refund's own id, when the report names it

    @property
    def done(self) -> bool:
        """A payment line the bank settled, or a refund line it made."""
        return self.status not in _REFUND_NOT_DONE if self.refund else self.status in _SETTLED


@dataclass(frozen=True)
class TillTender:
    reference: str
    amount: int
    method: str
    sale_id: str
    business_date: str
    unverified: bool = False


@dataclass(frozen=True)
class Match:
    outcome: Outcome
    reference: str
    till_amount: int | None
    bank_amount: int | None
    fee: int
    sale_id: str = ""
    unverified: bool = False

    def to_dict(self) -> dict[str, object]:
        return {
            "outcome": self.outcome.value,
            "reference": self.reference,
            "till_amount": self.till_amount,
            "bank_amount": self.bank_amount,
            "fee": self.fee,
            "sale_id": self.sale_id,
            "unverified": self.unverified,
        }


@dataclass(frozen=True)
class RefundMatch:
    """A till refund and/or a report's refund line (``kiosk.domain.settlement_refunds``)."""

    outcome: Outcome
    key: str
    reference: str
    till_amount: int | None
    bank_amount: int | None
    refund_id: str = ""
    method: str = ""

    def to_dict(self) -> dict[str, object]:
        return {
            "outcome": self.outcome.value,
            "key": self.key,
            "reference": self.reference,
            "till_amount": self.till_amount,
            "bank_amount": self.bank_amount,
            "refund_id": self.refund_id,
            "method": self.method,
        }


@dataclass(frozen=True)
class Reconciliation:
    matches: tuple[Match, ...]
    skipped: tuple[ReportLine, ...] = field(default=())
    refunds: tuple[RefundMatch, ...] = field(default=())

    def count(self, outcome: Outcome) -> int:
        return sum(1 for m in self.matches if m.outcome is outcome)

    @property
    def fees(self) -> int:
        return sum(m.fee for m in self.matches)

    @property
    def unverified_open(self) -> tuple[Match, ...]:
        """Staff-confirmed static QRIS payments no report has confirmed yet."""
        return tuple(
            m for m in self.matches if m.unverified and m.outcome is Outcome.MISSING_AT_BANK
        )

    def to_dict(self) -> dict[str, object]:
        return {
            "summary": {o.value: self.count(o) for o in Outcome}
            | {"fees": self.fees, "skipped": len(self.skipped)},
            "lines": [m.to_dict() for m in self.matches],
            "unverified": [m.reference for m in self.unverified_open],
            "refunds": {
                "summary": {o.value: sum(1 for r in self.refunds if r.outcome is o)
                            for o in Outcome},
                "lines": [r.to_dict() for r in self.refunds],
            },
        }  # fmt: skip


def _rupiah(text: str, line_no: int, column: str) -> int:
    cleaned = text.strip()
    if not _AMOUNT.fullmatch(cleaned):
        raise SettlementFileError(f"line {line_no}: {column}: not an amount: {text[:20]!r}")
    whole, _, cents = cleaned.partition(".")
    if cents.strip("0"):
        raise SettlementFileError(f"line {line_no}: {column}: rupiah has no cents: {text!r}")
    return int(whole)


def _columns(header: Sequence[str]) -> dict[str, int]:
    names = [h.strip().lower() for h in header]
    found: dict[str, int] = {}
    for key, aliases in _COLUMNS.items():
        for alias in aliases:
            if alias in names:
                found[key] = names.index(alias)
                break
    missing = [k for k in ("reference", "amount", "status") if k not in found]
    if missing:
        raise SettlementFileError(f"line 1: the header has no {', '.join(missing)} column")
    return found


def read_rows(rows: Iterable[Sequence[str]]) -> list[ReportLine]:
    """The lines of a report given as rows of cells, the first row its header."""
    rows = iter(rows)
    header = next(rows, None)
    if header is None:
        raise SettlementFileError("the report is empty")
    at = _columns(header)
    lines = []
    for line_no, row in enumerate(rows, start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) < len(header):
            raise SettlementFileError(
                f"line {line_no}: {len(row)} columns, the header has {len(header)}"
            )
        cells = {key: row[index].strip() for key, index in at.items()}
        if not cells["reference"]:
            raise SettlementFileError(f"line {line_no}: reference is empty")
        amount = _rupiah(cells["amount"], line_no, "amount")
        status, method = cells["status"].lower(), cells.get("method", "")
        refund = (amount < 0 or status in _REFUND_STATUS or "refund" in method.lower()
                  or bool(cells.get("refund_type") or cells.get("refund_key")))  # fmt: skip
        lines.append(
            ReportLine(
                reference=cells["reference"],
                amount=abs(amount),
                fee=abs(_rupiah(cells.get("fee") or "0", line_no, "fee")),
                status=status,
                time=cells.get("time", ""),
                method=method,
                line_no=line_no,
                refund=refund,
                refund_key=cells.get("refund_key", ""),
            )
        )
    return lines


def reconcile(
    tenders: Iterable[TillTender], report: Iterable[ReportLine], voided: set[str] | None = None
) -> Reconciliation:
    """Every tender and every settled payment line, each in exactly one outcome; a tender
    whose reference is in ``voided`` (a card void) is expected to be missing at the bank.
    Refund lines are left to ``kiosk.domain.settlement_refunds``."""
    till = {t.reference: t for t in tenders}
    skipped: list[ReportLine] = []
    bank: dict[str, ReportLine] = {}
    for line in report:
        if line.refund:
            continue
        if not line.done:
            skipped.append(line)
        elif line.reference in bank:
            raise SettlementFileError(
                f"line {line.line_no}: reference {line.reference} is also on line "
                f"{bank[line.reference].line_no}"
            )
        else:
            bank[line.reference] = line
    matches: list[Match] = []
    for reference in sorted(till.keys() | bank.keys()):
        tender, paid = till.get(reference), bank.get(reference)
        if tender is None:
            assert paid is not None
            matches.append(Match(Outcome.MISSING_AT_TILL, reference, None, paid.amount, paid.fee))
            continue
        if paid is None:
            gone = reference in (voided or set())
            outcome, amount, fee = (Outcome.VOIDED if gone else Outcome.MISSING_AT_BANK), None, 0
        else:
            expected = 0 if reference in (voided or set()) else tender.amount  # settled anyway?
            same = expected == paid.amount
            outcome = Outcome.MATCHED if same else Outcome.AMOUNT_DIFFERS
            amount, fee = paid.amount, paid.fee
        matches.append(
            Match(outcome, reference, tender.amount, amount, fee, tender.sale_id, tender.unverified)
        )
    return Reconciliation(tuple(matches), tuple(skipped))
