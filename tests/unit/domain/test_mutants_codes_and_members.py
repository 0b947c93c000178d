"""Barcode normalising, phone numbers and stored sales at their edges, with the exact
messages (written for mutants of kiosk.domain.gtin, loyalty and sale that survived
`make mutation`)."""

from __future__ import annotations

import pytest

from kiosk.domain.gtin import InvalidBarcode, expand_upce, normalize
from kiosk.domain.loyalty import MemberError, normalize_phone
from kiosk.domain.sale import CompletedSale
from kiosk.testing.sales import sample_sale


def test_a_valid_ean8_is_padded_to_the_key_length() -> None:
    assert normalize("96385074") == "0000096385074"


def test_a_code_valid_as_both_reads_as_ean8_unless_told_upce() -> None:
    assert normalize("00000116") == "0000000000116"
    assert normalize("00000116", symbology="upce") == "0000100000016"


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("12345678", "EAN-8 12345678: check digit should be 0, got 8 (and it is not a valid UPC-E either)"),
        ("02345678", "EAN-8 02345678: check digit should be 3, got 8 (and it is not a valid UPC-E either)"),
        ("96385075", "EAN-8 96385075: check digit should be 4, got 5"),
    ],
)  # fmt: skip
def test_a_misread_eight_digit_code_says_what_was_expected(code: str, message: str) -> None:
    with pytest.raises(InvalidBarcode) as caught:
        normalize(code)
    assert str(caught.value) == message


def test_upce_names_the_bad_number_system() -> None:
    with pytest.raises(InvalidBarcode) as caught:
        expand_upce("21234565")
    assert str(caught.value) == "UPC-E 21234565: number system must be 0 or 1, got 2"


@pytest.mark.parametrize(
    ("text", "local"),
    [("0812345678", "0812345678"), ("0812-3456-78901", "0812345678901"),
     ("+62 812 3456 789", "08123456789"), ("62812345678", "0812345678"),
     ("+0812345678", "0812345678")],
)  # fmt: skip
def test_phone_numbers_of_ten_to_thirteen_digits(text: str, local: str) -> None:
    assert normalize_phone(text) == local


@pytest.mark.parametrize("text", ["081234567", "08123456789012", "0712345678", "+1 812 3456 789"])
def test_other_numbers_are_refused(text: str) -> None:
    with pytest.raises(MemberError, match=r"is not a mobile number like 0812 3456 789$"):
        normalize_phone(text)


def test_a_stored_sale_without_the_optional_parts_reads_back() -> None:
    data = sample_sale(2).to_dict()
    del data["extra"]
    for line in data["lines"]:
        line.pop("promotions", None)
    sale = CompletedSale.from_dict(data)
    assert sale.extra == {} and all(line.promotions == () for line in sale.lines)


def test_a_refused_number_carries_its_code_and_the_text_typed() -> None:
    with pytest.raises(MemberError) as caught:
        normalize_phone("0712 345 678")
    err = caught.value
    assert (err.code, err.params) == ("member.phone", {"text": "0712 345 678"})
    assert str(err) == "'0712 345 678' is not a mobile number like 0812 3456 789"
