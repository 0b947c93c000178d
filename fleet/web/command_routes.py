"""The commands page and API: send a price change or a lane lock to one kiosk or a whole
store, and see each kiosk's answer as ingest stores it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, quote

import sqlalchemy as sa
from fastapi import FastAPI, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import BaseModel, Field

from fleet.services import catalog, commands, kiosks
from fleet.services.users import COMMANDING_ROLES, Access
from fleet.web.auth import CsrfApi, StoreApi, StorePage, check_form_csrf
from fleet.web.i18n import pick_lang
from fleet.web.refusal_i18n import said

Page = Callable[..., HTMLResponse]


class CommandIn(BaseModel):
    """A command to send: ``device`` is one kiosk's id or ``all`` for the whole store."""

    name: str = Field(description="catalog, catalog_undo, prices, promotions, lock, unlock, ...")
    device: str = commands.ALL
    body: dict[str, Any] = Field(default_factory=dict)


def _price_form(fields: dict[str, list[str]]) -> tuple[str, str, dict[str, Any]]:
    """(device, name, body) from the commands page's form; ValueError says what is wrong."""
    get = {key: values[0].strip() for key, values in fields.items() if values}
    name, device = get.get("name", ""), get.get("device") or commands.ALL
    if name != "prices":
        return device, name, {}
    price = get.get("price", "")
    if not get.get("sku") or not price.isdigit():
        raise ValueError("bad_price")
    return device, name, {"prices": [{"sku": get["sku"], "price": int(price)}]}


# Sent from what the fleet holds for the store (fleet catalog import), as fleet push does.
STORED = {"catalog": catalog.catalog_body, "prices_all": catalog.prices_body,
          "promotions": catalog.promotions_body}  # fmt: skip


def _stored(engine: sa.Engine, store: str, name: str) -> tuple[str, dict[str, Any]]:
    """(command name, body) of the store's stored catalog, prices or promotions;
    ValueError("no_catalog") when the fleet holds none."""
    try:
        with engine.connect() as conn:
            body = STORED[name](conn, store)
    except catalog.NoCatalogError:
        raise ValueError("no_catalog") from None
    return ("prices" if name == "prices_all" else name), body


# The page reloads itself (unless someone is typing in it) while a command sent this
# recently still waits for a kiosk it went to: the results show as they arrive.
AWAIT = timedelta(minutes=2)


def awaiting(sent: list[dict[str, Any]], devices: list[str], now: datetime) -> bool:
    """A command sent within AWAIT that not every kiosk it went to has answered."""
    for command in sent:
        issued = datetime.fromisoformat(str(command["issued_at"]).replace("Z", "+00:00"))
        if now - issued > AWAIT:
            continue
        answered = {r["device_id"] for r in command["results"]}
        targets = set(devices) if command["device_id"] == "all" else {command["device_id"]}
        if not targets <= answered:
            return True
    return False


def _devices(engine: sa.Engine, store: str, access: Access) -> list[str]:
    with engine.connect() as conn:
        return [k["device_id"] for k in kiosks.kiosk_list(conn, store, access=access)]


def add_command_routes(
    app: FastAPI, engine: sa.Engine, publish: commands.Publish | None, page: Page
) -> None:
    def send(
        access: Access, store: str, device: str, name: str, body: dict[str, Any]
    ) -> dict[str, Any]:
        if publish is None:
            raise HTTPException(status_code=503, detail="no broker: start with --broker")
        try:
            return commands.send(engine, publish, name, body, store_id=store, device_id=device,
                                 by=access)  # fmt: skip
        except commands.CommandError as err:
            raise HTTPException(status_code=422, detail=str(err)) from None

    def recent(access: Access, store: str) -> list[dict[str, Any]]:
        with engine.connect() as conn:
            return commands.recent(conn, store, access=access)

    @app.get("/api/stores/{store}/commands", summary="A store's latest commands and results")
    def api_commands(store: str, access: StoreApi) -> list[dict[str, Any]]:
        return recent(access, store)

    @app.post("/api/stores/{store}/commands", status_code=202,
              summary="Send a command (needs the X-CSRF-Token header from /api/me)")  # fmt: skip
    def api_send(store: str, command: CommandIn, access: CsrfApi) -> dict[str, Any]:
        return send(access, store, command.device, command.name, command.body)

    @app.get("/stores/{store}/commands", response_class=HTMLResponse, include_in_schema=False)
    def commands_page(
        request: Request, access: StorePage, store: str, error: str = ""
    ) -> HTMLResponse:
        sent, devices = recent(access, store), _devices(engine, store, access)
        lang = pick_lang(request.query_params.get("lang"), request.headers.get("accept-language"))
        for command in sent:  # each kiosk's refusal in the page's words
            command["results"] = [{**r, "said": said(r, lang)} for r in command["results"]]
        with engine.connect() as conn:
            zone = kiosks.store_timezone(conn, store)
        return page(request, "commands.html", store=store, commands=sent, devices=devices,
                    zone=zone,
                    error=error, awaiting=awaiting(sent, devices, datetime.now(UTC)),
                    may_command=access.role in COMMANDING_ROLES,
                    can_send=publish is not None and access.role in COMMANDING_ROLES)  # fmt: skip

    @app.post("/stores/{store}/commands", include_in_schema=False)
    async def commands_form(request: Request, store: str,
                            access: StorePage) -> RedirectResponse:  # fmt: skip
        fields = parse_qs((await request.body()).decode("utf-8", "replace"))
        check_form_csrf(request, engine, fields)
        lang = fields.get("lang", ["id"])[0]
        error = ""
        try:
            device, name, body = _price_form(fields)
            if name in STORED:
                access.check_command(store)  # before reading what it would send
                name, body = await run_in_threadpool(_stored, engine, store, name)
            await run_in_threadpool(send, access, store, device, name, body)
        except ValueError as err:
            error = str(err)
        except HTTPException as err:
            error = "no_broker" if err.status_code == 503 else "refused"
        target = f"/stores/{quote(store, safe='')}/commands?lang={quote(lang)}"
        return RedirectResponse(target + (f"&error={error}" if error else ""), status_code=303)
