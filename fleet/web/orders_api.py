"""The orders API for marketplace and delivery-app connectors (``/api/v1``): place an
order, read it back, read the store's availability. Each call carries a key of that
store (``Authorization: Bearer KEY``, made with ``fleet apikey add``); a key of another
store is refused before anything is read, a channel's key (``--channel``) reaches only
that channel's orders, and no key reaches the web shop's own orders. Refusals are
``{"code", "message", "skus"}``.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

import sqlalchemy as sa
from fastapi import Depends, FastAPI, Path, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from fleet.services import commands
from fleet.shop import catalog, keys, order_status, orders, payments, settings
from fleet.shop.api_models import AvailabilityItem, CancelIn, OrderIn, OrderOut, Problem
from fleet.shop.orders import OrderError
from fleet.shop.payments import ShopAcquirer
from fleet.storage.shop_schema import orders as orders_table
from kiosk.contract.messages import utc_now_iso

bearer = HTTPBearer(auto_error=False, description="a key of this store: fleet apikey add")
StorePath = Path(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$", description="the store's id")
PROBLEMS: dict[int | str, dict[str, Any]] = {
    status: {"model": Problem, "description": text}
    for status, text in (
        (401, "no key, or not a key of any store"),
        (
            403,
            "key_for_another_store, key_for_another_channel (a channel's key reaches only "
            "that channel's orders), not_placed_by_a_key (the web shop's own orders)",
        ),
        (404, "no such order at this store"),
        (
            409,
            "not_available, duplicate_order_id, store_closed, already_collected, "
            "not_picked_up, not_a_delivery",
        ),
        (422, "unknown_product, delivery_not_offered, address_missing, a malformed body"),
        (503, "the order is kept but could not reach the store: send it again"),
    )
}


def key_holder(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> keys.Holder:
    """Whose key the call carries (401 when none, or not a live key)."""
    if credentials is None:
        raise OrderError(401, "no_key", "send Authorization: Bearer KEY (fleet apikey add)")
    engine: sa.Engine = request.app.state.fleet_engine
    with engine.connect() as conn:
        holder = keys.holder_of(conn, credentials.credentials)
    if holder is None:
        raise OrderError(401, "bad_key", "this key is not (or no longer) a store's key")
    return holder


KeyOf = Annotated[keys.Holder, Depends(key_holder)]


def reaches(key: keys.Holder, row: Any) -> bool:
    """Whether ``key`` may read and change the order ``row`` of its store."""
    if key.channel:
        return bool(row.channel == key.channel)
    return "key_id" in json.loads(row.body)


def _problem(err: OrderError) -> JSONResponse:
    return JSONResponse(err.as_dict(), status_code=err.status)


def add_order_routes(
    app: FastAPI, engine: sa.Engine, publish: commands.Publish | None,
    acquirer: ShopAcquirer | None = None,
) -> None:  # fmt: skip
    app.state.fleet_engine = engine  # key_holder reads it (as the sign-in does)

    def authorised(store: str, holder: keys.Holder) -> None:
        if store != holder.store_id:
            raise OrderError(403, "key_for_another_store",
                             f"this key belongs to another store, not {store}")  # fmt: skip

    @app.exception_handler(OrderError)
    async def order_error(request: Request, err: OrderError) -> JSONResponse:
        return _problem(err)

    @app.post("/api/v1/stores/{store}/orders", response_model=OrderOut, status_code=201,
              responses={200: {"model": OrderOut, "description": "a repeat of a placed order"},
                         **PROBLEMS},
              summary="Place an order (idempotent by the caller's order_id)")  # fmt: skip
    async def place_order(order: OrderIn, key: KeyOf, store: str = StorePath) -> Any:
        authorised(store, key)
        if key.channel and order.channel != key.channel:
            raise OrderError(403, "key_for_another_channel", f"this key is for {key.channel} "
                             f"orders: it cannot place a {order.channel} order")  # fmt: skip
        placed = await run_in_threadpool(
            orders.place, engine, publish, store, order, now=orders.now_utc(), key_id=key.key_id
        )
        return JSONResponse(placed, status_code=200 if placed["duplicate"] else 201)

    def found(store: str, order_id: str, key: keys.Holder) -> Any:
        """The order by the fleet's or the caller's id, among those the key may reach (a
        channel's key: that channel's; a key of the whole store: those placed through a
        key, never the web shop's own); 403 when only others match."""
        o = orders_table
        with engine.connect() as conn:
            rows = conn.execute(sa.select(o).where(
                o.c.store_id == store,
                sa.or_(o.c.order_id == order_id, o.c.external_id == order_id),
            ).order_by(o.c.created_at.desc())).all()  # fmt: skip
        if not rows:
            raise OrderError(404, "unknown_order", f"no order {order_id} at this store")
        for row in rows:
            if reaches(key, row):
                return row
        if key.channel:
            raise OrderError(403, "key_for_another_channel", f"this key is for {key.channel} "
                             f"orders: order {order_id} is a {rows[0].channel} order")  # fmt: skip
        raise OrderError(403, "not_placed_by_a_key", f"order {order_id} was placed in the "
                         "store's web shop: only the store changes it")  # fmt: skip

    @app.get("/api/v1/stores/{store}/orders/{order_id}", response_model=OrderOut,
             responses=PROBLEMS, summary="An order, by the fleet's or the caller's id")  # fmt: skip
    def get_order(order_id: str, key: KeyOf, store: str = StorePath) -> Any:
        authorised(store, key)
        return orders.answer(found(store, order_id, key), duplicate=False)

    @app.post("/api/v1/stores/{store}/orders/{order_id}/cancel", response_model=OrderOut,
              responses=PROBLEMS, summary="The channel cancels an order (not once collected); "
              "a prepaid one is refunded once")  # fmt: skip
    def cancel_order(
        order_id: str, cancel: CancelIn, key: KeyOf, store: str = StorePath,
    ) -> Any:  # fmt: skip
        authorised(store, key)
        row = found(store, order_id, key)
        row = order_status.cancel(
            engine, publish, store, row.order_id, reason=cancel.reason, now=orders.now_utc(),
            by=orders.shop_access(store, row.channel), allowed=order_status.OPEN,
            who=row.channel,
        )  # fmt: skip
        if acquirer is not None and row.prepaid:  # before the refund loop comes round
            payments.refund_cancelled(engine, acquirer, utc_now_iso())
            row = found(store, row.order_id, key)
        return orders.answer(row, duplicate=False)

    @app.post("/api/v1/stores/{store}/orders/{order_id}/delivered", response_model=OrderOut,
              responses=PROBLEMS,
              summary="The rider handed a delivery order to the customer")  # fmt: skip
    def delivered(order_id: str, key: KeyOf, store: str = StorePath) -> Any:
        authorised(store, key)
        row = found(store, order_id, key)
        row = order_status.mark_delivered(engine, publish, store, row.order_id,
                                          now=orders.now_utc(),
                                          by=orders.shop_access(store, row.channel),
                                          who=row.channel)  # fmt: skip
        return orders.answer(row, duplicate=False)

    @app.get("/api/v1/stores/{store}/availability", response_model=list[AvailabilityItem],
             responses=PROBLEMS, summary="What the store can sell now, per product")  # fmt: skip
    def availability(key: KeyOf, store: str = StorePath) -> Any:
        authorised(store, key)
        with engine.connect() as conn:
            few = int(settings.load(conn, store)["few_left"])
            left = catalog.available(conn, store)
            return [
                {"sku": p.sku, "name": p.name, "price": p.price, "available": left.get(p.sku),
                 "state": catalog.availability_word(left.get(p.sku), few)}
                for p in catalog.products(conn, store)
            ]  # fmt: skip
