"""Loyalty at the till: enrolling a member by phone, attaching a member to the basket,
and earning points on a sale in the sale's own transaction (the sale and its points are
written together or not at all). Points are moves in a book; the balance is their sum.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Any, Protocol

from kiosk.domain import points
from kiosk.domain.bounds import check_text
from kiosk.domain.loyalty import Member, MemberError, normalize_phone
from kiosk.domain.sale import CompletedSale
from kiosk.ports import BooksUnitOfWork, Clock
from kiosk.services.business_day import utc_stamp
from kiosk.services.checkout import CheckoutService
from kiosk.services.members import MemberDirectory, MemberService

TIER_DAYS = 365  # the rolling period a member's spend is counted over for the tier


class PointsBook(Protocol):
    def add(  # noqa: PLR0917 (one move)
        self, member_id: str, sale_id: str, kind: str, points: int, spend: int, at: str
    ) -> None: ...
    def balance(self, member_id: str) -> int: ...
    def spend_since(self, member_id: str, since: str) -> int: ...
    def members(self) -> list[dict[str, Any]]: ...


def loyalty_rules(get: Callable[[str], Any]) -> points.LoyaltyRules:
    """From the device settings (``settings.get``)."""
    return points.LoyaltyRules(
        earn_rupiah_per_point=int(get("loyalty.earn_rupiah_per_point")),
        point_value=int(get("loyalty.point_value")),
    )


class LoyaltyService:
    def __init__(
        self, uow: BooksUnitOfWork, clock: Clock, book: PointsBook, directory: MemberDirectory,
        rules: points.LoyaltyRules | None = None,
    ) -> None:  # fmt: skip
        self.uow = uow
        self.clock = clock
        self.book = book
        self.directory = directory
        self.rules = rules or points.LoyaltyRules()

    def enrol(self, phone: str, name: str, card: str = "") -> Member:
        """A new member by phone (and an optional card); a phone already enrolled is
        refused. Journaled."""
        number = normalize_phone(check_text(phone, "phone"))
        name = check_text(name, "name")
        if self.directory.by_phone(number) is not None:
            raise MemberError(f"{number} is already a member")
        if card and self.directory.by_card(card) is not None:
            raise MemberError(f"card {card} belongs to another member")
        member = Member(f"M{uuid.uuid4().hex[:12].upper()}", name, number, card)
        at = utc_stamp(self.clock)
        with self.uow.transaction():
            self.uow.members.upsert_many([member])
            self.uow.journal("member_enrol", member.member_id,
                             {"member_id": member.member_id, "card": bool(card)}, at)  # fmt: skip
        return member

    def attach(self, checkout: CheckoutService, text: str) -> Member:
        """The member behind a card or phone goes on the open basket."""
        member = MemberService(self.directory).identify(text)
        checkout.set_member(member.member_id)
        return member

    def complete(self, checkout: CheckoutService) -> tuple[CompletedSale, int]:
        """Complete the sale and book the points it earns, all in one transaction."""
        with self.uow.transaction():
            sale = checkout.complete()
            earned = self._earn(sale)
        return sale, earned

    def balance(self, member_id: str) -> int:
        return self.book.balance(member_id)

    def tier(self, member_id: str) -> points.Tier:
        since = utc_stamp(self.clock, self.clock.now() - timedelta(days=TIER_DAYS))
        return points.tier_for(self.book.spend_since(member_id, since), self.rules)

    def report(self) -> list[dict[str, Any]]:
        """Per member: member_id, phone, name, points, tier."""
        return [{**row, "tier": self.tier(row["member_id"]).name} for row in self.book.members()]

    def _earn(self, sale: CompletedSale) -> int:
        if not sale.member_id:
            return 0
        with_points = sum(t.amount for t in sale.tenders if t.method == "points")
        earned = points.points_earned(sale.total, with_points, self.rules,
                                      self.tier(sale.member_id))  # fmt: skip
        spend = max(sale.total - with_points, 0)
        self.book.add(sale.member_id, sale.sale_id, "earn", earned, spend, sale.created_at)
        payload = {"member_id": sale.member_id, "sale_id": sale.sale_id, "move": "earn",
                   "points": earned, "spend": spend}  # fmt: skip
        self.uow.books.publish_event("points", sale.sale_id, payload, sale.created_at)
        return earned
