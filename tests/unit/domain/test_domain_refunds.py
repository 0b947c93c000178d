"""Refunds: exact to the rupiah, never more than was paid, never the same unit twice."""

from __future__ import annotations

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.domain.refunds import RefundError, RefundPlan, plan_refund
from kiosk.domain.sale import CompletedSale, SaleLine, TenderRecord


def line(no: int, qty: int, amount: int, *, weight_g: int | None = None) -> SaleLine:
    gross = amount + 1000
    return SaleLine(line_no=no, sku=f"S{no}", name=f"Item {no}", qty=qty, unit_price=gross // qty,
                    gross=gross, discount=1000, amount=amount, tax_rate_percent="11",
                    weight_g=weight_g)  # fmt: skip


def sale(lines: list[SaleLine], tenders: list[TenderRecord], rounding: int = 0) -> CompletedSale:
    total = sum(x.amount for x in lines)
    return CompletedSale(sale_id="S", store_id="t", device_id="k", business_date="2026-11-29",
                         created_at="2026-11-29T01:00:00.000000Z", receipt_no=1,
                         lines=tuple(lines), taxes=(), tenders=tuple(tenders), total=total,
                         discount_total=sum(x.discount for x in lines), cash_rounding=rounding)  # fmt: skip


# 3 for Rp10.000 under a multi-buy promotion: the units are worth 3333, 3333, 3334.
MULTIBUY = sale([line(1, 3, 10_000), line(2, 1, 4_950)],
                [TenderRecord(method="cash", amount=14_900, given=20_000)], rounding=-50)  # fmt: skip


def test_partial_refunds_of_a_discounted_multibuy_line_add_up_to_its_amount() -> None:
    first = plan_refund(MULTIBUY, [(1, 1)], {})
    second = plan_refund(MULTIBUY, [(1, 2)], {1: 1})
    assert [x.amount for x in first.lines + second.lines] == [3333, 6667]
    assert first.total + second.total == 10_000 * 14_900 // 14_950  # its share of what was paid


def test_a_rounded_cash_sale_gives_back_its_share_and_exactly_what_was_paid() -> None:
    first = plan_refund(MULTIBUY, [(1, 3)], {})
    assert (first.lines[0].amount, first.rounding, first.total) == (10_000, -34, 9_966)
    last = plan_refund(MULTIBUY, [(2, 1)], {1: 3}, {0: first.total})
    assert (last.rounding, last.total) == (-16, 4_934)
    assert first.total + last.total == 14_900  # what the customer paid
    assert last.tenders == ((0, "cash", 4_934),)


def test_the_same_unit_cannot_be_refunded_twice_and_bad_requests_say_why() -> None:
    with pytest.raises(RefundError, match="only 0 of 3"):
        plan_refund(MULTIBUY, [(1, 1)], {1: 3})
    with pytest.raises(RefundError, match="only 2 of 3"):
        plan_refund(MULTIBUY, [(1, 2), (1, 1)], {1: 1})
    with pytest.raises(RefundError, match="not on this receipt"):
        plan_refund(MULTIBUY, [(9, 1)], {})
    with pytest.raises(RefundError, match="above zero"):
        plan_refund(MULTIBUY, [(1, 0)], {})
    with pytest.raises(RefundError, match="at least one"):
        plan_refund(MULTIBUY, [], {})


def test_a_weighed_line_is_refunded_whole() -> None:
    weighed = sale([line(1, 1, 23_450, weight_g=1_234)],
                   [TenderRecord(method="qris", amount=23_450, reference="Q")])  # fmt: skip
    assert plan_refund(weighed, [(1, 1)], {}).total == 23_450


def test_split_tender_refund_goes_to_the_card_first_then_cash() -> None:
    split = sale([line(1, 2, 30_000)],
                 [TenderRecord(method="cash", amount=10_000, given=10_000),
                  TenderRecord(method="card", amount=20_000, reference="R")])  # fmt: skip
    first = plan_refund(split, [(1, 1)], {})
    assert first.tenders == ((1, "card", 15_000),)
    second = plan_refund(split, [(1, 1)], {1: 1}, {1: 15_000})
    assert second.tenders == ((1, "card", 5_000), (0, "cash", 10_000))


@given(
    qtys=st.lists(st.integers(1, 6), min_size=1, max_size=4),
    seed=st.integers(0, 10_000),
)
def test_any_sequence_of_refunds_never_exceeds_and_ends_exactly_at_what_was_paid(
    qtys: list[int], seed: int
) -> None:
    rng = random.Random(seed)
    lines = [line(n + 1, q, rng.randint(q, 90_000)) for n, q in enumerate(qtys)]
    total = sum(x.amount for x in lines)
    rounding = -(total % 100)
    paid = total + rounding
    card = rng.randint(0, paid)
    the_sale = sale(lines, [TenderRecord(method="card", amount=card, reference="R"),
                            TenderRecord(method="cash", amount=paid - card, given=paid - card)],
                    rounding)  # fmt: skip
    units = [(x.line_no, 1) for x in lines for _ in range(x.qty)]
    rng.shuffle(units)
    done: dict[int, int] = {}
    back: dict[int, int] = {}
    refunded = 0
    while units:
        cut = rng.randint(1, len(units))
        take, units = units[:cut], units[cut:]
        plan = plan_refund(the_sale, take, done, back)
        for no, qty in take:
            done[no] = done.get(no, 0) + qty
        for index, _, amount in plan.tenders:
            back[index] = back.get(index, 0) + amount
        refunded += plan.total
        assert refunded <= paid
        assert all(back.get(i, 0) <= t.amount for i, t in enumerate(the_sale.tenders))
    assert refunded == paid


def refund_in_turns(
    the_sale: CompletedSale, turns: list[list[tuple[int, int]]]
) -> list[RefundPlan]:
    """Each turn refunded after the ones before, as the refund service keeps count: the
    cash paid for part of a point draws on no tender of the sale."""
    done: dict[int, int] = {}
    back: dict[int, int] = {}
    plans = []
    for take in turns:
        plan = plan_refund(the_sale, take, done, back)
        for no, qty in take:
            done[no] = done.get(no, 0) + qty
        for index, _, amount in plan.tenders:
            back[index] = back.get(index, 0) + amount
        plans.append(plan)
    return plans


def paid_back(plan: RefundPlan) -> int:
    return sum(amount for _, _, amount in plan.tenders) + sum(plan.points_cash.values())


# 7 units of Rp93 (Rp651), paid with 11 points of Rp50 and Rp101 in cash: one unit can
# carry one point at most, so single returns cannot follow the points' share (78.6%).
POINTS_93 = sale([line(1, 7, 651)],
                 [TenderRecord("points", 550, given=11), TenderRecord("cash", 101, given=101)])  # fmt: skip


def test_units_returned_one_at_a_time_each_give_back_their_worth_with_whole_points() -> None:
    plans = refund_in_turns(POINTS_93, [[(1, 1)]] * 7)
    assert [plan.total for plan in plans] == [93] * 7
    assert [paid_back(plan) for plan in plans] == [93] * 7
    assert [plan.points.get(0, 0) for plan in plans] == [1] * 7
    assert [plan.points_cash.get(0, 0) for plan in plans] == [0, 0, 28, 43, 43, 43, 43]
    cash = [sum(a for i, _, a in plan.tenders if i == 1) for plan in plans]
    assert cash == [43, 43, 15, 0, 0, 0, 0]  # never more than the Rp101 the drawer took


def test_returned_together_the_units_bring_back_every_point_and_the_cash() -> None:
    (whole,) = refund_in_turns(POINTS_93, [[(1, 7)]])
    assert whole.tenders == ((0, "points", 550), (1, "cash", 101))
    assert (whole.points, whole.points_cash) == ({0: 11}, {})
    first, rest = refund_in_turns(POINTS_93, [[(1, 3)], [(1, 4)]])
    assert (first.points, first.tenders[1:], first.points_cash) == ({0: 4}, ((1, "cash", 79),), {})
    assert (rest.points, rest.tenders[1:], rest.points_cash) == ({0: 7}, ((1, "cash", 22),), {})


def test_half_of_a_sale_paid_with_one_point_comes_back_in_cash() -> None:
    # Two units of Rp50 paid with one Rp100 point: half a point cannot be given back.
    one_point = sale([line(1, 2, 100)], [TenderRecord("points", 100, given=1)])
    half, other_half = refund_in_turns(one_point, [[(1, 1)], [(1, 1)]])
    assert (half.total, half.tenders, half.points, half.points_cash) == (50, (), {}, {0: 50})
    assert (other_half.total, other_half.points_cash) == (50, {0: 50})
    (both,) = refund_in_turns(one_point, [[(1, 2)]])
    assert (both.tenders, both.points, both.points_cash) == (((0, "points", 100),), {0: 1}, {})


@given(
    qtys=st.lists(st.integers(1, 6), min_size=1, max_size=4),
    point_value=st.sampled_from([1, 50, 100, 1_000, 10_000]),
    seed=st.integers(0, 10_000),
)
def test_any_refunds_of_a_sale_paid_partly_with_points_are_exact_and_whole(
    qtys: list[int], point_value: int, seed: int
) -> None:
    rng = random.Random(seed)
    lines = [line(n + 1, q, rng.randint(q, 60_000)) for n, q in enumerate(qtys)]
    total = sum(x.amount for x in lines)
    points = rng.randint(1, total // point_value) if total >= point_value else 0
    rest = total - points * point_value
    card = rng.randint(0, rest)
    first = rng.randint(1, points) if points else 0  # a till may take points twice
    tenders = [
        TenderRecord("points", n * point_value, given=n) for n in (first, points - first) if n
    ]
    tenders += [TenderRecord("card", card, reference="R"),
                TenderRecord("cash", rest - card, given=rest - card)]  # fmt: skip
    rng.shuffle(tenders)
    the_sale = sale(lines, tenders)
    units = [(x.line_no, 1) for x in lines for _ in range(x.qty)]
    rng.shuffle(units)
    turns = []
    while units:
        cut = rng.randint(1, len(units))
        turns.append(units[:cut])
        units = units[cut:]
    plans = refund_in_turns(the_sale, turns)
    for plan in plans:
        assert paid_back(plan) == plan.total  # each refund: exactly what its units were worth
        assert all(amount < point_value for amount in plan.points_cash.values())
        assert all(t.method == "points" for t in (the_sale.tenders[i] for i in plan.points_cash))
    assert sum(plan.total for plan in plans) == total
    for index, tender in enumerate(the_sale.tenders):
        back = sum(a for plan in plans for i, _, a in plan.tenders if i == index)
        assert back <= tender.amount
        if tender.method == "points":
            assert back == point_value * sum(plan.points.get(index, 0) for plan in plans)
    if len(plans) == 1:  # one refund of everything gives every tender back whole
        assert all(not plan.points_cash for plan in plans)
