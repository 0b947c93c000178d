"""The till's bounds: amounts, rupiah text, names and documents, each refused with a
message that names the field."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.domain.bounds import (
    AMOUNT_CEILING,
    MAX_DEPTH,
    MAX_FIELD_CHARS,
    BoundsError,
    Limits,
    are_plain_texts,
    check_amount,
    check_text,
    depth,
    load_json,
    parse_amount,
    parse_whole,
)
from kiosk.domain.catalog import CatalogError, Product
from kiosk.domain.money import format_rupiah, parse_rupiah
from kiosk.domain.tenders import TenderError, TenderSession

INT64_MAX = 2**63 - 1


def test_the_ceiling_keeps_a_busy_day_of_reports_inside_64_bits() -> None:
    # A Z report sums a day's sales in SQLite: a million sales at the ceiling still fit.
    assert AMOUNT_CEILING * 1_000_000 < INT64_MAX
    assert Limits().max_sale_total <= AMOUNT_CEILING


@pytest.mark.parametrize("value", [INT64_MAX, 10**20, AMOUNT_CEILING + 1])
def test_amounts_above_the_ceiling_are_refused_whatever_the_maximum(value: int) -> None:
    with pytest.raises(BoundsError, match=r"price: is more than the limit of Rp1\.000"):
        check_amount(value, "price", maximum=INT64_MAX)


@pytest.mark.parametrize(
    ("value", "kind"),
    [(True, "true/false"), (1.5, "a fractional number"), ("12", "text"), ([1], "a list"),
     (None, "nothing")],
)  # fmt: skip
def test_an_amount_is_an_int_and_nothing_else(value: object, kind: str) -> None:
    with pytest.raises(BoundsError, match=f"cash: must be whole rupiah, not {kind}"):
        check_amount(value, "cash")


def test_an_amount_is_within_the_shops_own_limits() -> None:
    assert check_amount(100_000_000, "price", Limits().max_price) == 100_000_000
    with pytest.raises(BoundsError, match=r"more than the limit of Rp100\.000\.000"):
        check_amount(100_000_001, "price", Limits().max_price)
    with pytest.raises(BoundsError, match="at least Rp0"):
        check_amount(-1, "price")


@pytest.mark.parametrize(
    ("text", "expected"),
    [("12500", 12500), ("12.500", 12500), ("12,500", 12500), ("Rp 1.250.000", 1_250_000),
     ("Rp. 5.000", 5000), ("IDR 5,000", 5000), ("-Rp1.000", -1000), ("1.000", 1000),
     ("1,000", 1000), ("007", 7), ("Rp\u00a012.500", 12500)],
)  # fmt: skip
def test_rupiah_formats_that_are_accepted(text: str, expected: int) -> None:
    assert parse_rupiah(text) == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [("1,000.500", "mixes . and ,"), ("1.000,50", "mixes . and ,"), ("12.5", "whole"),
     ("12500,00", "whole"), ("1.2345", "whole"), ("1 000", "whole"), ("12..500", "whole"),
     ("\u0661\u0662\u0663", "digits 0-9"), ("\u0967\u0968", "digits 0-9"),
     ("\uff11\uff12", "digits 0-9"), ("\u00b2", "digits 0-9"), ("9" * 16, "16 digits"),
     ("1e5", "whole"), ("0x10", "whole"), ("+5", "whole"), ("", "whole"), ("Rp", "whole")],
)  # fmt: skip
def test_rupiah_formats_that_are_refused_not_guessed(text: str, reason: str) -> None:
    with pytest.raises(ValueError, match="digits" if "digits" in reason else reason):
        parse_rupiah(text)


@given(st.integers(min_value=0, max_value=AMOUNT_CEILING), st.sampled_from(["id", "en"]))
def test_every_formatted_amount_reads_back(amount: int, lang: str) -> None:
    assert parse_rupiah(format_rupiah(amount, lang)) == amount
    assert parse_amount(format_rupiah(amount, lang), "price") == amount


@given(st.text(max_size=30))
def test_parse_amount_either_returns_a_bounded_int_or_refuses(text: str) -> None:
    try:
        value = parse_amount(text, "price", maximum=10**9)
    except BoundsError as err:
        assert err.message.startswith("price: ")
    else:
        assert 0 <= value <= 10**9
        assert all(ch.isascii() for ch in text.strip(" \t\u00a0").replace("\u00a0", ""))


@pytest.mark.parametrize(
    ("value", "reason"),
    [("Kopi\x00", "U\\+0000"), ("a\nb", "U\\+000A"), ("\x1b[31mred", "U\\+001B"),
     ("evil\u202eexe.txt", "U\\+202E"), (["Kopi"], "must be text, not a list"),
     (12, "must be text, not a number"), (None, "must be text"), ("   ", "is empty"),
     ("x" * (MAX_FIELD_CHARS + 1), "longer than 256")],
)  # fmt: skip
def test_names_are_printable_text_of_bounded_size(value: object, reason: str) -> None:
    with pytest.raises(BoundsError, match=f"name: .*{reason}"):
        check_text(value, "name")


def test_ordinary_names_pass_stripped() -> None:
    assert check_text("  Kopi Susu Gula Aren 250ml ☕ ", "name") == "Kopi Susu Gula Aren 250ml ☕"
    assert check_text("", "category", required=False) == ""


@given(st.text(max_size=MAX_FIELD_CHARS))
def test_accepted_text_holds_no_control_character(text: str) -> None:
    try:
        accepted = check_text(text, "name", required=False)
    except BoundsError:
        return
    assert not any(ord(ch) < 32 or ord(ch) == 127 for ch in accepted)


def test_json_documents_are_bounded_in_depth_and_size() -> None:
    assert load_json('{"a": [1, {"b": 2}]}', "doc") == {"a": [1, {"b": 2}]}
    with pytest.raises(BoundsError, match="nests deeper than 16 levels"):
        load_json("[" * 100_000 + "]" * 100_000, "doc")
    with pytest.raises(BoundsError, match="nests deeper than 16 levels"):
        load_json("[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1), "doc")
    assert depth(json.loads("[" * MAX_DEPTH + "]" * MAX_DEPTH)) == MAX_DEPTH
    with pytest.raises(BoundsError, match="larger than 1,000 bytes"):
        load_json(" " * 1001, "doc", max_bytes=1000)
    with pytest.raises(
        BoundsError, match=r"doc: not JSON: Expecting property name .*\(line 1, column 2\)"
    ):
        load_json("{,}", "doc")
    with pytest.raises(BoundsError, match="NaN is not a number JSON allows"):
        load_json('{"price": NaN}', "doc")
    with pytest.raises(BoundsError, match="not usable JSON"):
        load_json("9" * 5000, "doc")


_json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda kids: (
        st.lists(kids, max_size=3) | st.dictionaries(st.text(max_size=3), kids, max_size=3)
    ),
)


def _nesting(value: object) -> int:
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list):
        return 1 + max((_nesting(v) for v in value), default=0)
    return 0


@given(_json_values)
def test_depth_counts_nesting_and_load_json_accepts_what_is_within(value: object) -> None:
    assert depth(value) == _nesting(value)
    if depth(value) <= MAX_DEPTH:
        assert load_json(json.dumps(value), "doc") == value


def test_limits_come_from_settings_and_stay_under_the_ceiling() -> None:
    limits = Limits.from_mapping({"max_price": 5_000_000})
    assert limits.max_price == 5_000_000 and limits.max_sale_total == Limits().max_sale_total
    with pytest.raises(BoundsError, match="limits.max_price: must be from Rp1 to"):
        Limits(max_price=INT64_MAX)
    with pytest.raises(BoundsError, match="unknown limit"):
        Limits.from_mapping({"max_prize": 1})


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [("price", INT64_MAX, "price: is more than the limit"),
     ("price", 10**20, "price: is more than the limit"),
     ("name", "Kopi\x00", "name: holds a control character"),
     ("name", ["Kopi"], "name: must be text, not a list"),
     ("category", {"a": 1}, "category: must be text, not an object")],
)  # fmt: skip
def test_every_product_passes_the_bounds(field: str, value: object, message: str) -> None:
    fields: dict[str, object] = {"sku": "A", "name": "Kopi", "price": 5000, field: value}
    with pytest.raises(CatalogError, match=f"product A: {message}"):
        Product(**fields)  # type: ignore[arg-type]


def test_cash_tendered_is_bounded() -> None:
    session = TenderSession(10_000, limits=Limits(max_cash_tendered=1_000_000))
    with pytest.raises(TenderError, match=r"cash given: is more than the limit of Rp1\.000\.000"):
        session.add_cash(INT64_MAX)
    assert session.records() == () and session.remaining == 10_000
    session.add_cash(1_000_000)
    assert session.change == 990_000
    with pytest.raises(TenderError, match="amount payable: is more than the limit"):
        TenderSession(INT64_MAX)


@pytest.mark.parametrize(
    ("text", "expected"), [("12", 12), ("-5", -5), ("+7", 7), (" 3 ", 3)]
)  # fmt: skip
def test_whole_numbers_typed_by_a_person(text: str, expected: int) -> None:
    assert parse_whole(text, "delta", minimum=-100, maximum=100) == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [("\u0661\u0662", "digits 0-9"), ("1e3", "digits 0-9"), ("1_000", "digits 0-9"),
     ("9" * 40, "digits 0-9"), ("101", "from -100 to 100, got 101"), ("", "digits 0-9")],
)  # fmt: skip
def test_whole_numbers_outside_the_rules_are_refused(text: str, reason: str) -> None:
    with pytest.raises(BoundsError, match=f"delta: .*{reason}"):
        parse_whole(text, "delta", minimum=-100, maximum=100)


@given(st.lists(st.text(max_size=20) | st.integers() | st.none(), max_size=4))
def test_the_fast_text_test_agrees_with_check_text(values: list[object]) -> None:
    def accepted(value: object) -> bool:
        try:
            check_text(value, "x", required=False, max_chars=10)
        except BoundsError:
            return False
        return True

    assert are_plain_texts(values, max_chars=10) == all(accepted(v) for v in values)
