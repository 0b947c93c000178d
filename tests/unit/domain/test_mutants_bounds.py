"""Bounds at their exact edges, with messages that name the field (written for mutants
of kiosk.domain.bounds that survived `make mutation`)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kiosk.domain.bounds import (
    AMOUNT_CEILING,
    BoundsError,
    Limits,
    check_amount,
    check_depth,
    check_size,
    load_json,
)


def refused(call: object, *args: object, **kwargs: object) -> str:
    with pytest.raises(BoundsError) as caught:
        call(*args, **kwargs)  # type: ignore[operator]
    return str(caught.value)


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
