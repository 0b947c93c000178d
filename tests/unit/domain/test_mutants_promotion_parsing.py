"""A promotion from the fleet: each refusal names the promotion and the field (the fleet
shows it to whoever sent it), days and times read as documented (written for mutants of
kiosk.domain.promotions that survived `make mutation`)."""

from __future__ import annotations

from datetime import datetime, time, timedelta, timezone
from typing import Any

import pytest

from kiosk.domain.promotions import MultiBuy, PromotionError, parse_promotion

WIB = timezone(timedelta(hours=7))
MULTI = {"promo_id": "P", "kind": "multibuy", "skus": ["TEA"], "qty": 3, "price": 10000}


def refusal(data: Any) -> str:
    with pytest.raises(PromotionError) as caught:
        parse_promotion(data)
    return str(caught.value)


KINDS = "['buy_x_get_y', 'mix_match', 'multibuy', 'spend_threshold']"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (["P"], "a promotion must be an object, got list"),
        ({"promo_id": "P9", "kind": "nope"}, f"promotion P9: kind must be one of {KINDS}, got 'nope'"),
        ({"kind": "nope"}, f"promotion: kind must be one of {KINDS}, got 'nope'"),
        ({"promo_id": 5, "kind": "nope"}, f"promotion: kind must be one of {KINDS}, got 'nope'"),
        ({**MULTI, "promo_id": 5}, "promotion: promo_id must be a string"),
        ({**MULTI, "name": 5}, "promotion P: name must be a string"),
        ({"promo_id": "P", "kind": "mix_match", "category": 5, "qty": 2, "price": 1},
         "promotion P: category must be a string"),
        ({**MULTI, "start": 20260301}, "promotion P: start must be an ISO 8601 string"),
        ({**MULTI, "days": "sat"}, "promotion P: days must be a non-empty list like ['sat', 'sun']"),
        ({**MULTI, "days": []}, "promotion P: days must be a non-empty list like ['sat', 'sun']"),
        ({**MULTI, "time_from": 1730, "time_to": "18:00"},
         "promotion P: time_from must be a string like '17:30'"),
        ({**MULTI, "skus": ["TEA", ""]}, "promotion P: skus must be a list of sku strings"),
        ({"promo_id": "P", "kind": "multibuy", "skus": ["TEA"]},
         "promotion P: missing field(s) qty, price"),
    ],
)  # fmt: skip
def test_refusals_name_the_promotion_and_the_field(data: Any, message: str) -> None:
    assert refusal(data) == message


def test_without_a_name_the_id_is_the_name() -> None:
    promo = parse_promotion(MULTI)
    assert isinstance(promo, MultiBuy) and promo.name == "P"


def test_day_names_are_read_by_their_first_three_letters() -> None:
    promo = parse_promotion({**MULTI, "days": ["Saturday", " SUN "]})
    assert promo.days == frozenset({5, 6})


def test_a_window_over_midnight_starts_on_its_first_minute() -> None:
    promo = parse_promotion({**MULTI, "time_from": "22:00", "time_to": "04:00"})
    assert promo.time_from == time(22, 0)
    assert promo.is_active(datetime(2026, 3, 4, 22, 0, tzinfo=WIB))
    assert promo.is_active(datetime(2026, 3, 5, 3, 59, tzinfo=WIB))
    assert not promo.is_active(datetime(2026, 3, 5, 4, 0, tzinfo=WIB))
    assert not promo.is_active(datetime(2026, 3, 4, 21, 59, tzinfo=WIB))


def test_a_naive_time_is_refused() -> None:
    with pytest.raises(PromotionError, match=r"^promotions are checked against an aware datetime$"):
        parse_promotion(MULTI).is_active(datetime(2026, 3, 4, 12, 0))
