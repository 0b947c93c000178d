"""The owner's side of the online orders, behind the dashboard's sign-in: the store's
orders with their status, an order the kiosks have not received within the store's
``not_received_minutes`` flagged, and a cancel for it (the kiosks are told, so a late
delivery is not worked). ``GET /api/stores/{store}/orders`` is the same list as JSON."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, quote

import sqlalchemy as sa
from fastapi import FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse

from fleet.services import commands
from fleet.services.users import COMMANDING_ROLES, Access, AccessDenied
from fleet.shop import order_status, orders
from fleet.shop.orders import OrderError
from fleet.web.auth import StoreApi, StorePage, check_form_csrf
from fleet.web.shop_i18n import SHOP_TEXTS

Page = Callable[..., HTMLResponse]


def add_owner_order_routes(
    app: FastAPI, engine: sa.Engine, publish: commands.Publish | None, page: Page
) -> None:
    def listed(store: str) -> list[dict[str, Any]]:
        with engine.connect() as conn:
            return order_status.store_orders(conn, store, orders.now_utc())

    @app.get("/api/stores/{store}/orders", summary="A store's latest online orders")
    def api_orders(store: str, access: StoreApi) -> list[dict[str, Any]]:
        return listed(store)

    @app.get("/stores/{store}/orders", response_class=HTMLResponse, include_in_schema=False)
    def orders_page(request: Request, access: StorePage, store: str,
                    error: str = "") -> HTMLResponse:  # fmt: skip
        return page(request, "shop_owner_orders.html", store=store, orders=listed(store),
                    sw=SHOP_TEXTS, error=error if error in SHOP_TEXTS else "",
                    may_command=access.role in COMMANDING_ROLES)  # fmt: skip

    @app.post("/stores/{store}/orders/{order_id}/cancel", include_in_schema=False)
    async def cancel_form(request: Request, store: str, order_id: str,
                          access: StorePage) -> RedirectResponse:  # fmt: skip
        fields = parse_qs((await request.body()).decode("utf-8", "replace"))
        check_form_csrf(request, engine, fields)
        lang = quote(fields.get("lang", ["id"])[0])
        reason = fields.get("reason", [""])[0].strip()[:200] or "cancelled by the owner"
        error = ""
        try:
            await run_in_threadpool(_cancel, access, store, order_id, reason)
        except OrderError as err:
            error = err.code if err.code in SHOP_TEXTS else "refused"
        except AccessDenied:
            error = "refused"
        target = f"/stores/{quote(store, safe='')}/orders?lang={lang}"
        return RedirectResponse(target + (f"&error={error}" if error else ""), status_code=303)

    def _cancel(access: Access, store: str, order_id: str, reason: str) -> None:
        order_status.owner_cancel(engine, publish, store, order_id, reason=reason,
                                  now=orders.now_utc(), by=access)  # fmt: skip
