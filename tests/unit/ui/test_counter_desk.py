"""The counter's desk jobs: a receipt printed again from the ledger (the exact bytes of a
copy, on the simulated escpos Dummy printer), a price check that adds nothing, and the
stock on hand beside each search result. Real checkout, staff and ledger over SQLite."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from drivers.factory import build_devices
from drivers.receipt_render import render_bytes
from kiosk.domain.receipt import ReceiptDocument, build_receipt
from kiosk.domain.sale import CompletedSale
from kiosk.ports import DeviceSet
from kiosk.services.checkout import CheckoutService
from kiosk.services.shop_desk import ShopDesk
from kiosk.services.staff import StaffService
from kiosk.storage.ledger import SqliteLedger
from kiosk.storage.unit_of_work import SqliteUnitOfWork
from kiosk.testing.clock import SettableClock
from kiosk.ui.device_effects import DeviceEffects
from kiosk.ui.event_bridge import EventBridge
from kiosk.ui.presenters.counter import CounterPresenter
from tests.unit.pieces import Effects


def receipt(sale: CompletedSale, *, reprint: bool = False) -> ReceiptDocument:
    return build_receipt(sale, header=["TOKO ANI"], footer=[], lang="id", reprint=reprint)


@pytest.fixture
def devices() -> Iterator[DeviceSet]:
    built = build_devices({"printer": {"paper": "58mm"}}, simulated=True)
    yield built
    built.close()


def desk_of(ledger: SqliteLedger) -> ShopDesk:
    return ShopDesk(ledger, SettableClock(), SqliteUnitOfWork(ledger).stock)


def signed_in(p: CounterPresenter, pin: str = "1111") -> CounterPresenter:
    for key in (*pin, "enter"):
        p.pin_key(key)
    assert p.screen == "sale"
    return p


def sell_tea(p: CounterPresenter) -> CompletedSale:
    product = p.checkout.catalog.by_sku("TEH")
    assert product is not None
    p.scan(product.barcodes[0])
    p.pay()
    p.tender_cash(5_000)
    assert p.screen == "done" and p.last_sale is not None
    return p.last_sale


def printed(devices: DeviceSet) -> bytes:
    printer = devices.printer
    assert printer is not None and printer.wait_idle(5)  # type: ignore[attr-defined]
    return bytes(devices.twins["printer_connection"].output)  # type: ignore[attr-defined]


def test_the_last_receipt_is_printed_again_marked_as_a_copy(
    checkout: CheckoutService, staff: StaffService, ledger: SqliteLedger, devices: DeviceSet
) -> None:
    effects = DeviceEffects(devices, EventBridge(), counter=True, language="id", receipt=receipt)
    p = signed_in(CounterPresenter(checkout, staff, effects, lang="id", desk=desk_of(ledger)))
    sale = sell_tea(p)
    p.print_receipt()
    original = printed(devices)
    assert b"SALINAN" not in original
    p.new_sale()
    p.reprint()
    copy = printed(devices)[len(original) :]
    assert p.message.text == f"Salinan struk {sale.receipt_no} dicetak"
    assert devices.printer is not None
    options = devices.printer.options  # type: ignore[attr-defined]
    assert copy == render_bytes(receipt(sale, reprint=True), options)  # the exact copy
    assert copy.count(b"*** SALINAN ***") == 1 and copy != original
    (event,) = ledger.conn.execute("SELECT ref, payload FROM journal WHERE kind = 'reprint'")
    assert event[0] == sale.sale_id
    assert json.loads(event[1]) == {"receipt_no": sale.receipt_no, "staff_id": "c1",
                                    "staff_name": "Ani"}  # fmt: skip


def test_a_typed_receipt_number_is_reprinted_and_an_unknown_one_is_said(
    checkout: CheckoutService, staff: StaffService, ledger: SqliteLedger
) -> None:
    effects = Effects()
    p = signed_in(CounterPresenter(checkout, staff, effects, lang="en", desk=desk_of(ledger)))
    p.reprint()
    assert p.message.text == "There is no sale on this till yet" and effects.printed == []
    first = sell_tea(p)
    p.new_sale()
    sell_tea(p)
    p.new_sale()
    for key in str(first.receipt_no):
        p.key(key)
    p.reprint()
    assert effects.printed == [first] and effects.reprints == 1
    for key in "99":
        p.key(key)
    p.reprint()
    assert (p.message.level, p.message.text) == ("error", "There is no receipt 99 on this till")


def test_nobody_signed_in_cannot_reprint(
    checkout: CheckoutService, staff: StaffService, ledger: SqliteLedger
) -> None:
    p = CounterPresenter(checkout, staff, Effects(), lang="id", desk=desk_of(ledger))
    p.reprint()
    assert p.message.text == "Petugas harus masuk terlebih dahulu"


def test_a_price_check_says_the_price_and_stock_and_adds_nothing(
    checkout: CheckoutService, staff: StaffService, ledger: SqliteLedger
) -> None:
    ledger.adjust_stock([("TEH", 24)], "receiving", "DN-1", "2026-11-27T01:00:00Z")
    p = signed_in(CounterPresenter(checkout, staff, Effects(), lang="id", desk=desk_of(ledger)))
    p.toggle_price_check()
    assert p.price_checking and p.message.level == "attention"
    product = checkout.catalog.by_sku("TEH")
    assert product is not None
    p.scan(product.barcodes[0])
    assert p.message.text == "Teh Botol 330ml: Rp5.000 · stok 24"
    assert not p.basket.rows and not p.price_checking  # nothing added; the mode ended
    p.scan(product.barcodes[0])  # the next scan sells again
    assert p.basket.total == 5000
    p.toggle_price_check()
    p.scan("2000000000008")  # not in the catalog: said, nothing added
    assert p.message.level == "error" and "2000000000008" in p.message.text
    assert p.basket.total == 5000


def test_the_search_shows_the_stock_on_hand(
    checkout: CheckoutService, staff: StaffService, ledger: SqliteLedger
) -> None:
    ledger.adjust_stock([("TEH", 12)], "receiving", "DN-2", "2026-11-27T01:00:00Z")
    p = signed_in(CounterPresenter(checkout, staff, Effects(), lang="en", desk=desk_of(ledger)))
    for key in "teh":
        p.search_key(key)
    results = dict((sku, shown) for sku, _name, shown in p.search_results())
    assert results["TEH"] == "Rp5,000 · stock 12"
    without = signed_in(CounterPresenter(checkout, staff, Effects(), lang="en"))
    without.search_text = "teh"
    assert dict((s, shown) for s, _n, shown in without.search_results())["TEH"] == "Rp5,000"
