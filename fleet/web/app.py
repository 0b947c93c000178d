"""The FastAPI app: pages for people (plain HTML, no JavaScript needed) and the JSON API
behind each page (``/api/...``, described at ``/openapi.json``).

Database work is synchronous SQLAlchemy; FastAPI runs plain ``def`` endpoints in its
thread pool, so a slow query never blocks the event loop serving ``/events``.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from datetime import date, timedelta
from importlib import resources
from typing import Any

import sqlalchemy as sa
from fastapi import FastAPI, HTTPException, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, StreamingResponse
from fastapi.templating import Jinja2Templates

from fleet.services import analytics, commands, kiosks, reports
from fleet.web.command_routes import add_command_routes
from fleet.web.i18n import TEXTS, pick_lang, translator
from kiosk.domain.money import format_rupiah

EVENT_POLL_S = 1.0  # how often /events looks at the kiosk list for a change


def _valid_date(text: str) -> str:
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        raise HTTPException(status_code=422, detail="date must be YYYY-MM-DD") from None


def create_app(
    engine: sa.Engine,
    *,
    event_poll_s: float = EVENT_POLL_S,
    publish: commands.Publish | None = None,
) -> FastAPI:
    app = FastAPI(title="Pi POS fleet", version="1", docs_url="/api/docs", redoc_url=None)
    templates = Jinja2Templates(directory=str(resources.files("fleet.web") / "templates"))

    def kiosk_rows(store: str | None = None) -> list[dict[str, Any]]:
        with engine.connect() as conn:
            return kiosks.kiosk_list(conn, store)

    def day(store: str, when: str, device: str | None) -> dict[str, Any]:
        with engine.connect() as conn:
            return reports.day_report(conn, store, when, device)

    def page(request: Request, name: str, **context: Any) -> HTMLResponse:
        lang = pick_lang(request.query_params.get("lang"), request.headers.get("accept-language"))
        other = "en" if lang == "id" else "id"
        return templates.TemplateResponse(
            request, name,
            {"t": translator(lang), "lang": lang, "other_lang": other, "known": TEXTS,
             "rp": lambda amount: format_rupiah(int(amount), lang), **context},
        )  # fmt: skip

    @app.get("/api/kiosks", summary="Every kiosk of every store (or of one store)")
    def api_kiosks(store: str | None = None) -> list[dict[str, Any]]:
        return kiosk_rows(store)

    @app.get("/api/stores/{store}/day/{business_date}", summary="A store's day report (Z)")
    def api_day(store: str, business_date: str, device: str | None = None) -> dict[str, Any]:
        return day(store, _valid_date(business_date), device)

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def kiosk_page(request: Request) -> HTMLResponse:
        return page(request, "kiosks.html", kiosks=kiosk_rows())

    @app.get("/stores/{store}/report", response_class=HTMLResponse, include_in_schema=False)
    def report_page(request: Request, store: str, date: str = "") -> HTMLResponse:
        when = date or _today()
        try:
            when = _valid_date(when)
        except HTTPException:
            return page(request, "report.html", store=store, when=when, report=None, bad=True)
        return page(request, "report.html", store=store, when=when, report=day(store, when, None),
                    bad=False)  # fmt: skip

    def figures(store: str, start: str, end: str, top: int) -> dict[str, Any]:
        try:
            first, last = analytics.period(start, end)
        except ValueError as err:
            raise HTTPException(status_code=422, detail=str(err)) from None
        with engine.connect() as conn:
            return analytics.store_analytics(conn, store, first, last, top=top)

    @app.get("/api/stores/{store}/analytics", summary="A store's analytics for a period")
    def api_analytics(
        store: str, start: str, end: str, top: int = Query(10, ge=1, le=100)
    ) -> dict[str, Any]:
        return figures(store, start, end, top)

    @app.get("/stores/{store}/analytics", response_class=HTMLResponse, include_in_schema=False)
    def analytics_page(
        request: Request, store: str, start: str = "", end: str = ""
    ) -> HTMLResponse:
        end = end or _today()
        if not start and _is_date(end):  # a week up to ``end`` unless told otherwise
            start = (date.fromisoformat(end) - timedelta(days=6)).isoformat()
        try:
            data = figures(store, start, end, 10)
        except HTTPException:
            return page(request, "analytics.html", store=store, start=start, end=end, data=None)
        return page(request, "analytics.html", store=store, start=start, end=end, data=data)

    add_command_routes(app, engine, publish, page)

    @app.get("/events", summary="Server-sent events: the kiosk list whenever it changes")
    async def events(request: Request, limit: int = Query(0, ge=0)) -> StreamingResponse:
        async def stream() -> AsyncIterator[str]:
            sent, last = 0, ""
            yield "retry: 3000\n\n"
            while not await request.is_disconnected():
                rows = await run_in_threadpool(kiosk_rows)
                text = json.dumps(rows, separators=(",", ":"))
                if text != last:
                    last, sent = text, sent + 1
                    yield f"event: kiosks\ndata: {text}\n\n"
                    if limit and sent >= limit:
                        return
                await asyncio.sleep(event_poll_s)

        return StreamingResponse(stream(), media_type="text/event-stream",
                                 headers={"Cache-Control": "no-cache"})  # fmt: skip

    return app


def _is_date(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _today() -> str:
    return date.today().isoformat()
