"""Catalog lookups and search order, exactly (written for the mutants of
kiosk.domain.catalog that survived `make mutation`)."""

from __future__ import annotations

from kiosk.domain.catalog import Catalog, CatalogError, Product, UnknownBarcode

CATALOG = Catalog([
    Product("MIE", "Zebra mie", 2000),  # an exact SKU match outranks every name
    Product("A1", "Mie Goreng", 3500),
    Product("A2", "Mie Ayam", 4000),
    Product("B1", "Aneka mie", 9000),  # the name only contains the text
    Product("TAG", "Shelf label", 1000, barcodes=("INT-0042",)),
])  # fmt: skip


def test_search_ranks_sku_then_name_start_then_the_rest() -> None:
    assert [p.sku for p in CATALOG.search(" MIE ")] == ["MIE", "A2", "A1", "B1"]
    assert [p.sku for p in CATALOG.search("mie", limit=1)] == ["MIE"]
    assert [p.sku for p in CATALOG.search("mie", limit=3)] == ["MIE", "A2", "A1"]
    assert CATALOG.search("mie", limit=0) == [] and CATALOG.search("  ") == []


def test_an_in_house_barcode_is_found_as_it_is_printed() -> None:
    assert CATALOG.by_barcode(" INT-0042 ") == CATALOG.by_sku("TAG")
    assert CATALOG.by_barcode("4006381333931") is None  # a valid GTIN nobody sells here


def test_an_unknown_barcode_keeps_the_code_and_says_why() -> None:
    plain = UnknownBarcode("123")
    assert (plain.barcode, str(plain)) == ("123", "no product for barcode '123'")
    detailed = UnknownBarcode("8991", "misread")
    assert str(detailed) == "no product for barcode '8991' (misread)"


def test_a_catalog_refusal_carries_the_unknown_skus_it_names() -> None:
    """The fleet's commands page names them to the owner (cmd refusal catalog.unknown_sku);
    a refusal for another reason names none."""
    unknown = CatalogError("unknown sku(s): TEH, KOPI", skus=["TEH", "KOPI"])
    assert unknown.skus == ("TEH", "KOPI") and str(unknown) == "unknown sku(s): TEH, KOPI"
    assert CatalogError("product A appears twice").skus == ()
