from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from drivers.symbology import (
    Gs1Error,
    expiry_date,
    gs1_check_digit_ok,
    net_weight_grams,
    parse_gs1,
    parse_scan,
    price_rupiah,
)


def test_ean13_with_and_without_aim() -> None:
    with_aim = parse_scan("]E08992761111113", source="s")
    assert (with_aim.symbology, with_aim.aim_id, with_aim.gtin) == ("ean13", "]E0", "8992761111113")
    plain = parse_scan("8992761111113")
    assert (plain.symbology, plain.gtin, plain.data) == ("ean13", "8992761111113", "8992761111113")


def test_ean8_and_upca() -> None:
    assert parse_scan("96385074").symbology == "ean8"
    assert parse_scan("036000291452").symbology == "upca"


def test_digits_with_wrong_check_digit_are_plain_data() -> None:
    scan = parse_scan("8992761111114")
    assert (scan.symbology, scan.gtin) == ("", "")


def test_gs1_databar_weight_price_expiry() -> None:
    scan = parse_scan("]e00109501101530003\x1d3922125000\x1d17270500\x1d3102001525")
    assert scan.symbology == "gs1-databar"
    assert scan.gtin == "09501101530003"
    assert price_rupiah(scan.ais) == 1250
    assert net_weight_grams(scan.ais) == 15250
    assert expiry_date(scan.ais) == date(2027, 5, 31)


def test_gs1_without_aim_id_is_recognised() -> None:
    scan = parse_scan("010950110153000310BATCH1")
    assert scan.symbology == "gs1-128"
    assert scan.ais == {"01": "09501101530003", "10": "BATCH1"}


def test_human_readable_form() -> None:
    assert parse_gs1("(01)09501101530003(17)261231(10)A1") == {
        "01": "09501101530003",
        "17": "261231",
        "10": "A1",
    }


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("0109501101530004", "wrong check digit"),
        ("01095011015300", "needs 14 characters"),
        ("0109501101530003\x1d9999", "unknown GS1 application identifier"),
        ("011234", "needs 14"),
        ("3922", "takes 1-15"),
    ],
)
def test_bad_gs1_is_named(data: str, message: str) -> None:
    with pytest.raises(Gs1Error, match=message):
        parse_gs1(data)


def test_bad_gs1_claimed_by_aim_is_still_delivered_as_data() -> None:
    scan = parse_scan("]C1019999")
    assert (scan.symbology, scan.data, scan.ais) == ("gs1-128", "019999", {})


@given(st.text(alphabet="0123456789", min_size=7, max_size=13))
def test_check_digit_we_compute_is_accepted(body: str) -> None:
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    assert gs1_check_digit_ok(body + str((10 - total % 10) % 10))


@given(st.text(min_size=0, max_size=40))
def test_parse_scan_never_raises(text: str) -> None:
    scan = parse_scan(text)
    assert isinstance(scan.data, str)
