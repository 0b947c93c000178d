"""Loyalty points at their edges: the settings a shop may write, the tier a spend reaches,
what may be redeemed and what a refund takes back (written for mutants of
kiosk.domain.points that survived the third mutation run)."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

import pytest

from kiosk.domain import points
from kiosk.domain.points import Lot, LoyaltyRules, PointsError, Tier


def refusal(call: object, *args: object, **kwargs: object) -> PointsError:
    with pytest.raises(PointsError) as caught:
        call(*args, **kwargs)  # type: ignore[operator]
    return caught.value


def test_tiers_are_sorted_trimmed_and_start_at_a_basic_tier() -> None:
    tiers = points.parse_tiers(
        [
            {"name": " gold ", "min_spend": 500, "multiplier": "1.5"},
            {"name": "silver", "min_spend": 100},
        ]
    )
    assert tiers == (
        Tier("basic", 0),
        Tier("silver", 100, Fraction(1)),
        Tier("gold", 500, Fraction(3, 2)),
    )
    own = points.parse_tiers([{"name": "base", "min_spend": 0, "multiplier": "0"}])
    assert own == (Tier("base", 0, Fraction(0)),)
    edge = points.parse_tiers([{"name": "x" * 32, "min_spend": 0, "multiplier": "100"}])
    assert edge == (Tier("x" * 32, 0, Fraction(100)),)


@pytest.mark.parametrize(
    ("entries", "message"),
    [
        (None, "tiers are a list of {name, min_spend, multiplier}"),
        ([["gold", 1]], "a tier is {name, min_spend, multiplier}"),
        ([{"name": "gold"}], "a tier is {name, min_spend, multiplier}"),
        ([{"min_spend": 1}], "a tier is {name, min_spend, multiplier}"),
        ([{"name": "g", "min_spend": 1, "bonus": 1}], "a tier is {name, min_spend, multiplier}"),
        ([{"name": " ", "min_spend": 1}], "a tier's name is 1-32 characters"),
        ([{"name": 5, "min_spend": 1}], "a tier's name is 1-32 characters"),
        ([{"name": "x" * 33, "min_spend": 1}], "a tier's name is 1-32 characters"),
        ([{"name": "g", "min_spend": -1}], "tier g: min_spend is whole rupiah >= 0"),
        ([{"name": "g", "min_spend": True}], "tier g: min_spend is whole rupiah >= 0"),
        ([{"name": "g", "min_spend": 1.0}], "tier g: min_spend is whole rupiah >= 0"),
        ([{"name": "g", "min_spend": 1, "multiplier": "abc"}], "tier g: multiplier is a decimal number"),
        ([{"name": "g", "min_spend": 1, "multiplier": "1/0"}], "tier g: multiplier is a decimal number"),
        ([{"name": "g", "min_spend": 1, "multiplier": "100.01"}], "tier g: multiplier is between 0 and 100"),
        ([{"name": "g", "min_spend": 1, "multiplier": "-0.5"}], "tier g: multiplier is between 0 and 100"),
    ],
)  # fmt: skip
def test_a_tier_setting_at_fault_says_what_a_tier_is(entries: object, message: str) -> None:
    err = refusal(points.parse_tiers, entries)
    assert (err.code, str(err)) == ("points.settings", message)


def test_bonus_points_are_whole_points_up_to_ten_thousand_per_unit() -> None:
    assert points.parse_bonus({"KOPI": 0, "snacks": 10_000}) == {"KOPI": 0, "snacks": 10_000}
    for bad in ({"KOPI": 10_001}, {"KOPI": -1}, {"KOPI": True}, {"KOPI": 1.0}, {1: 2}, [1]):
        err = refusal(points.parse_bonus, bad)
        assert (err.code, str(err)) == (
            "points.settings",
            "bonus points are {sku or category: points per unit 0-10000}",
        )


def test_rules_need_earning_and_a_value_above_zero_and_a_cap_in_percent() -> None:
    LoyaltyRules(earn_rupiah_per_point=1, point_value=1, max_redeem_share_percent=0)
    LoyaltyRules(max_redeem_share_percent=100)
    for bad in ({"earn_rupiah_per_point": 0}, {"point_value": 0}):
        err = refusal(LoyaltyRules, **bad)
        assert (err.code, str(err)) == (
            "points.rules",
            "earning and point value must be above zero",
        )
    for cap in (-1, 101):
        err = refusal(LoyaltyRules, max_redeem_share_percent=cap)
        assert (err.code, str(err)) == ("points.cap", "the redeem cap is a percentage 0-100")


def test_a_spend_exactly_at_a_threshold_reaches_the_tier() -> None:
    rules = LoyaltyRules(tiers=(Tier("silver", 100), Tier("gold", 500, Fraction(2))))
    assert points.tier_for(500, rules).name == "gold"
    assert points.tier_for(499, rules).name == "silver"
    assert points.tier_for(50, rules).name == "silver"  # below every tier: the first


def test_earning_counts_whole_steps_and_never_a_negative_amount() -> None:
    rules = LoyaltyRules(earn_rupiah_per_point=1000, bonus_per_unit={"KOPI": 2, "Minuman": 3})
    basic = Tier("basic", 0)
    assert points.points_earned(1999, 0, rules, basic) == 1
    assert points.points_earned(1000, 5000, rules, basic) == 0
    units = [("KOPI", "Minuman", 2), ("TEH", "Lain", 1)]
    assert points.points_earned(0, 0, rules, basic, units) == 6  # the larger bonus, per unit


def test_what_may_be_redeemed_is_capped_and_never_negative() -> None:
    rules = LoyaltyRules(point_value=100, max_redeem_share_percent=50)
    assert points.spendable(100, 130) == 0
    assert points.max_redeemable(20_000, 500, rules, already=30) == 70
    assert points.max_redeemable(20_000, 500, rules, already=150) == 0
    assert points.redeem(70, 20_000, 500, rules, already=30) == 7000


@pytest.mark.parametrize(
    ("count", "code", "params", "message"),
    [
        (0, "points.whole", {}, "points to redeem must be a whole number above zero"),
        (True, "points.whole", {}, "points to redeem must be a whole number above zero"),
        (1.0, "points.whole", {}, "points to redeem must be a whole number above zero"),
        (81, "points.spendable", {"points": 80}, "only 80 points can be spent"),
        (71, "points.sale_cap", {"points": 70}, "at most 70 points can be spent on this sale"),
    ],
)
def test_a_redemption_refused_says_how_many_could_be(
    count: object, code: str, params: dict[str, int], message: str
) -> None:
    rules = LoyaltyRules(point_value=100, max_redeem_share_percent=50)
    err = refusal(points.redeem, count, 20_000, 80, rules, already=30)
    assert (err.code, err.params, str(err)) == (code, params, message)


def test_a_refund_of_more_than_was_paid_reverses_the_whole_sale() -> None:
    assert points.refund_reversal(earned=9, spent=100, refunded=150_000, paid=100_000) == (9, 100)
    assert points.refund_reversal(earned=9, spent=100, refunded=10, paid=0) == (0, 0)


def test_partial_refunds_add_up_to_the_whole_refund() -> None:
    first = points.refund_reversal_step(earned=10, spent=7, before=0, now=30_000, paid=100_000)
    second = points.refund_reversal_step(
        earned=10, spent=7, before=30_000, now=70_000, paid=100_000
    )
    assert first == (3, 2)
    assert second == (7, 5)


def test_a_lot_expires_the_day_after_its_last_day() -> None:
    rules = LoyaltyRules(expiry_days=30)
    lots = [Lot(date(2026, 10, 31), 40), Lot(date(2026, 11, 1), 50)]
    assert points.expired_points(lots, spent=0, today=date(2026, 11, 30), rules=rules) == 0
    assert points.expired_points(lots, spent=10, today=date(2026, 12, 1), rules=rules) == 30
    assert points.expired_points(lots, spent=45, today=date(2026, 12, 2), rules=rules) == 45


def test_every_expired_lot_adds_what_is_left_of_it() -> None:
    rules = LoyaltyRules(expiry_days=30)
    lots = [Lot(date(2026, 10, 31), 40), Lot(date(2026, 11, 1), 50)]
    assert points.expired_points(lots, spent=10, today=date(2026, 12, 2), rules=rules) == 80


def test_paying_all_with_points_earns_nothing_even_at_one_rupiah_a_point() -> None:
    rules = LoyaltyRules(earn_rupiah_per_point=1)
    assert points.points_earned(100, 200, rules, Tier("basic", 0)) == 0
    assert points.points_earned(100, 0, rules, Tier("basic", 0)) == 100


def test_one_point_and_every_spendable_point_may_be_redeemed() -> None:
    rules = LoyaltyRules(point_value=100, max_redeem_share_percent=100)
    assert points.redeem(1, 20_000, 80, rules) == 100
    assert points.redeem(80, 20_000, 80, rules) == 8000


def test_a_refund_of_a_one_rupiah_sale_takes_its_point_back() -> None:
    assert points.refund_reversal(earned=1, spent=1, refunded=1, paid=1) == (1, 1)
