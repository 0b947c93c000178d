"""What a product may hold, at the exact edges, and what the refusal says (written for
mutants of kiosk.domain.catalog that survived the third mutation run). Every way a
product enters the till passes these checks, so each refusal names the field."""

from __future__ import annotations

import pytest

from kiosk.domain.bounds import AMOUNT_CEILING
from kiosk.domain.catalog import Catalog, CatalogError, Product
from kiosk.domain.gtin import InvalidBarcode


def product(**fields: object) -> Product:
    values: dict[str, object] = {"sku": "A", "name": "Kopi", "price": 1000, **fields}
    return Product(**values)  # type: ignore[arg-type]


def refused(**fields: object) -> str:
    with pytest.raises(CatalogError) as caught:
        product(**fields)
    return str(caught.value)


@pytest.mark.parametrize(
    "fields",
    [
        {"price": 0},
        {"price": AMOUNT_CEILING},
        {"age_restricted": 0},
        {"age_restricted": 99},
        {"tax_rate_percent": "0"},
        {"tax_rate_percent": "11"},
        {"tax_rate_percent": "100"},
        {"plu": "123456"},
        {"plu": "7"},
        {"category": "", "unit": "", "tax_class": ""},
    ],
)
def test_values_at_the_edges_are_accepted(fields: dict[str, object]) -> None:
    made = product(**fields)
    assert all(getattr(made, name) == value for name, value in fields.items())


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"sku": ""}, "product sku '' must be non-empty without spaces"),
        ({"sku": " A"}, "product sku ' A' must be non-empty without spaces"),
        ({"sku": "A\x01"}, "product sku: holds a control character (U+0001) at position 2"),
        ({"unit": "u\x00"}, "product A: unit: holds a control character (U+0000) at position 2"),
        (
            {"tax_class": "t\x00"},
            "product A: tax class: holds a control character (U+0000) at position 2",
        ),
        # an age limit is words about years, never rupiah
        ({"age_restricted": 100}, "product A: age limit: must be an age from 0 to 99 years, not 100"),
        ({"age_restricted": -1}, "product A: age limit: must be an age from 0 to 99 years, not -1"),
        ({"age_restricted": None}, "product A: age limit: must be an age in whole years from 0 to 99"),
        ({"age_restricted": True}, "product A: age limit: must be an age in whole years from 0 to 99"),
        # the ages at the edges are no fault when another field is: that field is named
        ({"age_restricted": 99, "barcodes": ("x\x00",)}, "product A: barcode: holds a control character (U+0000) at position 2"),
        ({"age_restricted": 0, "barcodes": ("x\x00",)}, "product A: barcode: holds a control character (U+0000) at position 2"),
        (
            {"barcodes": ("8992761111113", "x\x00")},
            "product A: barcode: holds a control character (U+0000) at position 2",
        ),
        (
            {"tax_rate_percent": "1\x00"},
            "product A: tax rate: holds a control character (U+0000) at position 2",
        ),
        ({"tax_rate_percent": "NaN"}, "product A: tax rate 'NaN' is not 0-100"),
        ({"tax_rate_percent": "100.5"}, "product A: tax rate '100.5' is not 0-100"),
        ({"tax_rate_percent": "-0.1"}, "product A: tax rate '-0.1' is not 0-100"),
        ({"plu": "1234567"}, "product A: PLU '1234567' must be 1-6 digits"),
        ({"plu": "12a"}, "product A: PLU '12a' must be 1-6 digits"),
        ({"plu": "١٢"}, "product A: PLU '١٢' must be 1-6 digits"),  # Arabic-Indic digits
        ({"barcodes": ["8992761111113"]}, "product A: barcodes must be a tuple"),
        ({"price": "5000"}, "product A: price: must be whole rupiah, not text"),
        # the first field at fault is named; empty optional texts are no fault
        ({"price": -1, "category": "", "unit": "", "tax_class": ""}, "product A: price: must be at least Rp0"),
        ({"price": -1, "sku": ""}, "product : price: must be at least Rp0"),
        # a barcode list is refused as a list even when the check of the rate runs first
        (
            {"barcodes": ["x\x00"], "tax_rate_percent": "1\x00"},
            "product A: tax rate: holds a control character (U+0000) at position 2",
        ),
    ],
)  # fmt: skip
def test_a_product_at_fault_is_refused_by_field(fields: dict[str, object], message: str) -> None:
    assert refused(**fields) == message


def test_an_in_house_barcode_is_indexed_as_printed_and_a_misread_one_is_named() -> None:
    tag = product(barcodes=("INT-0042",))
    assert tag.barcode_keys() == ["INT-0042"]
    assert Catalog([tag]).lookup("INT-0042").product is tag
    with pytest.raises(InvalidBarcode) as caught:
        product(name="Teh", barcodes=("8992761111115",)).barcode_keys()
    err = caught.value
    assert (err.code, err.params) == ("barcode.product", {"code": "8992761111115", "name": "Teh"})
    assert str(err) == "product A: EAN-13 8992761111115: check digit should be 3, got 5"
