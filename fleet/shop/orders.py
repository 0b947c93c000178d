"""Placing an online order: checked against the store's shop settings, catalog and
availability, priced by the server, stored, then sent to the store's kiosks as a
store-wide ``cmd/order``.

Idempotent by the caller's order id (per store and channel): the same request again
gets the same answer (``duplicate: true``) and, if the order never reached the broker,
sends it now; another request under a used id is refused. Every refusal is an
``OrderError`` with an HTTP status, a code and a message that names what to fix;
nothing is stored for a refused order.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import uuid
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from fleet.services import commands
from fleet.services.users import Access
from fleet.shop import catalog, settings
from fleet.shop.api_models import OrderIn
from fleet.shop.pricing import price_lines
from fleet.storage.shop_schema import orders
from kiosk.contract.messages import utc_now_iso
from kiosk.domain.sale import iso_utc


class OrderError(Exception):
    def __init__(self, status: int, code: str, message: str, skus: list[str] | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.skus = status, code, message, skus or []

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, "skus": self.skus}


def order_url(store_id: str, token: str) -> str:
    return f"/shop/{store_id}/orders/{token}"


def _request_hash(request: OrderIn) -> str:
    """What makes two requests the same order: everything but the ignored prices."""
    doc = request.model_dump(exclude={"total"})
    for line in doc["lines"]:
        line.pop("price", None)
        line.pop("unit_price", None)
    text = json.dumps(doc, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _wanted(request: OrderIn) -> list[tuple[str, int]]:
    """(sku, qty) with a sku named twice added up, in the order first named."""
    qty: dict[str, int] = {}
    for line in request.lines:
        qty[line.sku] = qty.get(line.sku, 0) + line.qty
    return list(qty.items())


def _warnings(request: OrderIn, lines: list[dict[str, Any]], total: int) -> list[str]:
    price_of = {line["sku"]: line["unit_price"] for line in lines}
    said = []
    for index, line in enumerate(request.lines):
        for field in ("price", "unit_price"):
            value = getattr(line, field)
            if value is not None and value != price_of[line.sku]:
                said.append(f"lines[{index}].{field}: {value} ignored; the store's price is "
                            f"{price_of[line.sku]}")  # fmt: skip
    if request.total is not None and request.total != total:
        said.append(f"total: {request.total} ignored; the order's total is {total}")
    return said


def _check_fulfilment(request: OrderIn, shop: dict[str, Any]) -> tuple[dict[str, Any], int]:
    how = request.fulfilment_parts()
    if how.type == "delivery":
        if not shop["delivery"]:
            raise OrderError(422, "delivery_not_offered", "this store does not deliver")
        if not how.address.strip():
            raise OrderError(422, "address_missing", "a delivery needs an address")
        fee = int(shop["delivery_fee"])
    else:
        if not shop["pickup"]:
            raise OrderError(422, "pickup_not_offered", "this store only delivers")
        fee = 0
    if how.pickup_at:
        try:
            datetime.fromisoformat(how.pickup_at)
        except ValueError:
            raise OrderError(422, "bad_pickup_time", "pickup_at must be ISO 8601") from None
    doc = {"kind": how.type, "address": how.address.strip(), "pickup_at": how.pickup_at,
           "fee": fee}  # fmt: skip
    return doc, fee


def _priced(
    conn: sa.Connection, store_id: str, request: OrderIn, now: datetime
) -> list[dict[str, Any]]:
    wanted = _wanted(request)
    skus = [sku for sku, _ in wanted]
    known = {p.sku: p for p in catalog.products(conn, store_id, skus=skus)}
    unknown = [sku for sku in skus if sku not in known]
    if unknown:
        raise OrderError(422, "unknown_product",
                         f"not sold by this store: {', '.join(unknown)}", unknown)  # fmt: skip
    left = catalog.available(conn, store_id, skus)
    short = [sku for sku, qty in wanted if sku in left and qty > left[sku]]
    if short:
        said = ", ".join(f"{sku} ({left[sku]} left)" for sku in short)
        raise OrderError(409, "not_available", f"not enough available: {said}", short)
    return price_lines(wanted, known, catalog.promotions(conn, store_id), now)


def _existing(conn: sa.Connection, store_id: str, request: OrderIn) -> Any:
    o = orders
    return conn.execute(sa.select(o).where(
        o.c.store_id == store_id, o.c.channel == request.channel,
        o.c.external_id == request.order_id,
    )).first()  # fmt: skip


def answer(row: Any, *, duplicate: bool, warnings: list[str] | None = None) -> dict[str, Any]:
    body = json.loads(row.body)
    refund = (body.get("payment") or {}).get("refund") or {}
    return {"order_id": row.order_id, "external_id": row.external_id, "channel": row.channel,
            "status": row.status, "lines": body["lines"],
            "delivery_fee": body["fulfilment"]["fee"], "total": int(row.total),
            "prepaid": bool(row.prepaid), "short": bool(row.short),
            "order_url": order_url(row.store_id, row.token),
            "warnings": warnings or [], "duplicate": duplicate,
            "refunded": int(refund.get("amount", 0)) if refund.get("state") != "calling" else 0,
            }  # fmt: skip


def _create(
    conn: sa.Connection,
    store_id: str,
    request: OrderIn,
    *,
    digest: str,
    now: datetime,
    status: str,
    key_id: str = "",
) -> tuple[Any, list[str], bool]:
    """(row, warnings, created): a new order, or the row a concurrent request stored."""
    shop = settings.load(conn, store_id)
    if not settings.is_open(shop, now):
        raise OrderError(409, "store_closed", "the store is closed and takes no orders now")
    fulfilment, fee = _check_fulfilment(request, shop)
    lines = _priced(conn, store_id, request, now)
    total = sum(line["amount"] for line in lines) + fee
    order_id = uuid.uuid4().hex
    body = {"customer": request.customer.model_dump(), "lines": lines,
            "fulfilment": fulfilment, "payment_reference": request.payment_reference,
            "history": [{"status": status, "at": iso_utc(now)}]}  # fmt: skip
    if key_id:  # placed through the orders API: only keys may change it (orders_api)
        body["key_id"] = key_id
    try:
        with conn.begin_nested():
            conn.execute(sa.insert(orders).values(
                order_id=order_id, store_id=store_id, channel=request.channel,
                external_id=request.order_id, request_hash=digest,
                token=secrets.token_urlsafe(24), status=status, status_at=iso_utc(now),
                prepaid=request.prepaid, total=total, created_at=iso_utc(now),
                body=json.dumps(body, sort_keys=True),
            ))  # fmt: skip
    except sa.exc.IntegrityError:  # the same id, placed by a concurrent request
        return _existing(conn, store_id, request), [], False
    row = conn.execute(sa.select(orders).where(orders.c.order_id == order_id)).one()
    return row, _warnings(request, lines, total), True


def place(
    engine: sa.Engine, publish: commands.Publish | None, store_id: str, request: OrderIn,
    *, now: datetime, status: str = "placed", key_id: str = "",
) -> dict[str, Any]:  # fmt: skip
    """Place ``request`` for ``store_id`` (or answer its repeat); OrderError refuses it.
    ``status="awaiting_payment"`` keeps a web order from the kiosks until it is paid."""
    digest = _request_hash(request)
    warnings: list[str] = []
    created = False
    with engine.begin() as conn:
        row = _existing(conn, store_id, request)
        if row is None:
            row, warnings, created = _create(conn, store_id, request, digest=digest, now=now,
                                             status=status, key_id=key_id)  # fmt: skip
        if row.request_hash != digest:
            raise OrderError(409, "duplicate_order_id",
                             f"order id {request.order_id} was used for another order")  # fmt: skip
    if not row.sent and row.status == "placed":
        row = send(engine, publish, row.order_id)
    return answer(row, duplicate=not created, warnings=warnings)


def command_body(row: Any) -> dict[str, Any]:
    body = json.loads(row.body)
    return {"action": "place", "order_id": row.order_id, "channel": row.channel,
            "external_id": row.external_id, "customer": body["customer"],
            "lines": body["lines"], "fulfilment": body["fulfilment"], "total": int(row.total),
            "prepaid": bool(row.prepaid), "payment_reference": body["payment_reference"],
            "placed_at": row.created_at}  # fmt: skip


def shop_access(store_id: str, channel: str) -> Access:
    """Who sends an order to the kiosks: the shop (or a connector's key) of that store only."""
    return Access(user=f"shop:{channel}", role="manager", stores=frozenset({store_id}))


def send(engine: sa.Engine, publish: commands.Publish | None, order_id: str) -> Any:
    """Publish an order to its store's kiosks (store-wide); its row afterwards.
    Without a broker the order is kept unsent and OrderError asks for a retry."""
    with engine.connect() as conn:
        row = conn.execute(sa.select(orders).where(orders.c.order_id == order_id)).one()
    if publish is None:
        raise OrderError(503, "no_broker", "the order is kept but cannot reach the store "
                         "now; send the same request again later")  # fmt: skip
    try:
        by = shop_access(row.store_id, row.channel)
        commands.send(engine, publish, "order", command_body(row), store_id=row.store_id,
                      device_id=commands.ALL, by=by)  # fmt: skip
    except commands.CommandError as err:
        raise OrderError(503, "broker_unavailable", f"the order is kept but {err}; send the "
                         "same request again later") from None  # fmt: skip
    with engine.begin() as conn:
        conn.execute(sa.update(orders).where(orders.c.order_id == order_id).values(sent=True))
        return conn.execute(sa.select(orders).where(orders.c.order_id == order_id)).one()


def now_utc() -> datetime:
    return datetime.fromisoformat(utc_now_iso())
