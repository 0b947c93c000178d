"""The owner's side of the online orders, behind the dashboard's sign-in: the store's
orders with their status, an order the kiosks have not received within the store's
``not_received_minutes`` flagged, and a cancel for it (the kiosks are told, so a late
delivery is not worked), and for a refund stuck "being refunded" a button that has the
acquirer asked (``fleet.shop.refund_checks``). ``GET /api/stores/{store}/orders`` is the
same list as JSON."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, quote

import sqlalchemy as sa
from fastapi import FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse

from fleet.services import commands, kiosks
from fleet.services.users import COMMANDING_ROLES, Access, AccessDenied
from fleet.shop import order_status, orders
from fleet.shop.orders import OrderError
from fleet.shop.payments import ShopAcquirer
from fleet.shop.refund_checks import check_refund
from fleet.web.auth import StoreApi, StorePage, check_form_csrf
from fleet.web.shop_i18n import SHOP_TEXTS
from kiosk.contract.messages import utc_now_iso

Page = Callable[..., HTMLResponse]


def add_owner_order_routes(
    app: FastAPI, engine: sa.Engine, publish: commands.Publish | None, page: Page,
    acquirer: ShopAcquirer | None = None,
) -> None:  # fmt: skip
    def listed(store: str) -> list[dict[str, Any]]:
        with engine.connect() as conn:
            return order_status.store_orders(conn, store, orders.now_utc())

    @app.get("/api/stores/{store}/orders", summary="A store's latest online orders")
    def api_orders(store: str, access: StoreApi) -> list[dict[str, Any]]:
        return listed(store)

    @app.get("/stores/{store}/orders", response_class=HTMLResponse, include_in_schema=False)
    def orders_page(request: Request, access: StorePage, store: str,
                    error: str = "", checked: str = "") -> HTMLResponse:  # fmt: skip
        checked = f"checked_{checked}" if f"checked_{checked}" in SHOP_TEXTS else ""
        with engine.connect() as conn:
            zone = kiosks.store_timezone(conn, store)
        return page(request, "shop_owner_orders.html", store=store, orders=listed(store),
                    zone=zone,
                    sw=SHOP_TEXTS, error=error if error in SHOP_TEXTS else "",
                    checked=checked, may_command=access.role in COMMANDING_ROLES)  # fmt: skip

    @app.post("/stores/{store}/orders/{order_id}/cancel", include_in_schema=False)
    async def cancel_form(request: Request, store: str, order_id: str,
                          access: StorePage) -> RedirectResponse:  # fmt: skip
        fields, lang = await posted(request)
        reason = fields.get("reason", [""])[0].strip()[:200] or "cancelled by the owner"
        error = ""
        try:
            await run_in_threadpool(_cancel, access, store, order_id, reason)
        except OrderError as err:
            error = err.code if err.code in SHOP_TEXTS else "refused"
        except AccessDenied:
            error = "refused"
        return back(store, lang, f"error={error}" if error else "")

    @app.post("/stores/{store}/orders/{order_id}/refund-check", include_in_schema=False)
    async def refund_check_form(request: Request, store: str, order_id: str,
                                access: StorePage) -> RedirectResponse:  # fmt: skip
        _, lang = await posted(request)
        said = "error="
        try:
            outcome = await run_in_threadpool(
                check_refund, engine, acquirer, store, order_id, by=access, now=utc_now_iso()
            )
            said = f"checked={outcome}"
        except OrderError as err:
            said += err.code if err.code in SHOP_TEXTS else "refused"
        except AccessDenied:
            said += "not_allowed"
        return back(store, lang, said)

    async def posted(request: Request) -> tuple[dict[str, list[str]], str]:
        """A posted form's fields (its CSRF token checked) and the page's language."""
        fields = parse_qs((await request.body()).decode("utf-8", "replace"))
        check_form_csrf(request, engine, fields)
        return fields, quote(fields.get("lang", ["id"])[0])

    def back(store: str, lang: str, said: str) -> RedirectResponse:
        target = f"/stores/{quote(store, safe='')}/orders?lang={lang}"
        return RedirectResponse(target + (f"&{said}" if said else ""), status_code=303)

    def _cancel(access: Access, store: str, order_id: str, reason: str) -> None:
        order_status.owner_cancel(engine, publish, store, order_id, reason=reason,
                                  now=orders.now_utc(), by=access)  # fmt: skip
