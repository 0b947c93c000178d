"""Every barcode refusal carries the code a screen words it by and the barcode it names,
and the forced symbologies read the lengths they claim (written for mutants of
kiosk.domain.gtin that survived the second mutation run)."""

from __future__ import annotations

import pytest

from kiosk.domain.gtin import InvalidBarcode, check_digit, expand_upce, normalize


def refusal(call: object, *args: object, **kwargs: object) -> InvalidBarcode:
    with pytest.raises(InvalidBarcode) as caught:
        call(*args, **kwargs)  # type: ignore[operator]
    return caught.value


@pytest.mark.parametrize(
    ("call", "args", "code", "params"),
    [
        (check_digit, ("12a",), "barcode.not_digits", {"code": "12a"}),
        (normalize, ("4006381333932",), "barcode.check_digit", {"code": "4006381333932"}),
        (normalize, ("12345678",), "barcode.check_digit", {"code": "12345678"}),
        (normalize, ("12345",), "barcode.length", {"code": "12345"}),
        (expand_upce, ("123",), "barcode.length", {"code": "123"}),
        (expand_upce, ("21234565",), "barcode.check_digit", {"code": "21234565"}),
        (expand_upce, ("04252615",), "barcode.check_digit", {"code": "04252615"}),
    ],
)
def test_a_refusal_names_its_code_and_the_barcode(
    call: object, args: tuple[str], code: str, params: dict[str, str]
) -> None:
    err = refusal(call, *args)
    assert (err.code, err.params) == (code, params)


def test_a_forced_symbology_of_the_wrong_length_names_the_symbology() -> None:
    err = refusal(normalize, "123", symbology="upce")
    assert str(err) == "UPC-E must be 8 digits, got '123'"
    assert (err.code, err.params) == ("barcode.length", {"code": "123"})
    assert str(refusal(normalize, "123", symbology="ean8")) == "EAN-8 must be 8 digits, got '123'"


def test_an_unknown_symbology_has_its_own_code() -> None:
    err = refusal(normalize, "96385074", symbology="qr")
    assert err.code == "barcode.symbology"
    assert "unknown symbology 'qr'" in str(err)


def test_an_ean8_read_as_such_is_padded_to_the_key() -> None:
    assert normalize("96385074", symbology="ean8") == "0000096385074"


def test_digits_of_other_scripts_are_not_a_barcode() -> None:
    # Arabic-Indic digits pass str.isdigit; a scanner never sends them
    err = refusal(check_digit, "١٢٣")
    assert err.code == "barcode.not_digits"


def test_only_the_indicator_zero_of_a_gtin14_is_dropped() -> None:
    assert normalize("01234567890128") == "1234567890128"
    assert normalize("10012345678902") == "10012345678902"  # a case of the item
