from datetime import datetime, timedelta, timezone

from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.domain.promotion_engine import AppliedPromotion, PromoLine, apply_promotions
from kiosk.domain.promotions import BuyXGetY, MixMatch, MultiBuy, Promotion, SpendThreshold

AT = datetime(2026, 3, 4, 12, 0, tzinfo=timezone(timedelta(hours=7)))


def line(sku: str, price: int, qty: int = 1, category: str = "") -> PromoLine:
    return PromoLine(sku, category, qty, price * qty)


def multibuy(pid: str, skus: set[str], qty: int, price: int, **kw: object) -> MultiBuy:
    return MultiBuy(promo_id=pid, name=pid, skus=frozenset(skus), qty=qty, price=price, **kw)  # type: ignore[arg-type]


def test_multibuy_every_full_group() -> None:
    result = apply_promotions([line("TEA", 4000, 7)], [multibuy("TEA3", {"TEA"}, 3, 10000)], AT)
    assert result.per_line == (4000,)
    assert result.applied == (AppliedPromotion("TEA3", "TEA3", 4000),)
    assert result.line_promotions == (("TEA3",),)


def test_multibuy_mixed_skus_groups_the_dearest_and_allocates_by_value() -> None:
    lines = [line("TEA", 4000, 2), line("JUICE", 5000, 2)]
    result = apply_promotions(lines, [multibuy("M", {"TEA", "JUICE"}, 3, 10000)], AT)
    # group = 5000 + 5000 + 4000 = 14000 -> 4000 off, split 4000:10000
    assert result.per_line == (1143, 2857)


def test_multibuy_that_would_cost_more_is_ignored() -> None:
    result = apply_promotions([line("TEA", 3000, 3)], [multibuy("M", {"TEA"}, 3, 10000)], AT)
    assert result.per_line == (0,) and result.applied == ()


def test_buy_two_get_one_free_same_list_rewards_the_cheapest_in_group() -> None:
    promo = BuyXGetY(promo_id="B2G1", name="B2G1", buy_skus=frozenset({"A", "B"}), buy_qty=2)
    result = apply_promotions([line("A", 6000, 2), line("B", 3000, 1)], [promo], AT)
    assert result.per_line == (0, 3000)
    assert result.line_promotions == ((), ("B2G1",))


def test_buy_x_get_y_other_list_at_percent() -> None:
    promo = BuyXGetY(
        promo_id="SC",
        name="Shampoo + conditioner",
        buy_skus=frozenset({"SHAMPOO"}),
        buy_qty=1,
        get_skus=frozenset({"COND"}),
        percent="50",
    )
    result = apply_promotions([line("SHAMPOO", 30000, 2), line("COND", 20000, 3)], [promo], AT)
    assert result.per_line == (0, 20000)  # two conditioners at half price


def test_mix_match_category_for_price_and_percent() -> None:
    lines = [line("CHIPS", 6000, 2, "Snack"), line("NUTS", 5000, 2, "Snack"), line("TEA", 4000)]
    price = MixMatch(promo_id="MM", name="MM", category="Snack", qty=3, price=15000)
    result = apply_promotions(lines, [price], AT)
    assert result.total == 2000  # 6000 + 6000 + 5000 -> 15000; the 4th snack pays full
    assert result.per_line[2] == 0
    percent = MixMatch(
        promo_id="MP", name="MP", skus=frozenset({"CHIPS", "NUTS"}), qty=2, percent="10"
    )
    assert apply_promotions(lines, [percent], AT).per_line == (1200, 1000, 0)


def test_spend_threshold_amount_and_percent() -> None:
    lines = [line("A", 60000), line("B", 40000)]
    amount = SpendThreshold(promo_id="S", name="S", threshold=100000, amount=10000)
    assert apply_promotions(lines, [amount], AT).per_line == (6000, 4000)
    percent = SpendThreshold(promo_id="P", name="P", threshold=100001, percent="5")
    assert apply_promotions(lines, [percent], AT).total == 0


def test_best_single_promotion_wins_on_a_shared_line() -> None:
    cheap = multibuy("3FOR10", {"TEA"}, 3, 10000, priority=9)
    better = BuyXGetY(promo_id="B2G1", name="B2G1", buy_skus=frozenset({"TEA"}), buy_qty=2)
    result = apply_promotions([line("TEA", 4000, 3)], [cheap, better], AT)
    assert [a.promo_id for a in result.applied] == ["B2G1"]
    assert result.total == 4000


def test_search_finds_combination_greedy_would_miss() -> None:
    lines = [line("A", 10000, 2, "X"), line("B", 10000, 2, "X")]
    wide = MixMatch(promo_id="WIDE", name="wide", category="X", qty=4, price=25000)  # 15000
    on_a = multibuy("A2", {"A"}, 2, 11000)  # 9000
    on_b = multibuy("B2", {"B"}, 2, 11000)  # 9000
    result = apply_promotions(lines, [wide, on_a, on_b], AT)
    assert sorted(a.promo_id for a in result.applied) == ["A2", "B2"]
    assert result.total == 18000


def test_stackable_applies_on_top_and_can_beat_an_exclusive_one() -> None:
    lines = [line("TEA", 4000, 13)]  # 52000
    b2g1 = BuyXGetY(promo_id="B2G1", name="B2G1", buy_skus=frozenset({"TEA"}), buy_qty=2)
    spend = SpendThreshold(
        promo_id="50K", name="50K", threshold=50000, amount=20000, stackable=True
    )
    # b2g1 saves 16000 and drops the spend below 50000; the threshold alone saves 20000
    result = apply_promotions(lines, [b2g1, spend], AT)
    assert [a.promo_id for a in result.applied] == ["50K"]
    # with a lower threshold both apply, the stackable one after the exclusive one
    low = SpendThreshold(promo_id="30K", name="30K", threshold=30000, percent="10", stackable=True)
    result = apply_promotions(lines, [b2g1, low], AT)
    assert [a.promo_id for a in result.applied] == ["B2G1", "30K"]
    assert result.total == 16000 + 3600
    assert result.line_promotions == (("B2G1", "30K"),)


def test_equal_savings_tie_goes_to_priority_then_id() -> None:
    lines = [line("TEA", 4000, 3)]
    a = multibuy("A", {"TEA"}, 3, 10000)
    b = multibuy("B", {"TEA"}, 3, 10000)
    assert apply_promotions(lines, [b, a], AT).applied[0].promo_id == "A"
    c = multibuy("C", {"TEA"}, 3, 10000, priority=1)
    assert apply_promotions(lines, [a, b, c], AT).applied[0].promo_id == "C"


def test_inactive_promotions_are_ignored() -> None:
    later = multibuy("L", {"TEA"}, 3, 10000, start=AT + timedelta(days=1))
    assert apply_promotions([line("TEA", 4000, 3)], [later], AT).total == 0


def test_many_candidates_use_the_greedy_pass() -> None:
    lines = [line(f"S{i}", 5000, 2) for i in range(8)]
    promos: list[Promotion] = [multibuy(f"P{i}", {f"S{i}"}, 2, 8000) for i in range(8)]
    result = apply_promotions(lines, promos, AT)
    assert result.per_line == (2000,) * 8


def test_weighed_line_counts_as_one_unit() -> None:
    weighed = PromoLine("BEEF", "Meat", 1, 185250)
    promo = MixMatch(promo_id="MEAT", name="meat", category="Meat", qty=2, percent="10")
    assert apply_promotions(
        [weighed, PromoLine("LAMB", "Meat", 1, 99999)], [promo], AT
    ).per_line == (
        18525,
        10000,
    )


def test_unit_value_of_a_discounted_line_is_fractional() -> None:
    # 3 teas with 1000 already off the line: each unit is worth 11000/3
    result = apply_promotions(
        [PromoLine("TEA", "", 3, 11000)], [multibuy("M", {"TEA"}, 2, 5000)], AT
    )
    assert result.per_line == (2333,)  # 7333.33 - 5000, rounded half up


PROMOS: list[Promotion] = [
    multibuy("M3", {"A", "B"}, 3, 9000),
    BuyXGetY(promo_id="BG", name="BG", buy_skus=frozenset({"B", "C"}), buy_qty=1, percent="50"),
    MixMatch(promo_id="MM", name="MM", category="X", qty=2, percent="15"),
    SpendThreshold(promo_id="SP", name="SP", threshold=20000, percent="7", stackable=True),
    BuyXGetY(
        promo_id="AD",
        name="AD",
        buy_skus=frozenset({"A"}),
        buy_qty=2,
        get_skus=frozenset({"D"}),
        stackable=True,
    ),
]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from("ABCD"), st.integers(0, 20000), st.integers(1, 6), st.booleans()),
        max_size=8,
    ),
    st.lists(st.sampled_from(range(len(PROMOS))), unique=True),
)
def test_promotions_never_exceed_lines_and_add_up(
    raw: list[tuple[str, int, int, bool]], chosen: list[int]
) -> None:
    lines = [PromoLine(sku, "X" if x else "", qty, amount) for sku, amount, qty, x in raw]
    result = apply_promotions(lines, [PROMOS[i] for i in chosen], AT)
    assert all(0 <= off <= ln.amount for off, ln in zip(result.per_line, lines, strict=True))
    assert sum(a.amount for a in result.applied) == result.total
    exclusive = {p.promo_id for p in PROMOS if not p.stackable}
    for ids in result.line_promotions:
        assert len(exclusive.intersection(ids)) <= 1
    assert result == apply_promotions(lines, [PROMOS[i] for i in reversed(chosen)], AT)
