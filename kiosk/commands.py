"""The handlers behind ``kiosk <command>``. Each returns the process exit code."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from kiosk import __version__, bootstrap
from kiosk.cli import STARTED_AT, UserError, print_json
from kiosk.domain.money import format_rupiah
from kiosk.domain.receipt import render_text
from kiosk.domain.sale import CompletedSale, iso_utc
from kiosk.services.business_day import business_date
from kiosk.services.catalog_import import CatalogFileError, export_csv, parse_catalog
from kiosk.services.demo_data import SettableClock, demo_members, demo_products, generate_sales
from kiosk.services.replay import ReplayClock, Replayer, ReplayError
from kiosk.storage import catalog_store, journal, reports, stock
from kiosk.storage.ledger import SqliteLedger
from kiosk.storage.members_store import MembersStore
from kiosk.storage.settings import Settings, SettingsError

EXIT_FAIL = 1
EXIT_USAGE = 2


def _settings(data_dir: Path) -> Settings:
    try:
        settings = bootstrap.open_settings(data_dir)
    except SettingsError as err:
        raise UserError(str(err)) from err
    if settings.notice:
        print(f"kiosk: warning: {settings.notice}", file=sys.stderr)
    return settings


@contextmanager
def _store(data_dir: Path) -> Iterator[tuple[Settings, SqliteLedger]]:
    """The settings and the ledger of this device, closed again when the command ends."""
    settings = _settings(data_dir)
    try:
        ledger = bootstrap.open_ledger(data_dir, settings)
        try:
            yield settings, ledger
        finally:
            ledger.close()
    finally:
        settings.close()


# -- settings ------------------------------------------------------------------------------
def cmd_settings(data_dir: Path, args: argparse.Namespace) -> int:
    settings = _settings(data_dir)
    try:
        if args.action == "show":
            print(json.dumps(settings.masked(), indent=2, ensure_ascii=False, sort_keys=True))
        elif args.action == "get":
            if not args.key:
                raise UserError("usage: kiosk settings get KEY")
            value = settings.get(args.key)
            shown = settings.masked().get(args.key, value)
            print(shown if isinstance(shown, str) else json.dumps(shown))
        else:
            if not args.key or args.value is None:
                raise UserError("usage: kiosk settings set KEY VALUE")
            settings.set(args.key, args.value)
    except SettingsError as err:
        raise UserError(str(err)) from err
    finally:
        settings.close()
    return 0


# -- catalog -------------------------------------------------------------------------------
def cmd_catalog(data_dir: Path, args: argparse.Namespace) -> int:
    with _store(data_dir) as (_, ledger):
        if args.action == "export":
            sys.stdout.write(export_csv(catalog_store.load_products(ledger.conn)))
            return 0
        if args.file is None:
            raise UserError("usage: kiosk catalog import FILE")
        try:
            text = args.file.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as err:
            raise UserError(f"cannot read {args.file}: {err}") from err
        try:
            products = parse_catalog(text, str(args.file))
        except CatalogFileError as err:
            print(f"kiosk: {args.file}: {err}", file=sys.stderr)
            return EXIT_USAGE
        try:
            catalog_store.upsert_many(ledger.conn, products)
        except ValueError as err:  # CatalogError: clashes with products already stored
            print(f"kiosk: {args.file}: nothing imported: {err}", file=sys.stderr)
            return EXIT_USAGE
        print(f"imported {len(products)} products from {args.file}")
        return 0


# -- demo data -----------------------------------------------------------------------------
def cmd_demo_data(data_dir: Path, args: argparse.Namespace) -> int:
    products = demo_products()
    with _store(data_dir) as (settings, ledger):
        catalog_store.upsert_many(ledger.conn, products)
        for product in products:
            if not product.sold_by_weight and stock.level(ledger.conn, product.sku) == 0:
                stock.adjust(ledger.conn, product.sku, 48, "demo-receiving", "demo", _now_utc())
        members = MembersStore(ledger.conn).upsert_many(demo_members())
        timezone = settings.get("timezone")
    print(f"demo catalog: {len(products)} products, {members} members")
    if args.days > 0:
        clock = SettableClock(datetime.now().astimezone())
        kiosk = bootstrap.build(data_dir, clock=clock, with_devices=False)
        try:
            count = generate_sales(
                kiosk.checkout,
                clock,
                products,
                days=args.days,
                per_day=args.per_day,
                timezone=timezone,
            )
        finally:
            kiosk.close()
        print(f"demo sales: {count} over {args.days} days")
    return 0


def _now_utc() -> str:
    return iso_utc(datetime.now(UTC))


# -- replay --------------------------------------------------------------------------------
def cmd_replay(data_dir: Path, args: argparse.Namespace) -> int:
    try:
        lines = args.script.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as err:
        raise UserError(f"cannot read {args.script}: {err}") from err
    clock = ReplayClock()
    kiosk = bootstrap.build(
        data_dir, hardware="simulated", mode="replay", clock=clock, with_devices=False
    )
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

    replayer = Replayer(
        kiosk.checkout,
        on_sale=on_sale,
        decode_keys=bootstrap.key_decoder(kiosk.settings),
        card_payment=bootstrap.card_payment(kiosk),
        set_time=clock.set,
        log=lambda msg: print(f"kiosk: {msg}", file=sys.stderr),
    )
    try:
        replayer.run(lines, str(args.script))
    except ReplayError as err:
        print(f"kiosk: replay stopped: {err}", file=sys.stderr)
        return EXIT_USAGE
    finally:
        for handle in (receipts, printer_out):
            if handle:
                handle.close()
        kiosk.close()
    return 0


# -- reports -------------------------------------------------------------------------------
def cmd_report(data_dir: Path, args: argparse.Namespace) -> int:
    with _store(data_dir) as (settings, ledger):
        today = business_date(datetime.now().astimezone(), settings.get("timezone"))
        if args.kind == "x" and args.date:
            raise UserError("an X report is always for today so far; use z --date for a day")
        day = args.date or today
        try:
            datetime.strptime(day, "%Y-%m-%d")
        except ValueError:
            raise UserError(f"--date must be YYYY-MM-DD, got {day!r}") from None
        report = reports.day_report(ledger.conn, day, settings.get("device_id"))
        report = {"kind": args.kind.upper(), "business_date": day, **report}
        if args.json:
            print_json(report)
        else:
            print(format_report(report, settings.get("language")))
        return 0


def format_report(report: dict[str, Any], lang: str) -> str:
    def money(value: int) -> str:
        return format_rupiah(value, lang)

    out = [f"{report['kind']} report  {report['business_date']}", ""]
    rows = [("Gross", report["gross"]), ("Discounts", -report["discounts"]),
            ("Returns", -report["returns"]), ("Net", report["net"])]  # fmt: skip
    out += [f"{name:<24}{money(value):>16}" for name, value in rows]
    out += ["", f"{'Transactions':<24}{report['transactions']:>16}",
            f"{'Average ticket':<24}{money(report['average_ticket']):>16}",
            f"{'Voids':<24}{report['voids']['count']:>16}", "", "Taxes"]  # fmt: skip
    for tax in report["taxes"]:
        out.append(
            f"  PPN {tax['rate_percent']}%  DPP {money(tax['dpp'])}  PPN {money(tax['ppn'])}"
        )
    out.append("Tenders")
    for tender in report["tenders"]:
        out.append(f"  {tender['method']:<10}{tender['count']:>6}  {money(tender['amount']):>16}")
    return "\n".join(out)


# -- journal -------------------------------------------------------------------------------
def cmd_journal(data_dir: Path, args: argparse.Namespace) -> int:
    with _store(data_dir) as (_, ledger):
        result = journal.verify(ledger.conn)
        if result.ok:
            print(f"journal ok: {result.records} records")
            return 0
        message = f"journal BROKEN at record {result.first_bad_seq}: {result.problem}"
        print(message, file=sys.stderr)
        if args.alert:
            detail = {"first_bad_seq": result.first_bad_seq, "records": result.records}
            ledger.raise_alert("journal_verify_failed", message[:500], _now_utc(),
                               severity="critical", detail=detail)  # fmt: skip
        return EXIT_FAIL


# -- stock ---------------------------------------------------------------------------------
def cmd_stock(data_dir: Path, args: argparse.Namespace) -> int:
    with _store(data_dir) as (_, ledger):
        if args.action == "adjust":
            if not args.sku or args.delta is None or not args.reason:
                raise UserError("usage: kiosk stock adjust SKU DELTA --reason REASON [--ref REF]")
            if catalog_store.get_product(ledger.conn, args.sku) is None:
                raise UserError(f"no product with SKU {args.sku!r}")
            levels = ledger.adjust_stock(
                [(args.sku, args.delta)], args.reason, args.ref, _now_utc()
            )
            print(f"{args.sku}\t{levels[args.sku]}")
        elif args.action == "snapshot":
            print(f"queued a stock snapshot of {ledger.stock_snapshot(_now_utc())} SKUs")
        elif args.sku:
            print(f"{args.sku}\t{stock.level(ledger.conn, args.sku)}")
        else:
            for sku, qty in sorted(stock.levels(ledger.conn).items()):
                print(f"{sku}\t{qty}")
        return 0


# -- devices -------------------------------------------------------------------------------
def cmd_devices(data_dir: Path, args: argparse.Namespace) -> int:
    settings = _settings(data_dir)
    hardware = bootstrap.hardware_choice(settings, args.hardware)
    devices = bootstrap.build_devices(settings, hardware)
    try:
        rows = bootstrap.device_report(devices)
    finally:
        devices.close()
        settings.close()
    if args.json:
        print_json({"hardware": hardware, "devices": rows})
    else:
        print(f"hardware: {hardware}")
        for row in rows:
            reason = f" ({row['reason']})" if row.get("reason") else ""
            print(f"  {row['kind']:<14}{row['name']:<16}{row['state']}{reason}")
    return 0


# -- run -----------------------------------------------------------------------------------
def cmd_run(data_dir: Path, args: argparse.Namespace) -> int:
    os.environ.setdefault("KIVY_NO_ARGS", "1")
    from kiosk.ui.app import device_events, run

    settings = _settings(data_dir)
    mode = args.mode or settings.get("mode")
    settings.close()
    # Device events (paper out, drawer left open) go to the UI's one hand-over queue.
    kiosk = bootstrap.build(
        data_dir, hardware=args.hardware, mode=mode, on_device_event=device_events
    )
    try:
        code: int = run(kiosk, mode=mode, exit_after_ready=args.exit_after_ready,
                        script=args.script, screenshots=args.screenshots,
                        started_at=STARTED_AT)  # fmt: skip
        return code
    finally:
        kiosk.close()


# -- telemetry -----------------------------------------------------------------------------
def cmd_sync(data_dir: Path, args: argparse.Namespace) -> int:
    from kiosk.telemetry.sync import sync_once

    settings = _settings(data_dir)
    try:
        sent = sync_once(bootstrap.ledger_path(data_dir), settings, version=__version__)
    except OSError as err:
        host, port = settings.get("broker.host"), settings.get("broker.port")
        print(f"kiosk: sync failed ({host}:{port}): {err}", file=sys.stderr)
        return EXIT_FAIL
    finally:
        settings.close()
    print(f"sent {sent} messages")
    return 0


def cmd_outbox(data_dir: Path, args: argparse.Namespace) -> int:
    from kiosk.telemetry.sync import outbox_summary

    print_json(outbox_summary(bootstrap.ledger_path(data_dir)))
    return 0
