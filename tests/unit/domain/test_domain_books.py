"""The books' pure rules: shift cash, the day's entries, points, reordering."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.domain import accounts, points, replenishment
from kiosk.domain.shift import ShiftError, ShiftTotals, count_total


def test_a_denomination_count_and_over_short() -> None:
    counted = count_total({100_000: 3, 50_000: 1, 2_000: 4, 500: 3, 100: 2})
    assert counted == 359_700
    shift = ShiftTotals(float_amount=200_000, cash_sales=187_400, cash_in=20_000,
                        cash_out=50_000, cash_refunds=0)  # fmt: skip
    assert shift.expected == 357_400
    assert shift.over_short(counted) == 2_300
    assert shift.to_dict(counted)["over_short"] == 2_300
    with pytest.raises(ShiftError, match="Rp300"):
        count_total({300: 1})
    with pytest.raises(ShiftError, match="number of Rp500"):
        count_total({500: -1})


def test_a_day_with_every_kind_of_line_balances() -> None:
    day = accounts.DayFigures(
        gross=1_000_000, discounts=50_000, cash_rounding=-300, ppn=94_144,
        tenders={"cash": 400_000 - 300, "card": 300_000, "qris": 240_000, "points": 10_000},
        refunds=33_300, refund_ppn=3_300, refund_tenders={"cash": 33_300},
        cost_of_goods=600_000,
    )  # fmt: skip
    entries = accounts.day_entries(day)
    assert sum(e.debit for e in entries) == sum(e.credit for e in entries)
    by = {(e.account, bool(e.debit)): e for e in entries}
    assert by[("sales_revenue", False)].credit == 905_856
    assert by[("loyalty_liability", True)].debit == 10_000
    assert by[("cash_rounding", True)].debit == 300


def test_figures_that_do_not_add_up_are_refused() -> None:
    day = accounts.DayFigures(gross=10_000, discounts=0, cash_rounding=0, ppn=991,
                              tenders={"cash": 9_999})  # fmt: skip
    with pytest.raises(accounts.UnbalancedError, match="debits 9999, credits 10000"):
        accounts.day_entries(day)


@given(
    lines=st.lists(st.tuples(st.integers(1, 10**7), st.integers(0, 10**5)), min_size=1),
    rounding=st.integers(0, 99),
    cash_share=st.integers(0, 100),
)
def test_the_entries_of_any_consistent_day_balance(
    lines: list[tuple[int, int]], rounding: int, cash_share: int
) -> None:
    gross = sum(g for g, _ in lines)
    discounts = sum(min(d, g) for g, d in lines)
    payable = gross - discounts - rounding
    cash = payable * cash_share // 100
    day = accounts.DayFigures(gross=gross, discounts=discounts, cash_rounding=-rounding,
                              ppn=(gross - discounts) * 11 // 111,
                              tenders={"cash": cash, "card": payable - cash})  # fmt: skip
    entries = accounts.day_entries(day)
    assert sum(e.debit for e in entries) == sum(e.credit for e in entries)


RULES = points.LoyaltyRules(
    tiers=(points.Tier("basic", 0), points.Tier("gold", 5_000_000, Fraction(3, 2))),
    bonus_per_unit={"MINYAK-2L": 5, "Susu": 2},
)


def test_earning_with_tier_and_bonus_and_never_on_points() -> None:
    gold = points.tier_for(6_000_000, RULES)
    assert gold.name == "gold"
    assert points.points_earned(99_999, 0, RULES, points.tier_for(0, RULES)) == 9
    assert points.points_earned(99_999, 20_000, RULES, gold) == 10  # 7 * 1.5, down
    units = [("MINYAK-2L", "Sembako", 2), ("UHT-1", "Susu", 3)]
    assert points.points_earned(0, 0, RULES, gold, units) == 16


def test_redeeming_is_capped_by_the_confirmed_balance_and_the_sale() -> None:
    mine = points.spendable(confirmed_balance=300, redeemed_since=120)
    assert mine == 180
    assert points.max_redeemable(20_000, mine, RULES) == 100  # half of Rp20.000
    assert points.redeem(100, 20_000, mine, RULES) == 10_000
    with pytest.raises(points.PointsError, match="at most 100"):
        points.redeem(101, 20_000, mine, RULES)
    with pytest.raises(points.PointsError, match="only 180"):
        points.redeem(181, 1_000_000, mine, RULES)


def test_a_refund_never_leaves_the_customer_with_more_points() -> None:
    assert points.refund_reversal(earned=9, spent=100, refunded=33_333, paid=100_000) == (3, 33)
    assert points.refund_reversal(earned=9, spent=100, refunded=100_000, paid=100_000) == (9, 100)


def test_oldest_lots_are_spent_first_and_the_rest_expires() -> None:
    lots = [points.Lot(date(2025, 1, 1), 50), points.Lot(date(2025, 6, 1), 40),
            points.Lot(date(2026, 11, 1), 30)]  # fmt: skip
    assert points.expired_points(lots, spent=60, today=date(2026, 11, 30), rules=RULES) == 30


def test_reorder_point_suggestion_cover_and_abc() -> None:
    demand = replenishment.daily_demand(units_sold=70, days=14)  # 5 a day
    assert replenishment.reorder_point(demand, lead_time_days=3, safety_stock=4) == 19
    assert replenishment.suggested_order(12, demand, 3, 4) == 22
    assert replenishment.suggested_order(20, demand, 3, 4) == 0
    assert replenishment.stock_cover_days(12, demand) == 2.4
    assert replenishment.stock_cover_days(12, Fraction(0)) is None
    classes = replenishment.abc_classes({"a": 700, "b": 150, "c": 100, "d": 50})
    assert classes == {"a": "A", "b": "A", "c": "B", "d": "C"}
