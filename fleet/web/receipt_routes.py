"""``/r/{token}``: a sale's e-receipt, the page the kiosk's QR code opens (no login).

The address is the secret (fleet/services/receipts.py), so the page keeps it: no
Referer leaves it (the WhatsApp link would otherwise carry it to wa.me), search engines
are told not to index it, and shared caches not to keep it. Any unknown token gets the
same 404 page, which says nothing of any sale.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import quote

import sqlalchemy as sa
from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse

from fleet.services import receipts
from fleet.web import display
from fleet.web.i18n import TEXTS, pick_lang

Page = Callable[..., HTMLResponse]
PRIVATE = {"Referrer-Policy": "no-referrer", "X-Robots-Tag": "noindex, nofollow",
           "Cache-Control": "private, no-store"}  # fmt: skip


def add_receipt_routes(app: FastAPI, engine: sa.Engine, page: Page) -> None:
    @app.get("/r/{token}", response_class=HTMLResponse, include_in_schema=False)
    def receipt_page(request: Request, token: str) -> HTMLResponse:
        lang = pick_lang(request.query_params.get("lang"), request.headers.get("accept-language"))
        with engine.connect() as conn:
            receipt = receipts.find_receipt(conn, token)
        if receipt is None:
            response = page(request, "receipt_missing.html", status_code=404)
        else:
            address = str(request.url.replace(query=""))
            intro = TEXTS["whatsapp_text"][lang].format(
                store=receipt["store_name"], number=receipt["receipt_no"]
            )
            response = page(
                request, "receipt.html", r=receipt,
                when=display.receipt_time(receipt["created_at"], receipt["timezone"], lang),
                weight=lambda grams: display.weight(grams, lang),
                whatsapp=f"https://wa.me/?text={quote(f'{intro} {address}', safe='')}",
            )  # fmt: skip
        response.headers.update(PRIVATE)
        return response
