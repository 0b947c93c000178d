"""``kiosk replay SCRIPT``: JSON-lines steps through the real services, one JSON line out
per sale once it is durable."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kiosk import bootstrap
from kiosk.appliance.stop_signals import StopSignals
from kiosk.cli.common import (
    EXIT_NOT_ALLOWED,
    EXIT_USAGE,
    Subcommand,
    UserError,
    print_json,
    warn_about,
)
from kiosk.cli.orders import order_desk
from kiosk.cli.report import loyalty_service
from kiosk.cli.staff import staff_service
from kiosk.domain.receipt import render_text
from kiosk.domain.sale import CompletedSale
from kiosk.payments.simulated import SAMPLE_STATIC_QRIS, SimulatedGateway
from kiosk.services.books import books_services
from kiosk.services.qris_payment import QrisPaymentService, VirtualTime
from kiosk.services.replay import ReplayClock, Replayer, ReplayError
from kiosk.services.replay_books import BookSteps
from kiosk.services.replay_loyalty import LoyaltySteps
from kiosk.services.replay_orders import OrderSteps
from kiosk.services.replay_stock import StockSteps
from kiosk.services.stock_receiving import StockReceiving, reorder_settings
from kiosk.storage import books as books_storage
from kiosk.storage.unit_of_work import SqliteUnitOfWork
from kiosk.till_config import books_document


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("script", type=Path)
    parser.add_argument("--receipts", type=Path, help="append receipt text here")
    parser.add_argument("--printer-out", type=Path,
                        help="write the printer bytes here (receipts, Z)")  # fmt: skip


def run(data_dir: Path, args: argparse.Namespace) -> int:
    try:
        lines = args.script.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as err:
        raise UserError(f"cannot read {args.script}: {err}") from err
    clock = ReplayClock()
    kiosk = bootstrap.build(
        data_dir, hardware="simulated", mode="replay", clock=clock, with_devices=False
    )
    warn_about(kiosk.settings)
    out = _Outputs(kiosk, clock, args.receipts, args.printer_out)

    def log(msg: str) -> None:
        print(f"kiosk: {msg}", file=sys.stderr)

    uow = SqliteUnitOfWork(kiosk.ledger)
    timezone = kiosk.settings.get("timezone")
    loyalty = loyalty_service(kiosk.ledger, kiosk.settings, clock)
    books = books_services(uow, clock, timezone, loyalty)
    qris = _simulated_qris(kiosk)
    # Refunds go back through the same simulated terminal and acquirer the script paid with.
    books.refunds.terminal = lambda: kiosk.ensure_devices().card_terminal
    books.refunds.gateway = qris.gateway
    # The enrolled staff only: a replay never enrols the demo team (known PINs) itself.
    staff = staff_service(data_dir, kiosk.ledger)
    steps = BookSteps(staff, books.shifts, books.day_close, books.refunds, kiosk.checkout,
                      out.on_refund, log, on_z_close=out.on_z_close)  # fmt: skip
    stock = StockReceiving(uow, clock, timezone, reorder_settings(kiosk.settings.get))
    replayer = Replayer(
        kiosk.checkout,
        on_sale=out.on_sale,
        decode_keys=bootstrap.key_decoder(kiosk.settings),
        card_payment=bootstrap.card_payment(kiosk),
        set_time=clock.set,
        log=log,
        books=steps,
        stock=StockSteps(stock, lambda: steps.member, log),
        qris=qris,
        loyalty=LoyaltySteps(loyalty, kiosk.checkout, log),
        orders=OrderSteps(order_desk(kiosk, clock), kiosk.checkout, log),
        card_outcome=lambda outcome: bootstrap.simulated_card_outcome(kiosk, outcome),
    )
    # SIGTERM/SIGINT end the replay between two steps; the open basket stays on disk.
    with StopSignals() as stop:
        try:
            replayer.run(stop.until_stopped(lines), str(args.script))
        except ReplayError as err:
            print(f"kiosk: replay stopped: {err}", file=sys.stderr)
            return EXIT_NOT_ALLOWED if err.not_allowed else EXIT_USAGE
        finally:
            out.close()
            kiosk.close()
    if stop.received:
        print(f"kiosk: replay stopped by {stop.name}; the open basket is kept", file=sys.stderr)
    return 0


SUBCOMMAND = Subcommand("replay", "run a JSON-lines script", configure, run)


class _Outputs:
    """Where a replay's sales, refunds and Z closes go: one JSON line each on stdout, and
    the receipt text and printer bytes when asked. Each is called only once the sale,
    refund or close is committed."""

    def __init__(
        self, kiosk: bootstrap.Kiosk, clock: ReplayClock, receipts: Path | None,
        printer_out: Path | None,
    ) -> None:  # fmt: skip
        self.kiosk = kiosk
        self.clock = clock
        self.receipts = receipts.open("a", encoding="utf-8") if receipts else None
        self.printer_out = printer_out.open("ab") if printer_out else None

    def on_sale(self, sale: CompletedSale) -> None:
        print_json(sale.to_dict())
        sys.stdout.flush()
        if self.receipts or self.printer_out:
            document = self.kiosk.receipt(sale)
            if self.receipts:
                width = self.kiosk.settings.get("receipt.width")
                self.receipts.write(render_text(document, width) + "\n")
                self.receipts.flush()
            if self.printer_out:
                self._print(bootstrap.receipt_bytes(document, self.kiosk.settings))

    def on_refund(self, refund: dict[str, object]) -> None:
        shown = ("refund_id", "receipt_no", "lines", "total", "tenders", "business_date",
                 "cash", "cash_approved_by")  # fmt: skip
        print_json({key: refund[key] for key in shown if key in refund})
        sys.stdout.flush()

    def on_z_close(self, closed: dict[str, object]) -> None:
        if self.printer_out:  # the Z is printed at its close
            ledger = self.kiosk.ledger
            figures = books_storage.z_report(ledger.conn, str(closed["business_date"]),
                                             ledger.device_id)  # fmt: skip
            document = books_document(figures, "Z", self.kiosk.settings, self.clock.now())
            self._print(bootstrap.report_bytes(document, self.kiosk.settings))

    def _print(self, data: bytes) -> None:
        if self.printer_out:
            self.printer_out.write(data)
            self.printer_out.flush()

    def close(self) -> None:
        for handle in (self.receipts, self.printer_out):
            if handle:
                handle.close()


def _simulated_qris(kiosk: bootstrap.Kiosk) -> QrisPaymentService:
    """Replay pays QRIS through the simulated acquirer (the outcome is the step's), with the
    shop's static QRIS when one is set, over the till's ledger."""
    static = str(kiosk.settings.get("payments.qris.static_payload") or "") or SAMPLE_STATIC_QRIS
    time = VirtualTime()
    return QrisPaymentService(kiosk.ledger.conn, SimulatedGateway(static),
                              sleep=time.sleep, monotonic=time.monotonic)  # fmt: skip
