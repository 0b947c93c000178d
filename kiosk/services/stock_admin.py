"""Stock adjustments outside a sale (receiving, counts, shrinkage), journaled with who
made them; the stock change itself goes to the fleet in the same transaction."""

from __future__ import annotations

from kiosk.ports import Clock, UnitOfWork
from kiosk.services.business_day import utc_stamp
from kiosk.services.changes import ChangeRefusedError


class StockAdmin:
    def __init__(self, uow: UnitOfWork, clock: Clock) -> None:
        self.uow = uow
        self.clock = clock

    def adjust(
        self, changes: list[tuple[str, int]], *, reason: str, ref: str = "", by: str
    ) -> dict[str, int]:
        """Apply the moves all-or-nothing; returns the new levels. Every SKU must be a
        product of the catalog and every move needs a reason."""
        if not changes:
            raise ChangeRefusedError("a stock adjustment needs at least one SKU")
        if not reason.strip():
            raise ChangeRefusedError("a stock adjustment needs a reason (receiving, count, ...)")
        at = utc_stamp(self.clock)
        with self.uow.transaction():
            unknown = [sku for sku, _ in changes if self.uow.catalog.get(sku) is None]
            if unknown:
                raise ChangeRefusedError(f"no product with SKU {', '.join(map(repr, unknown))}")
            levels = self.uow.stock.adjust(changes, reason, ref, at)
            self.uow.journal("stock_adjust", ref or reason, {
                "by": by, "reason": reason, "ref": ref,
                "changes": [{"sku": sku, "delta": delta, "level": levels[sku]}
                            for sku, delta in changes],
            }, at)  # fmt: skip
        return levels

    def snapshot(self) -> int:
        """Queue every stocked SKU with its level for the fleet; returns the count."""
        with self.uow.transaction():
            return self.uow.stock.snapshot(utc_stamp(self.clock))
