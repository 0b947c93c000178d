"""Loyalty at the till: enrolling a member by phone, attaching a member to the basket,
earning points (tier multiplier and bonus points per product or category) and redeeming
them as a tender, both written in the sale's own transaction (the sale and its points
together or not at all), taking back and giving back points on a refund, and expiry.
Points are moves in a book; the balance is their sum. Each move is reported at once.

Offline across kiosks: a till may spend only what the fleet last confirmed (``cmd/points``,
every store's moves counted) minus what it took off since; until the fleet confirms a
member's balance this till's own book is the confirmed balance (``points.spendable``).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any, Protocol

from kiosk.domain import points
from kiosk.domain.bounds import check_text
from kiosk.domain.loyalty import Member, MemberError, normalize_phone
from kiosk.domain.sale import CompletedSale, TenderRecord
from kiosk.ports import BooksUnitOfWork, Clock
from kiosk.services.business_day import utc_stamp
from kiosk.services.checkout import CheckoutService
from kiosk.services.members import MemberDirectory, MemberService

TIER_DAYS = 365  # the rolling period a member's spend is counted over for the tier
NO_MEMBER = "Put a member on the sale before paying with points"


class PointsBook(Protocol):
    def add(  # noqa: PLR0917 (one move)
        self, member_id: str, sale_id: str, kind: str, points: int, spend: int, at: str
    ) -> None: ...
    def balance(self, member_id: str) -> int: ...
    def spend_since(self, member_id: str, since: str) -> int: ...
    def members(self) -> list[dict[str, Any]]: ...
    def moves(self, member_id: str) -> list[tuple[str, int, str]]: ...
    def of_sale(self, sale_id: str, kind: str) -> tuple[int, int]: ...
    def confirmed(self, member_id: str) -> tuple[int, int] | None: ...
    def spent_after(self, member_id: str, seq: int) -> int: ...


def loyalty_rules(get: Callable[[str], Any]) -> points.LoyaltyRules:
    """From the device settings (``settings.get``)."""
    return points.LoyaltyRules(
        earn_rupiah_per_point=int(get("loyalty.earn_rupiah_per_point")),
        point_value=int(get("loyalty.point_value")),
        max_redeem_share_percent=int(get("loyalty.max_redeem_percent")),
        expiry_days=int(get("loyalty.expiry_days")),
        tiers=points.parse_tiers(get("loyalty.tiers")),
        bonus_per_unit=points.parse_bonus(get("loyalty.bonus_points")),
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
            raise MemberError.of("member.exists", phone=number)
        if card and self.directory.by_card(card) is not None:
            raise MemberError.of(
                "member.card_taken", message=f"card {card} belongs to another member"
            )
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

    def redeem(self, checkout: CheckoutService, wanted: int) -> TenderRecord:
        """Points of the basket's member as a tender, within what they may spend and the
        cap per sale; the points are booked when the sale completes."""
        member_id = checkout.basket.member_id
        if not member_id:
            raise points.PointsError.of("points.no_member", message=NO_MEMBER)
        session = checkout.start_payment()
        with self.uow.transaction():
            self.expire(member_id)
        spendable = self.spendable(member_id) - session.points_spent
        value = points.redeem(wanted, checkout.priced().total, max(spendable, 0), self.rules,
                              session.points_spent)  # fmt: skip
        return checkout.pay_points(wanted, value)

    def offer(self, checkout: CheckoutService) -> tuple[int, int]:
        """What a screen offers the basket's member before ``redeem``: (their points left
        after what this sale already took and what has expired, the most of them this sale
        can still take within the cap); (0, 0) without a member."""
        member_id = checkout.basket.member_id
        if not member_id:
            return 0, 0
        tenders = checkout.tenders
        already = tenders.points_spent if tenders is not None else 0
        left = max(self.spendable(member_id) - self._expiring(member_id) - already, 0)
        total = checkout.priced().total
        return left, points.max_redeemable(total, left, self.rules, already)

    def spendable(self, member_id: str) -> int:
        """What this till may spend: the balance the fleet last confirmed (all stores)
        minus what this till took off after the last of its moves the fleet counted;
        before any confirmation, this till's own book."""
        confirmed = self.book.confirmed(member_id)
        if confirmed is None:
            return points.spendable(self.book.balance(member_id), 0)
        balance, seen_seq = confirmed
        return points.spendable(balance, self.book.spent_after(member_id, seen_seq))

    def complete(self, checkout: CheckoutService) -> tuple[CompletedSale, int]:
        """Complete the sale and book the points it spends and earns, in one transaction."""
        member_id = checkout.basket.member_id
        tenders = checkout.tenders
        spent = tenders.points_spent if tenders is not None else 0
        with self.uow.transaction():
            if spent and spent > self.spendable(member_id):  # spent elsewhere meanwhile
                left = self.spendable(member_id)
                raise points.PointsError.of(
                    "points.spendable", points=left, message=f"only {left} points can be spent"
                )
            sale = checkout.complete()
            if spent:
                self._move(sale.member_id, sale.sale_id, "redeem", -spent, 0, sale.created_at)
            earned = self._earn(sale)
        return sale, earned

    def reverse(self, sale: CompletedSale, before: int, now: int, returned: int, at: str) -> None:
        """A refund of ``now`` rupiah (after ``before`` already refunded) of a member's
        sale: the earned points it stands for are taken back (rounded up, so buying and
        refunding never gains points), the spend no longer counts towards the tier, and
        the ``returned`` points the refund gives back are booked. Joins the refund's
        transaction."""
        if not sale.member_id:
            return
        earned, spend = self.book.of_sale(sale.sale_id, "earn")
        paid = sale.payable
        taken, _ = points.refund_reversal_step(earned, 0, before, now, paid)
        spend_back = (spend * (before + now) // paid - spend * before // paid) if paid > 0 else 0
        if taken or spend_back:
            self._move(sale.member_id, sale.sale_id, "reverse", -taken, -spend_back, at)
        if returned:
            self._move(sale.member_id, sale.sale_id, "reverse", returned, 0, at)

    def expire(self, member_id: str) -> int:
        """Book the points of this member that are past ``expiry_days`` and unspent
        (oldest first); returns how many."""
        due = self._expiring(member_id)
        if due:
            at = utc_stamp(self.clock)
            self._move(member_id, f"EXP{at[:10].replace('-', '')}", "expire", -due, 0, at)
        return due

    def balance(self, member_id: str) -> int:
        return self.book.balance(member_id)

    def tier(self, member_id: str) -> points.Tier:
        since = utc_stamp(self.clock, self.clock.now() - timedelta(days=TIER_DAYS))
        return points.tier_for(self.book.spend_since(member_id, since), self.rules)

    def report(self) -> list[dict[str, Any]]:
        """Per member: member_id, phone, name, points (expired ones off), tier."""
        return [
            {**row, "points": row["points"] - self._expiring(row["member_id"]),
             "tier": self.tier(row["member_id"]).name}
            for row in self.book.members()
        ]  # fmt: skip

    def _expiring(self, member_id: str) -> int:
        moves = self.book.moves(member_id)
        lots = [points.Lot(date.fromisoformat(at[:10]), n) for _, n, at in moves if n > 0]
        spent = -sum(n for kind, n, _ in moves if n < 0 and kind != "expire")
        already = -sum(n for kind, n, _ in moves if kind == "expire")
        today = date.fromisoformat(utc_stamp(self.clock)[:10])
        due = points.expired_points(lots, spent, today, self.rules) - already
        return max(min(due, sum(n for _, n, _ in moves)), 0)

    def _move(  # noqa: PLR0917 (one move)
        self, member_id: str, sale_id: str, move: str, count: int, spend: int, at: str
    ) -> None:
        self.book.add(member_id, sale_id, move, count, spend, at)
        payload = {"member_id": member_id, "sale_id": sale_id, "move": move,
                   "points": count, "spend": spend}  # fmt: skip
        self.uow.books.publish_event("points", f"{sale_id}-{move}", payload, at)

    def _earn(self, sale: CompletedSale) -> int:
        if not sale.member_id:
            return 0
        with_points = sum(t.amount for t in sale.tenders if t.method == "points")
        units = [(line.sku, line.category, line.qty) for line in sale.lines]
        earned = points.points_earned(sale.total, with_points, self.rules,
                                      self.tier(sale.member_id), units)  # fmt: skip
        spend = max(sale.total - with_points, 0)
        self.book.add(sale.member_id, sale.sale_id, "earn", earned, spend, sale.created_at)
        payload = {"member_id": sale.member_id, "sale_id": sale.sale_id, "move": "earn",
                   "points": earned, "spend": spend}  # fmt: skip
        self.uow.books.publish_event("points", sale.sale_id, payload, sale.created_at)
        return earned
