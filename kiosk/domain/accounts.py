"""The day's accounting entries: double-entry, balanced to the rupiah.

From a day's totals (all amounts tax-inclusive, as the till records them):

    Dr cash, card clearing, QRIS clearing, loyalty liability   (what the tenders took)
    Dr sales discounts                                         (discounts given)
    Dr cash rounding                                           (taken off cash totals)
        Cr sales revenue    = gross - PPN on sales             (before discounts, ex tax)
        Cr PPN output       = PPN on sales
    Dr sales returns        = refunds - PPN in refunds
    Dr PPN output           = PPN in refunds
        Cr the tenders the refunds paid back through
    Dr cost of goods sold / Cr inventory                       (where a cost is known,
                                                                at the moving average
                                                                when sold)
    Dr inventory / Cr cost of goods sold                       (refunded units restocked)

Tenders of the sales add up to gross - discounts + cash rounding (cash rounding <= 0),
so the sales side balances by construction; refunds balance against their tenders.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

TENDER_ACCOUNTS = {
    "cash": "cash",
    "card": "card_clearing",
    "qris": "qris_clearing",
    "points": "loyalty_liability",
}


class UnbalancedError(ValueError):
    """The day's figures do not add up; a bug upstream, never a rounding matter."""


@dataclass(frozen=True)
class Entry:
    account: str
    debit: int
    credit: int

    def to_dict(self) -> dict[str, object]:
        return {"account": self.account, "debit": self.debit, "credit": self.credit}


@dataclass(frozen=True)
class DayFigures:
    gross: int
    discounts: int
    cash_rounding: int  # <= 0
    ppn: int  # PPN in the sales
    tenders: Mapping[str, int]  # method -> amount taken for sales
    refunds: int = 0  # positive: paid back
    refund_ppn: int = 0
    refund_tenders: Mapping[str, int] | None = None
    cost_of_goods: int = 0
    cost_returned: int = 0  # the cost of refunded units put back on the shelf


def _account(method: str) -> str:
    return TENDER_ACCOUNTS.get(method, f"{method}_clearing")


def day_entries(day: DayFigures) -> list[Entry]:
    """The entries of one business day; ``UnbalancedError`` if they would not balance."""
    entries: list[Entry] = []

    def post(account: str, debit: int = 0, credit: int = 0) -> None:
        if debit or credit:
            entries.append(Entry(account, debit, credit))

    for method, amount in sorted(day.tenders.items()):
        post(_account(method), debit=amount)
    post("sales_discounts", debit=day.discounts)
    post("cash_rounding", debit=-day.cash_rounding)
    post("sales_revenue", credit=day.gross - day.ppn)
    post("ppn_output", credit=day.ppn)
    post("sales_returns", debit=day.refunds - day.refund_ppn)
    post("ppn_output", debit=day.refund_ppn)
    for method, amount in sorted((day.refund_tenders or {}).items()):
        post(_account(method), credit=amount)
    post("cost_of_goods_sold", debit=day.cost_of_goods)
    post("inventory", credit=day.cost_of_goods)
    post("inventory", debit=day.cost_returned)
    post("cost_of_goods_sold", credit=day.cost_returned)
    debits = sum(e.debit for e in entries)
    credits = sum(e.credit for e in entries)
    if debits != credits:
        raise UnbalancedError(f"entries do not balance: debits {debits}, credits {credits}")
    return entries
