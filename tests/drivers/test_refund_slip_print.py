"""The refund slip the counter prints after every refund: exact ESC/POS bytes through
escpos Dummy (snapshotted), from refunds made by the real services on a SQLite ledger: a
member's sale paid with points and cash, and a card sale voided back to the card through
the simulated terminal on a pty."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from syrupy.assertion import SnapshotAssertion

from drivers.card_terminal import SerialCardTerminal
from drivers.receipt_render import RenderOptions, lines_bytes
from kiosk.domain.books_report import layout_report
from kiosk.domain.points import LoyaltyRules
from kiosk.domain.refund_slip import refund_document
from kiosk.services.books import Books, books_services
from kiosk.services.checkout import CheckoutService
from kiosk.services.loyalty import LoyaltyService
from kiosk.services.staff import StaffMember
from kiosk.storage.ledger import SqliteLedger
from kiosk.storage.members_store import MembersStore
from kiosk.storage.points_store import PointsStore
from kiosk.storage.unit_of_work import SqliteUnitOfWork
from kiosk.testing.clock import SettableClock
from tests.drivers.test_refund_to_card import (
    books,
    card_sale,
    checkout,
    peer,
    terminal,
)

__all__ = [
    "books",
    "checkout",
    "peer",
    "terminal",
]  # fixtures used here (clock, ledger: tests/conftest.py)
HEADER = ["TOKO MAJU JAYA", "Jl. Merdeka 1, Bandung"]
PRINTED = "2026-11-20 18:00"
BUDI = StaffMember("s1", "Budi", "supervisor")
SARI = StaffMember("s2", "Sari", "supervisor")


def slip_bytes(body: dict[str, Any], lang: str, paper: str) -> bytes:
    """As the counter prints it: each line named from the sale, the refund id fixed (it is
    a random uuid) so the bytes can be compared."""
    named = {**body, "refund_id": "5f2c0e9a7b1d4c3e8a6f0b2d9c7e1a4b",
             "lines": [{**line, "name": "Kopi Susu"} for line in body["lines"]]}  # fmt: skip
    document = refund_document(named, header=HEADER, lang=lang, printed_at=PRINTED,
                               utc_offset_minutes=420)  # fmt: skip
    options = RenderOptions.from_settings({"paper": paper})
    lines = layout_report(document, options.columns)
    assert all(len(line.text) <= options.columns for line in lines if not line.large)
    return lines_bytes(lines, options)


def test_a_refund_of_a_sale_paid_with_points_and_cash(
    ledger: SqliteLedger, checkout: CheckoutService, clock: SettableClock,
    snapshot: SnapshotAssertion,
) -> None:  # fmt: skip
    uow = SqliteUnitOfWork(ledger)
    loyalty = LoyaltyService(uow, clock, PointsStore(ledger.conn), MembersStore(ledger.conn),
                             LoyaltyRules(earn_rupiah_per_point=1_000))  # fmt: skip
    member = loyalty.enrol("081234567890", "Siti")
    service = books_services(uow, clock, "Asia/Jakarta", loyalty)
    for qty, points in ((4, 0), (3, 50)):  # Rp50.000 earns 50 points; then spent on Rp37.500
        clock.at += timedelta(minutes=5)
        checkout.add_sku("KOPI", qty)
        checkout.set_member(member.member_id)
        if points:
            loyalty.redeem(checkout, points)
        checkout.pay_cash(checkout.start_payment().remaining)
        loyalty.complete(checkout)
    clock.at += timedelta(minutes=5)
    body = service.refunds.refund(BUDI, 2, [(1, 2)], restock=False)
    assert [(t["paid_as"], t["amount"]) for t in body["tenders"]] == [
        ("points", -3_300), ("cash", -21_700)]  # fmt: skip
    data = slip_bytes(body, "id", "80mm")
    assert data.startswith(b"\x1b@\x1bt\x00") and data.endswith(b"\x1dV\x01")
    text = data.decode("cp437")
    for shown in ("STRUK REFUND", "No. refund", "5f2c0e9a7b1d4c3e8a6f0b2d9c7e1a4b",
                  "Struk asal", "2026-11-20 10:15", "Kopi Susu x2 (dihapus)", "Rp25.000",
                  "Poin (33)", "Rp3.300", "Tunai", "Rp21.700", "Disetujui oleh", "Budi"):  # fmt: skip
        assert shown in text, shown
    assert data == snapshot
    english = slip_bytes(body, "en", "58mm").decode("cp437")
    assert "REFUND SLIP" in english and "Points (33)" in english and "Approved by" in english


def test_a_card_refund_names_the_card_by_its_last_digits_and_the_approvers(
    books: Books, checkout: CheckoutService, clock: SettableClock,
    terminal: SerialCardTerminal, snapshot: SnapshotAssertion,
) -> None:  # fmt: skip
    receipt = card_sale(checkout, clock, terminal, 2)
    body = books.refunds.refund(BUDI, receipt, [(1, 1)], restock=True)
    (tender,) = body["tenders"]
    assert tender["paid_as"] == "card"
    masked = tender["via"]["masked_pan"]
    data = slip_bytes({**body, "cash_approved_by": SARI.name}, "en", "58mm")
    text = data.decode("cp437")
    last4 = "".join(ch for ch in masked if ch.isdigit())[-4:]
    assert f"Card ****{last4}" in text and "Kopi Susu x1" in text and "(written off)" not in text
    assert "Cash approved by" in text and "Sari" in text
    assert data == snapshot
