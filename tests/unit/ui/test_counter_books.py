"""The counter's books through the presenter over real services and SQLite (no Kivy):
the drawer opened without a sale is counted in the day's Z."""

from __future__ import annotations

import json
from typing import Any

from drivers.receipt_render import lines_bytes
from kiosk.domain.books_report import layout_report, shift_document, z_document
from kiosk.domain.refund_slip import refund_document
from kiosk.domain.sale import CompletedSale
from kiosk.services.books import books_services
from kiosk.services.checkout import CheckoutService
from kiosk.services.staff import StaffService
from kiosk.storage import books as stored
from kiosk.storage.ledger import SqliteLedger
from kiosk.storage.unit_of_work import SqliteUnitOfWork
from kiosk.ui.presenters.counter import CounterPresenter
from kiosk.ui.presenters.counter_books import CASH_REASONS
from tests.unit.pieces import Effects, journal


def login(p: CounterPresenter, pin: str) -> None:
    for key in pin:
        p.pin_key(key)
    p.pin_key("enter")


def test_a_no_sale_at_the_counter_is_counted_in_the_z(
    checkout: CheckoutService, staff: StaffService, effects: Effects, ledger: SqliteLedger
) -> None:
    books = books_services(SqliteUnitOfWork(ledger), checkout.clock, "Asia/Jakarta")
    p = CounterPresenter(checkout, staff, effects, lang="id", books=books)
    login(p, "1111")
    p.no_sale("Change for the float")  # a cashier may not: a supervisor's PIN is asked
    assert p.overlay == "supervisor" and p.supervisor_note == "Buka laci: Tukar uang modal"
    assert not effects.drawer
    for key in "2222":  # Budi approves on the spot; Ani stays signed in
        p.supervisor_key(key)
    p.supervisor_key("enter")
    assert effects.drawer == ["no-sale: Change for the float"]
    assert p.cashier is not None and p.cashier.name == "Ani"
    (row,) = ledger.conn.execute("SELECT business_date, reason, opened_by FROM no_sales")
    day, reason, by = row
    assert (reason, by) == ("Change for the float", "Budi")
    (approval,) = [json.loads(r) for r in journal(ledger, "supervisor_approval")]
    assert (approval["action"], approval["staff_name"], approval["supervisor_name"]) == (
        "no_sale", "Ani", "Budi")  # fmt: skip
    assert stored.z_report(ledger.conn, day, ledger.device_id)["no_sales"] == 1


class Printed:
    """The printer as the app feeds it: the report laid out and rendered to ESC/POS bytes
    through escpos Dummy."""

    def __init__(self) -> None:
        self.jobs: list[bytes] = []

    def __call__(self, kind: str, figures: dict[str, Any]) -> str:
        if kind == "shift":
            document = shift_document(figures, header=["TOKO"], lang="id", printed_at="-")
        elif kind == "refund":
            document = refund_document(figures, header=["TOKO"], lang="id", printed_at="-")
        else:
            document = z_document(figures, kind=kind, header=["TOKO"], lang="id", printed_at="-")
        self.jobs.append(lines_bytes(layout_report(document, 48)))
        return ""


def desk_for(checkout: CheckoutService, staff: StaffService, effects: Effects,
             ledger: SqliteLedger, printed: Printed) -> CounterPresenter:  # fmt: skip
    books = books_services(SqliteUnitOfWork(ledger), checkout.clock, "Asia/Jakarta")
    return CounterPresenter(checkout, staff, effects, lang="id", books=books,
                            print_report=printed)  # fmt: skip


def cash_sale(p: CounterPresenter, sku: str, units: int, cash: int) -> CompletedSale:
    """``units`` of ``sku`` rung up on the quick keys and paid with ``cash``."""
    for _ in range(units):
        p.quick_key(sku)
    p.pay()
    p.tender_cash(cash)
    sale = p.last_sale
    assert sale is not None
    p.new_sale()
    return sale


def count(p: CounterPresenter, pieces: dict[int, int]) -> None:
    assert p.books_desk is not None
    for denomination, number in pieces.items():
        p.books_desk.pick(denomination)
        for key in str(number):
            p.books_desk.count_key(key)


def test_a_shift_from_float_to_blind_count_with_x_and_z_printed(
    checkout: CheckoutService, staff: StaffService, effects: Effects, ledger: SqliteLedger
) -> None:
    printed = Printed()
    p = desk_for(checkout, staff, effects, ledger, printed)
    login(p, "2222")
    p.open_books()
    desk = p.books_desk
    assert desk is not None and p.screen == "books" and desk.view == "menu"
    desk.start_float()
    count(p, {100_000: 1, 50_000: 1, 1_000: 12, 500: 4})
    desk.count_key("+")  # one more Rp500
    assert desk.total == 100_000 + 50_000 + 12_000 + 2_500
    desk.confirm_count()
    assert p.message.text == "Shift dibuka dengan modal awal Rp164.500"
    assert effects.drawer == ["float"]
    assert p.screen == "sale"  # on to selling
    p.open_books()
    desk.start_float()
    assert p.message.text == "Sudah ada shift yang buka di kasir ini"
    desk.leave()
    p.quick_key("ROTI")  # a Rp16.000 cash sale
    p.pay()
    p.tender_cash(20_000)
    p.new_sale()
    p.open_books()
    desk.start_close()
    assert "Seharusnya" not in p.message.text  # blind: nothing expected shown yet
    count(p, {100_000: 1, 50_000: 1, 10_000: 2})
    desk.confirm_count()
    assert desk.view == "closed" and desk.result["expected_cash"] == 164_500 + 16_000
    assert desk.result["over_short"] == 170_000 - 180_500
    assert b"LAPORAN SHIFT" in printed.jobs[-1] and b"-Rp10.500" in printed.jobs[-1]
    desk.print_x()
    assert b"LAPORAN X" in printed.jobs[-1] and p.message.text == "Laporan dicetak"
    desk.close_day()
    assert b"LAPORAN Z" in printed.jobs[-1] and p.message.text.startswith("Z 1 menutup hari buka")
    desk.close_day()
    assert p.message.text == "Hari buka 2026-11-27 sudah ditutup (Z 1)"  # day.closed, coded


def test_a_refund_by_scanning_the_receipt_barcode(
    checkout: CheckoutService, staff: StaffService, effects: Effects, ledger: SqliteLedger
) -> None:
    printed = Printed()
    p = desk_for(checkout, staff, effects, ledger, printed)
    login(p, "2222")
    sale = cash_sale(p, "ROTI", 3, 50_000)
    p.open_books()
    desk = p.books_desk
    assert desk is not None
    desk.start_refund()
    p.scan("OTHER-000001")
    assert p.message.text == "Itu bukan struk dari kasir ini"
    p.scan(f"{ledger.device_id}-{sale.receipt_no:06d}")
    assert desk.sale is not None and desk.left == {1: 3}
    desk.confirm_refund()
    assert p.message.text == "Ketuk dulu barang yang dikembalikan"
    desk.tap_line(1)
    desk.tap_line(1)
    assert desk.refund_rows()[0][1] == "Roti Tawar: 2 dari 3 kembali"
    desk.toggle_restock()
    desk.confirm_refund()
    assert p.message.text == f"Refund Rp32.000 untuk struk {sale.receipt_no} sudah dibayar"
    assert desk.view == "refunded" and desk.refunded == [("Bayarkan tunai", "Rp32.000", True)]
    assert effects.drawer[-1] == "refund"
    (slip,) = [job.decode("cp437") for job in printed.jobs]  # printed with the refund
    for shown in ("STRUK REFUND", f"Struk asal{sale.receipt_no:>38}", "Roti Tawar x2 (dihapus)",
                  "Total refund", "Rp32.000", "Disetujui oleh", "Budi", "Tunai"):  # fmt: skip
        assert shown in slip, shown
    (restock,) = ledger.conn.execute("SELECT json_extract(body, '$.lines[0].restock') FROM refunds")
    assert restock[0] == 0  # written off
    desk.start_refund()
    for key in str(sale.receipt_no):
        desk.refund_key(key)
    desk.refund_key("enter")  # typed instead of scanned
    assert desk.left == {1: 1}
    desk.tap_line(1)
    desk.tap_line(1)  # past what is left: back to none
    assert desk.chosen == {1: 0}
    p.logout()
    login(p, "1111")  # a cashier may not refund
    p.open_books()
    p.scan(f"{ledger.device_id}-{sale.receipt_no:06d}")  # a receipt scanned starts a refund
    assert desk.view == "refund" and desk.sale is not None
    desk.tap_line(1)
    desk.confirm_refund()
    assert p.message.text == "Ani (kasir) tidak boleh melakukan refund; perlu supervisor"


def test_cash_in_and_out_of_the_drawer_with_a_reason(
    checkout: CheckoutService, staff: StaffService, effects: Effects, ledger: SqliteLedger
) -> None:
    p = desk_for(checkout, staff, effects, ledger, Printed())
    login(p, "1111")  # a cashier, on her own shift
    p.open_books()
    desk = p.books_desk
    assert desk is not None
    desk.start_cash()
    assert p.message.text == "Tidak ada shift yang terbuka di kasir ini"
    desk.start_float()
    count(p, {50_000: 2})
    desk.confirm_count()
    p.open_books()
    desk.start_cash()
    desk.confirm_cash("in")
    assert p.message.text == "Ketik dulu jumlahnya"
    for key in "20000":
        desk.cash_key(key)
    desk.confirm_cash("in")
    assert p.message.text == "Pilih alasan kas masuk/keluar"
    desk.cash_reason(CASH_REASONS[0])
    desk.confirm_cash("in")
    assert p.message.text == "Kas masuk Rp20.000: Tambah uang kembalian"
    assert effects.drawer[-1] == "cash in" and desk.view == "menu"
    desk.start_cash()
    for key in "5000":
        desk.cash_key(key)
    desk.cash_reason(CASH_REASONS[2])
    desk.confirm_cash("out")
    rows = ledger.conn.execute("SELECT direction, amount, reason FROM cash_moves ORDER BY id")
    assert [tuple(r) for r in rows] == [("in", 20_000, "Change brought to the till"),
                                        ("out", 5_000, "Paid out from the drawer")]  # fmt: skip
    desk.start_close()
    count(p, {100_000: 1, 10_000: 1, 5_000: 1})
    desk.confirm_count()
    assert desk.result["expected_cash"] == 100_000 + 20_000 - 5_000
    assert desk.result["over_short"] == 0
