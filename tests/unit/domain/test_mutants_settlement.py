"""Reading an acquirer's report line by line and the reconciliation's written form, field
by field (written for mutants of kiosk.domain.settlement that survived the third
mutation run)."""

from __future__ import annotations

import pytest

from kiosk.domain.settlement import (
    Match,
    Outcome,
    Reconciliation,
    RefundMatch,
    ReportLine,
    SettlementFileError,
    TillTender,
    read_rows,
    reconcile,
)

HEADER = ["Order ID", "Amount", "Fee", "Status", "Date & Time", "Transaction Type",
          "Refund Key", "Refund Type"]  # fmt: skip


def row(ref: str, amount: str, status: str = "success", method: str = "qris", key: str = "",
        kind: str = "") -> list[str]:  # fmt: skip
    return [ref, amount, "", status, "t", method, key, kind]


def test_each_way_a_report_marks_a_refund_is_read_and_blank_rows_are_skipped() -> None:
    rows = [HEADER, ["S-1", "27500.00", "193", "settlement", "2026-11-29 10:01", "qris", "", ""],
            [""] * 8, row("S-2", "-5000"), row("S-3", "5000", status="refund"),
            row("S-4", "5000", method="QRIS Refund"), row("S-5", "5000", kind="partial"),
            row("S-6", "5000", key="RF-6"), row("S-7", "0", status="settlement")]  # fmt: skip

    def line(ref: str, no: int, refund: bool, **kw: object) -> ReportLine:
        fields: dict[str, object] = {"reference": ref, "amount": 5000, "fee": 0,
                                     "status": "success", "time": "t", "method": "qris",
                                     "line_no": no, "refund": refund, **kw}  # fmt: skip
        return ReportLine(**fields)  # type: ignore[arg-type]

    assert read_rows(rows) == [
        line("S-1", 2, False, amount=27500, fee=193, status="settlement", time="2026-11-29 10:01"),
        line("S-2", 4, True),
        line("S-3", 5, True, status="refund"),
        line("S-4", 6, True, method="QRIS Refund"),
        line("S-5", 7, True),
        line("S-6", 8, True, refund_key="RF-6"),
        line("S-7", 9, False, amount=0, status="settlement"),
    ]


def test_a_report_without_optional_columns_reads_them_as_empty() -> None:
    lines = read_rows([["reference", "amount", "status"], ["S-1", "100", "PAID"]])
    assert lines == [ReportLine("S-1", 100, 0, "paid", "", "", 2)]


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([], "the report is empty"),
        ([["Amount", "Fee"]], "line 1: the header has no reference, status column"),
        ([HEADER, row("S-1", "12345678901234567890123")],
         "line 2: amount: not an amount: '12345678901234567890'"),
        ([HEADER, row("S-1", "12.50")], "line 2: amount: rupiah has no cents: '12.50'"),
        ([HEADER, ["S-1", "100", "abc", "paid", "t", "qris", "", ""]],
         "line 2: fee: not an amount: 'abc'"),
    ],
)  # fmt: skip
def test_an_unreadable_report_says_where(rows: list[list[str]], message: str) -> None:
    with pytest.raises(SettlementFileError) as caught:
        read_rows(rows)
    assert str(caught.value) == message


def test_every_outcome_is_written_out_whole() -> None:
    rows = [HEADER, row("S-9", "-100"), ["S-1", "27500", "193", "settlement", "t", "qris", "", ""],
            row("S-7", "40"), row("S-8", "1")]  # fmt: skip
    tenders = [TillTender("S-1", 27500, "qris", "sale-1", "2026-11-29"),
               TillTender("S-8", 100, "card", "sale-8", "2026-11-29"),
               TillTender("S-6", 500, "qris", "sale-6", "2026-11-29", unverified=True)]  # fmt: skip
    result = reconcile(tenders, read_rows(rows), voided={"S-8"})
    refund = RefundMatch(Outcome.MATCHED, "RF-9", "S-9", 100, 100, "R1", "qris")
    whole = Reconciliation(result.matches, result.skipped, (refund,))

    def match(outcome: str, ref: str, till: int | None, bank: int | None, fee: int, sale: str,
              unverified: bool = False) -> dict[str, object]:  # fmt: skip
        return {"outcome": outcome, "reference": ref, "till_amount": till, "bank_amount": bank,
                "fee": fee, "sale_id": sale, "unverified": unverified}  # fmt: skip

    none = dict.fromkeys(o.value for o in Outcome)
    assert whole.to_dict() == {
        "summary": {**none, "matched": 1, "amount_differs": 1, "missing_at_bank": 1,
                    "missing_at_till": 1, "voided": 0, "fees": 193, "skipped": 0},
        "lines": [match("matched", "S-1", 27500, 27500, 193, "sale-1"),
                  match("missing_at_bank", "S-6", 500, None, 0, "sale-6", True),
                  match("missing_at_till", "S-7", None, 40, 0, ""),
                  # voided at the terminal yet settled: a difference to look into
                  match("amount_differs", "S-8", 100, 1, 0, "sale-8")],
        "unverified": ["S-6"],
        "refunds": {"summary": {**dict.fromkeys(none, 0), "matched": 1},
                    "lines": [{"outcome": "matched", "key": "RF-9", "reference": "S-9",
                               "till_amount": 100, "bank_amount": 100, "refund_id": "R1",
                               "method": "qris"}]},
    }  # fmt: skip
    assert isinstance(whole.matches[0], Match)
