"""Catalog files that break the bounds: each refused with file, line, field and reason,
and nothing imported."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.domain.bounds import Limits
from kiosk.services.catalog_import import CatalogFileError, parse_catalog

HEADER = "sku,barcode,name,price,category\n"


def json_row(**fields: str) -> str:
    base = {"sku": '"A"', "barcode": '""', "name": '"Kopi"', "price": "1000", "category": '"x"'}
    base.update(fields)
    return "[{" + ", ".join(f'"{k}": {v}' for k, v in base.items()) + "}]"


@pytest.mark.parametrize(
    ("filename", "text", "expected"),
    [
        ("a.csv", HEADER + "A,,Kopi,9223372036854775807,x\n",
         "a.csv:2: price: '9223372036854775807' is too large (more than 15 digits)"),
        ("a.csv", HEADER + "A,,Kopi,100000000000000000000,x\n", "a.csv:2: price: "),
        ("a.csv", HEADER + "A,,Kopi,100000001,x\n",
         "a.csv:2: price: is more than the limit of Rp100.000.000"),
        ("a.csv", HEADER + 'A,,Kopi,"1,000.500",x\n',
         "a.csv:2: price: '1,000.500' is not a rupiah amount: it mixes . and , as separators"),
        ("a.csv", HEADER + "A,,Kopi,\u0661\u0662\u0663,x\n", "use the digits 0-9"),
        ("a.csv", HEADER + "A,,Ko\x00pi,1000,x\n",
         "a.csv:2: name: holds a control character (U+0000) at position 3"),
        ("a.csv", HEADER + "A,,Kopi,1000," + "x" * 300 + "\n",
         "a.csv:2: category: is longer than 256 characters"),
        ("a.csv", HEADER + "A,," + "K" * 1_000_000 + ",1000,x\n",
         "a.csv:2: not readable as CSV: a field is far longer than 256 characters"),
        ("a.json", json_row(price="9223372036854775807"),
         "a.json:1: price: is more than the limit of Rp100.000.000"),
        ("a.json", json_row(price="1e20"), "a.json:1: price: must be whole rupiah, not a fractional"),
        ("a.json", json_row(name='["Kopi"]'), "a.json:1: name: must be text, not a list"),
        ("a.json", json_row(category="12"), "a.json:1: category: must be text, not a number"),
        ("a.json", json_row(barcode='[{"a": 1}]'), "a.json:1: barcode: must be text, not an object"),
        ("a.json", json_row(price="NaN"), "a.json:1: not usable JSON: NaN is not a number"),
        ("a.json", "[" * 100_000 + "]" * 100_000, "a.json:1: nests deeper than 16 levels"),
        ("a.json", '[{"sku": "A",\n "name": }]', "a.json:2: not JSON: Expecting value"),
    ],
)  # fmt: skip
def test_hostile_catalog_files_are_refused_with_a_message(
    filename: str, text: str, expected: str
) -> None:
    with pytest.raises(CatalogFileError) as refused:
        parse_catalog(text, filename)
    assert expected in str(refused.value)


def test_the_shops_price_limit_applies() -> None:
    text = HEADER + "A,,Kopi,Rp 2.000.000,x\n"
    assert parse_catalog(text, "a.csv", Limits(max_price=2_000_000))[0].price == 2_000_000
    with pytest.raises(CatalogFileError, match=r"more than the limit of Rp1\.999\.999"):
        parse_catalog(text, "a.csv", Limits(max_price=1_999_999))


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=300))
def test_any_csv_text_either_imports_or_is_refused(body: str) -> None:
    try:
        products = parse_catalog(HEADER + body, "h.csv")
    except CatalogFileError as err:
        assert err.problems and all(str(p).startswith("h.csv:") for p in err.problems)
    else:
        assert all(0 <= p.price <= Limits().max_price for p in products)


@settings(max_examples=150, deadline=None)
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
        lambda kids: (
            st.lists(kids, max_size=4)
            | st.dictionaries(
                st.sampled_from(["sku", "name", "price", "barcode", "category"]), kids
            )
        ),
        max_leaves=12,
    )
)
def test_any_json_value_either_imports_or_is_refused(value: object) -> None:
    import json

    try:
        products = parse_catalog(json.dumps(value), "h.json")
    except CatalogFileError as err:
        assert err.problems
    else:
        assert all(isinstance(p.name, str) and p.price >= 0 for p in products)
