from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.domain.money import (
    allocate,
    format_rupiah,
    parse_rupiah,
    percent_of,
    round_down_to,
    round_half_up,
)


def test_formatting_per_language() -> None:
    assert format_rupiah(12500, "id") == "Rp12.500"
    assert format_rupiah(12500, "en") == "Rp12,500"
    assert format_rupiah(1_250_000, "en_US") == "Rp1,250,000"
    assert format_rupiah(-1000, "id") == "-Rp1.000"
    assert format_rupiah(0) == "Rp0"


@pytest.mark.parametrize(("value", "expected"), [
    ("2.5", 3), ("-2.5", -3), ("2.4999", 2), (Fraction(10000 * 11, 111), 991), (7, 7),
])  # fmt: skip
def test_round_half_up_never_bankers(value: object, expected: int) -> None:
    assert round_half_up(value) == expected  # type: ignore[arg-type]


def test_percent_and_cash_rounding() -> None:
    assert percent_of(12_345, "10") == 1_235
    assert round_down_to(12_345, 100) == 12_300 and round_down_to(12_345, 500) == 12_000
    with pytest.raises(ValueError):
        round_down_to(100, 0)


@pytest.mark.parametrize("text", ["12500", "12.500", "Rp 12,500", " rp12.500 "])
def test_parse_rupiah(text: str) -> None:
    assert parse_rupiah(text) == 12500


@pytest.mark.parametrize("text", ["12.5", "1,25", "", "abc", "12..500"])
def test_parse_rupiah_refuses_fractions_and_garbage(text: str) -> None:
    with pytest.raises(ValueError):
        parse_rupiah(text)


def test_allocate_by_largest_remainder() -> None:
    assert allocate(10, [1, 1, 1]) == [4, 3, 3]
    assert allocate(1000, [5000, 3000, 2000]) == [500, 300, 200]
    assert allocate(-10, [1, 2]) == [-3, -7]
    assert allocate(5, [0, 0]) == [3, 2]
    with pytest.raises(ValueError):
        allocate(1, [])


@given(st.integers(-(10**9), 10**9), st.lists(st.integers(0, 10**6), min_size=1, max_size=30))
def test_allocation_always_sums_to_the_total(total: int, weights: list[int]) -> None:
    parts = allocate(total, weights)
    assert sum(parts) == total and len(parts) == len(weights)
    if any(weights):
        assert all(p == 0 for p, w in zip(parts, weights, strict=True) if w == 0)
