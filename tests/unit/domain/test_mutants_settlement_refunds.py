"""Refund reconciliation whole: every field of each outcome, the order lines are taken in,
and what a keyless line may match (written for mutants of kiosk.domain.settlement_refunds
that survived the fourth mutation run)."""

from __future__ import annotations

from kiosk.domain.settlement import Outcome, RefundMatch, ReportLine
from kiosk.domain.settlement_refunds import TillRefund, reconcile_refunds


def back(line_no: int, ref: str, amount: int, key: str = "", method: str = "qris") -> ReportLine:
    """A refund line the bank made."""
    return ReportLine(ref, amount, 0, "refund", "2026-11-29 16:00:00", method, line_no,
                      refund=True, refund_key=key)  # fmt: skip


def given(
    key: str, ref: str, amount: int, kind: str = "refund", method: str = "qris"
) -> TillRefund:
    return TillRefund(key, ref, amount, method, f"doc-{key}", kind)


def test_every_outcome_carries_the_till_and_bank_sides_whole() -> None:
    refunds = [given("R-1", "S-1", 12_500), given("R-2", "S-2", 9_000),
               given("R-3", "S-3", 5_000, method="card"),
               given("V-4", "S-4", 4_000, "void", "card")]  # fmt: skip
    lines = [back(1, "S-1", 12_500, "R-1"), back(2, "S-2", 8_000, "R-2"),
             back(3, "S-7", 3_000, "R-77", method="card")]  # fmt: skip
    assert reconcile_refunds(refunds, lines) == (
        RefundMatch(Outcome.MATCHED, "R-1", "S-1", 12_500, 12_500, "doc-R-1", "qris"),
        RefundMatch(Outcome.AMOUNT_DIFFERS, "R-2", "S-2", 9_000, 8_000, "doc-R-2", "qris"),
        RefundMatch(Outcome.MISSING_AT_BANK, "R-3", "S-3", 5_000, None, "doc-R-3", "card"),
        RefundMatch(Outcome.VOIDED, "V-4", "S-4", 4_000, None, "doc-V-4", "card"),
        RefundMatch(Outcome.MISSING_AT_TILL, "R-77", "S-7", None, 3_000, "", "card"),
    )


def test_a_line_naming_the_refund_wins_over_an_earlier_line_without_a_key() -> None:
    refunds = [given("R-1", "S-1", 5_000)]
    lines = [back(1, "S-1", 5_000), back(2, "S-1", 5_000, "R-1")]
    assert [(m.outcome, m.key, m.bank_amount) for m in reconcile_refunds(refunds, lines)] == [
        (Outcome.MISSING_AT_TILL, "", 5_000),
        (Outcome.MATCHED, "R-1", 5_000),
    ]


def test_a_refund_key_the_report_repeats_matches_once() -> None:
    refunds = [given("R-1", "S-1", 5_000)]
    lines = [back(1, "S-1", 5_000, "R-1"), back(2, "S-1", 5_000, "R-1")]
    assert [(m.outcome, m.key) for m in reconcile_refunds(refunds, lines)] == [
        (Outcome.MATCHED, "R-1"),
        (Outcome.MISSING_AT_TILL, "R-1"),
    ]


def test_a_line_without_a_key_matches_only_a_refund_of_its_payment() -> None:
    refunds = [given("R-1", "S-1", 5_000)]
    assert [
        (m.outcome, m.reference) for m in reconcile_refunds(refunds, [back(1, "S-9", 5_000)])
    ] == [
        (Outcome.MISSING_AT_BANK, "S-1"),
        (Outcome.MISSING_AT_TILL, "S-9"),
    ]


def test_a_bank_refund_of_a_voided_payment_is_not_the_void() -> None:
    # the void never reached the bank: a refund line of that payment is another refund
    refunds = [given("V-1", "600000000001", 20_000, "void", "card")]
    lines = [back(1, "600000000001", 20_000, method="card")]
    assert [(m.outcome, m.key) for m in reconcile_refunds(refunds, lines)] == [
        (Outcome.MISSING_AT_TILL, ""),
        (Outcome.VOIDED, "V-1"),
    ]
