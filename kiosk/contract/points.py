"""Loyalty points as the fleet hears them: the ``payload`` of an ``event`` whose ``kind``
is ``points``, sent at once with the sale that earned or spent them (the fleet keeps
the confirmed balance a kiosk may spend from while offline)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from kiosk.contract.fields import Document, Id, Money


class Points(Document):
    """One move of a member's points: ``points`` is positive when earned, negative when
    spent or taken back; ``spend`` the rupiah that counted towards the tier."""

    member_id: Id
    sale_id: Id
    move: Literal["earn", "redeem", "reverse", "expire"]
    points: int = Field(ge=-(10**9), le=10**9)
    spend: Money = Field(ge=0)

    def cross_checks(self) -> list[str]:
        if self.move == "earn" and self.points < 0:
            return ["points: an earning is not negative"]
        return []
