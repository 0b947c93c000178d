import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.domain.gtin import (
    InvalidBarcode,
    check_digit,
    expand_upce,
    is_valid_gtin,
    normalize,
)


@pytest.mark.parametrize(
    ("body", "digit"),
    [
        ("899276111111", "3"),  # EAN-13 8992761111113
        ("400638133393", "1"),  # EAN-13 4006381333931 (GS1 example)
        ("9638507", "4"),  # EAN-8 96385074
        ("03600029145", "2"),  # UPC-A 036000291452
        ("0000000000000", "0"),
    ],
)
def test_check_digit_vectors(body: str, digit: str) -> None:
    assert check_digit(body) == digit


def test_check_digit_rejects_non_digits() -> None:
    with pytest.raises(InvalidBarcode, match="digits"):
        check_digit("12a4")
    with pytest.raises(InvalidBarcode):
        check_digit("")


@pytest.mark.parametrize(
    "code", ["8992761111113", "4006381333931", "96385074", "036000291452", "14006381333938"]
)
def test_valid_gtins(code: str) -> None:
    assert is_valid_gtin(code)


@pytest.mark.parametrize(
    "code", ["8992761111114", "1234567", "123456789012345", "89927611111a3", "", "١٢٣٤٥٦٧٨"]
)
def test_invalid_gtins(code: str) -> None:
    assert not is_valid_gtin(code)


@pytest.mark.parametrize(
    ("upce", "upca"),
    [
        ("04252614", "042100005264"),  # last digit 1: manufacturer d1 d2 d6 00
        ("01234565", "012345000065"),  # last digit 5-9
        ("01234531", "012300000451"),  # last digit 3
        ("01234543", "012340000053"),  # last digit 4
        ("11234520", "112200003450"),  # number system 1, last digit 2
    ],
)
def test_expand_upce(upce: str, upca: str) -> None:
    assert expand_upce(upce) == upca
    assert is_valid_gtin(upca)


def test_expand_upce_checks_the_expanded_check_digit() -> None:
    with pytest.raises(InvalidBarcode, match="UPC-E 04252615: check digit should be 4, got 5"):
        expand_upce("04252615")


def test_expand_upce_rejects_bad_shapes() -> None:
    with pytest.raises(InvalidBarcode, match="number system must be 0 or 1"):
        expand_upce("24252614")
    with pytest.raises(InvalidBarcode, match="8 digits"):
        expand_upce("0425261")


def test_normalize_forms_of_one_item_share_a_key() -> None:
    assert normalize("8992761111113") == "8992761111113"
    assert normalize("036000291452") == "0036000291452"
    assert normalize("0036000291452") == "0036000291452"
    assert normalize("00036000291452") == "0036000291452"
    assert normalize(" 8992761111113\n") == "8992761111113"


def test_normalize_gtin14_with_indicator_stays_distinct() -> None:
    assert normalize("14006381333938") == "14006381333938"


def test_normalize_eight_digits_prefers_ean8_then_upce() -> None:
    assert normalize("96385074") == "0000096385074"
    assert normalize("04252614") == "0042100005264"  # not a valid EAN-8, valid UPC-E
    assert normalize("04252614", symbology="upce") == "0042100005264"
    with pytest.raises(InvalidBarcode, match="EAN-8 04252614: check digit should be"):
        normalize("04252614", symbology="ean8")


def test_normalize_ambiguous_eight_digits_can_be_forced() -> None:
    # find a code valid both as EAN-8 and as UPC-E: default reading is EAN-8
    code = next(
        c
        for c in (f"0{n:06d}" for n in range(100000))
        for c in [c + check_digit(c)]
        if expand_upce_ok(c)
    )
    assert normalize(code) == code.zfill(13)
    assert normalize(code, symbology="upce") == "0" + expand_upce(code)


def expand_upce_ok(code: str) -> bool:
    try:
        expand_upce(code)
    except InvalidBarcode:
        return False
    return True


def test_normalize_wrong_check_digit_message() -> None:
    with pytest.raises(
        InvalidBarcode, match="EAN-13 8992761111115: check digit should be 3, got 5"
    ):
        normalize("8992761111115")
    with pytest.raises(InvalidBarcode, match="check digit should be"):
        normalize("8992761111115", allow_internal=True)
    with pytest.raises(InvalidBarcode, match="not a valid UPC-E either"):
        normalize("04252615")


def test_normalize_forced_symbology_checks_length() -> None:
    with pytest.raises(InvalidBarcode, match="EAN-13 must be 13 digits"):
        normalize("036000291452", symbology="ean13")
    with pytest.raises(InvalidBarcode, match="unknown symbology"):
        normalize("036000291452", symbology="qr")


def test_normalize_internal_codes() -> None:
    assert normalize("SKU-001", allow_internal=True) == "SKU-001"
    assert normalize("12345", allow_internal=True) == "12345"
    with pytest.raises(InvalidBarcode, match="a GTIN has 8, 12, 13 or 14 digits"):
        normalize("SKU-001")
    with pytest.raises(InvalidBarcode):
        normalize("   ", allow_internal=True)


@given(st.text(alphabet="0123456789", min_size=7, max_size=13))
def test_appending_check_digit_gives_valid_gtin_when_length_fits(body: str) -> None:
    code = body + check_digit(body)
    assert is_valid_gtin(code) == (len(code) in (8, 12, 13, 14))


@given(st.text(alphabet="0123456789", min_size=12, max_size=12), st.integers(1, 9))
def test_single_digit_error_is_always_detected(body: str, delta: int) -> None:
    code = body + check_digit(body)
    for i in range(len(code)):
        wrong = code[:i] + str((int(code[i]) + delta) % 10) + code[i + 1 :]
        assert not is_valid_gtin(wrong)


@given(st.text(alphabet="0123456789", min_size=11, max_size=11))
def test_upca_and_its_ean13_normalize_alike(body: str) -> None:
    upca = body + check_digit(body)
    assert normalize(upca) == normalize("0" + upca) == normalize("00" + upca)
