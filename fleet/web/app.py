"""The FastAPI app: pages for people (plain HTML, no JavaScript needed) and the JSON API
behind each page (``/api/...``, described at ``/openapi.json``).

Every page and API route needs a signed-in person (fleet/web/auth.py); a route about
one store also needs that store granted, and the kiosk list and its live events show
only granted stores.

Database work is synchronous SQLAlchemy; FastAPI runs plain ``def`` endpoints in its
thread pool, so a slow query never blocks the event loop serving ``/events``.
"""

from __future__ import annotations

from datetime import date, timedelta
from importlib import resources
from typing import Any

import sqlalchemy as sa
from fastapi import FastAPI, HTTPException, Query, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from fleet.services import analytics, commands, kiosks, ticker
from fleet.services.release_shelf import ReleaseShelf
from fleet.services.users import Access
from fleet.shop.payments import ShopAcquirer
from fleet.web import display
from fleet.web.analytics_routes import VIEW_NAMES, add_analytics_routes, checked_period
from fleet.web.auth import (
    ApiAccess,
    LoginLimiter,
    PageAccess,
    StoreApi,
    StorePage,
    add_auth,
)
from fleet.web.command_routes import add_command_routes
from fleet.web.i18n import TEXTS, pick_lang, translator
from fleet.web.live import EVENT_POLL_S, add_live_routes
from fleet.web.orders_api import add_order_routes
from fleet.web.receipt_routes import add_receipt_routes
from fleet.web.release_routes import add_release_routes
from fleet.web.report_routes import add_report_routes
from fleet.web.shop_image_routes import add_image_routes
from fleet.web.shop_owner_routes import add_owner_order_routes
from fleet.web.shop_routes import ShopWeb
from kiosk.domain.money import format_rupiah


def create_app(
    engine: sa.Engine,
    *,
    event_poll_s: float = EVENT_POLL_S,
    publish: commands.Publish | None = None,
    login_limiter: LoginLimiter | None = None,
    secure_cookies: bool = False,
    releases: ReleaseShelf | None = None,
    acquirer: ShopAcquirer | None = None,
) -> FastAPI:
    app = FastAPI(title="Pi POS fleet", version="1", docs_url="/api/docs", redoc_url=None)
    templates = Jinja2Templates(directory=str(resources.files("fleet.web") / "templates"))

    def kiosk_rows(access: Access, store: str | None = None) -> list[dict[str, Any]]:
        with engine.connect() as conn:
            return kiosks.kiosk_list(conn, store, access=access)

    def page(request: Request, name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
        lang = pick_lang(request.query_params.get("lang"), request.headers.get("accept-language"))
        other = "en" if lang == "id" else "id"
        session = getattr(request.state, "session", None)
        switched = request.url.include_query_params(lang=other)  # the same page, other language
        lang_link = f"{switched.path}?{switched.query}"
        if isinstance(context.get("store"), str) and "store_name" not in context:
            with engine.connect() as conn:  # a store page names its store as its owner does
                context["store_name"] = kiosks.store_name(conn, context["store"])
        return templates.TemplateResponse(
            request, name,
            {"t": translator(lang), "lang": lang, "other_lang": other, "known": TEXTS,
             "rp": lambda amount: format_rupiah(int(amount), lang),
             # a stored UTC stamp in the store's zone ("27 Nov 13.05 WIB"), never raw
             "local_time": lambda stamp, zone: display.local_time(str(stamp), zone, lang),
             "lang_link": lang_link, "me": session.access if session else None,
             "csrf": session.csrf if session else "", **context},
            status_code=status_code,
        )  # fmt: skip

    add_auth(app, engine, page, limiter=login_limiter, secure_cookies=secure_cookies)

    @app.get("/api/kiosks", summary="Every kiosk of the stores granted (or of one store)")
    def api_kiosks(access: ApiAccess, store: str | None = None) -> list[dict[str, Any]]:
        if store is not None:
            access.check_store(store)
        return kiosk_rows(access, store)

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def kiosk_page(request: Request, access: PageAccess) -> HTMLResponse:
        lang = pick_lang(request.query_params.get("lang"), request.headers.get("accept-language"))
        rows = [{**row, "shown": display.shown(row, lang)} for row in kiosk_rows(access)]
        with engine.connect() as conn:  # the ticker as it stands; its script follows it
            sales = [{**sale, "shown": display.sale_shown(sale, lang)}
                     for sale in ticker.latest_sales(conn, access=access)]  # fmt: skip
        return page(request, "kiosks.html", kiosks=rows, sales=sales)

    add_report_routes(app, engine, page)

    def figures(access: Access, store: str, start: str, end: str, top: int) -> dict[str, Any]:
        first, last = checked_period(start, end)
        with engine.connect() as conn:
            return analytics.store_analytics(conn, store, first, last, top=top, access=access)

    @app.get("/api/stores/{store}/analytics", summary="A store's analytics for a period")
    def api_analytics(
        access: StoreApi, store: str, start: str, end: str, top: int = Query(10, ge=1, le=100)
    ) -> dict[str, Any]:
        return figures(access, store, start, end, top)

    @app.get("/stores/{store}/analytics", response_class=HTMLResponse, include_in_schema=False)
    def analytics_page(
        request: Request, access: StorePage, store: str, start: str = "", end: str = ""
    ) -> HTMLResponse:
        end = end or _today()
        if not start and _is_date(end):  # a week up to ``end`` unless told otherwise
            start = (date.fromisoformat(end) - timedelta(days=6)).isoformat()
        shown: dict[str, Any] = {"store": store, "start": start, "end": end,
                                 "analysis_views": VIEW_NAMES}  # fmt: skip
        try:
            data = figures(access, store, start, end, 10)
        except HTTPException:
            return page(request, "analytics.html", data=None, **shown)
        return page(request, "analytics.html", data=data, **shown)

    add_analytics_routes(app, engine, page)
    add_command_routes(app, engine, publish, page)
    add_order_routes(app, engine, publish, acquirer)
    add_receipt_routes(app, engine, page)  # public: /r/{token}, the kiosk's e-receipt QR
    add_owner_order_routes(app, engine, publish, page, acquirer)
    add_image_routes(app, engine, page)
    ShopWeb(engine, publish, acquirer, templates).register(app)  # public: /shop/{store}
    if releases is not None:
        add_release_routes(app, engine, publish, releases)

    add_live_routes(app, engine, event_poll_s)

    return app


def _is_date(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _today() -> str:
    return date.today().isoformat()
