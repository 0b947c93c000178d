"""The replay steps of stock: ``receive`` (a delivery line) and ``adjust`` (waste,
expired, damaged, lost, found). Both need a supervisor logged in (the ``login`` step of
the books); otherwise the script stops before anything changes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from kiosk.domain.bounds import check_text
from kiosk.services.staff import StaffMember
from kiosk.services.stock_receiving import StockReceiving

STOCK_STEPS = ("receive", "adjust")


@dataclass
class StockSteps:
    stock: StockReceiving
    member: Callable[[], StaffMember | None]  # who is logged in now
    log: Callable[[str], None] = lambda _msg: None

    def run(self, name: str, value: Any) -> None:
        getattr(self, f"_{name}")(value)

    def _receive(self, value: Any) -> None:
        if not isinstance(value, dict) or not {"sku", "qty", "cost"} <= set(value) <= {
            "sku", "qty", "cost", "supplier",
        }:  # fmt: skip
            raise ValueError('receive needs {"sku": "...", "qty": n, "cost": c, "supplier": "..."}')
        supplier = value.get("supplier", "-")
        done = self.stock.receive(
            self.member(), check_text(value["sku"], "sku"), value["qty"], value["cost"],
            supplier,
        )  # fmt: skip
        self.log(f"received {value['qty']} of {done['sku']}: on hand {done['qty']}")

    def _adjust(self, value: Any) -> None:
        if not isinstance(value, dict) or set(value) != {"sku", "qty", "reason"}:
            raise ValueError('adjust needs {"sku": "...", "qty": n, "reason": "..."}')
        done = self.stock.adjust(
            self.member(), check_text(value["sku"], "sku"), value["qty"],
            check_text(value["reason"], "reason"),
        )  # fmt: skip
        flag = " (negative: count it)" if done["negative"] else ""
        self.log(f"adjusted {done['sku']} by {done['delta']}: on hand {done['qty']}{flag}")
