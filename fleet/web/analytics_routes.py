"""The analysis views of a store beyond the overview (fleet/services/analytics_*.py):
each as a JSON API (``/api/stores/{store}/analytics/{view}``), a page with its chart
drawn on the server (no script: a shop's browser may be offline from the internet), and
its table as CSV in the page's language (``.../{view}/csv``).
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress
from datetime import date, timedelta
from typing import Annotated, Any, Literal, get_args

import sqlalchemy as sa
from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.responses import HTMLResponse, Response

from fleet.services import analytics, analytics_people, analytics_products, analytics_time
from fleet.services.users import Access
from fleet.web.analytics_csv import csv_text
from fleet.web.auth import StoreApi, StorePage
from fleet.web.i18n import pick_lang

Page = Callable[..., HTMLResponse]
View = Literal["heatmap", "comparison", "abc", "stock", "pairs", "rfm", "loss"]
VIEWS: dict[str, Callable[..., dict[str, Any]]] = {
    "heatmap": analytics_time.heatmap,
    "comparison": analytics_time.comparison,
    "abc": analytics_products.abc,
    "stock": analytics_products.stock_cover,
    "pairs": analytics_products.bought_together,
    "rfm": analytics_people.rfm,
    "loss": analytics_people.loss_prevention,
}
VIEW_NAMES: tuple[str, ...] = get_args(View)
DEFAULT_DAYS = 28
EARLIEST_YEAR = 1900  # four whole weeks: every weekday four times


def default_period(start: str, end: str, today: date | None = None) -> tuple[str, str]:
    """The period asked, or the four weeks up to ``end`` (today when not given)."""
    end = end or (today or date.today()).isoformat()
    if not start:
        with suppress(ValueError):  # else the page says the period is not valid
            start = (date.fromisoformat(end) - timedelta(days=DEFAULT_DAYS - 1)).isoformat()
    return start, end


def asked_period(start: str = "", end: str = "") -> tuple[str, str]:
    return default_period(start, end)


AskedPeriod = Annotated[tuple[str, str], Depends(asked_period)]


def checked_period(start: str, end: str) -> tuple[date, date]:
    """The period's days; a 422 with the reason when they make none (or start so early
    that the period before it is off the calendar)."""
    try:
        first, last = analytics.period(start, end)
    except ValueError as err:
        raise HTTPException(status_code=422, detail=str(err)) from None
    if first.year < EARLIEST_YEAR:
        raise HTTPException(status_code=422, detail=f"a period starts in {EARLIEST_YEAR} or later")
    return first, last


def number_words(lang: str) -> dict[str, Callable[[str | None], str]]:
    """How a page shows the exact decimals of the services, as text in its language:
    ``num`` "1.25" -> "1,25" (id); ``percent`` "12.5" -> "12,5%"; ``pct`` a change,
    signed ("+12,5%"), or "–" when there was nothing to compare with."""

    def num(value: str | None) -> str:
        if value is None:
            return "–"
        return value.replace(".", ",") if lang == "id" else value

    def percent(value: str | None) -> str:
        return "–" if value is None else f"{num(value)}%"

    def pct(value: str | None) -> str:
        if value is None:
            return "–"
        sign = "+" if not value.startswith("-") and value.strip("0.") else ""
        return f"{sign}{percent(value)}"

    return {"num": num, "percent": percent, "pct": pct}


def add_analytics_routes(app: FastAPI, engine: sa.Engine, page: Page) -> None:
    def compute(access: Access, store: str, view: str, start: str, end: str) -> dict[str, Any]:
        first, last = checked_period(start, end)
        with engine.connect() as conn:
            return VIEWS[view](conn, store, first, last, access=access)

    @app.get("/api/stores/{store}/analytics/{view}", summary="One analysis of a store's period")
    def api_view(access: StoreApi, store: str, view: View, start: str, end: str) -> dict[str, Any]:
        return compute(access, store, view, start, end)

    @app.get("/stores/{store}/analytics/{view}/csv", include_in_schema=False)
    def csv_view(
        request: Request, access: StorePage, store: str, view: View, asked: AskedPeriod
    ) -> Response:
        start, end = asked
        lang = pick_lang(request.query_params.get("lang"), request.headers.get("accept-language"))
        data = compute(access, store, view, start, end)
        name = f"{store}-{view}-{start}-{end}.csv".replace('"', "")
        disposition = {"Content-Disposition": f'attachment; filename="{name}"'}
        text = csv_text(view, data, lang)
        return Response(text, media_type="text/csv; charset=utf-8", headers=disposition)

    @app.get("/stores/{store}/analytics/{view}", response_class=HTMLResponse,
             include_in_schema=False)  # fmt: skip
    def view_page(
        request: Request, access: StorePage, store: str, view: View, asked: AskedPeriod
    ) -> HTMLResponse:
        start, end = asked
        lang = pick_lang(request.query_params.get("lang"), request.headers.get("accept-language"))
        try:
            data: dict[str, Any] | None = compute(access, store, view, start, end)
        except HTTPException:
            data = None
        return page(request, f"analytics_{view}.html", store=store, view=view, start=start,
                    end=end, data=data, views=VIEW_NAMES, **number_words(lang))  # fmt: skip
