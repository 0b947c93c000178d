"""The completed sale: the one record the ledger stores, the journal chains, the outbox
publishes, the receipt prints and the reports add up.

Plain frozen dataclasses with a stable JSON form (``to_dict`` / ``from_dict``); the
field names are the wire format of ``pos/v1/.../sale`` (schema version ``SALE_SCHEMA``).
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime
from typing import Any

SALE_SCHEMA = 1


def iso_utc(moment: datetime) -> str:
    """``2026-11-27T06:01:02.123456Z``: the one timestamp form of every record and message."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@dataclass(frozen=True)
class SaleLine:
    line_no: int  # 1-based position on the receipt
    sku: str
    name: str
    qty: int  # units; for weighed items 1 and ``weight_g`` set
    unit_price: int  # tax-inclusive rupiah per unit
    gross: int  # unit_price * qty (or the price carried by a variable-price barcode)
    discount: int  # everything taken off this line: line, promotion and order share
    amount: int  # gross - discount; what the customer pays for this line
    tax_rate_percent: str  # effective PPN rate as a decimal string, "11" or "0"
    barcode: str = ""
    category: str = ""
    weight_g: int | None = None
    promotions: tuple[str, ...] = ()  # ids of promotions that took money off this line


@dataclass(frozen=True)
class TaxLine:
    rate_percent: str  # effective rate, as in SaleLine.tax_rate_percent
    taxable: int  # tax-inclusive total of the lines at this rate, after discounts
    dpp: int  # taxable - ppn
    ppn: int  # round_half_up(taxable * r / (1 + r))


@dataclass(frozen=True)
class TenderRecord:
    method: str  # "cash" | "card" | "qris" | "points"
    amount: int  # applied to the sale (cash: given minus change)
    given: int | None = None  # cash: what the customer handed over; points: points spent
    reference: str = ""  # card RRN / QRIS transaction id
    approval_code: str = ""
    masked_pan: str = ""  # first 6 and last 4 only, e.g. "421234******1234"
    terminal_id: str = ""


@dataclass(frozen=True)
class CompletedSale:
    sale_id: str  # globally unique (uuid4 hex); the fleet dedups on it
    store_id: str
    device_id: str
    business_date: str  # YYYY-MM-DD in the store's timezone
    created_at: str  # ISO 8601 UTC, e.g. "2026-11-27T06:01:02.123456Z"
    lines: tuple[SaleLine, ...]
    taxes: tuple[TaxLine, ...]
    tenders: tuple[TenderRecord, ...]
    total: int  # sum of line amounts (after all discounts)
    discount_total: int  # sum of line discounts
    cash_rounding: int = 0  # <= 0; taken off the total when paid in cash
    change: int = 0
    receipt_no: int = 0  # 0 until the ledger assigns the device's next number
    cashier: str = ""
    member_id: str = ""
    mode: str = "counter"  # "counter" | "self-checkout" | "replay"
    schema: int = SALE_SCHEMA
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def payable(self) -> int:
        """What the tenders must cover: total plus the (non-positive) cash rounding."""
        return self.total + self.cash_rounding

    @property
    def gross(self) -> int:
        return sum(line.gross for line in self.lines)

    def to_dict(self) -> dict[str, Any]:
        """What ``dataclasses.asdict`` gives plus ``payable``, written out: asdict
        deep-copies every scalar, which was half of a sale commit's CPU time."""
        data = {name: getattr(self, name) for name in _SALE_FIELDS}
        data["lines"] = tuple(_flat(line, _LINE_FIELDS) for line in self.lines)
        data["taxes"] = tuple(_flat(tax, _TAX_FIELDS) for tax in self.taxes)
        data["tenders"] = tuple(_flat(tender, _TENDER_FIELDS) for tender in self.tenders)
        data["extra"] = copy.deepcopy(self.extra)
        data["payable"] = self.payable
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CompletedSale:
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        known["lines"] = tuple(
            SaleLine(**{**line, "promotions": tuple(line.get("promotions", ()))})
            for line in data["lines"]
        )
        known["taxes"] = tuple(TaxLine(**t) for t in data["taxes"])
        known["tenders"] = tuple(TenderRecord(**t) for t in data["tenders"])
        known["extra"] = dict(data.get("extra", {}))
        return cls(**known)


def _flat(record: object, names: tuple[str, ...]) -> dict[str, Any]:
    return {name: getattr(record, name) for name in names}


_SALE_FIELDS = tuple(f.name for f in fields(CompletedSale))
_LINE_FIELDS = tuple(f.name for f in fields(SaleLine))
_TAX_FIELDS = tuple(f.name for f in fields(TaxLine))
_TENDER_FIELDS = tuple(f.name for f in fields(TenderRecord))


def void_totals(extra: Mapping[str, Any]) -> tuple[int, int]:
    """(count, amount) of lines voided before payment, from a sale's ``extra``: either
    ``{"voids": {"count": n, "amount": rp}}``, ``void_count``/``void_amount``, or a
    ``voided_lines`` list of dicts with ``amount`` (or ``gross``), as checkout writes it.
    The kiosk's Z and the fleet's report both count voids with this. ValueError when a
    count or amount is not an int."""
    count: Any
    amount: Any
    if isinstance(extra.get("voids"), dict):
        count, amount = extra["voids"].get("count", 0), extra["voids"].get("amount", 0)
    elif isinstance(extra.get("voided_lines"), list):
        lines = [ln for ln in extra["voided_lines"] if isinstance(ln, dict)]
        count = len(lines)
        amount = sum(int(ln.get("amount", ln.get("gross", 0)) or 0) for ln in lines)
    else:
        count, amount = extra.get("void_count", 0), extra.get("void_amount", 0)
    for name, value in (("count", count), ("amount", amount)):
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"void {name} must be an int, got {value!r}")
    return count, amount
