import time

import pytest

from kiosk.domain.catalog import (
    Catalog,
    CatalogError,
    InactiveProduct,
    Product,
    UnknownBarcode,
)
from kiosk.domain.gtin import InvalidBarcode, check_digit
from kiosk.domain.variable_barcodes import parse_rules


def label(body12: str) -> str:
    return body12 + check_digit(body12)


INDOMIE = Product("IDM-001", "Indomie Goreng", 3500, ("8992761111113",), category="Mie")
COLA = Product("COLA-330", "Cola 330ml", 7000, ("036000291452",), category="Minuman")
BEEF = Product(
    "BEEF", "Daging Sapi", 150000, (label("251234500000"),), category="Daging", sold_by_weight=True
)
CAKE = Product("CAKE", "Kue Lapis", 0, (label("201111100000"),), category="Roti")
LOOSE = Product("54321", "Tahu", 0, category="Segar")
OLD = Product("OLD", "Discontinued", 1000, ("96385074",), active=False)


@pytest.fixture
def catalog() -> Catalog:
    return Catalog([INDOMIE, COLA, BEEF, CAKE, LOOSE, OLD])


def test_by_barcode_any_gtin_form(catalog: Catalog) -> None:
    assert catalog.by_barcode("8992761111113") is INDOMIE
    assert catalog.by_barcode("0036000291452") is COLA
    assert catalog.by_barcode("036000291452") is COLA
    assert catalog.by_barcode("8992761111114") is None
    assert catalog.by_sku("COLA-330") is COLA
    assert len(catalog) == 6
    assert {p.sku for p in catalog} == {"IDM-001", "COLA-330", "BEEF", "CAKE", "54321", "OLD"}


def test_upsert_replaces_and_reindexes(catalog: Catalog) -> None:
    catalog.upsert(Product("IDM-001", "Indomie Goreng", 3700, ("8992761111120",)))
    assert catalog.by_barcode("8992761111113") is None
    found = catalog.by_barcode("8992761111120")
    assert found is not None and found.price == 3700
    assert catalog.remove("IDM-001") is not None
    assert catalog.by_barcode("8992761111120") is None
    assert catalog.remove("IDM-001") is None


def test_upsert_refuses_a_barcode_of_another_product(catalog: Catalog) -> None:
    with pytest.raises(CatalogError, match="barcode 0036000291452 already belongs to COLA-330"):
        catalog.upsert(Product("X", "X", 1, ("0036000291452",)))
    assert catalog.by_sku("X") is None


def test_product_validation() -> None:
    with pytest.raises(CatalogError, match="price"):
        Product("A", "A", -1)
    with pytest.raises(CatalogError, match="tax rate"):
        Product("A", "A", 1, tax_rate_percent="eleven")
    with pytest.raises(InvalidBarcode, match="product A: EAN-13 8992761111114"):
        Catalog([Product("A", "A", 1, ("8992761111114",))])


def test_search_and_categories(catalog: Catalog) -> None:
    assert [p.sku for p in catalog.search("indo")] == ["IDM-001"]
    assert [p.sku for p in catalog.search("COLA")] == ["COLA-330"]
    assert [p.sku for p in catalog.search("a", limit=2)] == ["COLA-330", "BEEF"]
    assert catalog.search("  ") == []
    assert catalog.categories() == ["Daging", "Mie", "Minuman", "Roti", "Segar"]


def test_lookup_plain_barcode_and_sku(catalog: Catalog) -> None:
    hit = catalog.lookup("036000291452")
    assert (hit.product, hit.barcode, hit.price_override, hit.weight_g) == (
        COLA,
        "036000291452",
        None,
        None,
    )
    assert catalog.lookup("IDM-001").product is INDOMIE


def test_lookup_price_label_by_template_barcode(catalog: Catalog) -> None:
    hit = catalog.lookup(label("201111112500"))
    assert hit.product is CAKE
    assert hit.price_override == 12500


def test_lookup_weight_label(catalog: Catalog) -> None:
    hit = catalog.lookup(label("251234501250"))
    assert hit.product is BEEF
    assert hit.weight_g == 1250


def test_lookup_label_by_sku_item_code(catalog: Catalog) -> None:
    hit = catalog.lookup(label("225432104000"))
    assert hit.product is LOOSE
    assert hit.price_override == 4000


def test_lookup_errors(catalog: Catalog) -> None:
    with pytest.raises(UnknownBarcode, match="no product for barcode '8992761111120'"):
        catalog.lookup("8992761111120")
    with pytest.raises(InvalidBarcode, match="check digit should be 3, got 5"):
        catalog.lookup("8992761111115")
    with pytest.raises(UnknownBarcode, match="scale label for item 99999"):
        catalog.lookup(label("209999912500"))
    with pytest.raises(InactiveProduct, match="Discontinued"):
        catalog.lookup("96385074")
    with pytest.raises(InvalidBarcode, match="not sold by weight"):
        catalog.lookup(label("255432101000"))  # tofu is sold per piece
    with pytest.raises(UnknownBarcode):
        catalog.lookup("")


def test_lookup_with_custom_rules(catalog: Catalog) -> None:
    rules = parse_rules([{"prefix": "25", "pattern": "PPIIIIIXVVVVC", "kind": "weight"}])
    hit = catalog.lookup(label("251234590750"), rules)
    assert hit.weight_g == 750
    # without a rule for prefix 20 a cake label is just an unknown EAN-13
    with pytest.raises(UnknownBarcode):
        catalog.lookup(label("201111112500"), rules)


def test_in_store_fixed_code_with_variable_prefix_still_found() -> None:
    code = label("209876543210")
    fixed = Product("FIX", "Fixed", 5000, (code,))
    hit = Catalog([fixed]).lookup(code)
    assert hit.product is fixed and hit.price_override is None


def test_lookup_is_fast_with_100k_products() -> None:
    products = [
        Product(f"SKU{i:06d}", f"Item {i}", 1000 + i, (label(f"899{i:09d}"),))
        for i in range(100_000)
    ]
    catalog = Catalog(products)
    codes = [label(f"899{i:09d}") for i in range(0, 100_000, 97)]
    timings = []
    for code in codes:
        start = time.perf_counter()
        catalog.lookup(code)
        timings.append(time.perf_counter() - start)
    timings.sort()
    p99 = timings[int(len(timings) * 0.99)]
    assert p99 < 0.0005, f"p99 lookup {p99 * 1e3:.3f} ms"


def test_label_item_code_without_leading_zeros_finds_the_sku() -> None:
    tofu = Product("123", "Tahu", 0)
    hit = Catalog([tofu]).lookup(label("200012304500"))
    assert hit.product is tofu and hit.price_override == 4500
    with pytest.raises(InvalidBarcode, match="zero price"):
        Catalog([tofu]).lookup(label("200012300000"))
