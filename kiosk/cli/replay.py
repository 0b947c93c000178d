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
from kiosk.storage.unit_of_work import SqliteUnitOfWork


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("script", type=Path)
    parser.add_argument("--receipts", type=Path, help="append receipt text here")
    parser.add_argument("--printer-out", type=Path, help="write the printer's bytes here")


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
    receipts = args.receipts.open("a", encoding="utf-8") if args.receipts else None
    printer_out = args.printer_out.open("ab") if args.printer_out else None

    def on_sale(sale: CompletedSale) -> None:
        # Only reached after commit_sale returned: the sale is durable.
        print_json(sale.to_dict())
        sys.stdout.flush()
        if receipts or printer_out:
            document = kiosk.receipt(sale)
            if receipts:
                receipts.write(render_text(document, kiosk.settings.get("receipt.width")) + "\n")
                receipts.flush()
            if printer_out:
                printer_out.write(bootstrap.receipt_bytes(document, kiosk.settings))
                printer_out.flush()

    def on_refund(refund: dict[str, object]) -> None:
        shown = ("refund_id", "receipt_no", "lines", "total", "tenders", "business_date")
        print_json({key: refund[key] for key in shown})
        sys.stdout.flush()

    def log(msg: str) -> None:
        print(f"kiosk: {msg}", file=sys.stderr)

    uow = SqliteUnitOfWork(kiosk.ledger)
    timezone = kiosk.settings.get("timezone")
    loyalty = loyalty_service(kiosk.ledger, kiosk.settings, clock)
    books = books_services(uow, clock, timezone, loyalty)
    # The enrolled staff only: a replay never enrols the demo team (known PINs) itself.
    staff = staff_service(data_dir, kiosk.ledger)
    steps = BookSteps(staff, books.shifts, books.day_close, books.refunds, kiosk.checkout,
                      on_refund, log)  # fmt: skip
    stock = StockReceiving(uow, clock, timezone, reorder_settings(kiosk.settings.get))
    replayer = Replayer(
        kiosk.checkout,
        on_sale=on_sale,
        decode_keys=bootstrap.key_decoder(kiosk.settings),
        card_payment=bootstrap.card_payment(kiosk),
        set_time=clock.set,
        log=log,
        books=steps,
        stock=StockSteps(stock, lambda: steps.member, log),
        qris=_simulated_qris(kiosk),
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
            for handle in (receipts, printer_out):
                if handle:
                    handle.close()
            kiosk.close()
    if stop.received:
        print(f"kiosk: replay stopped by {stop.name}; the open basket is kept", file=sys.stderr)
    return 0


SUBCOMMAND = Subcommand("replay", "run a JSON-lines script", configure, run)


def _simulated_qris(kiosk: bootstrap.Kiosk) -> QrisPaymentService:
    """Replay pays QRIS through the simulated acquirer (the outcome is the step's), with the
    shop's static QRIS when one is set, over the till's ledger."""
    static = str(kiosk.settings.get("payments.qris.static_payload") or "") or SAMPLE_STATIC_QRIS
    time = VirtualTime()
    return QrisPaymentService(kiosk.ledger.conn, SimulatedGateway(static),
                              sleep=time.sleep, monotonic=time.monotonic)  # fmt: skip
