"""Bounds at their exact edges, with messages that name the field, the bad value and
where in a document (written for mutants of kiosk.domain.bounds that survived `make
mutation`)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kiosk.domain.bounds import (
    AMOUNT_CEILING,
    BoundsError,
    Limits,
    _first_line,
    are_plain_texts,
    check_amount,
    check_depth,
    check_size,
    check_text,
    load_json,
    parse_amount,
    parse_whole,
)


def refusal(call: object, *args: object, **kwargs: object) -> BoundsError:
    with pytest.raises(BoundsError) as caught:
        call(*args, **kwargs)  # type: ignore[operator]
    return caught.value


def refused(call: object, *args: object, **kwargs: object) -> str:
    return str(refusal(call, *args, **kwargs))


def test_limits_run_from_one_rupiah_to_the_ceiling() -> None:
    assert Limits(max_price=1, max_sale_total=AMOUNT_CEILING).max_price == 1
    assert (
        refused(Limits, max_price=0) == "limits.max_price: must be from Rp1 to Rp1.000.000.000.000"
    )
    assert refused(Limits, max_sale_total=AMOUNT_CEILING + 1).startswith("limits.max_sale_total: ")
    for bad in (1.5, "100", True, Decimal(5)):
        assert refused(Limits, max_price=bad) == "limits.max_price: must be whole rupiah"


def test_an_unknown_limit_is_named() -> None:
    assert refused(Limits.from_mapping, {"max_pricee": 5, "tip": 1}) == (
        "limits: unknown limit(s): max_pricee, tip"
    )


def test_size_and_depth_limits_are_inclusive() -> None:
    check_size(1000, "doc", 1000)
    assert refused(check_size, 1001, "doc", 1000) == "doc: is larger than 1,000 bytes"
    assert refused(check_size, 2**20 + 1, "doc", 2**20) == "doc: is larger than 1 MB"
    assert refused(check_size, 3 * 2**20, "doc", 3 * 2**20 - 1)
    assert refused(check_size, 2**22, "doc", 3 * 2**20) == "doc: is larger than 3 MB"
    check_depth([[1]], "doc", 2)
    assert refused(check_depth, [[[1]]], "doc", 2) == "doc: nests deeper than 2 levels"


def test_a_document_is_measured_in_bytes_and_named() -> None:
    assert load_json(b'{"a": 1}', "cmd") == {"a": 1}
    assert load_json('"éé"', "cmd", max_bytes=6) == "éé"  # 6 bytes, 4 characters
    assert refused(load_json, '"ééé"', "cmd", max_bytes=6) == "cmd: is larger than 6 bytes"
    assert refused(load_json, "[[[1]]]", "cmd", max_depth=2) == "cmd: nests deeper than 2 levels"
    assert (
        refused(load_json, "[NaN]", "cmd")
        == "cmd: not usable JSON: NaN is not a number JSON allows"
    )


def test_an_amount_of_an_unexpected_type_is_named_by_type() -> None:
    assert refused(check_amount, Decimal(5), "price") == "price: must be whole rupiah, not Decimal"
    assert refused(check_amount, None, "price") == "price: must be whole rupiah, not nothing (null)"


def test_a_refusal_keeps_the_field_the_reason_and_the_line_apart() -> None:
    err = refusal(load_json, '{\n"a": 1,\n}', "catalog.json")
    assert (err.what, err.line) == ("catalog.json", 3)
    assert err.reason.startswith("not JSON: ")
    assert str(err) == f"catalog.json: {err.reason}"


def test_a_refusal_without_a_field_is_the_reason_alone() -> None:
    # the catalog file reader names the file itself and passes no field
    err = refusal(load_json, "[1,", "")
    assert str(err) == err.reason == "not JSON: Expecting value (line 1, column 4)"
    assert err.what == ""


def test_nesting_too_deep_for_the_parser_is_named_like_any_other() -> None:
    deep = "[" * 100_000 + "]" * 100_000
    assert str(refusal(load_json, deep, "cmd")) == "cmd: nests deeper than 16 levels"


def test_texts_are_plain_up_to_and_including_the_limit() -> None:
    assert are_plain_texts(["abc", "de"], max_chars=3)
    assert not are_plain_texts(["abcd"], max_chars=3)
    assert are_plain_texts([], max_chars=0)  # nothing to refuse
    assert check_text("abc", "name", max_chars=3) == "abc"
    assert str(refusal(check_text, "abcd", "name", max_chars=3)) == (
        "name: is longer than 3 characters"
    )


def test_a_control_character_is_placed_counting_from_one() -> None:
    err = refusal(check_text, "ab\x1bc", "name")
    assert str(err) == "name: holds a control character (U+001B) at position 3"
    assert str(refusal(check_text, "  ", "name")) == "name: is empty"


def test_an_amount_below_the_minimum_names_the_field() -> None:
    assert str(refusal(check_amount, 4, "deposit", minimum=5)) == ("deposit: must be at least Rp5")
    assert str(refusal(parse_amount, "4", "deposit", minimum=5)) == (
        "deposit: must be at least Rp5"
    )
    assert parse_amount("5", "deposit", minimum=5) == 5


def test_unreadable_rupiah_text_says_why_under_the_field_name() -> None:
    assert str(refusal(parse_amount, "abc", "price")) == (
        "price: 'abc' is not a whole rupiah amount"
    )
    assert str(refusal(parse_amount, 2.5, "price")) == (
        "price: must be whole rupiah, not a fractional number"
    )


def test_a_whole_number_range_is_inclusive_at_both_ends() -> None:
    assert parse_whole("1", "qty", minimum=1, maximum=5) == 1
    assert parse_whole("5", "qty", minimum=1, maximum=5) == 5
    assert str(refusal(parse_whole, "6", "qty", minimum=1, maximum=5)) == (
        "qty: must be from 1 to 5, got 6"
    )


def test_a_bad_whole_number_is_shown_cut_to_twenty_characters() -> None:
    err = refusal(parse_whole, "x" * 30, "qty", minimum=1, maximum=5)
    assert str(err) == f"qty: {'x' * 20!r} is not a whole number written with the digits 0-9"


def test_a_whole_number_that_is_not_text_is_named_by_its_type() -> None:
    err = refusal(parse_whole, None, "qty", minimum=1, maximum=5)
    assert str(err) == "qty: nothing (null) is not a whole number written with the digits 0-9"
    err = refusal(parse_whole, 3, "qty", minimum=1, maximum=5)
    assert str(err) == "qty: a number is not a whole number written with the digits 0-9"


def test_an_error_without_words_is_named_by_its_type_and_cut_to_200() -> None:
    assert _first_line(ValueError()) == "ValueError"
    assert _first_line(ValueError("y" * 300 + "\nmore")) == "y" * 200
