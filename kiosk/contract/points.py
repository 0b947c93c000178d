"""Loyalty points as the fleet hears them: the ``payload`` of an ``event`` whose ``kind``
is ``points``, sent at once with the sale that earned or spent them (the fleet keeps
the confirmed balance a kiosk may spend from while offline)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from kiosk.contract.fields import Document, Id, Money


class Points(Document):
    """One move of a member's points: ``points`` is positive when earned or given back by
    a refund, negative when spent, taken back by a refund or expired; ``spend`` the rupiah
    that counted towards the tier (negative when a refund takes it back)."""

    member_id: Id
    sale_id: Id
    move: Literal["earn", "redeem", "reverse", "expire"]
    points: int = Field(ge=-(10**9), le=10**9)
    spend: Money

    def cross_checks(self) -> list[str]:
        problems = []
        if self.move == "earn" and self.points < 0:
            problems.append("points: an earning is not negative")
        if self.move in {"redeem", "expire"} and self.points > 0:
            problems.append(f"points: a {self.move} is not positive")
        if self.spend < 0 and self.move != "reverse":
            problems.append("spend: only a refund's reversal takes spend back")
        return problems
