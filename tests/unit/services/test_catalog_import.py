from __future__ import annotations

import pytest

from kiosk.services.catalog_import import CatalogFileError, export_csv, parse_catalog

GOOD_CSV = """sku,barcode,name,price,category,tax_rate_percent,age_restricted,active
MIN-01,8992761111111,Teh Botol 350ml,5000,Minuman,,no,yes
ROK-01,8998989100120,Sampoerna Mild 16,32000,Rokok,,21,true
BER-01,8991002101104,Beras 5kg,72000,Sembako,0,,
"""


def ean(body: str) -> str:
    from kiosk.domain.gtin import check_digit

    return body + check_digit(body)


def csv_with(*rows: str) -> str:
    return "sku,barcode,name,price,category\n" + "\n".join(rows) + "\n"


def test_csv_round_trip_through_export() -> None:
    text = csv_with(
        f"A1,{ean('899100000001')},Kopi,12500,Minuman",
        f"B2,{ean('899100000002')},Gula,15.000,Sembako",
    )
    products = parse_catalog(text, "c.csv")
    assert [(p.sku, p.price) for p in products] == [("A1", 12500), ("B2", 15000)]
    again = parse_catalog(export_csv(products), "again.csv")
    assert again == sorted(products, key=lambda p: p.sku)


def test_optional_columns() -> None:
    a, b = ean("899100000001"), ean("899100000002")
    text = (
        "sku,barcode,name,price,category,tax_rate_percent,age_restricted,active\n"
        f"R1,{a},Rokok,32000,Rokok,,21,yes\n"
        f"S1,{b},Beras,72000,Sembako,0,no,false\n"
    )
    rokok, beras = parse_catalog(text, "c.csv")
    assert rokok.age_restricted == 21 and rokok.tax_rate_percent is None and rokok.active
    assert beras.tax_rate_percent == "0" and not beras.active and beras.age_restricted == 0


@pytest.mark.parametrize("age", ["100", "-1", "12.5", "Rp18"])
def test_an_age_limit_out_of_range_is_refused_in_years(age: str) -> None:
    """An age limit is years: the refusal gives the range in years, never rupiah."""
    text = (
        "sku,barcode,name,price,category,age_restricted\n"
        f"R1,{ean('899100000001')},Rokok,32000,Rokok,{age}\n"
    )
    with pytest.raises(CatalogFileError) as caught:
        parse_catalog(text, "c.csv")
    expected = f"c.csv:2: age_restricted: '{age}' is not an age from 0 to 99 years (or yes/no)"
    assert [str(p) for p in caught.value.problems] == [expected]


def test_every_problem_is_named_with_file_line_and_field() -> None:
    good = ean("899100000001")
    bad_check = good[:-1] + str((int(good[-1]) + 1) % 10)
    text = csv_with(
        f"A1,{good},Kopi,12500,Minuman",
        f"A2,{bad_check},Teh,5000,Minuman",
        f"A3,{ean('899100000003')},Susu,12.5,Susu",
        f"A1,{ean('899100000004')},Dup,1000,X",
        f"A5,{ean('899100000005')},,1000,X",
    )
    with pytest.raises(CatalogFileError) as caught:
        parse_catalog(text, "shop.csv")
    messages = [str(p) for p in caught.value.problems]
    assert messages[0].startswith("shop.csv:3: barcode:") and "check digit" in messages[0]
    assert messages[1].startswith("shop.csv:4: price:")
    assert messages[2] == "shop.csv:5: sku: duplicate SKU 'A1'"
    assert messages[3] == "shop.csv:6: name: is empty"
    assert "nothing imported" in str(caught.value)


def test_missing_required_column() -> None:
    with pytest.raises(CatalogFileError, match="header lacks column.*category"):
        parse_catalog("sku,barcode,name,price\nA,1,b,2\n", "x.csv")


def test_json_list_and_object_forms() -> None:
    code = ean("899100000009")
    listed = parse_catalog(
        f'[{{"sku": "J1", "barcode": "{code}", "name": "Air", "price": 4000, "category": "Minuman"}}]',
        "c.json",
    )
    wrapped = parse_catalog(
        f'{{"products": [{{"sku": "J1", "barcode": ["{code}"], "name": "Air", "price": 4000, "category": "Minuman"}}]}}',
        "c.json",
    )
    assert listed == wrapped and listed[0].barcodes == (code,)


def test_json_errors_are_clear() -> None:
    with pytest.raises(CatalogFileError, match="c.json:1: not JSON"):
        parse_catalog("[{oops", "c.json")
    with pytest.raises(CatalogFileError, match=r"c.json:2: price: 'x' is not a whole rupiah"):
        parse_catalog(
            '[{"sku":"a","barcode":"","name":"n","price":1,"category":"c"},'
            '{"sku":"b","barcode":"","name":"n","price":"x","category":"c"}]',
            "c.json",
        )


def test_empty_file_is_an_error() -> None:
    with pytest.raises(CatalogFileError, match="no products"):
        parse_catalog("sku,barcode,name,price,category\n", "e.csv")
