"""A sale's e-receipt as its customer sees it, from the sale document ingest stored.

The kiosk's QR code points at ``/r/{sale_id}`` (kiosk/domain/receipt_link.py); a kiosk's
sale id is a uuid4 in hex, 122 random bits, so the address itself is the secret and the
page needs no login. Only a token of that shape is looked up: a sale with a short or
sequential id (a test's, an import's) would be guessable and is never served.

What the page may show is chosen here, not in the template: lines, discounts, PPN,
tenders with a card's last four digits only (never the approval code, terminal or the
first six digits), the store's name and the local time. No member id.
"""

from __future__ import annotations

import json
import re
from typing import Any

import sqlalchemy as sa

from fleet.storage import schema
from fleet.storage.shop_schema import shop_settings

DEFAULT_TIMEZONE = "Asia/Jakarta"  # as the shop settings' default (fleet/shop/settings.py)
# A sale id as the kiosk makes it (kiosk.domain.record_ids: UUIDv7 hex; older sales uuid4
# hex): 74 or 122 random bits, so the link cannot be guessed from the time of a sale.
TOKEN = re.compile(r"[0-9a-f]{32}")


def masked_card(masked_pan: str) -> str:
    """``421234******1234`` -> ``•••• 1234``; "" when no four digits end it."""
    last = re.sub(r"\D", "", masked_pan[-4:])
    return f"•••• {last}" if len(last) == 4 else ""


def _tender(tender: dict[str, Any]) -> dict[str, Any]:
    method = str(tender.get("method", ""))
    given = tender.get("given")
    return {
        "method": method, "amount": int(tender.get("amount", 0)),
        "given": int(given) if method == "cash" and given is not None else None,
        "card": masked_card(str(tender.get("masked_pan", ""))) if method == "card" else "",
    }  # fmt: skip


def _line(line: dict[str, Any]) -> dict[str, Any]:
    weight = line.get("weight_g")
    return {
        "name": str(line.get("name", "")), "qty": int(line.get("qty", 1)),
        "weight_g": int(weight) if weight is not None else None,
        "unit_price": int(line.get("unit_price", 0)), "gross": int(line.get("gross", 0)),
        "discount": int(line.get("discount", 0)), "amount": int(line.get("amount", 0)),
        "tax_rate_percent": str(line.get("tax_rate_percent", "")),
    }  # fmt: skip


def _store(conn: sa.Connection, store_id: str) -> tuple[str, str]:
    """(name, time zone) from the store's shop settings; its id and WIB where unset."""
    body = conn.execute(
        sa.select(shop_settings.c.body).where(shop_settings.c.store_id == store_id)
    ).scalar()
    try:
        values = json.loads(body) if body else {}
    except ValueError:
        values = {}
    name, zone = values.get("name"), values.get("timezone")
    return (
        name if isinstance(name, str) and name else store_id,
        zone if isinstance(zone, str) and zone else DEFAULT_TIMEZONE,
    )


def find_receipt(conn: sa.Connection, token: str) -> dict[str, Any] | None:
    """The receipt of the sale whose id is ``token``; None for any other token."""
    if not TOKEN.fullmatch(token):
        return None
    s = schema.sales
    body = conn.execute(sa.select(s.c.body).where(s.c.sale_id == token).limit(1)).scalar()
    if body is None:
        return None
    doc = json.loads(body)
    store_name, zone = _store(conn, str(doc["store_id"]))
    lines = [_line(line) for line in doc.get("lines", [])]
    return {
        "store_name": store_name, "timezone": zone,
        "receipt_no": int(doc.get("receipt_no", 0)), "created_at": str(doc["created_at"]),
        "cashier": str(doc.get("cashier", "")), "lines": lines,
        "subtotal": sum(line["gross"] for line in lines),
        "discount_total": int(doc.get("discount_total", 0)), "total": int(doc["total"]),
        "cash_rounding": int(doc.get("cash_rounding", 0)),
        "payable": int(doc.get("payable") or doc["total"] + doc.get("cash_rounding", 0)),
        "change": int(doc.get("change", 0)),
        "taxes": [{"rate_percent": str(t["rate_percent"]), "dpp": int(t["dpp"]),
                   "ppn": int(t["ppn"])} for t in doc.get("taxes", []) if int(t["ppn"])],
        "tenders": [_tender(t) for t in doc.get("tenders", [])],
    }  # fmt: skip
