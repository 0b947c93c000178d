"""A malformed promotion is refused with a message that names the promotion and the
field; the limits are exactly where the docs put them; percents are normalised and the
wire form round-trips (written for the mutants of kiosk.domain.promotions that survived
`make mutation`)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, time, timedelta
from typing import Any

import pytest

from kiosk.domain.promotions import (
    BuyXGetY,
    MixMatch,
    MultiBuy,
    PromotionError,
    SpendThreshold,
    parse_promotion,
)

AT = datetime(2026, 11, 27, 10, tzinfo=UTC)


def multibuy(**changes: Any) -> MultiBuy:
    return MultiBuy(**{"promo_id": "P1", "name": "3 for 10k", "skus": frozenset({"A"}),
                       "qty": 3, "price": 10_000, **changes})  # fmt: skip


def spend(**changes: Any) -> SpendThreshold:
    return SpendThreshold(**{"promo_id": "S1", "name": "S", "threshold": 50_000, **changes})


def mix(**changes: Any) -> MixMatch:
    return MixMatch(**{"promo_id": "M1", "name": "M", "category": "Snack", "qty": 2, **changes})


def bxgy(**changes: Any) -> BuyXGetY:
    return BuyXGetY(**{"promo_id": "B1", "name": "B", "buy_skus": frozenset({"A"}),
                       "buy_qty": 2, **changes})  # fmt: skip


REFUSED = [
    (lambda: multibuy(promo_id=" "), "promotion: promo_id is required"),
    (lambda: multibuy(start=datetime(2026, 1, 1)), "promotion P1: start must carry a UTC offset"),
    (lambda: multibuy(end=datetime(2026, 1, 1)), "promotion P1: end must carry a UTC offset"),
    (lambda: multibuy(start=AT, end=AT), "promotion P1: end must be after start"),
    (lambda: multibuy(days=frozenset({7})), "promotion P1: days must be 0 (Monday) to 6 (Sunday)"),
    (lambda: multibuy(days=frozenset({-1})), "promotion P1: days must be 0 (Monday) to 6 (Sunday)"),
    (lambda: multibuy(priority=-1_000_001),
     "promotion P1: priority must be a whole number >= -1000000, got -1000001"),
    (lambda: multibuy(price=-1), "promotion P1: price must be a whole number >= 0, got -1"),
    (lambda: bxgy(buy_skus=frozenset()), "promotion B1: buy_skus must list at least one sku"),
    (lambda: bxgy(buy_qty=0), "promotion B1: buy_qty must be a whole number >= 1, got 0"),
    (lambda: bxgy(get_qty=0), "promotion B1: get_qty must be a whole number >= 1, got 0"),
    (lambda: bxgy(percent=True), "promotion B1: percent must be a decimal string, got True"),
    (lambda: bxgy(percent=1.5), "promotion B1: percent must be a decimal string, got 1.5"),
    (lambda: bxgy(percent="lots"), "promotion B1: percent 'lots' is not a number"),
    (lambda: bxgy(percent="0"), "promotion B1: percent must be more than 0 and at most 100"),
    (lambda: bxgy(percent="100.5"), "promotion B1: percent must be more than 0 and at most 100"),
    (lambda: mix(qty=1), "promotion M1: qty must be a whole number >= 2, got 1"),
    (mix, "promotion M1: give exactly one of price and percent"),
    (lambda: mix(price=-5), "promotion M1: price must be a whole number >= 0, got -5"),
    (lambda: mix(percent="0"), "promotion M1: percent must be more than 0 and at most 100"),
    (lambda: spend(threshold=0), "promotion S1: threshold must be a whole number >= 1, got 0"),
    (spend, "promotion S1: give exactly one of amount and percent"),
    (lambda: spend(amount=0), "promotion S1: amount must be a whole number >= 1, got 0"),
    (lambda: spend(percent="101"), "promotion S1: percent must be more than 0 and at most 100"),
]  # fmt: skip


@pytest.mark.parametrize(("make", "message"), REFUSED)
def test_a_malformed_promotion_is_refused_by_name(make: Any, message: str) -> None:
    with pytest.raises(PromotionError, match=f"^{re.escape(message)}$"):
        make()


def test_the_limits_themselves_are_allowed() -> None:
    assert multibuy(days=frozenset({0, 6}), priority=-1_000_000, price=0).price == 0
    assert multibuy(start=AT, end=AT + timedelta(seconds=1)).is_active(AT)
    assert bxgy(percent="0.5").percent == "0.5" and bxgy(percent="100").percent == "100"
    assert bxgy(percent=1).percent == "1"
    assert mix(price=0).price == 0 and mix(percent="100").percent == "100"
    assert spend(threshold=1, amount=1).amount == 1


@pytest.mark.parametrize("make", [bxgy, mix, spend])
def test_percents_are_normalised(make: Any) -> None:
    assert make(percent="10.0").percent == "10"
    assert make(percent="1E+1").percent == "10"


def test_wire_forms_round_trip() -> None:
    promos = [
        multibuy(days=frozenset({5, 6}), time_from=time(17), time_to=time(21), start=AT),
        bxgy(percent="50.00", get_skus=frozenset({"B"})),
        mix(skus=frozenset({"X", "Y"}), percent="25"),
        mix(category="", skus=frozenset({"X"}), price=9000),
        spend(amount=5000),
        spend(percent="7.5"),
    ]
    for promo in promos:
        data = promo.to_dict()
        assert parse_promotion(data) == promo
        assert parse_promotion(data).to_dict() == data
    assert promos[2].to_dict()["skus"] == ["X", "Y"] and promos[2].to_dict()["percent"] == "25"
    assert promos[3].to_dict() == {**promos[3].to_dict(), "skus": ["X"], "price": 9000}
    assert "percent" not in promos[3].to_dict() and "category" not in promos[3].to_dict()
    assert promos[0].to_dict()["time_from"] == "17:00"


def test_a_window_without_both_times_is_refused() -> None:
    with pytest.raises(PromotionError, match="give both time_from and time_to"):
        multibuy(time_from=time(17))
