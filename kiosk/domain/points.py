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
    """Points that cannot be spent or given; the code says why (``params["points"]`` how
    many could be, when that is the reason)."""


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
            raise PointsError.of(
                "points.rules", message="earning and point value must be above zero"
            )
        if not 0 <= self.max_redeem_share_percent <= 100:
            raise PointsError.of("points.cap", message="the redeem cap is a percentage 0-100")


def parse_tiers(entries: object) -> tuple[Tier, ...]:
    """Tiers from settings: ``[{"name": "gold", "min_spend": 5000000, "multiplier": "1.5"}]``
    (a ``basic`` tier from Rp0 is added when none starts at 0)."""
    if not isinstance(entries, list):
        raise PointsError.of(
            "points.settings", message="tiers are a list of {name, min_spend, multiplier}"
        )
    tiers = []
    for entry in entries:
        if not isinstance(entry, dict) or not {"name", "min_spend"} <= set(entry) <= {
            "name", "min_spend", "multiplier",
        }:  # fmt: skip
            raise PointsError.of(
                "points.settings", message="a tier is {name, min_spend, multiplier}"
            )
        name, spend = entry["name"], entry["min_spend"]
        if not isinstance(name, str) or not name.strip() or len(name) > 32:
            raise PointsError.of("points.settings", message="a tier's name is 1-32 characters")
        if isinstance(spend, bool) or not isinstance(spend, int) or spend < 0:
            raise PointsError.of(
                "points.settings", message=f"tier {name}: min_spend is whole rupiah >= 0"
            )
        try:
            multiplier = Fraction(str(entry.get("multiplier", "1")))
        except (ValueError, ZeroDivisionError):
            raise PointsError.of(
                "points.settings", message=f"tier {name}: multiplier is a decimal number"
            ) from None
        if not 0 <= multiplier <= 100:
            raise PointsError.of(
                "points.settings", message=f"tier {name}: multiplier is between 0 and 100"
            )
        tiers.append(Tier(name.strip(), spend, multiplier))
    if not any(t.min_spend == 0 for t in tiers):
        tiers.append(Tier("basic", 0))
    return tuple(sorted(tiers, key=lambda t: t.min_spend))


def parse_bonus(entries: object) -> dict[str, int]:
    """Bonus points per unit by SKU or category: ``{"KOPI": 2, "snacks": 1}``."""
    if not isinstance(entries, dict) or not all(
        isinstance(k, str) and isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= 10_000
        for k, v in entries.items()
    ):
        raise PointsError.of(
            "points.settings", message="bonus points are {sku or category: points per unit 0-10000}"
        )
    return dict(entries)


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


def max_redeemable(
    sale_total: int, spendable_points: int, rules: LoyaltyRules, already: int = 0
) -> int:
    """Points that may still go on a sale of ``sale_total`` of which ``already`` points
    were tendered: the cap is a share of the sale, whole points only."""
    cap_points = sale_total * rules.max_redeem_share_percent // 100 // rules.point_value
    return max(min(spendable_points, cap_points - already), 0)


def redeem(
    points: int, sale_total: int, spendable_points: int, rules: LoyaltyRules, already: int = 0
) -> int:
    """The rupiah value of redeeming ``points`` (``already`` tendered on this sale and
    counted in neither ``spendable_points`` nor the cap); ``PointsError`` when it may not
    be done."""
    if isinstance(points, bool) or not isinstance(points, int) or points <= 0:
        raise PointsError.of(
            "points.whole", message="points to redeem must be a whole number above zero"
        )
    if points > spendable_points:
        raise PointsError.of(
            "points.spendable",
            points=spendable_points,
            message=f"only {spendable_points} points can be spent",
        )
    limit = max_redeemable(sale_total, spendable_points, rules, already)
    if points > limit:
        raise PointsError.of(
            "points.sale_cap",
            points=limit,
            message=f"at most {limit} points can be spent on this sale",
        )
    return points * rules.point_value


def refund_reversal(earned: int, spent: int, refunded: int, paid: int) -> tuple[int, int]:
    """(points taken back, points returned) for a refund of ``refunded`` of ``paid``."""
    if paid <= 0:
        return 0, 0
    share = Fraction(min(refunded, paid), paid)
    taken_back = -(-earned * share.numerator // share.denominator)  # ceiling
    returned = spent * share.numerator // share.denominator  # floor
    return taken_back, returned


def refund_reversal_step(
    earned: int, spent: int, before: int, now: int, paid: int
) -> tuple[int, int]:
    """The reversal of one refund of ``now`` after ``before`` was already refunded of
    ``paid``: cumulative, so a series of partial refunds takes back exactly what the
    whole refund would (the earned points rounded up, the spent ones down)."""
    after_back, after_returned = refund_reversal(earned, spent, before + now, paid)
    before_back, before_returned = refund_reversal(earned, spent, before, paid)
    return after_back - before_back, after_returned - before_returned


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
