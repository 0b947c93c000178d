"""Refunds in the settlement reconciliation: every card and QRIS share the till gave back
and every refund line of a report (negative amount, refund status, type or key) lands in
exactly one outcome, both ways, as payments do; a card void is expected nowhere."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from kiosk.domain.settlement import Outcome, TillTender
from kiosk.domain.settlement_refunds import TillRefund, reconcile_all, reconcile_refunds
from kiosk.services.settlement_report import read_report

MIDTRANS_CSV = """Date & Time,Order ID,Transaction Type,Status,Amount,Fee,Refund Key
2026-11-29 10:01:02,S-1,qris,settlement,27500.00,193.00,
2026-11-29 16:00:00,S-1,refund,settlement,-12500.00,0.00,R-1
2026-11-29 16:05:00,S-2,qris,refund,-8000.00,0.00,R-2
2026-11-29 16:10:00,S-7,qris,refund,-3000.00,0.00,R-77
2026-11-29 16:20:00,S-8,qris,pending,-1000.00,0.00,R-88
"""
CARD_CSV = """RRN;Refund RRN;Status;Amount;Date
600000000001;;settled;50000;2026-11-29
600000000003;;settled;40000;2026-11-29
600000000009;;settled;-20000;2026-11-29
"""


def qris(key: str, ref: str, amount: int) -> TillRefund:
    return TillRefund(key, ref, amount, "qris", f"refund-{key}")


def card(key: str, rrn: str, amount: int, kind: str = "refund") -> TillRefund:
    return TillRefund(key, rrn, amount, "card", f"refund-{key}", kind)


def outcomes(matches: tuple[object, ...]) -> dict[tuple[str, str], str]:
    return {(m.reference, m.key): m.outcome.value for m in matches}  # type: ignore[attr-defined]


def test_refund_lines_are_matched_by_key_and_unmatched_ones_reported_both_ways() -> None:
    lines = read_report(MIDTRANS_CSV)
    assert [(x.reference, x.refund, x.amount, x.refund_key) for x in lines][:3] == [
        ("S-1", False, 27_500, ""), ("S-1", True, 12_500, "R-1"), ("S-2", True, 8_000, "R-2")]  # fmt: skip
    till = [TillTender("S-1", 27_500, "qris", "sale-1", "2026-11-29")]
    refunds = [qris("R-1", "S-1", 12_500), qris("R-2", "S-2", 9_000), qris("R-3", "S-3", 5_000)]
    result = reconcile_all(till, lines, refunds)
    assert [(m.reference, m.outcome) for m in result.matches] == [("S-1", Outcome.MATCHED)]
    assert outcomes(result.refunds) == {
        ("S-1", "R-1"): "matched",
        ("S-2", "R-2"): "amount_differs",  # the bank gave back 8,000, the till 9,000
        ("S-3", "R-3"): "missing_at_bank",  # given back at the till, not in the report
        ("S-7", "R-77"): "missing_at_till",  # the bank gave back what the till never did
    }
    differs = next(m for m in result.refunds if m.key == "R-2")
    assert (differs.till_amount, differs.bank_amount) == (9_000, 8_000)
    assert [x.refund_key for x in result.skipped] == ["R-88"]  # still pending at the bank
    summary = result.to_dict()["refunds"]["summary"]  # type: ignore[index]
    assert summary == {"matched": 1, "amount_differs": 1, "missing_at_bank": 1,
                       "missing_at_till": 1, "voided": 0}  # fmt: skip


def test_card_refunds_match_by_the_refund_rrn_and_a_void_is_expected_nowhere() -> None:
    lines = read_report(CARD_CSV)
    till = [TillTender("600000000001", 50_000, "card", "sale-1", "2026-11-29"),
            TillTender("600000000002", 30_000, "card", "sale-2", "2026-11-29"),
            TillTender("600000000003", 40_000, "card", "sale-3", "2026-11-29")]  # fmt: skip
    refunds = [card("600000000009", "600000000001", 20_000),  # its own RRN on the line
               card("VOID-2", "600000000002", 30_000, "void"),  # never reached the bank
               card("VOID-3", "600000000003", 40_000, "void")]  # fmt: skip
    result = reconcile_all(till, lines, refunds)
    by_ref = {m.reference: m.outcome for m in result.matches}
    assert by_ref == {"600000000001": Outcome.MATCHED, "600000000002": Outcome.VOIDED,
                      "600000000003": Outcome.AMOUNT_DIFFERS}  # voided, yet settled  # fmt: skip
    assert outcomes(result.refunds) == {
        ("600000000001", "600000000009"): "matched",
        ("600000000002", "VOID-2"): "voided",
        ("600000000003", "VOID-3"): "voided",
    }


def test_a_report_without_refund_keys_matches_by_the_payment_and_the_amount() -> None:
    text = "Order ID,Status,Amount\nS-1,refund,5000\nS-1,refund,7500\nS-1,refund,100\n"
    refunds = [qris("R-1", "S-1", 7_500), qris("R-2", "S-1", 5_000)]
    assert outcomes(reconcile_refunds(refunds, read_report(text))) == {
        ("S-1", "R-1"): "matched", ("S-1", "R-2"): "matched", ("S-1", ""): "missing_at_till"}  # fmt: skip


keys = st.text(alphabet="RS12", min_size=1, max_size=3)


@given(
    till=st.dictionaries(keys, st.integers(1, 10**6), max_size=10),
    bank=st.dictionaries(keys, st.integers(1, 10**6), max_size=10),
)
def test_every_refund_and_every_refund_line_lands_in_exactly_one_outcome(
    till: dict[str, int], bank: dict[str, int]
) -> None:
    text = "Order ID,Refund Key,Status,Amount\n" + "".join(
        f"P-{key},{key},refund,-{amount}\n" for key, amount in bank.items()
    )
    result = reconcile_refunds([qris(k, f"P-{k}", a) for k, a in till.items()], read_report(text))
    assert sorted(m.key for m in result) == sorted(till.keys() | bank.keys())
    for match in result:
        in_till, in_bank = match.key in till, match.key in bank
        expected = (
            Outcome.MISSING_AT_TILL if not in_till
            else Outcome.MISSING_AT_BANK if not in_bank
            else Outcome.MATCHED if till[match.key] == bank[match.key]
            else Outcome.AMOUNT_DIFFERS
        )  # fmt: skip
        assert match.outcome is expected
