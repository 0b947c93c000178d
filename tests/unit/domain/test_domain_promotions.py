import json
from datetime import UTC, datetime, time, timedelta, timezone
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

WIB = timezone(timedelta(hours=7))

EXAMPLES: list[dict[str, Any]] = [
    {
        "promo_id": "TEA3",
        "kind": "multibuy",
        "name": "3 for 10rb",
        "skus": ["TEA"],
        "qty": 3,
        "price": 10000,
    },
    {
        "promo_id": "B2G1",
        "kind": "buy_x_get_y",
        "name": "Buy 2 get 1",
        "buy_skus": ["A", "B"],
        "buy_qty": 2,
        "get_qty": 1,
        "percent": "100",
        "start": "2026-01-01T00:00:00+07:00",
        "end": "2026-02-01T00:00:00+07:00",
        "days": ["sat", "sun"],
        "time_from": "22:00",
        "time_to": "02:00",
        "stackable": False,
        "priority": 5,
    },
    {
        "promo_id": "SNACK",
        "kind": "mix_match",
        "name": "Snacks",
        "category": "Snack",
        "qty": 3,
        "percent": "20",
    },
    {
        "promo_id": "SPEND",
        "kind": "spend_threshold",
        "name": "100k",
        "threshold": 100000,
        "amount": 10000,
        "stackable": True,
    },
]


@pytest.mark.parametrize("data", EXAMPLES, ids=lambda d: d["promo_id"])
def test_parse_and_round_trip(data: dict[str, Any]) -> None:
    promo = parse_promotion(data)
    again = parse_promotion(json.loads(json.dumps(promo.to_dict())))
    assert again == promo


def test_parsed_types() -> None:
    multibuy = parse_promotion(EXAMPLES[0])
    assert multibuy == MultiBuy(
        promo_id="TEA3", name="3 for 10rb", skus=frozenset({"TEA"}), qty=3, price=10000
    )
    b2g1 = parse_promotion(EXAMPLES[1])
    assert isinstance(b2g1, BuyXGetY) and b2g1.same_set and b2g1.days == frozenset({5, 6})
    assert b2g1.time_from == time(22, 0)
    assert isinstance(parse_promotion(EXAMPLES[2]), MixMatch)
    assert isinstance(parse_promotion(EXAMPLES[3]), SpendThreshold)
    assert parse_promotion({**EXAMPLES[0], "name": "x"}).name == "x"
    unnamed = {k: v for k, v in EXAMPLES[0].items() if k != "name"}
    assert parse_promotion(unnamed).name == "TEA3"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"kind": "bogo"}, "kind must be one of"),
        ({"qty": 1}, "promotion TEA3: qty must be a whole number >= 2"),
        ({"qty": "3"}, "qty must be a whole number"),
        ({"price": -1}, "price must be a whole number >= 0"),
        ({"skus": []}, "skus must list at least one sku"),
        ({"skus": "TEA"}, "skus must be a list of sku strings"),
        ({"colour": "red"}, r"unknown field\(s\) \['colour'\]"),
        ({"start": "2026-01-01T00:00:00"}, "needs a UTC offset"),
        ({"start": "yesterday"}, "not an ISO 8601 date-time"),
        (
            {"start": "2026-02-01T00:00:00Z", "end": "2026-01-01T00:00:00Z"},
            "end must be after start",
        ),
        ({"days": ["funday"]}, "is not a day of the week"),
        ({"time_from": "25:00", "time_to": "02:00"}, "is not a time"),
        ({"time_from": "10:00"}, "give both time_from and time_to"),
        ({"stackable": "yes"}, "stackable must be true or false"),
        ({"promo_id": ""}, "promo_id is required"),
    ],
)
def test_validation_errors(change: dict[str, Any], message: str) -> None:
    with pytest.raises(PromotionError, match=message):
        parse_promotion({**EXAMPLES[0], **change})


def test_kind_specific_errors() -> None:
    with pytest.raises(PromotionError, match="missing field\\(s\\) qty"):
        parse_promotion({"promo_id": "M", "kind": "mix_match", "category": "Snack", "price": 1})
    with pytest.raises(PromotionError, match="exactly one of price and percent"):
        parse_promotion(
            {
                "promo_id": "M",
                "kind": "mix_match",
                "category": "S",
                "qty": 2,
                "price": 1,
                "percent": "5",
            }
        )
    with pytest.raises(PromotionError, match="give a category or skus"):
        parse_promotion({"promo_id": "M", "kind": "mix_match", "qty": 2, "price": 1})
    with pytest.raises(PromotionError, match="percent must be more than 0 and at most 100"):
        parse_promotion(
            {"promo_id": "S", "kind": "spend_threshold", "threshold": 5, "percent": "0"}
        )
    with pytest.raises(PromotionError, match="get_skus must equal buy_skus or share none"):
        parse_promotion(
            {
                "promo_id": "B",
                "kind": "buy_x_get_y",
                "buy_skus": ["A", "B"],
                "buy_qty": 1,
                "get_skus": ["B"],
            }
        )
    with pytest.raises(PromotionError, match="must be an object"):
        parse_promotion([])  # type: ignore[arg-type]


def test_date_window_is_start_inclusive_end_exclusive() -> None:
    promo = parse_promotion(
        {**EXAMPLES[0], "start": "2026-01-01T00:00:00+07:00", "end": "2026-01-08T00:00:00+07:00"}
    )
    assert promo.is_active(datetime(2026, 1, 1, 0, 0, tzinfo=WIB))
    assert promo.is_active(datetime(2025, 12, 31, 17, 0, tzinfo=UTC))  # the same instant
    assert not promo.is_active(datetime(2025, 12, 31, 23, 59, tzinfo=WIB))
    assert not promo.is_active(datetime(2026, 1, 8, 0, 0, tzinfo=WIB))
    with pytest.raises(PromotionError, match="aware"):
        promo.is_active(datetime(2026, 1, 2))


def test_days_and_hours_wrapping_midnight() -> None:
    promo = parse_promotion(EXAMPLES[1])  # Jan 2026, weekends, 22:00-02:00
    saturday = datetime(2026, 1, 3, tzinfo=WIB)
    assert saturday.weekday() == 5
    assert promo.is_active(saturday.replace(hour=23))
    assert promo.is_active(saturday.replace(hour=1, minute=59))
    assert not promo.is_active(saturday.replace(hour=2))
    assert not promo.is_active(saturday.replace(hour=12))
    assert not promo.is_active(datetime(2026, 1, 5, 23, tzinfo=WIB))  # Monday


def test_happy_hour_window() -> None:
    promo = parse_promotion({**EXAMPLES[0], "time_from": "15:00", "time_to": "17:00"})
    day = datetime(2026, 3, 4, tzinfo=WIB)
    assert not promo.is_active(day.replace(hour=14, minute=59))
    assert promo.is_active(day.replace(hour=15))
    assert not promo.is_active(day.replace(hour=17))
