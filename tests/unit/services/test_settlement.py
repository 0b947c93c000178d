"""Reconciliation: every tender and every settled report line lands in one outcome."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.domain.settlement import Outcome, SettlementFileError, TillTender, reconcile
from kiosk.services.settlement_report import read_report

MIDTRANS_CSV = """\ufeffDate & Time,Order ID,Transaction Type,Channel,Status,Amount,Fee,Refund Type
2026-11-29 10:01:02,S-1,qris,gopay,settlement,27500.00,193.00,
2026-11-29 10:05:00,S-2,qris,gopay,settlement,10000.00,70.00,
2026-11-29 10:09:00,S-9,qris,gopay,settlement,5000.00,35.00,
2026-11-29 11:00:00,S-3,qris,gopay,expire,8000.00,0.00,
"""
SNAP_CSV = """partnerReferenceNo;referenceNo;amount;feeAmount;latestTransactionStatus;paidTime
S-1;A1;27500.00;193.00;00;2026-11-29T10:01:02+07:00
S-4;A4;12000.00;84.00;00;2026-11-29T12:00:00+07:00
"""


def tender(ref: str, amount: int, *, unverified: bool = False) -> TillTender:
    return TillTender(ref, amount, "qris", f"sale-{ref}", "2026-11-29", unverified)


def test_midtrans_report_is_read_by_column_name_and_appended_columns_are_ignored() -> None:
    lines = read_report(MIDTRANS_CSV)
    assert [(x.reference, x.amount, x.fee, x.status) for x in lines] == [
        ("S-1", 27500, 193, "settlement"),
        ("S-2", 10000, 70, "settlement"),
        ("S-9", 5000, 35, "settlement"),
        ("S-3", 8000, 0, "expire"),
    ]


def test_each_outcome() -> None:
    till = [tender("S-1", 27500), tender("S-2", 11000), tender("S-5", 4000, unverified=True)]
    result = reconcile(till, read_report(MIDTRANS_CSV))
    by_ref = {m.reference: m for m in result.matches}
    assert by_ref["S-1"].outcome is Outcome.MATCHED and by_ref["S-1"].fee == 193
    assert by_ref["S-2"].outcome is Outcome.AMOUNT_DIFFERS
    assert (by_ref["S-2"].till_amount, by_ref["S-2"].bank_amount) == (11000, 10000)
    assert by_ref["S-9"].outcome is Outcome.MISSING_AT_TILL
    assert by_ref["S-5"].outcome is Outcome.MISSING_AT_BANK
    assert "S-3" not in by_ref and [s.reference for s in result.skipped] == ["S-3"]
    assert [m.reference for m in result.unverified_open] == ["S-5"]
    summary = result.to_dict()["summary"]
    assert summary == {
        "matched": 1, "amount_differs": 1, "missing_at_bank": 1, "missing_at_till": 1,
        "voided": 0, "fees": 193 + 70 + 35, "skipped": 1,
    }  # fmt: skip


def test_snap_report_with_semicolons_confirms_an_unverified_static_payment() -> None:
    till = [tender("S-1", 27500), tender("S-4", 12000, unverified=True)]
    result = reconcile(till, read_report(SNAP_CSV))
    assert result.count(Outcome.MATCHED) == 2
    assert result.unverified_open == ()


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "empty"),
        ("Order ID,Amount\nS-1,100\n", "no status column"),
        ("Order ID,Status,Amount\nS-1,settlement,1.000.000\n", "line 2: amount: not an amount"),
        ("Order ID,Status,Amount\nS-1,settlement,100.50\n", "no cents"),
        ("Order ID,Status,Amount\nS-1,settlement\n", "line 2: 2 columns"),
        ("Order ID,Status,Amount\n,settlement,100\n", "reference is empty"),
        ("Order ID,Status,Amount\nS-1,settlement,--100\n", "not an amount"),
        ("Order ID,Status,Amount\nS-1,settlement,99999999999999\n", "not an amount"),
    ],
)
def test_unreadable_reports_name_the_line(text: str, reason: str) -> None:
    with pytest.raises(SettlementFileError, match=reason):
        read_report(text)


def test_a_reference_settled_twice_is_refused() -> None:
    text = "Order ID,Status,Amount\nS-1,settlement,100\nS-1,settlement,100\n"
    with pytest.raises(SettlementFileError, match="also on line 2"):
        reconcile([], read_report(text))


refs = st.text(alphabet="ABC123-", min_size=1, max_size=4)


@given(
    till=st.dictionaries(refs, st.integers(1, 10**7), max_size=12),
    bank=st.dictionaries(refs, st.integers(1, 10**7), max_size=12),
)
def test_every_reference_lands_in_exactly_one_outcome(
    till: dict[str, int], bank: dict[str, int]
) -> None:
    csv_text = "Order ID,Status,Amount\n" + "".join(
        f"{ref},settlement,{amount}\n" for ref, amount in bank.items()
    )
    result = reconcile([tender(r, a) for r, a in till.items()], read_report(csv_text))
    assert sorted(m.reference for m in result.matches) == sorted(till.keys() | bank.keys())
    for match in result.matches:
        in_till, in_bank = match.reference in till, match.reference in bank
        expected = (
            Outcome.MISSING_AT_TILL if not in_till
            else Outcome.MISSING_AT_BANK if not in_bank
            else Outcome.MATCHED if till[match.reference] == bank[match.reference]
            else Outcome.AMOUNT_DIFFERS
        )  # fmt: skip
        assert match.outcome is expected
