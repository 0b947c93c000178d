"""Loyalty points: earning, tiers, redeeming as a tender, reversal on refund, expiry.

- Earn: one point per full ``earn_rupiah_per_point`` paid in a sale, after discounts and
  excluding what was paid with points, times the member's tier multiplier (rounded
  down), plus bonus points for some products or categories.
- Tier: by spend over a rolling period; the highest tier whose threshold is met.
- Redeem: points are a tender worth ``point_value`` rupiah each, at most
  ``max_redeem_share_percent`` of the sale, and only what is spendable offline:
  the balance the fleet last confirmed minus what this till redeemed since.
- Refund: takes back the share of earned points the refund represents (rounded up) and
  returns the same share of the points spent (rounded down): a customer never gains
  points by buying and refunding.
- Expiry: points are kept in lots by the day they were earned; spending uses the oldest
  lots first; what is left of a lot older than ``expiry_days`` expires.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from fractions import Fraction

from kiosk.domain.errors import ShownError


class PointsError(ShownError, ValueError):
    """Points that cannot be spent or given; the message says why."""


@dataclass(frozen=True)
class Tier:
    name: str
    min_spend: int
    multiplier: Fraction = Fraction(1)


@dataclass(frozen=True)
class LoyaltyRules:
    earn_rupiah_per_point: int = 10_000
    point_value: int = 100
    max_redeem_share_percent: int = 50
    expiry_days: int = 365
    tiers: tuple[Tier, ...] = (Tier("basic", 0),)
    bonus_per_unit: Mapping[str, int] = field(default_factory=dict)  # sku or category

    def __post_init__(self) -> None:
        if self.earn_rupiah_per_point <= 0 or self.point_value <= 0:
            raise PointsError("earning and point value must be above zero")
        if not 0 <= self.max_redeem_share_percent <= 100:
            raise PointsError("the redeem cap is a percentage 0-100")


def tier_for(spend: int, rules: LoyaltyRules) -> Tier:
    met = [t for t in rules.tiers if spend >= t.min_spend]
    return max(met, key=lambda t: t.min_spend) if met else rules.tiers[0]


def points_earned(
    paid: int,
    paid_with_points: int,
    rules: LoyaltyRules,
    tier: Tier,
    units: Iterable[tuple[str, str, int]] = (),
) -> int:
    """Points for a sale: ``paid`` is the sale's total paid, ``units`` its (sku, category,
    qty) for bonus points."""
    eligible = max(paid - paid_with_points, 0)
    base = (eligible // rules.earn_rupiah_per_point) * tier.multiplier
    bonus = sum(
        qty * max(rules.bonus_per_unit.get(sku, 0), rules.bonus_per_unit.get(category, 0))
        for sku, category, qty in units
    )
    return int(base) + bonus


def spendable(confirmed_balance: int, redeemed_since: int) -> int:
    """What a till may spend offline: never more than the fleet last confirmed."""
    return max(confirmed_balance - redeemed_since, 0)


def max_redeemable(sale_total: int, spendable_points: int, rules: LoyaltyRules) -> int:
    cap_rupiah = sale_total * rules.max_redeem_share_percent // 100
    return min(spendable_points, cap_rupiah // rules.point_value)


def redeem(points: int, sale_total: int, spendable_points: int, rules: LoyaltyRules) -> int:
    """The rupiah value of redeeming ``points``; ``PointsError`` when it may not be done."""
    if isinstance(points, bool) or not isinstance(points, int) or points <= 0:
        raise PointsError("points to redeem must be a whole number above zero")
    if points > spendable_points:
        raise PointsError(f"only {spendable_points} points can be spent")
    limit = max_redeemable(sale_total, spendable_points, rules)
    if points > limit:
        raise PointsError(f"at most {limit} points can be spent on this sale")
    return points * rules.point_value


def refund_reversal(earned: int, spent: int, refunded: int, paid: int) -> tuple[int, int]:
    """(points taken back, points returned) for a refund of ``refunded`` of ``paid``."""
    if paid <= 0:
        return 0, 0
    share = Fraction(min(refunded, paid), paid)
    taken_back = -(-earned * share.numerator // share.denominator)  # ceiling
    returned = spent * share.numerator // share.denominator  # floor
    return taken_back, returned


@dataclass(frozen=True)
class Lot:
    earned_on: date
    points: int


def expired_points(lots: Sequence[Lot], spent: int, today: date, rules: LoyaltyRules) -> int:
    """Points of lots older than the expiry that spending (oldest first) did not use."""
    left = spent
    expired = 0
    for lot in sorted(lots, key=lambda x: x.earned_on):
        used = min(left, lot.points)
        left -= used
        if lot.earned_on + timedelta(days=rules.expiry_days) < today:
            expired += lot.points - used
    return expired
