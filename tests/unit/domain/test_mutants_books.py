"""The books' pure rules entry by entry and at their edges: a drawer count, a shift's
figures, a day's double entries, reordering and ABC classes (written for mutants of
kiosk.domain.shift, accounts and replenishment that survived the third mutation run)."""

from __future__ import annotations

from fractions import Fraction

import pytest

from kiosk.domain import accounts, replenishment
from kiosk.domain.shift import DENOMINATIONS, MAX_PIECES, ShiftError, ShiftTotals, count_total


def test_every_coin_and_note_counts_from_none_to_the_most_a_drawer_holds() -> None:
    assert DENOMINATIONS == (100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000, 100000)
    assert count_total(dict.fromkeys(DENOMINATIONS, 1)) == 188_800
    assert count_total({100: 0, 1000: MAX_PIECES}) == 100_000_000
    assert count_total({}) == 0


@pytest.mark.parametrize("number", [MAX_PIECES + 1, -1, True, 1.0, None])
def test_a_count_of_pieces_out_of_range_names_the_denomination(number: object) -> None:
    with pytest.raises(ShiftError) as caught:
        count_total({100: number})  # type: ignore[dict-item]
    err = caught.value
    assert (err.code, err.params) == ("shift.pieces", {"value": 100, "max": MAX_PIECES})
    assert str(err) == "The number of Rp100 pieces must be 0 to 100000"


def test_a_denomination_that_does_not_exist_is_named() -> None:
    with pytest.raises(ShiftError) as caught:
        count_total({300: 1})
    assert (caught.value.code, caught.value.params) == ("shift.denomination", {"value": 300})


def test_a_shift_reports_every_figure_and_refunds_come_out_of_the_drawer() -> None:
    shift = ShiftTotals(float_amount=200_000, cash_sales=100_000, cash_in=20_000,
                        cash_out=50_000, cash_refunds=7_000)  # fmt: skip
    assert shift.expected == 263_000
    assert shift.to_dict(260_000) == {
        "float": 200_000, "cash_sales": 100_000, "cash_in": 20_000, "cash_out": 50_000,
        "cash_refunds": 7_000, "expected_cash": 263_000, "counted": 260_000,
        "over_short": -3_000,
    }  # fmt: skip
    assert shift.to_dict()["counted"] is None
    assert shift.to_dict()["over_short"] is None


def test_a_day_posts_each_entry_once_in_order_and_skips_empty_ones() -> None:
    day = accounts.DayFigures(
        gross=100_000, discounts=10_000, cash_rounding=-200, ppn=8_919,
        tenders={"voucher": 20_000, "cash": 69_800, "qris": 0},
        refunds=11_100, refund_ppn=1_100, refund_tenders={"card": 5_000, "cash": 6_100},
        cost_of_goods=60_000, cost_returned=7_000,
    )  # fmt: skip
    assert [e.to_dict() for e in accounts.day_entries(day)] == [
        {"account": "cash", "debit": 69_800, "credit": 0},
        {"account": "voucher_clearing", "debit": 20_000, "credit": 0},
        {"account": "sales_discounts", "debit": 10_000, "credit": 0},
        {"account": "cash_rounding", "debit": 200, "credit": 0},
        {"account": "sales_revenue", "debit": 0, "credit": 91_081},
        {"account": "ppn_output", "debit": 0, "credit": 8_919},
        {"account": "sales_returns", "debit": 10_000, "credit": 0},
        {"account": "ppn_output", "debit": 1_100, "credit": 0},
        {"account": "card_clearing", "debit": 0, "credit": 5_000},
        {"account": "cash", "debit": 0, "credit": 6_100},
        {"account": "cost_of_goods_sold", "debit": 60_000, "credit": 0},
        {"account": "inventory", "debit": 0, "credit": 60_000},
        {"account": "inventory", "debit": 7_000, "credit": 0},
        {"account": "cost_of_goods_sold", "debit": 0, "credit": 7_000},
    ]


def test_a_day_without_sales_has_no_entries() -> None:
    day = accounts.DayFigures(gross=0, discounts=0, cash_rounding=0, ppn=0, tenders={})
    assert accounts.day_entries(day) == []


def test_figures_that_do_not_add_up_say_both_sums() -> None:
    day = accounts.DayFigures(gross=10_000, discounts=0, cash_rounding=0, ppn=1_000,
                              tenders={"card": 10_001})  # fmt: skip
    with pytest.raises(accounts.UnbalancedError) as caught:
        accounts.day_entries(day)
    assert str(caught.value) == "entries do not balance: debits 10001, credits 10000"


def test_demand_over_no_days_is_none() -> None:
    assert replenishment.daily_demand(10, 0) == 0
    assert replenishment.daily_demand(10, -3) == 0
    assert replenishment.daily_demand(10, 4) == Fraction(5, 2)


def test_a_reorder_rounds_demand_up_and_starts_at_the_reorder_point() -> None:
    demand = Fraction(5, 3)  # 10/3 units over two days: 4 whole units
    assert replenishment.reorder_point(demand, 2) == 4
    assert replenishment.suggested_order(4, demand, 2) == 4  # at the point: order
    assert replenishment.suggested_order(5, demand, 2) == 0
    assert replenishment.suggested_order(-2, demand, 2, safety=1) == 11
    assert replenishment.suggested_order(0, Fraction(0), 2, safety=3) == 0  # nothing sells


def test_stock_below_zero_covers_no_days() -> None:
    assert replenishment.stock_cover_days(-3, Fraction(2)) == 0.0
    assert replenishment.stock_cover_days(3, Fraction(2)) == 1.5


def test_abc_classes_change_exactly_at_80_and_95_percent() -> None:
    assert replenishment.abc_classes({"a": 80, "b": 15, "c": 5}) == {"a": "A", "b": "B", "c": "C"}
    assert replenishment.abc_classes({"b": 50, "a": 50, "c": -10}) == {
        "a": "A",
        "b": "A",
        "c": "C",
    }
    assert replenishment.abc_classes({"a": 0, "b": 0}) == {"a": "C", "b": "C"}


def test_abc_classes_are_by_share_of_revenue_before_each_item_biggest_first() -> None:
    # b starts at 79.5% (A), c at 94.5% (B), d at 97.5% (C)
    assert replenishment.abc_classes({"a": 159, "b": 30, "c": 6, "d": 5}) == {
        "a": "A", "b": "A", "c": "B", "d": "C",
    }  # fmt: skip
    assert replenishment.abc_classes({"a": 79, "b": 16, "c": 5}) == {"a": "A", "b": "A", "c": "C"}
    assert replenishment.abc_classes({"a": 5, "b": 95}) == {"b": "A", "a": "C"}
    # equal revenue: by SKU, whatever order the figures came in
    assert replenishment.abc_classes({"x": 90, "b": 5, "a": 5}) == {"x": "A", "a": "B", "b": "C"}


def test_one_day_of_sales_is_the_daily_demand() -> None:
    assert replenishment.daily_demand(7, 1) == 7
