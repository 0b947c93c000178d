"""The replay steps of loyalty: ``enrol`` a member by phone, ``member`` (a card or a
phone) to put one on the open basket and ``redeem`` (points as a tender). With loyalty
here, a sale is completed through it so the points it spends and earns are written with
the sale."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from kiosk.domain.bounds import check_text
from kiosk.domain.sale import CompletedSale
from kiosk.services.checkout import CheckoutService
from kiosk.services.loyalty import LoyaltyService

LOYALTY_STEPS = ("enrol", "member", "redeem")


@dataclass
class LoyaltySteps:
    loyalty: LoyaltyService
    checkout: CheckoutService
    log: Callable[[str], None] = lambda _msg: None

    def run(self, name: str, value: Any) -> None:
        getattr(self, f"_{name}")(value)

    def complete(self) -> CompletedSale:
        sale, earned = self.loyalty.complete(self.checkout)
        if sale.member_id:
            self.log(f"member {sale.member_id} earned {earned} points")
        return sale

    def _enrol(self, value: Any) -> None:
        if not isinstance(value, dict) or not {"phone", "name"} <= set(value) <= {
            "phone", "name", "card",
        }:  # fmt: skip
            raise ValueError('enrol needs {"phone": "...", "name": "..."}')
        card = check_text(value["card"], "card") if "card" in value else ""
        member = self.loyalty.enrol(value["phone"], value["name"], card)
        self.log(f"enrolled member {member.member_id}")

    def _member(self, value: Any) -> None:
        member = self.loyalty.attach(self.checkout, check_text(value, "member"))
        self.log(f"member {member.member_id} on the basket")

    def _redeem(self, value: Any) -> None:
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            raise ValueError('redeem is {"redeem": points}, a whole number above zero')
        record = self.loyalty.redeem(self.checkout, value)
        self.log(f"redeemed {value} points for {record.amount}")
