"""The books' events (refund, shift_close, z_close) carry a payload the contract checks:
a refund whose lines or tenders do not add up, or a shift whose over/short is not
counted - expected, is refused before it is queued."""

from __future__ import annotations

from typing import Any

from kiosk.contract import schemas

REFUND: dict[str, Any] = {
    "refund_id": "r1", "device_id": "k1", "sale_id": "s1", "receipt_no": 7,
    "business_date": "2026-11-20", "created_at": "2026-11-20T03:00:00.000000Z",
    "lines": [{"line_no": 1, "sku": "TEH", "qty": 1, "amount": -4333, "restock": True}],
    "rounding": 0, "total": -4333, "ppn": 429, "cash": 4333,
    "tenders": [{"index": 0, "method": "card", "amount": -4333, "paid_as": "cash"}],
    "by": "Budi",
}  # fmt: skip
SHIFT: dict[str, Any] = {
    "by": "Ani", "business_date": "2026-11-20", "shift_id": "x1", "cashier": "Ani",
    "opened_at": "2026-11-20T01:00:00.000000Z", "closed_at": "2026-11-20T09:00:00.000000Z",
    "float": 100000, "cash_sales": 20000, "cash_in": 0, "cash_out": 10000,
    "cash_refunds": 5000, "expected_cash": 105000, "counted": 104500, "over_short": -500,
}  # fmt: skip


def event(kind: str, payload: dict[str, Any]) -> dict[str, Any]:
    return {"schema": 1, "at": "2026-11-20T03:00:00.000000Z", "kind": kind, "ref": "r1",
            "payload": payload}  # fmt: skip


def test_well_formed_book_events_pass() -> None:
    assert schemas.validate("event", event("refund", REFUND)) == []
    assert schemas.validate("event", event("shift_close", SHIFT)) == []
    z = {"by": "Budi", "business_date": "2026-11-20", "z_number": 1,
         "closed_at": "2026-11-20T15:00:00.000000Z"}  # fmt: skip
    assert schemas.validate("event", event("z_close", z)) == []


def test_figures_that_do_not_add_up_are_refused() -> None:
    assert schemas.validate("event", event("refund", {**REFUND, "total": -4000})) == [
        "payload.total: is not the sum of the lines and the rounding",
        "payload.tenders: do not add up to the total",
    ]
    assert schemas.validate("event", event("shift_close", {**SHIFT, "over_short": 0})) == [
        "payload.over_short: is not counted - expected_cash"
    ]
    errors = schemas.validate("event", event("z_close", {"by": "Budi"}))
    assert errors and all(e.startswith("payload.") for e in errors)


def test_other_events_stay_open() -> None:
    assert schemas.validate("event", event("no_sale", {"anything": 1})) == []


def test_a_void_carries_its_line() -> None:
    void = {"line_no": 2, "sku": "TEH", "qty": 1, "staff": ""}
    assert schemas.validate("event", event("void", void)) == []
    errors = schemas.validate("event", event("void", {"anything": 1}))
    assert "payload.line_no: missing" in errors
