"""``fleet catalog import``: the kiosk's catalog files into a store's catalog in the fleet
(the web shop's), all-or-nothing, with ``file:line: field: message`` problems; and the
command bodies ``fleet push`` builds from it. Both engines."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sqlalchemy as sa

from fleet.cli import main
from fleet.services import catalog
from fleet.shop import catalog as shop_view
from fleet.storage.engine import open_engine
from fleet.storage.shop_schema import shop_products
from kiosk.contract.messages import command_doc

CSV = """sku,barcode,name,price,category,tax_rate_percent,age_restricted,unit,sold_by_weight
TEH,8991000000010,Teh Botol,5000,Minuman,,no,pcs,no
KOPI,8991000000027|8991000000034,Kopi Kapal Api,12500,Minuman,11,no,pcs,no
ROKOK,8991000000041,Rokok Kretek,32000,Rokok,,yes,pcs,no
"""
PROMO = {"promo_id": "TEH3", "kind": "multibuy", "name": "3 teh", "skus": ["TEH"], "qty": 3,
         "price": 13500}  # fmt: skip


def rows(url: str) -> dict[str, dict[str, object]]:
    engine = open_engine(url)
    try:
        with engine.connect() as conn:
            found = conn.execute(sa.select(shop_products)).mappings().all()
    finally:
        engine.dispose()
    return {f"{r['store_id']}/{r['sku']}": dict(r) for r in found}


def test_a_csv_file_becomes_the_stores_catalog_and_its_commands(
    fleet_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "katalog.csv"
    path.write_text(CSV, encoding="utf-8")
    assert main(["catalog", "import", "--db", fleet_url, "--store", "toko", str(path)]) == 0
    assert "3 products, 0 promotions" in capsys.readouterr().out
    stored = rows(fleet_url)
    assert sorted(stored) == ["toko/KOPI", "toko/ROKOK", "toko/TEH"]
    assert json.loads(str(stored["toko/KOPI"]["kiosk_fields"]))["barcodes"] == [
        "8991000000027", "8991000000034"]  # fmt: skip
    engine = open_engine(fleet_url)
    try:
        with engine.connect() as conn:
            # The web shop sells from the same rows.
            assert [p.sku for p in shop_view.products(conn, "toko")] == ["KOPI", "TEH", "ROKOK"]
            body = catalog.catalog_body(conn, "toko")
            prices = catalog.prices_body(conn, "toko")
            with pytest.raises(catalog.NoCatalogError, match="fleet catalog import"):
                catalog.catalog_body(conn, "elsewhere")
    finally:
        engine.dispose()
    kopi = next(p for p in body["products"] if p["sku"] == "KOPI")
    assert kopi == {"sku": "KOPI", "name": "Kopi Kapal Api", "price": 12500,
                    "category": "Minuman", "active": True, "unit": "pcs",
                    "barcodes": ["8991000000027", "8991000000034"], "tax_class": "standard",
                    "tax_rate_percent": "11", "age_restricted": 0,
                    "sold_by_weight": False}  # fmt: skip
    rokok = next(p for p in body["products"] if p["sku"] == "ROKOK")
    assert rokok["age_restricted"] == 18 and "tax_rate_percent" not in rokok
    assert prices == {"prices": [{"sku": "KOPI", "price": 12500}, {"sku": "ROKOK", "price": 32000},
                                 {"sku": "TEH", "price": 5000}]}  # fmt: skip
    # What the fleet builds is what the contract accepts.
    command_doc("catalog", body)
    command_doc("prices", prices)

    # A second import adds or replaces; the others stay.
    path.write_text("sku,barcode,name,price,category\nTEH,8991000000010,Teh Botol,6000,Minuman\n")
    assert main(["catalog", "import", "--db", fleet_url, "--store", "toko", str(path)]) == 0
    stored = rows(fleet_url)
    assert stored["toko/TEH"]["price"] == 6000 and len(stored) == 3


def test_a_bad_file_names_every_problem_and_stores_nothing(
    fleet_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "katalog.csv"
    path.write_text(
        "sku,barcode,name,price,category\n"
        "TEH,8991000000010,Teh Botol,5000,Minuman\n"
        "KOPI,123,Kopi,12.5x,Minuman\n"
        "TEH,,Teh lagi,4000,Minuman\n",
        encoding="utf-8",
    )
    assert main(["catalog", "import", "--db", fleet_url, "--store", "toko", str(path)]) == 2
    err = capsys.readouterr().err
    assert f"{path}:3: barcode: 123:" in err
    assert f"{path}:3: price:" in err
    assert f"{path}:4: sku: duplicate SKU 'TEH'" in err
    assert "nothing imported" in err
    assert rows(fleet_url) == {}  # the good first row is not stored either


def test_json_with_promotions_and_a_bad_promotion(
    fleet_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "katalog.json"
    products = [{"sku": "TEH", "barcode": "8991000000010", "name": "Teh", "price": 5000,
                 "category": "Minuman"}]  # fmt: skip
    bad = {**PROMO, "promo_id": "X", "qty": "tiga"}
    path.write_text(json.dumps({"products": products, "promotions": [PROMO, bad]}))
    assert main(["catalog", "import", "--db", fleet_url, "--store", "toko", str(path)]) == 2
    assert f"{path}:2: promotions: promotion X: qty" in capsys.readouterr().err
    assert rows(fleet_url) == {}

    path.write_text(json.dumps({"products": products, "promotions": [PROMO]}))
    assert main(["catalog", "import", "--db", fleet_url, "--store", "toko", str(path)]) == 0
    assert "1 products, 1 promotions" in capsys.readouterr().out
    engine = open_engine(fleet_url)
    try:
        with engine.connect() as conn:
            promotions = catalog.promotions_body(conn, "toko")
    finally:
        engine.dispose()
    assert promotions == {"mode": "snapshot", "promotions": [PROMO]}
    command_doc("promotions", promotions)


def test_an_unreadable_file_is_a_message_not_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'fleet.sqlite'}"
    missing = tmp_path / "nope.csv"
    assert main(["catalog", "import", "--db", url, "--store", "toko", str(missing)]) == 2
    assert "cannot read" in capsys.readouterr().err
