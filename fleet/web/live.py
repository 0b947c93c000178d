"""``/events``: the kiosk list as server-sent events, sent again whenever it changes.

Each poll looks the session up again, so a stream shows only the stores granted now and
ends when its person signs out or the session expires.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

import sqlalchemy as sa
from fastapi import FastAPI, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import StreamingResponse

from fleet.services import kiosks, users
from fleet.web.auth import COOKIE, ApiAccess

EVENT_POLL_S = 1.0  # how often /events looks at the kiosk list for a change


def add_live_routes(app: FastAPI, engine: sa.Engine, event_poll_s: float) -> None:
    def rows_for(token: str) -> list[dict[str, Any]] | None:
        """The kiosk rows the session may see, or None once it is gone."""
        with engine.connect() as conn:
            session = users.find_session(conn, token)
            return None if session is None else kiosks.kiosk_list(conn, access=session.access)

    @app.get("/events", summary="Server-sent events: the granted kiosks whenever they change")
    async def events(
        request: Request, access: ApiAccess, limit: int = Query(0, ge=0)
    ) -> StreamingResponse:
        token = request.cookies.get(COOKIE, "")

        async def stream() -> AsyncIterator[str]:
            sent, last = 0, ""
            yield "retry: 3000\n\n"
            while not await request.is_disconnected():
                rows = await run_in_threadpool(rows_for, token)
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
