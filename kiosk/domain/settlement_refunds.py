"""Reconciling refunds: the card and QRIS shares the till gave back against the refund
lines of the acquirers' settlement reports (a negative amount, a refund status or type).

A report's refund line is matched to the till's refund by its refund key when it has one
(our QRIS refund id, which the acquirer keeps as ``refund_key`` / ``partnerRefundNo``; a
card refund's RRN), otherwise by the original payment's reference and the amount. Each
lands in one outcome, as payments do: matched, amount differs, missing at the bank (the
till gave it back, the report does not have it yet), missing at the till (the bank took
it back, the till has no such refund). A card void never reaches the bank: it is
"voided" while no line names it, and the voided sale itself is expected to be missing
from the report (``voided_refs``)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from kiosk.domain.settlement import (
    Outcome,
    Reconciliation,
    RefundMatch,
    ReportLine,
    TillTender,
    reconcile,
)


@dataclass(frozen=True)
class TillRefund:
    key: str  # the refund's own id at the provider (QRIS refund id; card refund RRN)
    reference: str  # the original payment's (QRIS order id, card RRN)
    amount: int  # given back, positive
    method: str
    refund_id: str  # the till's refund document
    kind: str = "refund"  # "void" for a card void: nothing reaches the bank


def voided_refs(refunds: Iterable[TillRefund]) -> set[str]:
    """The card payments a void took back whole: the bank never settles them."""
    return {r.reference for r in refunds if r.kind == "void"}


def _pair(refund: TillRefund, line: ReportLine) -> RefundMatch:
    same = refund.amount == line.amount
    return RefundMatch(Outcome.MATCHED if same else Outcome.AMOUNT_DIFFERS, refund.key,
                       refund.reference, refund.amount, line.amount, refund.refund_id,
                       refund.method)  # fmt: skip


def reconcile_refunds(
    refunds: Iterable[TillRefund], lines: Iterable[ReportLine]
) -> tuple[RefundMatch, ...]:
    """Every till refund and every done refund line, each in exactly one outcome."""
    left = list(refunds)
    unmatched: list[ReportLine] = []
    matches: list[RefundMatch] = []
    by_key = {r.key: r for r in left if r.key}
    keyed = sorted(lines, key=lambda x: (not x.refund_key, x.line_no))  # keys first
    for line in keyed:
        found = by_key.get(line.refund_key) if line.refund_key else None
        if found is None or found not in left:
            # By the payment it gives back (or the refund's own RRN in the reference column).
            same_ref = [r for r in left if line.reference in (r.reference, r.key)
                        and r.kind != "void" and not line.refund_key]  # fmt: skip
            exact = [r for r in same_ref if r.amount == line.amount]
            found = next(iter(exact or same_ref), None)
        if found is None:
            unmatched.append(line)
            continue
        left.remove(found)
        matches.append(_pair(found, line))
    for refund in left:
        outcome = Outcome.VOIDED if refund.kind == "void" else Outcome.MISSING_AT_BANK
        matches.append(RefundMatch(outcome, refund.key, refund.reference, refund.amount, None,
                                   refund.refund_id, refund.method))  # fmt: skip
    for line in unmatched:
        matches.append(RefundMatch(Outcome.MISSING_AT_TILL, line.refund_key, line.reference,
                                   None, line.amount, "", line.method))  # fmt: skip
    return tuple(sorted(matches, key=lambda m: (m.reference, m.key, m.outcome.value)))


def reconcile_all(
    tenders: Iterable[TillTender], report: Iterable[ReportLine], refunds: Iterable[TillRefund]
) -> Reconciliation:
    """Payments and refunds of a day against a report's payment and refund lines."""
    lines, given_back = list(report), list(refunds)
    payments = reconcile(tenders, lines, voided_refs(given_back))
    back = [x for x in lines if x.refund]
    undone = tuple(x for x in back if not x.done)
    matched = reconcile_refunds(given_back, [x for x in back if x.done])
    return replace(payments, skipped=payments.skipped + undone, refunds=matched)
