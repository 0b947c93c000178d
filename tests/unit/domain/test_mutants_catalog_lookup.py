"""What a scan finds: scale labels by PLU and item code, their refusals with the code a
screen words them by, a PLU owned by one product at a time (written for mutants of
kiosk.domain.catalog that survived the third mutation run)."""

from __future__ import annotations

import pytest

from kiosk.domain.catalog import Catalog, CatalogError, InactiveProduct, Product, UnknownBarcode
from kiosk.domain.gtin import InvalidBarcode, check_digit


def label(body12: str) -> str:
    return body12 + check_digit(body12)


TOMATO = Product("TOM", "Tomat", 20000, plu="42", sold_by_weight=True)
TOFU = Product("00123", "Tahu", 0)
BREAD = Product("0", "Roti", 0)


def test_a_weight_label_finds_its_product_by_plu() -> None:
    code = label("250004201250")  # prefix 25, item 00042, 1,250 g
    hit = Catalog([TOMATO]).lookup(code)
    assert (hit.product, hit.barcode, hit.weight_g) == (TOMATO, code, 1250)


def test_a_price_label_keeps_the_code_as_scanned_and_a_price_of_one_rupiah() -> None:
    code = label("200012300001")
    hit = Catalog([TOFU]).lookup(code)
    assert (hit.product, hit.barcode, hit.price_override) == (TOFU, code, 1)


def test_an_item_code_finds_a_sku_written_with_its_zeros_or_all_zeros_as_0() -> None:
    assert Catalog([TOFU]).lookup(label("200012304500")).product is TOFU
    assert Catalog([BREAD]).lookup(label("200000004500")).product is BREAD


def test_a_plu_belongs_to_one_product_until_it_is_removed() -> None:
    catalog = Catalog([TOMATO])
    catalog.upsert(TOMATO)  # the same product again keeps its PLU
    other = Product("TOM2", "Tomat Cherry", 30000, plu="042", sold_by_weight=True)
    with pytest.raises(CatalogError) as caught:
        catalog.upsert(other)
    assert str(caught.value) == "product TOM2: PLU 042 already belongs to TOM"
    assert catalog.remove("TOM") is TOMATO
    catalog.upsert(other)
    assert catalog.lookup(label("250004201250")).product is other


def test_a_weight_label_of_one_gram_is_a_weight() -> None:
    assert Catalog([TOMATO]).lookup(label("250004200001")).weight_g == 1


@pytest.mark.parametrize(
    ("body", "code", "params", "message"),
    [
        ("250004200000", "barcode.zero_weight", {}, "{}: weight label with zero weight"),
        ("200012300000", "barcode.zero_price", {}, "{}: price label with a zero price"),
        (
            "250012301000",
            "barcode.not_weighed",
            {"name": "Tahu"},
            "{}: weight label for Tahu (00123), which is not sold by weight",
        ),
    ],
)
def test_a_label_that_cannot_be_sold_says_why(
    body: str, code: str, params: dict[str, str], message: str
) -> None:
    scanned = label(body)
    with pytest.raises(InvalidBarcode) as caught:
        Catalog([TOMATO, TOFU]).lookup(scanned)
    err = caught.value
    assert (err.code, err.params) == (code, {"code": scanned, **params})
    assert str(err) == message.format(scanned)


def test_a_label_for_an_item_not_in_the_catalog() -> None:
    scanned = label("209999912500")
    with pytest.raises(UnknownBarcode) as caught:
        Catalog([TOFU]).lookup(scanned)
    err = caught.value
    assert (err.code, err.params, err.barcode) == (
        "barcode.scale_unknown",
        {"code": scanned},
        scanned,
    )
    assert str(err) == (
        f"no product for barcode {scanned!r} (scale label for item 99999, not in the catalog)"
    )


def test_an_unknown_or_empty_code_has_its_own_words() -> None:
    with pytest.raises(UnknownBarcode) as caught:
        Catalog([TOFU]).lookup("8992761111113")
    assert (caught.value.code, caught.value.params) == (
        "barcode.unknown",
        {"code": "8992761111113"},
    )
    with pytest.raises(UnknownBarcode) as caught:
        Catalog([TOFU]).lookup("   ")
    err = caught.value
    assert (err.code, err.params, err.barcode) == ("barcode.empty", {"code": ""}, "")
    assert str(err) == "no product for barcode '' (empty code)"


def test_a_numeric_sku_that_looks_like_a_misread_barcode_is_found() -> None:
    coupon = Product("12345678", "Kupon", 5000)  # neither a valid EAN-8 nor UPC-E
    assert Catalog([coupon]).lookup("12345678").product is coupon
    with pytest.raises(InvalidBarcode):
        Catalog([TOFU]).lookup("12345678")


def test_a_product_not_for_sale_is_named() -> None:
    old = Product("OLD", "Teh Lama", 1000, active=False)
    with pytest.raises(InactiveProduct) as caught:
        Catalog([old]).lookup("OLD")
    err = caught.value
    assert (err.product, err.code, err.params) == (old, "catalog.inactive", {"name": "Teh Lama"})


def test_search_gives_twenty_by_default_and_nothing_for_no_room() -> None:
    catalog = Catalog(Product(f"K{i:02d}", f"Kopi {i:02d}", 1000) for i in range(25))
    assert [p.sku for p in catalog.search("kopi")] == [f"K{i:02d}" for i in range(20)]
    assert catalog.search("kopi", limit=0) == []
