"""A store's sales report for a day, a week (Monday to Sunday), a month or a range of
days: the page and its API. A longer period is the sum of its days, so it equals the
kiosks' own day reports added up (fleet/services/reports.py)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, Literal

import sqlalchemy as sa
from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import HTMLResponse

from fleet.services import analytics, reports
from fleet.services.users import Access
from fleet.web.auth import StoreApi, StorePage

Page = Callable[..., HTMLResponse]
Kind = Literal["day", "week", "month", "range"]
KINDS = ("day", "week", "month", "range")


def valid_date(text: str) -> str:
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        raise HTTPException(status_code=422, detail="date must be YYYY-MM-DD") from None


def add_report_routes(app: FastAPI, engine: sa.Engine, page: Page) -> None:
    def report(
        access: Access, store: str, start: str, end: str, device: str | None
    ) -> dict[str, Any]:
        with engine.connect() as conn:
            if start == end:
                return reports.day_report(conn, store, start, device, access=access)
            return reports.period_report(conn, store, start, end, device, access=access)

    @app.get("/api/stores/{store}/day/{business_date}", summary="A store's day report (Z)")
    def api_day(
        access: StoreApi, store: str, business_date: str, device: str | None = None
    ) -> dict[str, Any]:
        when = valid_date(business_date)
        return report(access, store, when, when, device)

    @app.get("/api/stores/{store}/report", summary="A store's report over business days")
    def api_period(
        access: StoreApi, store: str, start: str, end: str, device: str | None = None
    ) -> dict[str, Any]:
        """The day report's figures summed over ``start``..``end`` (at most 366 days)."""
        try:
            first, last = analytics.period(start, end)
        except ValueError as err:
            raise HTTPException(status_code=422, detail=str(err)) from None
        return report(access, store, first.isoformat(), last.isoformat(), device)

    @app.get("/stores/{store}/report", response_class=HTMLResponse, include_in_schema=False)
    def report_page(
        request: Request, access: StorePage, store: str, *, period: Kind = "day",
        date: str = "", start: str = "", end: str = "",
    ) -> HTMLResponse:  # fmt: skip
        when = date or _today()
        shown: dict[str, Any] = {"store": store, "when": when, "period": period,
                                 "kinds": KINDS, "start": start, "end": end}  # fmt: skip
        try:
            if period == "range":
                first, last = analytics.period(start, end)
            else:
                first, last = reports.days_of(period, _parse(when))
        except ValueError:
            return page(request, "report.html", report=None, bad=True, **shown)
        shown.update(start=first.isoformat(), end=last.isoformat())
        found = report(access, store, first.isoformat(), last.isoformat(), None)
        return page(request, "report.html", report=found, bad=False, **shown)


def _parse(text: str) -> date:
    return date.fromisoformat(text)


def _today() -> str:
    return date.today().isoformat()
