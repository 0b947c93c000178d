"""The promotion engine's rules at their edges, each worked out by hand: what a
promotion uses up, the cap at the value used, rupiah-sized savings, which promotions
appear on the receipt (written for mutants of kiosk.domain.promotion_engine that
survived `make mutation`)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from kiosk.domain.promotion_engine import AppliedPromotion, PromoLine, apply_promotions
from kiosk.domain.promotions import BuyXGetY, MixMatch, MultiBuy, SpendThreshold

AT = datetime(2026, 3, 4, 12, 0, tzinfo=timezone(timedelta(hours=7)))


def line(sku: str, price: int, qty: int = 1, category: str = "") -> PromoLine:
    return PromoLine(sku, category, qty, price * qty)


def multibuy(pid: str, skus: str, qty: int, price: int, priority: int = 0) -> MultiBuy:
    return MultiBuy(promo_id=pid, name=pid, skus=frozenset(skus), qty=qty, price=price,
                    priority=priority)  # fmt: skip


def buy_get(buy: str, buy_qty: int, get: str = "", get_qty: int = 1,
            percent: str = "100") -> BuyXGetY:  # fmt: skip
    return BuyXGetY(promo_id="BG", name="BG", buy_skus=frozenset(buy), buy_qty=buy_qty,
                    get_skus=frozenset(get), get_qty=get_qty, percent=percent)  # fmt: skip


def spend(pid: str, threshold: int, *, amount: int | None = None, percent: str | None = None,
          stackable: bool = False) -> SpendThreshold:  # fmt: skip
    return SpendThreshold(promo_id=pid, name=pid, threshold=threshold, amount=amount,
                          percent=percent, stackable=stackable)  # fmt: skip


def test_the_units_that_qualify_are_used_up_though_not_discounted() -> None:
    # buy 1 A get 1 C at half price (4,000 off C); "2 A for 8,000" would want the same A
    lines = [line("A", 5000, 2), line("C", 8000)]
    result = apply_promotions(lines, [buy_get("A", 1, "C", percent="50"),
                                      multibuy("M", "A", 2, 8000)], AT)  # fmt: skip
    assert result.per_line == (0, 4000)
    assert [a.promo_id for a in result.applied] == ["BG"]


def test_the_cheapest_bought_units_qualify_and_the_dearest_stays_free() -> None:
    # buy 2 of A/B/D get C free: D (4,000) and B (5,000) qualify, C is free (3,000); A
    # (10,000) is still free for "1,000 off from 8,000", which then takes it
    lines = [line("A", 10000), line("B", 5000), line("D", 4000), line("C", 3000)]
    promos = [buy_get("ABD", 2, "C"), spend("S", 8000, amount=1000)]
    assert apply_promotions(lines, promos, AT).per_line == (1000, 0, 0, 3000)
    # both bought units qualify when there are only two
    lines = [line("A", 10000), line("B", 5000), line("C", 3000)]
    promos = [buy_get("AB", 2, "C"), spend("S", 8000, amount=1000)]
    assert apply_promotions(lines, promos, AT).per_line == (0, 0, 3000)


def test_a_reward_short_of_its_units_still_needs_a_full_purchase() -> None:
    # buy 2 get 2 C free, one C on the basket: one reward, both bought units qualify
    lines = [line("A", 10000), line("B", 5000), line("C", 3000)]
    promos = [buy_get("AB", 2, "C", get_qty=2), spend("S", 8000, amount=1000)]
    assert apply_promotions(lines, promos, AT).per_line == (0, 0, 3000)


def test_a_single_reward_from_another_list() -> None:
    result = apply_promotions([line("S", 20000), line("C", 8000)], [buy_get("S", 1, "C")], AT)
    assert result.per_line == (0, 8000)


def test_a_line_in_a_group_is_used_even_when_its_share_rounds_to_nothing() -> None:
    # 2 for 15,000: A (20,000) + one B (1): 5,001 off, split 20,000 : 1 -> all on A;
    # B's other unit cannot go to "buy 1 get 1 free" on B: that B line is used already
    lines = [line("A", 20000), line("B", 1, 2)]
    result = apply_promotions(lines, [multibuy("M", "AB", 2, 15000), buy_get("B", 1)], AT)
    assert result.per_line == (5001, 0)
    assert [a.promo_id for a in result.applied] == ["M"]


def test_the_discount_never_exceeds_the_value_used() -> None:
    # buy 1 get 1 free on 4 units that cost 3,593 together (898.25 each): two free units
    # are worth 1,796.5, rounded half up 1,797 but capped at the 1,796 the value allows
    assert apply_promotions([PromoLine("B", "", 4, 3593)], [buy_get("B", 1)], AT).per_line == (
        1796,
    )


def test_free_units_take_exactly_their_value_off_each_line() -> None:
    # buy 1 get 1 free: A A -> one A free (7,001), B B -> one B free (2)
    lines = [line("A", 7001, 2), line("B", 2, 2)]
    assert apply_promotions(lines, [buy_get("AB", 1)], AT).per_line == (7001, 2)
    # any 3 of category x free: A A A, then A A D: 30,000 and 1,000
    lines = [line("A", 6000, 5, "x"), line("D", 1000, 2, "x")]
    free3 = MixMatch(promo_id="X", name="X", category="x", qty=3, percent="100")
    assert apply_promotions(lines, [free3], AT).per_line == (30000, 1000)


def test_a_line_in_two_groups_weighs_with_both() -> None:
    # 2 for 5,000: A A (3,000 off) then A B (2,000 off); A used 12,000, B 3,000: 5,000
    # split 4,000 : 1,000
    lines = [line("A", 4000, 3), line("B", 3000)]
    assert apply_promotions(lines, [multibuy("M", "AB", 2, 5000)], AT).per_line == (4000, 1000)


def test_a_group_that_saves_nothing_takes_no_share() -> None:
    # 2 for 8,000: A A saves 2,000, B B (8,000) saves nothing and is left alone
    lines = [line("A", 5000, 2), line("B", 4000, 2)]
    result = apply_promotions(lines, [multibuy("M", "AB", 2, 8000)], AT)
    assert result.per_line == (2000, 0)
    assert result.line_promotions == (("M",), ())


def test_one_rupiah_savings_count() -> None:
    # 2 for 7,999 on two of 4,000: 1 off
    assert apply_promotions([line("B", 4000, 2)], [multibuy("M", "B", 2, 7999)], AT).per_line == (
        1,
    )
    # 1 off from a spend of 1: the threshold is met exactly
    assert apply_promotions([line("A", 1)], [spend("S", 1, amount=1)], AT).per_line == (1,)


def test_a_saving_that_rounds_to_nothing_is_not_applied() -> None:
    # 10% of two units worth 2 rupiah is 0.2: nothing, and nothing on the receipt
    ten = MixMatch(promo_id="X", name="X", category="x", qty=2, percent="10")
    assert apply_promotions([line("B", 1, 2, "x")], [ten], AT).applied == ()
    # 5% of a spend of 5 is 0.25: the same
    assert apply_promotions([line("A", 5)], [spend("S", 1, percent="5")], AT).applied == ()


def test_a_free_spend_takes_every_line_to_zero_even_a_one_rupiah_line() -> None:
    lines = [line("A", 20000), line("B", 1)]
    result = apply_promotions(lines, [spend("S", 20000, percent="100")], AT)
    assert result.per_line == (20000, 1)


def test_a_category_offer_leaves_other_categories_alone() -> None:
    for stackable in (False, True):
        offer = MixMatch(promo_id="X", name="X", category="x", skus=frozenset("D"), qty=2,
                         price=1, stackable=stackable)  # fmt: skip
        assert apply_promotions([line("C", 1000, 5, "y")], [offer], AT).per_line == (0,)


def test_two_offers_on_separate_lines_beat_one_covering_both() -> None:
    # "4 for 18,000" over A A B B saves 2,000; "2 A for 8,000" + "2 B for 8,000" save 4,000
    lines = [line("A", 5000, 2), line("B", 5000, 2)]
    promos = [multibuy("ALL", "AB", 4, 18000, priority=2), multibuy("AA", "A", 2, 8000, 1),
              multibuy("BB", "B", 2, 8000)]  # fmt: skip
    result = apply_promotions(lines, promos, AT)
    assert result.per_line == (2000, 2000)
    assert [a.promo_id for a in result.applied] == ["AA", "BB"]


def test_an_equal_total_keeps_the_promotion_found_first() -> None:
    # 1,000 off then a stackable 100% off the rest, or the 100% alone: 10,000 either way;
    # only a strictly better total replaces the first, so both stay on the receipt
    promos = [spend("S1", 5000, amount=1000), spend("FREE", 1, percent="100", stackable=True)]
    result = apply_promotions([line("A", 10000)], promos, AT)
    assert result.applied == (
        AppliedPromotion("S1", "S1", 1000),
        AppliedPromotion("FREE", "FREE", 9000),
    )


def test_a_stackable_promotion_applies_once() -> None:
    five = spend("S", 5000, percent="5", stackable=True)
    result = apply_promotions([line("A", 3000, 5)], [five], AT)
    assert result.per_line == (750,) and len(result.applied) == 1


def test_everything_free_on_top_of_exclusive_offers_leaves_every_line_at_zero() -> None:
    # found by a differential search: exclusive offers first, then a stackable 100% off
    # what is left; whatever the order searched, no line may go below zero
    lines = [PromoLine("D", "y", 3, 3), PromoLine("D", "y", 4, 12000),
             PromoLine("B", "x", 2, 12000), PromoLine("A", "x", 2, 6000),
             PromoLine("A", "y", 2, 2000)]  # fmt: skip
    promos = [
        MixMatch(promo_id="P0", name="P0", category="y", skus=frozenset("A"), qty=2,
                 percent="10", priority=1),
        spend("P1", 1, percent="100", stackable=True),
        multibuy("P2", "BCD", 2, 1000),
    ]  # fmt: skip
    result = apply_promotions(lines, promos, AT)
    assert result.per_line == tuple(x.amount for x in lines)


def greedy_fillers() -> tuple[list[PromoLine], list[MultiBuy]]:
    """Five offers on lines of their own, saving 3,000 .. 7,000: with two more the
    engine has seven exclusive candidates, more than EXHAUSTIVE_LIMIT (greedy pass)."""
    lines = [line(sku, 10000, 2) for sku in "VWXYZ"]
    return lines, [multibuy(sku, sku, 2, 17000 - 1000 * n) for n, sku in enumerate("VWXYZ")]


def test_greedy_ties_go_to_the_higher_priority() -> None:
    lines, promos = greedy_fillers()
    promos += [multibuy("PA", "A", 2, 8000, priority=2), multibuy("PB", "A", 2, 8000, 1)]
    result = apply_promotions([line("A", 5000, 2), *lines], promos, AT)
    assert result.line_promotions[0] == ("PA",)
    assert result.per_line == (2000, 3000, 4000, 5000, 6000, 7000)


def test_greedy_stacks_on_what_the_exclusive_offers_left() -> None:
    lines, promos = greedy_fillers()
    promos += [multibuy("PA", "A", 2, 8000), multibuy("PB", "B", 2, 8000),
               spend("TEN", 1, percent="10", stackable=True)]  # fmt: skip
    result = apply_promotions([line("A", 5000, 2), line("B", 5000, 2), *lines], promos, AT)
    # 10% of each line after its offer: A and B 8,000 -> 800; V 17,000 -> 1,700 ...
    assert result.per_line == (2800, 2800, 4700, 5600, 6500, 7400, 8300)


def test_six_exclusive_offers_are_still_searched_exhaustively() -> None:
    # found by a differential search: with exactly EXHAUSTIVE_LIMIT candidates the best
    # combination is found (the greedy pass would leave 1 rupiah more to pay)
    lines = [PromoLine("D", "y", 4, 10000), PromoLine("C", "", 4, 16000)]
    promos = [
        multibuy("P0", "ACD", 4, 1, priority=1), multibuy("P1", "A", 4, 9000, priority=2),
        BuyXGetY(promo_id="P2", name="P2", buy_skus=frozenset("BC"), buy_qty=1,
                 percent="10"),
        MultiBuy(promo_id="P3", name="P3", skus=frozenset("CD"), qty=2, price=1000,
                 stackable=True),
        multibuy("P4", "CD", 3, 9000, priority=1),
        MixMatch(promo_id="P5", name="P5", category="y", qty=2, percent="100"),
        multibuy("P6", "BCD", 3, 1000, priority=2),
        BuyXGetY(promo_id="P7", name="P7", buy_skus=frozenset("BCD"), buy_qty=2, get_qty=2,
                 percent="10", priority=2),
    ]  # fmt: skip
    assert apply_promotions(lines, promos, AT).per_line == (10000, 15999)
