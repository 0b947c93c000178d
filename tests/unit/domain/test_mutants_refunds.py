"""Refund plans whole: lines, rounding, each tender paid back and the points returned, and
every refusal with the line it names (written for mutants of kiosk.domain.refunds that
survived the third mutation run)."""

from __future__ import annotations

import pytest

from kiosk.domain.refunds import RefundError, RefundLine, RefundPlan, plan_refund
from kiosk.domain.sale import CompletedSale, TenderRecord
from kiosk.testing.sales import build_sale, sale_line


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
