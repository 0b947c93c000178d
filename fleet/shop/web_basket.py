"""The web shop's basket: kept in the customer's browser (a cookie of sku -> quantity),
priced by the server on every page from the store's catalog and promotions. A cookie
someone edits can only change quantities, never a price."""

from __future__ import annotations

import base64
import json
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from pydantic import ValidationError

from fleet.shop import catalog, settings
from fleet.shop.api_models import OrderIn
from fleet.shop.pricing import price_lines

MAX_SKUS = 100
MAX_QTY = 99


def read(text: str | None) -> dict[str, int]:
    """The basket in a cookie; anything unreadable is an empty basket."""
    if not text:
        return {}
    try:
        raw = json.loads(base64.urlsafe_b64decode(text.encode("ascii") + b"==="))
    except (ValueError, UnicodeError):
        return {}
    if not isinstance(raw, dict):
        return {}
    basket: dict[str, int] = {}
    for sku, qty in list(raw.items())[:MAX_SKUS]:
        if isinstance(sku, str) and 0 < len(sku) <= 64 and isinstance(qty, int) and qty > 0:
            basket[sku] = min(qty, MAX_QTY)
    return basket


def write(basket: dict[str, int]) -> str:
    text = json.dumps(basket, separators=(",", ":"), sort_keys=True)
    return base64.urlsafe_b64encode(text.encode("utf-8")).decode("ascii").rstrip("=")


def change(basket: dict[str, int], sku: str, qty: int, *, add: bool) -> dict[str, int]:
    """``add`` puts ``qty`` more in; otherwise the quantity becomes ``qty`` (0 removes)."""
    fresh = dict(basket)
    wanted = (fresh.get(sku, 0) + qty) if add else qty
    if wanted <= 0:
        fresh.pop(sku, None)
    elif len(fresh) < MAX_SKUS or sku in fresh:
        fresh[sku] = min(wanted, MAX_QTY)
    return fresh


def priced(conn: sa.Connection, store_id: str, basket: dict[str, int],
           now: datetime) -> dict[str, Any]:  # fmt: skip
    """Lines at the store's prices and promotions (products no longer sold are left out
    and named), with each line's availability word."""
    known = {p.sku: p for p in catalog.products(conn, store_id, skus=list(basket))}
    wanted = [(sku, qty) for sku, qty in basket.items() if sku in known]
    shop = settings.load(conn, store_id)
    local = now.astimezone(ZoneInfo(shop["timezone"]))
    lines = price_lines(wanted, known, catalog.promotions(conn, store_id), local) if wanted else []
    left = catalog.available(conn, store_id, [sku for sku, _ in wanted])
    for line in lines:
        line["state"] = catalog.availability_word(left.get(line["sku"]), int(shop["few_left"]))
    return {"lines": lines, "subtotal": sum(line["amount"] for line in lines),
            "discount": sum(line["discount"] for line in lines),
            "gone": [sku for sku in basket if sku not in known]}  # fmt: skip


class FormError(ValueError):
    """A checkout form field to fix; ``code`` is a shop_i18n key."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def order_request(form: dict[str, str], basket: dict[str, int], shop: dict[str, Any],
                  now: datetime) -> OrderIn:  # fmt: skip
    """The checkout form and the basket as an order (channel web); FormError says what
    to fix. A pickup time ``HH:MM`` is today's in the store's time zone."""
    if not basket:
        raise FormError("basket_empty_error")
    name = form.get("name", "").strip()
    if not name:
        raise FormError("bad_name")
    phone = form.get("phone", "").replace(" ", "").replace("-", "")
    how = "delivery" if form.get("fulfilment") == "delivery" else "pickup"
    pickup_at = ""
    clock = form.get("pickup_time", "").strip()
    if how == "pickup" and clock:
        try:
            hour, minute = (int(x) for x in clock.split(":"))
            local = now.astimezone(ZoneInfo(shop["timezone"]))
            pickup_at = local.replace(hour=hour, minute=minute, second=0, microsecond=0).isoformat()
        except ValueError:
            raise FormError("bad_pickup_time") from None
    doc = {"order_id": form.get("ref", ""), "channel": "web",
           "customer": {"name": name[:100], "phone": phone},
           "lines": [{"sku": sku, "qty": qty} for sku, qty in basket.items()],
           "fulfilment": {"type": how, "address": form.get("address", "").strip()[:500],
                          "pickup_at": pickup_at}}  # fmt: skip
    try:
        return OrderIn.model_validate(doc)
    except ValidationError as err:
        places = {tuple(map(str, e["loc"][:2])) for e in err.errors()}
        raise FormError("bad_phone" if ("customer", "phone") in places else "bad_name") from None
