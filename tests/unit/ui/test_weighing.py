"""Selling by weight through both presenters, against the scale driver on its twin (a
real pty pair): the prompt, the scale's refusals in the screen's words, the sold line."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest
import serial

from drivers.scale import SCALE_CODES, SerialScale
from drivers.sim.scale_peer import SimulatedScalePeer
from kiosk.domain.catalog import Catalog, LookupResult, Product
from kiosk.domain.error_codes import ERROR_TEXTS
from kiosk.domain.gtin import check_digit
from kiosk.domain.variable_barcodes import DEFAULT_RULES
from kiosk.services.checkout import CheckoutService
from kiosk.services.self_checkout import SelfCheckoutService
from kiosk.services.staff import StaffService
from kiosk.storage.ledger import SqliteLedger
from kiosk.ui.i18n import Language
from kiosk.ui.presenters.counter import CounterPresenter
from kiosk.ui.presenters.self_checkout import SelfCheckoutPresenter
from tests.unit.pieces import Effects

BANANA = Product("BUAH-01", "Pisang", 28_000, barcodes=("8991999000015",), unit="kg",
                 sold_by_weight=True, plu="00001")  # fmt: skip


@pytest.fixture
def peer() -> Iterator[SimulatedScalePeer]:
    twin = SimulatedScalePeer(dialect="toledo", max_g=6_000)
    yield twin
    twin.close()


@pytest.fixture
def scale(peer: SimulatedScalePeer) -> Iterator[SerialScale]:
    port = serial.serial_for_url(peer.port_name, baudrate=9600, timeout=0.05)
    driver = SerialScale(port, dialect="toledo")
    yield driver
    driver.close()


@pytest.fixture
def weighed_checkout(checkout: CheckoutService) -> CheckoutService:
    checkout.catalog.upsert(BANANA)
    return checkout


def counter(checkout: CheckoutService, staff: StaffService, scale: SerialScale | None,
            lang: str = "id") -> CounterPresenter:  # fmt: skip
    p = CounterPresenter(checkout, staff, Effects(), lang=lang, scale=scale)
    for key in "2222":
        p.pin_key(key)
    p.pin_key("enter")
    return p


def test_the_scale_texts_are_the_catalogs_texts() -> None:
    codes = [c for c in ERROR_TEXTS if c.startswith("weigh.")] + list(SCALE_CODES)
    texts = [ERROR_TEXTS[c] for c in codes]
    assert len(texts) == 9
    for lang in ("id", "en"):
        language = Language(lang)
        for text in texts:
            assert language._(text), text
    indonesian = Language("id")
    assert all(indonesian._(t) != t for t in texts)


def test_counter_asks_the_scale_and_sells_the_weight(
    weighed_checkout: CheckoutService, staff: StaffService, peer: SimulatedScalePeer,
    scale: SerialScale,
) -> None:  # fmt: skip
    p = counter(weighed_checkout, staff, scale)
    p.scan("8991999000015")
    assert p.weighing is not None and p.basket.total == 0
    assert p.weigh_title == "Letakkan Pisang di timbangan"
    assert p.weigh_price == "Rp28.000 per kg"
    p.weigh_now()  # nothing on it yet
    assert p.message.level == "error" and "kosong" in p.message.text and p.weighing is not None
    peer.place(900, stable=False)
    p.weigh_now()
    assert "stabil" in p.message.text and p.basket.total == 0
    peer.place(20)
    p.weigh_now()
    assert "ringan" in p.message.text
    peer.place(7_000)
    p.weigh_now()
    assert "Terlalu berat" in p.message.text and p.weighing is not None
    peer.place(1_250)
    p.weigh_now()
    assert p.weighing is None and p.message.level == "ok"
    assert p.basket.total == 35_000 and weighed_checkout.basket.lines[0].weight_g == 1_250


def test_a_scale_label_resolves_through_the_plu(
    weighed_checkout: CheckoutService, staff: StaffService
) -> None:
    weighed_checkout.config = replace(weighed_checkout.config, variable_rules=DEFAULT_RULES)
    p = counter(weighed_checkout, staff, None)
    body = "250000101250"  # prefix 25 (weight), PLU 00001, 1.250 kg
    p.scan(body + check_digit(body))
    assert p.weighing is None and p.basket.total == 35_000


def test_without_a_scale_the_cashier_is_told_to_scan_the_label(
    weighed_checkout: CheckoutService, staff: StaffService
) -> None:
    p = counter(weighed_checkout, staff, None, lang="en")
    p.quick_key("BUAH-01")
    p.weigh_now()
    assert p.message.text == "This till has no scale; scan the item's scale label instead"
    p.cancel_weighing()
    assert p.weighing is None and p.basket.total == 0


def test_self_checkout_asks_the_scale_instead_of_crashing(
    weighed_checkout: CheckoutService, lane: SelfCheckoutService, peer: SimulatedScalePeer,
    scale: SerialScale,
) -> None:  # fmt: skip
    p = SelfCheckoutPresenter(lane, Effects(), lang="id", scale=scale)
    p.start()
    p.scan("8991999000015")
    assert p.weighing is not None and lane.pending is None
    peer.place(505)
    p.weigh_now()
    assert p.weighing is None and p.basket.total == 14_140  # 0.505 kg x Rp28.000
    p.pick("BUAH-01")  # from the picture grid: the scale again
    assert p.weighing is not None


def test_a_plu_belongs_to_one_product() -> None:
    catalog = Catalog([BANANA])
    other = Product("BUAH-02", "Apel", 45_000, sold_by_weight=True, plu="1")
    with pytest.raises(ValueError, match="PLU 1 already belongs to BUAH-01"):
        catalog.upsert(other)
    found = catalog.lookup("2500001012500")
    assert found == LookupResult(BANANA, "2500001012500", weight_g=1_250)


def test_the_plu_is_kept_imported_and_exported(ledger: SqliteLedger) -> None:
    from kiosk.services.catalog_import import export_csv, parse_catalog
    from kiosk.storage import catalog_store

    catalog_store.upsert_many(ledger.conn, [BANANA])
    (stored,) = catalog_store.load_products(ledger.conn)
    assert stored.plu == "00001"
    text = export_csv([stored])
    assert text.splitlines()[0].endswith(",plu") and text.splitlines()[1].endswith(",00001")
    (parsed,) = parse_catalog(text, "catalog.csv")
    assert parsed == stored


def test_a_parked_sale_shows_the_shop_time_not_utc(
    checkout: CheckoutService, staff: StaffService
) -> None:
    p = counter(checkout, staff, None)
    parked = {"basket_id": "e330822abc", "label": "", "created_at": "2026-11-30T03:05:00.000000Z"}
    assert p.parked_label(parked) == "Penjualan ditahan · 10:05"  # Asia/Jakarta, UTC+7
