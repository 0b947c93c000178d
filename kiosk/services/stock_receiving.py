"""Receiving deliveries and adjusting stock with a reason, by a supervisor, journaled with
who did it; the stock report with reorder suggestions from the recent daily sales rate.

Stock may go negative (a till never refuses a sale over a miscount): a move that leaves a
level below zero raises a ``low_stock`` alert marked negative, the signal for a recount.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from kiosk.domain import replenishment
from kiosk.domain.bounds import AMOUNT_CEILING, check_text
from kiosk.ports import Clock, UnitOfWork
from kiosk.services.business_day import business_date, utc_stamp
from kiosk.services.changes import ChangeRefusedError
from kiosk.services.staff import StaffMember, StaffService
from kiosk.services.stock_admin import StockAdmin

# The reasons an adjustment may give; all but "found" take stock away.
ADJUST_REASONS = ("waste", "expired", "damaged", "lost", "found")
MAX_QTY = 1_000_000  # one delivery line or adjustment (grams for weighed goods)


@dataclass(frozen=True)
class ReorderSettings:
    lead_time_days: int = 7
    safety_stock: int = 0
    demand_days: int = 28  # the window the daily sales rate is taken over


def reorder_settings(get: Callable[[str], Any]) -> ReorderSettings:
    """From the device settings (``settings.get``)."""
    return ReorderSettings(
        lead_time_days=int(get("stock.lead_time_days")),
        safety_stock=int(get("stock.safety_stock")),
        demand_days=int(get("stock.demand_days")),
    )


class StockReceiving:
    def __init__(
        self, uow: UnitOfWork, clock: Clock, timezone: str,
        reorder: ReorderSettings | None = None,
    ) -> None:  # fmt: skip
        self.uow = uow
        self.clock = clock
        self.timezone = timezone
        self.reorder = reorder or ReorderSettings()

    def receive(
        self, member: StaffMember | None, sku: str, qty: int, cost: int, supplier: str
    ) -> dict[str, Any]:
        """Book a delivery line; returns the SKU's new level and moving average cost."""
        by = StaffService.require(member, "stock_receive").name
        _whole(qty, "qty", 1, MAX_QTY)
        _whole(cost, "cost", 0, AMOUNT_CEILING)
        supplier = check_text(supplier, "supplier")
        at = utc_stamp(self.clock)
        with self.uow.transaction():
            self._known(sku)
            level, unit_cost = self.uow.stock.receive(
                sku, qty, cost, supplier=supplier, by=by, at=at
            )
            self.uow.journal("stock_receive", sku, {
                "by": by, "sku": sku, "qty": qty, "unit_cost": cost, "supplier": supplier,
                "level": level, "average_cost": unit_cost,
            }, at)  # fmt: skip
            self._flag_negative(sku, level, at)
        return {"sku": sku, "qty": level, "cost": unit_cost}

    def adjust(self, member: StaffMember | None, sku: str, qty: int, reason: str) -> dict[str, Any]:
        """Move ``qty`` units out (waste, expired, damaged, lost) or in (found); a
        negative ``qty`` for a loss means the same as a positive one."""
        by = StaffService.require(member, "stock_adjust").name
        if reason not in ADJUST_REASONS:
            raise ChangeRefusedError(
                f"adjust: reason must be one of {', '.join(ADJUST_REASONS)}, got {reason!r}"
            )
        if isinstance(qty, int) and not isinstance(qty, bool) and reason != "found":
            qty = abs(qty)
        _whole(qty, "qty", 1, MAX_QTY)
        delta = qty if reason == "found" else -qty
        with self.uow.transaction():
            self._known(sku)
            level = StockAdmin(self.uow, self.clock).adjust([(sku, delta)], reason=reason, by=by)[
                sku
            ]
            self._flag_negative(sku, level, utc_stamp(self.clock))
        return {"sku": sku, "delta": delta, "qty": level, "negative": level < 0}

    def count_sheet(self) -> list[dict[str, Any]]:
        """The stocktake sheet: every stocked SKU with what the books expect now."""
        return [{"sku": sku, "expected": qty, "counted": None}
                for sku, qty in sorted(self.uow.stock.levels().items())]  # fmt: skip

    def post_count(
        self, member: StaffMember | None, sheet: list[tuple[str, int, int]]
    ) -> dict[str, int]:
        """Post a counted sheet of (sku, expected, counted): each variance is counted -
        expected as the sheet was printed, so sales made while counting are kept. All or
        nothing; returns the variances that were posted."""
        by = StaffService.require(member, "stocktake").name
        variances: dict[str, int] = {}
        for sku, expected, counted in sheet:
            _whole(counted, f"counted {sku}", 0, MAX_QTY)
            _whole(expected, f"expected {sku}", -MAX_QTY, MAX_QTY)
            if counted != expected:
                variances[sku] = variances.get(sku, 0) + counted - expected
        if not variances:
            return {}
        with self.uow.transaction():
            for sku in variances:
                self._known(sku)
            levels = StockAdmin(self.uow, self.clock).adjust(
                list(variances.items()), reason="stocktake", by=by
            )
            at = utc_stamp(self.clock)
            for sku, level in levels.items():
                self._flag_negative(sku, level, at)
        return variances

    def report(self) -> list[dict[str, Any]]:
        """Per SKU: on hand, unit cost (None while unknown), reorder point, suggestion."""
        today = date.fromisoformat(business_date(self.clock.now(), self.timezone))
        days = self.reorder.demand_days
        since = (today - timedelta(days=days - 1)).isoformat()
        levels = self.uow.stock.levels()
        costs = self.uow.stock.costs()
        sold = self.uow.stock.units_sold_since(since)
        rows = []
        lead, safety = self.reorder.lead_time_days, self.reorder.safety_stock
        for sku in sorted(set(levels) | set(costs) | set(sold)):
            on_hand = levels.get(sku, 0)
            demand = replenishment.daily_demand(sold.get(sku, 0), days)
            rows.append({
                "sku": sku, "qty": on_hand, "cost": costs.get(sku),
                "reorder_point": replenishment.reorder_point(demand, lead, safety),
                "suggested": replenishment.suggested_order(on_hand, demand, lead, safety),
                "negative": on_hand < 0,
            })  # fmt: skip
        return rows

    def _known(self, sku: str) -> None:
        if not isinstance(sku, str) or self.uow.catalog.get(sku) is None:
            raise ChangeRefusedError(f"no product with SKU {sku!r}")

    def _flag_negative(self, sku: str, level: int, at: str) -> None:
        if level < 0:
            self.uow.raise_alert(
                "low_stock", f"stock of {sku} is negative ({level}): count it", at,
                detail={"sku": sku, "qty": level, "negative": True},
            )  # fmt: skip


def _whole(value: Any, name: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ChangeRefusedError(f"{name} must be a whole number {low}..{high}, got {value!r}")
    return value
