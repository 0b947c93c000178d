"""Where the acquirers post their payment notifications (public: the acquirer has no
login; the signature is the check). A verified notification is relayed to the store's
kiosks as ``cmd/payment`` (to one kiosk when the URL names it) and recorded with the
other commands. Set the notification URL at the acquirer to
``{fleet}/api/payments/midtrans/{store}[/{device}]`` (Midtrans) or the SNAP base
``{fleet}/api/payments/snap/{store}[/{device}]`` (its ``/v1.0/qr/qr-mpm-notify``)."""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa
from fastapi import FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

from fleet.services import commands
from fleet.services.payment_relay import (
    NotificationRefused,
    RelayKeys,
    midtrans_payment,
    snap_payment,
)
from fleet.services.users import Access

SNAP_NOTIFY = "/v1.0/qr/qr-mpm-notify"
SNAP_OK = {"responseCode": "2005200", "responseMessage": "Successful"}


def _relay_as(store: str) -> Access:
    """The relay sends on the acquirer's word, for this one store only."""
    return Access(user="payment-relay", role="manager", stores=frozenset({store}))


def add_payment_routes(
    app: FastAPI, engine: sa.Engine, publish: commands.Publish | None, keys: RelayKeys
) -> None:
    def relay(store: str, device: str, body: dict[str, Any]) -> dict[str, Any]:
        if publish is None:
            raise commands.CommandError("no broker: start the fleet with --broker")
        return commands.send(engine, publish, "payment", body, store_id=store,
                             device_id=device, by=_relay_as(store))  # fmt: skip

    async def midtrans(request: Request, store: str, device: str) -> JSONResponse:
        raw = await request.body()
        try:
            body = midtrans_payment(json.loads(raw or b"null"), keys.midtrans_server_key)
        except (NotificationRefused, ValueError) as err:
            return JSONResponse({"status": "refused", "reason": str(err)}, status_code=403)
        if body is None:
            return JSONResponse({"status": "ignored"})
        try:  # 503: Midtrans sends it again (4 times), by when the broker may be back
            doc = await run_in_threadpool(relay, store, device, body)
        except commands.CommandError as err:
            return JSONResponse({"status": "not relayed", "reason": str(err)}, status_code=503)
        return JSONResponse({"status": "relayed", "command_id": doc["command_id"]})

    async def snap(request: Request, store: str, device: str) -> JSONResponse:
        raw = await request.body()
        headers = {k.lower(): v for k, v in request.headers.items()}
        try:
            body = snap_payment(raw, request.url.path, headers, keys.snap_public_key_pem)
        except NotificationRefused as err:
            refused = {"responseCode": "4015200", "responseMessage": f"Unauthorized. {err}"}
            return JSONResponse(refused, status_code=401)
        if body is not None:
            try:
                await run_in_threadpool(relay, store, device, body)
            except commands.CommandError as err:
                failed = {"responseCode": "5005201", "responseMessage": f"Not relayed. {err}"}
                return JSONResponse(failed, status_code=500)
        return JSONResponse(SNAP_OK)

    @app.post("/api/payments/midtrans/{store}", summary="Midtrans payment notification")
    async def midtrans_store(request: Request, store: str) -> JSONResponse:
        return await midtrans(request, store, commands.ALL)

    @app.post("/api/payments/midtrans/{store}/{device}", summary="... for one kiosk")
    async def midtrans_device(request: Request, store: str, device: str) -> JSONResponse:
        return await midtrans(request, store, device)

    @app.post("/api/payments/snap/{store}" + SNAP_NOTIFY, summary="SNAP QRIS MPM notify")
    async def snap_store(request: Request, store: str) -> JSONResponse:
        return await snap(request, store, commands.ALL)

    @app.post("/api/payments/snap/{store}/{device}" + SNAP_NOTIFY, summary="... one kiosk")
    async def snap_device(request: Request, store: str, device: str) -> JSONResponse:
        return await snap(request, store, device)
