"""Money at its edges: rounding just either side of zero, flooring, the fallback
separator, and parse_rupiah's refusals with the message a person reads (written for
mutants of kiosk.domain.money that survived `make mutation`)."""

from __future__ import annotations

from fractions import Fraction

import pytest

from kiosk.domain.money import allocate, format_rupiah, parse_rupiah, round_down, round_half_up


def test_round_half_up_between_zero_and_one() -> None:
    assert round_half_up("0.5") == 1 and round_half_up(Fraction(1, 3)) == 0
    assert round_half_up("-0.5") == -1 and round_half_up(0) == 0


def test_round_down_goes_towards_minus_infinity() -> None:
    assert round_down(Fraction(7, 2)) == 3 and round_down(Fraction(-7, 2)) == -4
    assert round_down("2.9") == 2 and round_down(5) == 5


def test_allocation_refusals_say_why() -> None:
    with pytest.raises(ValueError, match=r"^cannot allocate a non-zero amount over no weights$"):
        allocate(1, [])
    assert allocate(0, []) == []
    with pytest.raises(ValueError, match=r"^weights must be non-negative$"):
        allocate(10, [5, -1])


def test_unknown_language_formats_with_indonesian_dots() -> None:
    assert format_rupiah(12500, "fr") == "Rp12.500"
    assert format_rupiah(12500) == "Rp12.500"


def test_signed_amounts() -> None:
    assert parse_rupiah("-12.500") == -12500 and parse_rupiah("-Rp1.000") == -1000


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("١٢٣", "'١٢٣' is not a rupiah amount: use the digits 0-9"),
        ("1,000.500", "'1,000.500' is not a rupiah amount: it mixes . and , as separators"),
        ("12.5", "'12.5' is not a whole rupiah amount"),
        ("12,5", "'12,5' is not a whole rupiah amount"),
        ("X12500", "'X12500' is not a whole rupiah amount"),
        ("1" * 16, f"'{'1' * 16}' is too large (more than 15 digits)"),
    ],
)
def test_refusals_name_the_text_and_the_reason(text: str, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_rupiah(text)
    assert str(caught.value) == message


def test_fifteen_digits_is_the_largest_amount_and_leading_zeros_do_not_count() -> None:
    assert parse_rupiah("9" * 15) == 10**15 - 1
    assert parse_rupiah("00000" + "9" * 15) == 10**15 - 1


def test_not_text_is_refused_by_type() -> None:
    with pytest.raises(ValueError, match=r"^int is not a rupiah amount$"):
        parse_rupiah(12500)  # type: ignore[arg-type]


def test_long_text_is_cut_at_forty_characters_in_the_message() -> None:
    forty, longer = "a" * 40, "b" * 41
    with pytest.raises(ValueError) as caught:
        parse_rupiah(forty)
    assert str(caught.value) == f"'{forty}' is not a whole rupiah amount"
    with pytest.raises(ValueError) as caught:
        parse_rupiah(longer)
    assert str(caught.value) == f"'{'b' * 40}...' is not a whole rupiah amount"
