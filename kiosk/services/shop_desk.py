"""The counter's desk jobs beside selling: a receipt printed again from the ledger
(marked as a copy, journaled with who asked), and how many of an item the shop has."""

from __future__ import annotations

from typing import Any, Protocol

from kiosk.domain.errors import ShownError
from kiosk.domain.sale import CompletedSale
from kiosk.ports import Clock
from kiosk.services.business_day import utc_stamp
from kiosk.services.staff import StaffMember, StaffService


class ReceiptArchive(Protocol):
    """The sales of this till (kiosk.storage.ledger.SqliteLedger)."""

    def get_sale_by_receipt(self, receipt_no: int) -> CompletedSale | None: ...
    def last_receipt_no(self) -> int: ...
    def record_event(
        self, kind: str, ref: str, payload: dict[str, Any], created_at: str, publish: bool = True
    ) -> None: ...


class StockLevels(Protocol):
    def levels(self) -> dict[str, int]: ...


class ReceiptError(ShownError):
    """A receipt that cannot be printed again."""


class ShopDesk:
    def __init__(self, archive: ReceiptArchive, clock: Clock, stock: StockLevels | None = None):
        self.archive = archive
        self.clock = clock
        self.stock = stock

    def reprint(self, staff: StaffMember | None, receipt_no: int | None = None) -> CompletedSale:
        """The sale of ``receipt_no`` (the till's last one when None), to print as a copy;
        the reprint is journaled with the receipt and who asked for it."""
        member = StaffService.require(staff, "reprint")
        number = receipt_no or self.archive.last_receipt_no()
        if number <= 0:
            raise ReceiptError.of("receipt.none", message="no sale on this till yet")
        sale = self.archive.get_sale_by_receipt(number)
        if sale is None:
            raise ReceiptError.of(
                "receipt.not_found", receipt=number, message=f"no receipt {number} on this till"
            )
        payload = {"receipt_no": number, "staff_id": member.staff_id, "staff_name": member.name}
        self.archive.record_event("reprint", sale.sale_id, payload, utc_stamp(self.clock), False)
        return sale

    def stock_level(self, sku: str) -> int | None:
        """Units of ``sku`` on hand by the ledger (negative when more was sold than
        received); None when this till keeps no stock."""
        if self.stock is None:
            return None
        return self.stock.levels().get(sku, 0)
