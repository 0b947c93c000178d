"""``/events``: the kiosk list as server-sent events, sent again whenever it changes;
``/events/sales``: the dashboard's sales ticker, likewise.

With ``?lang=`` each row also carries ``shown``: its last-seen time in the store's zone and
its ages in words (fleet/web/display.py), so the page's script shows what the server
rendered. Each poll looks the session up again, so a stream shows only the stores granted now and
ends when its person signs out or the session expires.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable
from typing import Any, Literal

import sqlalchemy as sa
from fastapi import FastAPI, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import StreamingResponse

from fleet.services import kiosks, ticker, users
from fleet.web import display
from fleet.web.auth import COOKIE, ApiAccess

EVENT_POLL_S = 1.0  # how often /events looks at the kiosk list for a change


Rows = Callable[[sa.Connection, users.Access], list[dict[str, Any]]]
Shown = Callable[[dict[str, Any], str], dict[str, str]]
LangQuery = Query(None, description="add each row's local time and amounts in words (shown)")


def add_live_routes(app: FastAPI, engine: sa.Engine, event_poll_s: float) -> None:
    def rows_for(token: str, lang: str | None, rows_of: Rows, shown: Shown) -> Any:
        """The rows the session may see (with what the page shows of each when a
        language is asked for), or None once the session is gone."""
        with engine.connect() as conn:
            session = users.find_session(conn, token)
            if session is None:
                return None
            rows = rows_of(conn, session.access)
        if lang is None:
            return rows
        return [{**row, "shown": shown(row, lang)} for row in rows]

    def streamed(
        request: Request, event: str, limit: int, lang: str | None, *, rows_of: Rows,
        shown: Shown,
    ) -> StreamingResponse:  # fmt: skip
        """``event`` with the rows each time they change, until the session ends."""
        token = request.cookies.get(COOKIE, "")

        async def stream() -> AsyncIterator[str]:
            sent, last = 0, ""
            yield "retry: 3000\n\n"
            while not await request.is_disconnected():
                rows = await run_in_threadpool(rows_for, token, lang, rows_of, shown)
                if rows is None:
                    return  # signed out (or the session expired) since the stream opened
                text = json.dumps(rows, separators=(",", ":"))
                if text != last:
                    last, sent = text, sent + 1
                    yield f"event: {event}\ndata: {text}\n\n"
                    if limit and sent >= limit:
                        return
                await asyncio.sleep(event_poll_s)

        headers = {"Cache-Control": "no-cache"}
        return StreamingResponse(stream(), media_type="text/event-stream", headers=headers)

    def kiosk_rows(conn: sa.Connection, access: users.Access) -> list[dict[str, Any]]:
        return kiosks.kiosk_list(conn, access=access)

    def sale_rows(conn: sa.Connection, access: users.Access) -> list[dict[str, Any]]:
        return ticker.latest_sales(conn, access=access)

    def add_stream(path: str, event: str, summary: str, rows_of: Rows, shown: Shown) -> None:
        @app.get(path, summary=summary, name=event)
        async def stream(
            request: Request, access: ApiAccess, limit: int = Query(0, ge=0),
            lang: Literal["id", "en"] | None = LangQuery,
        ) -> StreamingResponse:  # fmt: skip
            return streamed(request, event, limit, lang, rows_of=rows_of, shown=shown)

    add_stream("/events", "kiosks", "Server-sent events: the granted kiosks whenever they change",
               kiosk_rows, display.shown)  # fmt: skip
    add_stream("/events/sales", "sales", "Server-sent events: the latest sales as they arrive",
               sale_rows, display.sale_shown)  # fmt: skip

    @app.get("/api/sales/latest", summary="The latest sales of the granted stores")
    def api_latest_sales(access: ApiAccess) -> list[dict[str, Any]]:
        with engine.connect() as conn:
            return sale_rows(conn, access)
