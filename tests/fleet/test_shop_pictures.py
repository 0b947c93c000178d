"""Product pictures in the web shop, on both engines: given as an ``image`` column of the
catalog file (``fleet catalog import``, an https address or a fleet path, checked like
every field) or uploaded on the owner's products page (a real PNG, JPEG or WebP of at
most 2 MB, kept in the database and served by the fleet), carried by ``cmd/catalog`` as
the contract's ``image``, and shown in the shop lazily with the product's name as its
alt text; a product without one shows a neutral placeholder."""

from __future__ import annotations

import io
import os
import re
import shutil
import struct
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import segno
import sqlalchemy as sa
from fastapi.testclient import TestClient

from fleet.cli import main
from fleet.services import catalog
from fleet.shop import images as shop_images
from fleet.storage.engine import open_engine
from fleet.storage.shop_schema import shop_products
from fleet.web import create_app
from kiosk.contract.messages import command_doc
from kiosk.contract.schemas import validate_command
from tests.fleet.accounts import add_account, sign_in
from tests.fleet.test_browser_shop import _serve as serve
from tests.fleet.test_browser_shop import phone

__all__ = ["phone"]  # the browser test's fixture, used here too

CDN = "https://cdn.example.com/teh-botol.jpg"
CSV = f"""sku,barcode,name,price,category,image
TEH,,Teh Botol,5000,Minuman,{CDN}
KOPI,,Kopi Susu,8000,Minuman,
"""


def png() -> bytes:
    out = io.BytesIO()
    segno.make("TEH").save(out, kind="png", scale=4)
    return out.getvalue()


def read(url: str, what: Callable[[sa.Connection], Any]) -> Any:
    engine = open_engine(url)
    try:
        with engine.connect() as conn:
            return what(conn)
    finally:
        engine.dispose()


def images(url: str) -> dict[str, str]:
    query = sa.select(shop_products.c.sku, shop_products.c.image_url)
    return dict(read(url, lambda conn: conn.execute(query).all()))


def imported(fleet_url: str, tmp_path: Path, text: str, name: str = "katalog.csv") -> int:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return main(["catalog", "import", "--db", fleet_url, "--store", "toko", str(path)])


def test_the_catalog_files_image_column_is_checked_kept_and_pushed(
    fleet_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert imported(fleet_url, tmp_path, CSV) == 0
    assert images(fleet_url) == {"TEH": CDN, "KOPI": ""}
    bad = CSV.replace(CDN, "javascript:alert(1)") + "GULA,,Gula,17000,Sembako,http://x/g.jpg\n"
    assert imported(fleet_url, tmp_path, bad) != 0
    captured = capsys.readouterr()
    said = captured.out + captured.err
    assert "katalog.csv:2: image: must be an https:// address" in said
    assert "katalog.csv:4: image: must be an https:// address" in said
    assert images(fleet_url) == {"TEH": CDN, "KOPI": ""}  # nothing of a bad file is kept
    # A file without pictures (a price update) keeps the pictures the shop has.
    assert (
        imported(fleet_url, tmp_path, "sku,barcode,name,price,category\nTEH,,Teh,5500,Minuman\n")
        == 0
    )
    assert images(fleet_url)["TEH"] == CDN
    json_file = (
        '[{"sku": "KOPI", "barcode": "", "name": "Kopi Susu", "price": 8000, '
        '"category": "Minuman", "image": "/shop/toko/images/' + "b" * 64 + '.png"}]'
    )
    assert imported(fleet_url, tmp_path, json_file, "k.json") == 0
    assert images(fleet_url)["KOPI"] == "/shop/toko/images/" + "b" * 64 + ".png"
    body = read(fleet_url, lambda conn: catalog.catalog_body(conn, "toko"))
    assert {p["sku"]: p.get("image") for p in body["products"]} == {
        "TEH": CDN, "KOPI": "/shop/toko/images/" + "b" * 64 + ".png"}  # fmt: skip
    assert validate_command("catalog", command_doc("catalog", body)) == []


def test_the_shop_shows_pictures_lazily_and_a_placeholder_without_one(
    fleet_url: str, tmp_path: Path
) -> None:
    assert imported(fleet_url, tmp_path, CSV) == 0
    engine = open_engine(fleet_url)
    try:
        with TestClient(create_app(engine)) as client:
            page = client.get("/shop/toko?lang=id").text
    finally:
        engine.dispose()
    teh = page.split('data-sku="TEH"')[1].split("</div>")[0]
    assert f'<img class="thumb" src="{CDN}" alt="Teh Botol" loading="lazy"' in teh
    kopi = page.split('data-sku="KOPI"')[1]
    assert kopi.lstrip("> \n").startswith('<div class="thumb none" aria-hidden="true">K</div>')


def test_the_owner_uploads_a_picture_that_the_fleet_serves_to_the_shop(
    fleet_engine: sa.Engine,
) -> None:
    with fleet_engine.begin() as conn:
        catalog.store_file(conn, "toko", catalog.parse_file(CSV, "k.csv")[0], [])
    add_account(fleet_engine, "ibu")
    add_account(fleet_engine, "lihat", role="viewer", stores=["toko"])
    picture = png()
    with TestClient(create_app(fleet_engine)) as client:
        sign_in(client, "ibu")
        page = client.get("/stores/toko/products?lang=id").text
        assert "Belum ada foto" in page and 'type="file" name="image"' in page
        csrf = re.search(r'name="csrf" value="([^"]+)"', page)
        assert csrf is not None

        def upload(sku: str, data: bytes, name: str = "teh.png") -> str:
            sent = client.post(f"/stores/toko/products/{sku}/image?lang=en",
                               follow_redirects=False,
                               data={"csrf": csrf.group(1), "lang": "en"},
                               files={"image": (name, data, "image/png")})  # fmt: skip
            assert sent.status_code == 303, sent.text
            return sent.headers["location"]

        assert upload("KOPI", picture).endswith("done=KOPI")
        address = client.get("/shop/toko").text.split('data-sku="KOPI"')[1].split('src="')[1]
        address = address.split('"')[0]
        assert re.fullmatch(r"/shop/toko/images/[0-9a-f]{64}\.png", address)
        served = client.get(address)
        assert served.status_code == 200 and served.content == picture
        assert served.headers["content-type"] == "image/png"
        assert "immutable" in served.headers["cache-control"]
        assert served.headers["x-content-type-options"] == "nosniff"
        assert client.get(address.replace(".png", ".jpg")).status_code == 404
        assert client.get("/shop/toko/images/../x.png").status_code == 404
        # Refused in words, and the product keeps its picture.
        svg = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'
        said = client.get(upload("KOPI", svg, "x.png")).text
        assert "This file is not a JPEG, PNG or WebP picture." in said
        huge = picture + b"\0" * 2_100_000
        assert "The picture is too big: at most 2 MB." in client.get(upload("KOPI", huge)).text
        assert "Choose a picture first." in client.get(upload("KOPI", b"")).text
        assert "This product is not in the store" in client.get(upload("NOPE", picture)).text
        assert client.get("/stores/toko/products?lang=id").text.count(address) == 1
        refused = client.post("/stores/toko/products/KOPI/image?lang=en", follow_redirects=False,
                              data={"csrf": "forged", "lang": "en"},
                              files={"image": ("t.png", picture, "image/png")})  # fmt: skip
        assert refused.status_code in (303, 403) and "done=" not in refused.headers.get(
            "location", "")  # fmt: skip
    with TestClient(create_app(fleet_engine)) as viewer:
        sign_in(viewer, "lihat")
        page = viewer.get("/stores/toko/products?lang=en").text
        assert address in page and 'type="file"' not in page


def solid_png(rgb: tuple[int, int, int], size: int = 96) -> bytes:
    """A real PNG of one colour (a product photo stand-in), written by hand."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    row = b"\0" + bytes(rgb) * size
    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(row * size)) + chunk(b"IEND", b""))  # fmt: skip


@pytest.mark.browser
@pytest.mark.skipif(not (shutil.which("chromium") and shutil.which("chromedriver")),
                    reason="needs Debian's chromium and chromium-driver")  # fmt: skip
def test_a_phone_sees_the_pictures_and_the_placeholders(tmp_path: Path, phone: Any) -> None:
    from selenium.webdriver.common.by import By

    url = f"sqlite:///{tmp_path / 'fleet.sqlite'}"
    engine = open_engine(url)
    offline = CSV.replace(CDN, "")  # the test machine reaches no CDN
    with engine.begin() as conn:
        catalog.store_file(conn, "toko", catalog.parse_file(offline, "k.csv")[0], [])
        shop_images.save(conn, "toko", "TEH", solid_png((200, 120, 40)))
    server, thread, base = serve(create_app(engine))
    try:
        phone.get(base + "/shop/toko?lang=id")
        teh = phone.find_element(By.CSS_SELECTOR, '[data-sku="TEH"] img.thumb')
        assert teh.get_attribute("alt") == "Teh Botol" and teh.get_attribute("loading") == "lazy"
        assert phone.execute_script("return arguments[0].complete && arguments[0].naturalWidth",
                                    teh) == 96  # fmt: skip
        assert teh.size["width"] == teh.size["height"] == 64  # 4rem: a phone's thumb
        placeholder = phone.find_element(By.CSS_SELECTOR, '[data-sku="KOPI"] .thumb.none')
        assert placeholder.text == "K" and placeholder.size["width"] == 64
        width = phone.execute_script("return document.documentElement.scrollWidth")
        assert width <= 390  # nothing wider than the phone
        phone.save_screenshot(str(tmp_path / "shop-pictures-phone.png"))
        folder = os.environ.get("SHOP_SCREENSHOTS")
        if folder:
            phone.save_screenshot(str(Path(folder) / "shop-pictures-phone.png"))
    finally:
        server.should_exit = True
        thread.join(10)
        engine.dispose()
