"""How a promotion forms its groups of units, worked out by hand: units of several lines
make one group, groups keep forming after the first, equal units are taken from the
earlier line first, and units already free do not count (written for mutants of
kiosk.domain.promotion_engine that survived `make mutation`)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from kiosk.domain.promotion_engine import PromoLine, apply_promotions
from kiosk.domain.promotions import BuyXGetY, MixMatch, MultiBuy

AT = datetime(2026, 3, 4, 12, 0, tzinfo=timezone(timedelta(hours=7)))


def line(sku: str, price: int, qty: int = 1, category: str = "") -> PromoLine:
    return PromoLine(sku, category, qty, price * qty)


def multibuy(skus: set[str], qty: int, price: int) -> MultiBuy:
    return MultiBuy(promo_id="M", name="M", skus=frozenset(skus), qty=qty, price=price)


def test_units_left_over_on_one_line_group_with_the_next_line() -> None:
    # 3 for 10,000 on 4 + 2 teas of 4,000 (the same tea on two lines): groups A A A and
    # A B B, 2,000 off each; 4,000 allocated over the value used, 16,000 : 8,000
    lines = [line("TEA", 4000, 4), line("TEA", 4000, 2)]
    result = apply_promotions(lines, [multibuy({"TEA"}, 3, 10000)], AT)
    assert result.per_line == (2667, 1333)


def test_every_pair_of_single_items_is_a_group() -> None:
    # 2 for 8,000 on four different items of 5,000: (A, B) and (C, D), 2,000 off each
    lines = [line(sku, 5000) for sku in "ABCD"]
    result = apply_promotions(lines, [multibuy(set("ABCD"), 2, 8000)], AT)
    assert result.per_line == (1000, 1000, 1000, 1000)


def test_a_line_of_several_units_is_a_group_of_its_own() -> None:
    # 3 for 9,000: 2 teas of 4,000 + 3 of 2,727 (8,181): the dearest three are
    # 4,000 + 4,000 + 2,727 = 10,727 -> 1,727 off, split 8,000 : 2,727
    lines = [line("TEA", 4000, 2), PromoLine("TEA", "", 3, 8181)]
    result = apply_promotions(lines, [multibuy({"TEA"}, 3, 9000)], AT)
    assert result.per_line == (1288, 439)


def test_equal_units_are_taken_from_the_earlier_line_first() -> None:
    # 2 for 7,000 on 2 + 1 teas of 4,000: the pair is the first line's two units
    lines = [line("TEA", 4000, 2), line("TEA", 4000, 1)]
    result = apply_promotions(lines, [multibuy({"TEA"}, 2, 7000)], AT)
    assert result.per_line == (1000, 0)
    assert result.line_promotions == (("M",), ())


def test_units_already_free_do_not_qualify() -> None:
    # buy 2 of A, get 2 of D at half price; the three A were given away (amount 0)
    lines = [line("D", 6000, 2), PromoLine("A", "", 3, 0)]
    promo = BuyXGetY(promo_id="P", name="P", buy_skus=frozenset({"A"}), buy_qty=2,
                     get_skus=frozenset({"D"}), get_qty=2, percent="50")  # fmt: skip
    assert apply_promotions(lines, [promo], AT).per_line == (0, 0)


def test_a_one_rupiah_line_still_counts() -> None:
    # any 2 of category x at half price, two lines left at 1 rupiah: 1 off (2 x 0.5)
    lines = [line("A", 1, category="x"), line("B", 1, category="x")]
    promo = MixMatch(promo_id="X", name="X", category="x", qty=2, percent="50")
    assert apply_promotions(lines, [promo], AT).per_line == (1, 0)


def test_fractional_unit_values_split_by_the_exact_value_used() -> None:
    # buy 2 get 1 at half price: A A A (7,001 each) -> 3,500.5 off; B B B (5 units for
    # 5,408: 1,081.60 each) -> 540.8 off; 4,041 split 7,001 : 1,081.6 -> 3,500 : 541
    promo = BuyXGetY(promo_id="P", name="P", buy_skus=frozenset({"A", "B"}), buy_qty=2,
                     percent="50")  # fmt: skip
    lines = [PromoLine("A", "", 3, 21003), PromoLine("B", "", 5, 5408)]
    assert apply_promotions(lines, [promo], AT).per_line == (3500, 541)
