"""What the till runs by, read from its settings: the checkout's configuration (tax,
rounding, amount limits, barcode rules), the hardware choice, the receipt layout, and the
catalog with its promotions from the ledger. Pure reading: nothing here opens a file.
"""

from __future__ import annotations

import os
from dataclasses import fields
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from kiosk.domain.books_report import ReportDocument, shift_document, z_document
from kiosk.domain.bounds import Limits
from kiosk.domain.catalog import Catalog
from kiosk.domain.pricing import TaxConfig
from kiosk.domain.promotions import Promotion, PromotionError, parse_promotion
from kiosk.domain.receipt import ReceiptDocument, build_receipt
from kiosk.domain.refund_slip import refund_document
from kiosk.domain.sale import CompletedSale
from kiosk.domain.variable_barcodes import DEFAULT_RULES, parse_rules
from kiosk.services.checkout import CheckoutConfig
from kiosk.storage import catalog_store
from kiosk.storage.ledger import SqliteLedger
from kiosk.storage.settings import Settings


def hardware_choice(settings: Settings, override: str | None = None) -> str:
    """``--hardware`` beats ``KIOSK_HARDWARE`` beats the ``hardware`` setting."""
    return override or os.environ.get("KIOSK_HARDWARE") or str(settings.get("hardware"))


def shop_limits(settings: Settings) -> Limits:
    """The ``limits.*`` amount settings as the domain's ``Limits``."""
    return Limits(**{f.name: settings.get(f"limits.{f.name}") for f in fields(Limits)})


def checkout_config(settings: Settings, mode: str | None = None) -> CheckoutConfig:
    rules = settings.get("barcodes.variable")
    return CheckoutConfig(
        store_id=settings.get("store_id"),
        device_id=settings.get("device_id"),
        timezone=settings.get("timezone"),
        tax=TaxConfig(rate_percent=settings.get("tax.rate_percent"), pkp=settings.get("tax.pkp")),
        cash_rounding_step=settings.get("cash.rounding_step"),
        variable_rules=tuple(parse_rules(rules)) if rules else DEFAULT_RULES,
        mode=mode or settings.get("mode"),
        limits=shop_limits(settings),
        max_qty=settings.get("limits.max_qty"),
        max_cancel_amount=settings.get("limits.max_cancel_amount"),
    )


def load_catalog(ledger: SqliteLedger) -> tuple[Catalog, list[Promotion]]:
    """The catalog and the active promotions. A stored promotion that no longer parses
    is skipped rather than stopping the till (it was validated when it arrived)."""
    promotions = []
    for body in catalog_store.list_promotions(ledger.conn).values():
        try:
            promotions.append(parse_promotion(body))
        except PromotionError:
            continue
    return Catalog(catalog_store.load_products(ledger.conn)), promotions


def receipt_for(
    sale: CompletedSale, settings: Settings, *, reprint: bool = False
) -> ReceiptDocument:
    """The receipt document of a sale, laid out with this device's settings."""
    zone = ZoneInfo(settings.get("timezone"))
    created = datetime.fromisoformat(sale.created_at.replace("Z", "+00:00"))
    offset = created.astimezone(zone).utcoffset()
    # The shop's own header (name, address, NPWP); the store id only when none is set.
    header = _lines(settings.get("receipt.header")) or [settings.get("store_id")]
    return build_receipt(
        sale,
        header=header,
        footer=_lines(settings.get("receipt.footer")),
        lang=settings.get("language"),
        reprint=reprint,
        utc_offset_minutes=int(offset.total_seconds() // 60) if offset else 0,
    )


def books_document(
    figures: dict[str, Any], kind: str, settings: Settings, now: datetime
) -> ReportDocument:
    """An X/Z (``kind`` "X" or "Z", figures of ``books.z_report``), shift report
    ("shift", figures of ``ShiftService.report``) or refund slip ("refund", the refund
    document with each line's name) with the shop's header and language."""
    header = _lines(settings.get("receipt.header")) or [settings.get("store_id")]
    lang = str(settings.get("language"))
    local = now.astimezone(ZoneInfo(settings.get("timezone")))
    printed = local.strftime("%Y-%m-%d %H:%M")
    offset = local.utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset else 0
    if kind == "refund":
        return refund_document(figures, header=header, lang=lang, printed_at=printed,
                               utc_offset_minutes=minutes)  # fmt: skip
    if kind == "shift":
        return shift_document(figures, header=header, lang=lang, printed_at=printed,
                              utc_offset_minutes=minutes)  # fmt: skip
    return z_document(figures, kind=kind, header=header, lang=lang, printed_at=printed,
                      utc_offset_minutes=minutes)  # fmt: skip


def _lines(text: str) -> list[str]:
    return [line for line in text.replace("\\n", "\n").splitlines() if line.strip()]
