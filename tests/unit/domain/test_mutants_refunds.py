"""Refund plans whole: lines, rounding, each tender paid back and the points returned, and
every refusal with the line it names (written for mutants of kiosk.domain.refunds that
survived the third mutation run)."""

from __future__ import annotations

import pytest

from kiosk.domain.refunds import RefundError, RefundLine, RefundPlan, plan_refund
from kiosk.domain.sale import CompletedSale, TenderRecord
from kiosk.testing.sales import build_sale, card_tender, sale_line
from tests.unit.domain.test_domain_refunds import refund_in_turns


def four_at_5000(*tenders: TenderRecord) -> CompletedSale:
    return build_sale([sale_line(1, 5000, 4)], list(tenders), sale_id="S1")


def refusal(sale: CompletedSale, wanted: list[tuple[int, int]], **kwargs: object) -> RefundError:
    with pytest.raises(RefundError) as caught:
        plan_refund(sale, wanted, kwargs.pop("already", {}), **kwargs)  # type: ignore[arg-type]
    return caught.value


def test_points_spent_come_back_in_proportion_before_the_money() -> None:
    sale = four_at_5000(TenderRecord("points", 10_000, given=100), TenderRecord("cash", 10_000))
    assert plan_refund(sale, [(1, 1)], {}) == RefundPlan(
        "S1", (RefundLine(1, "SKU001", 1, 5000),), 0,
        ((0, "points", 2500), (1, "cash", 2500)), {0: 25},
    )  # fmt: skip
    later = plan_refund(sale, [(1, 3)], {1: 1}, {0: 2500, 1: 2500})
    assert later.tenders == ((0, "points", 7500), (1, "cash", 7500))
    assert later.points == {0: 75}


def test_points_come_back_wherever_the_points_tender_stands() -> None:
    sale = four_at_5000(TenderRecord("cash", 10_000), TenderRecord("points", 10_000, given=100))
    plan = plan_refund(sale, [(1, 1)], {})
    assert plan.tenders == ((1, "points", 2500), (0, "cash", 2500))
    assert plan.points == {1: 25}


def test_a_refund_worth_less_than_a_point_goes_back_as_money() -> None:
    sale = build_sale(
        [sale_line(1, 50, 20)],
        [TenderRecord("points", 100, given=1), TenderRecord("card", 900)],
        sale_id="S2",
    )
    plan = plan_refund(sale, [(1, 1)], {})
    assert plan.tenders == ((1, "card", 50),) and plan.points == {}


def test_a_one_rupiah_sale_paid_with_one_point_gives_the_point_back() -> None:
    sale = build_sale([sale_line(1, 1, 1)], [TenderRecord("points", 1, given=1)], sale_id="S3")
    assert plan_refund(sale, [(1, 1)], {}) == RefundPlan(
        "S3", (RefundLine(1, "SKU001", 1, 1),), 0, ((0, "points", 1),), {0: 1}
    )


def test_a_sale_without_points_returns_none() -> None:
    plan = plan_refund(four_at_5000(TenderRecord("cash", 20_000)), [(1, 2)], {})
    assert plan == RefundPlan(
        "S1", (RefundLine(1, "SKU001", 2, 10_000),), 0, ((0, "cash", 10_000),)
    )
    assert plan.points == {}


def test_a_one_rupiah_sale_is_refunded_its_rupiah() -> None:
    sale = build_sale([sale_line(1, 1, 1)], [TenderRecord("cash", 1)], sale_id="S4")
    plan = plan_refund(sale, [(1, 1)], {})
    assert (plan.total, plan.rounding, plan.tenders) == (1, 0, ((0, "cash", 1),))


def test_a_tender_with_one_rupiah_of_room_takes_it() -> None:
    sale = four_at_5000(TenderRecord("card", 15_000), TenderRecord("cash", 5_000))
    plan = plan_refund(sale, [(1, 1)], {1: 2}, {0: 14_999})
    assert plan.tenders == ((0, "card", 1), (1, "cash", 4999))


@pytest.mark.parametrize("given_back", [20_000, 15_001])
def test_a_refund_beyond_what_the_tenders_have_left_is_refused(given_back: int) -> None:
    sale = four_at_5000(TenderRecord("card", 20_000))
    err = refusal(sale, [(1, 1)], already={1: 3}, already_tenders={0: given_back})
    assert (err.code, str(err)) == (
        "refund.over_paid",
        "the refund is more than the sale's tenders paid",
    )


@pytest.mark.parametrize(
    ("wanted", "already", "code", "params"),
    [
        ([(9, 1)], {}, "refund.no_line", {"line": 9}),
        ([(1, 0)], {}, "refund.qty", {"line": 1}),
        ([(1, True)], {}, "refund.qty", {"line": 1}),
        ([(1, 1.0)], {}, "refund.qty", {"line": 1}),
        ([(1, 2)], {1: 3}, "refund.too_many", {"line": 1, "left": 1, "qty": 4}),
    ],
)
def test_a_refused_refund_names_the_line(
    wanted: list[tuple[int, int]], already: dict[int, int], code: str, params: dict[str, int]
) -> None:
    err = refusal(four_at_5000(TenderRecord("cash", 20_000)), wanted, already=already)
    assert (err.code, err.params) == (code, params)


def test_part_of_a_weighed_line_is_refused_by_its_line() -> None:
    sale = build_sale(
        [sale_line(1, 5000, 1), sale_line(2, 2000, 2, weight_g=750)],
        [TenderRecord("cash", 9000)],
        sale_id="S5",
    )
    err = refusal(sale, [(2, 1)])
    assert (err.code, err.params) == ("refund.weighed", {"line": 2})


def test_a_free_item_is_refunded_for_nothing() -> None:
    sale = build_sale([sale_line(1, 0, 1)], [], sale_id="S6")
    plan = plan_refund(sale, [(1, 1)], {})
    assert (plan.total, plan.tenders, plan.points) == (0, (), {})


def test_money_and_points_paid_back_are_whole_numbers() -> None:
    # 7 units of Rp1.430 (Rp10.010), 30 points worth Rp3.000 and Rp7.010 cash, three back
    sale = build_sale(
        [sale_line(1, 1430, 7)],
        [TenderRecord("points", 3000, given=30), TenderRecord("cash", 7010)],
        sale_id="S7",
    )
    plan = plan_refund(sale, [(1, 3)], {})
    assert plan.tenders == ((0, "points", 1200), (1, "cash", 3090)) and plan.points == {0: 12}
    assert all(type(amount) is int for _, _, amount in plan.tenders)
    assert all(type(count) is int for count in plan.points.values())


# Written for the mutants of `_pay_back` that survived the fourth run (the points rule of
# 1453213): whole points never worth more than the refund, more than their share when
# the other tenders cannot carry the rest, the remainder paid in cash (`points_cash`).


def in_turns(sale: CompletedSale, *turns: list[tuple[int, int]]) -> list[RefundPlan]:
    return refund_in_turns(sale, list(turns))


def points(value: int, count: int) -> TenderRecord:
    return TenderRecord("points", value * count, given=count)


def test_the_last_rupiah_no_point_fits_is_paid_in_cash() -> None:
    # 5 units of Rp59 paid with 8 points of Rp7 and Rp3 cash; one unit is worth Rp11
    sale = build_sale([sale_line(1, 12, 5, discount=1)], [points(7, 8), TenderRecord("cash", 3)])
    plan = plan_refund(sale, [(1, 1)], {})
    assert (plan.total, plan.tenders) == (11, ((0, "points", 7), (1, "cash", 3)))
    assert (plan.points, plan.points_cash) == ({0: 1}, {0: 1})


def test_a_second_refund_takes_back_its_share_of_points_not_all_that_fit() -> None:
    sale = four_at_5000(points(100, 100), TenderRecord("cash", 10_000))
    first, second = in_turns(sale, [(1, 1)], [(1, 1)])
    assert first.points == second.points == {0: 25}
    assert second.tenders == ((0, "points", 2500), (1, "cash", 2500))


def test_a_point_comes_back_beyond_its_share_when_the_card_cannot_carry_the_rest() -> None:
    # 2 units worth Rp122 and Rp123, paid with 2 points of Rp100 and Rp45 by card: the
    # first unit's share of the points is 0, but the card alone cannot give Rp122 back
    sale = build_sale([sale_line(1, 123, 2, discount=1)], [points(100, 2), card_tender(45)])
    first, second = in_turns(sale, [(1, 1)], [(1, 1)])
    assert (first.tenders, first.points_cash) == (((0, "points", 100), (1, "card", 22)), {})
    assert (second.tenders, second.points_cash) == (((0, "points", 100), (1, "card", 23)), {})


def test_two_redemptions_on_one_sale_both_come_back_whole() -> None:
    sale = build_sale([sale_line(1, 100, 2)], [points(100, 1), points(100, 1)])
    (whole,) = in_turns(sale, [(1, 2)])
    assert (whole.tenders, whole.points) == (((0, "points", 100), (1, "points", 100)), {0: 1, 1: 1})
    # one unit at a time: the first redemption's share of one unit is no whole point, and
    # the later one can carry it; the first comes back with the second unit
    first, second = in_turns(sale, [(1, 1)], [(1, 1)])
    assert (first.tenders, second.tenders) == (((1, "points", 100),), ((0, "points", 100),))
    assert (first.points_cash, second.points_cash) == ({}, {})


def test_an_earlier_redemption_does_not_count_on_a_later_one_already_given_back() -> None:
    # Rp202 paid with Rp2 by card and two points of Rp100, one at a time
    sale = build_sale([sale_line(1, 101, 2)], [card_tender(2), points(100, 1), points(100, 1)])
    first, second = in_turns(sale, [(1, 1)], [(1, 1)])
    assert first.tenders == ((2, "points", 100), (0, "card", 1))
    assert second.tenders == ((1, "points", 100), (0, "card", 1))
    # 2 units of Rp145 and 4 worth Rp227, paid with 1 point, then 4 points, of Rp100, and
    # Rp17 cash: the second refund needs the first redemption's point, as the later one
    # has only Rp200 left
    two = build_sale(
        [sale_line(1, 145, 2), sale_line(2, 57, 4, discount=1)],
        [points(100, 1), points(100, 4), TenderRecord("cash", 17)],
    )
    plans = in_turns(two, [(2, 2)], [(2, 1), (1, 2)], [(2, 1)])
    assert [(p.tenders, p.points_cash) for p in plans] == [
        (((1, "points", 100), (2, "cash", 13)), {}),
        (((0, "points", 100), (1, "points", 200), (2, "cash", 4)), {0: 43}),
        ((), {0: 57}),
    ]
