"""``/events``: the kiosk list as server-sent events, sent again whenever it changes.

With ``?lang=`` each row also carries ``shown``: its last-seen time in the store's zone and
its ages in words (fleet/web/display.py), so the page's script shows what the server
rendered. Each poll looks the session up again, so a stream shows only the stores granted now and
ends when its person signs out or the session expires.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any, Literal

import sqlalchemy as sa
from fastapi import FastAPI, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import StreamingResponse

from fleet.services import kiosks, users
from fleet.web import display
from fleet.web.auth import COOKIE, ApiAccess

EVENT_POLL_S = 1.0  # how often /events looks at the kiosk list for a change


def add_live_routes(app: FastAPI, engine: sa.Engine, event_poll_s: float) -> None:
    def rows_for(token: str, lang: str | None) -> list[dict[str, Any]] | None:
        """The kiosk rows the session may see (with their times and ages in words when a
        language is asked for), or None once the session is gone."""
        with engine.connect() as conn:
            session = users.find_session(conn, token)
            if session is None:
                return None
            rows = kiosks.kiosk_list(conn, access=session.access)
        if lang is None:
            return rows
        return [{**row, "shown": display.shown(row, lang)} for row in rows]

    @app.get("/events", summary="Server-sent events: the granted kiosks whenever they change")
    async def events(
        request: Request,
        access: ApiAccess,
        limit: int = Query(0, ge=0),
        lang: Literal["id", "en"] | None = Query(
            None, description="add each row's local time and ages in words (shown)"
        ),
    ) -> StreamingResponse:
        token = request.cookies.get(COOKIE, "")

        async def stream() -> AsyncIterator[str]:
            sent, last = 0, ""
            yield "retry: 3000\n\n"
            while not await request.is_disconnected():
                rows = await run_in_threadpool(rows_for, token, lang)
                if rows is None:
                    return  # signed out (or the session expired) since the stream opened
                text = json.dumps(rows, separators=(",", ":"))
                if text != last:
                    last, sent = text, sent + 1
                    yield f"event: kiosks\ndata: {text}\n\n"
                    if limit and sent >= limit:
                        return
                await asyncio.sleep(event_poll_s)

        headers = {"Cache-Control": "no-cache"}
        return StreamingResponse(stream(), media_type="text/event-stream", headers=headers)
