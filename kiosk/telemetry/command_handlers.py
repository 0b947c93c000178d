"""Built-in command handlers: parse the body, call the service that makes the change
(kiosk.services: catalog, prices, promotions, settings, the catalog undo), and return the
result's detail. Each runs inside the command's SQLite transaction (see
kiosk.telemetry.commands), so a refusal anywhere in a batch changes nothing; the
services journal the change with the command id as who made it.

``on_change(name)`` runs after the commit so the app can reload what it keeps in memory
(the till's Catalog, the promotion engine, settings-driven screens).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, Protocol, runtime_checkable

from kiosk.contract.messages import utc_now_iso
from kiosk.domain.bounds import DEFAULT_LIMITS
from kiosk.domain.catalog import CatalogError, Product
from kiosk.ports import SystemClock
from kiosk.services.catalog_admin import CatalogAdmin
from kiosk.services.settings_admin import SettingsAdmin
from kiosk.services.settings_admin import SettingsStore as AdminSettingsStore
from kiosk.storage.unit_of_work import SqliteUnitOfWork
from kiosk.telemetry.command_types import CommandContext, CommandHandler, CommandRejectedError
from kiosk.telemetry.order_commands import order_handler
from kiosk.telemetry.points_commands import points_handler

ChangeListener = Callable[[str], None]
DEFAULT_MAX_REMOVAL_PERCENT = 50
DEFAULT_MAX_PRICE = DEFAULT_LIMITS.max_price


@runtime_checkable
class SettingsStore(AdminSettingsStore, Protocol):
    """The device's settings as the commands use them (kiosk.storage.settings.Settings)."""

    def get(self, key: str) -> Any: ...


def _uow(conn: sqlite3.Connection, context: CommandContext) -> SqliteUnitOfWork:
    return SqliteUnitOfWork.over(conn, context.store_id, context.device_id)


def _product(doc: dict[str, Any]) -> Product:
    fields = dict(doc)
    fields.pop("image", None)  # the web shop's picture: nothing the till shows
    fields["barcodes"] = tuple(fields.get("barcodes", ()))
    return Product(**fields)


def _products(docs: list[dict[str, Any]]) -> list[Product]:
    """The command's products; a SKU listed twice or a product the domain refuses
    refuses the command, naming the SKU."""
    products: list[Product] = []
    seen: set[str] = set()
    for doc in docs:
        sku = doc["sku"]
        if sku in seen:
            raise CommandRejectedError.of(
                "catalog.sku_twice", message=f"product {sku} appears twice", sku=sku
            )
        seen.add(sku)
        try:
            products.append(_product(doc))
        except CatalogError as err:
            raise CommandRejectedError.of("catalog.bad_product", message=str(err),
                                          sku=sku) from None  # fmt: skip
    return products


@contextmanager
def _known_skus() -> Iterator[None]:
    """A change naming SKUs this kiosk does not have: refused, naming them."""
    try:
        yield
    except CatalogError as err:
        if not err.skus:
            raise
        named = ", ".join(err.skus[:10]) + (", ..." if len(err.skus) > 10 else "")
        raise CommandRejectedError.of("catalog.unknown_sku", message=str(err), skus=named,
                                      count=len(err.skus)) from None  # fmt: skip


def catalog_handler(
    on_change: ChangeListener | None = None, settings: SettingsStore | None = None
) -> CommandHandler:
    """``cmd/catalog``: a snapshot (the whole catalog) or a delta (upserts + removals);
    more than ``catalog.max_removal_percent`` of the products taken off sale only with
    ``allow_mass_removal: true``."""

    def apply(conn: sqlite3.Connection, body: dict[str, Any], context: CommandContext) -> Any:
        limit = (settings.get("catalog.max_removal_percent") if settings is not None
                 else DEFAULT_MAX_REMOVAL_PERCENT)  # fmt: skip
        admin = CatalogAdmin(_uow(conn, context), SystemClock(), max_removal_percent=limit,
                             max_price=_max_price(settings))  # fmt: skip
        products = _products(body["products"])
        remove = list(body.get("remove", []))
        allow = bool(body.get("allow_mass_removal", False))
        if body["mode"] == "snapshot" and remove:
            raise CommandRejectedError.of("change.remove_in_snapshot")
        with _known_skus():
            if body["mode"] == "snapshot":
                change = admin.snapshot(products, by=context.by, allow_mass_removal=allow)
            else:
                change = admin.delta(products, remove, by=context.by, allow_mass_removal=allow)
        return change.to_dict()

    return CommandHandler(apply, _notify(on_change, "catalog"))


def catalog_undo_handler(on_change: ChangeListener | None = None) -> CommandHandler:
    """``cmd/catalog_undo``: the catalog as it was before the last change."""

    def apply(conn: sqlite3.Connection, body: dict[str, Any], context: CommandContext) -> Any:
        return CatalogAdmin(_uow(conn, context), SystemClock()).undo(by=context.by)

    return CommandHandler(apply, _notify(on_change, "catalog"))


def _max_price(settings: SettingsStore | None) -> int:
    """The shop's ``limits.max_price`` (the default one without settings)."""
    return int(settings.get("limits.max_price")) if settings is not None else DEFAULT_MAX_PRICE


def prices_handler(
    on_change: ChangeListener | None = None, settings: SettingsStore | None = None
) -> CommandHandler:
    def apply(conn: sqlite3.Connection, body: dict[str, Any], context: CommandContext) -> Any:
        prices: dict[str, int] = {}
        for entry in body["prices"]:
            if entry["sku"] in prices:
                twice = f"sku {entry['sku']} appears twice in prices"
                raise CommandRejectedError.of("catalog.sku_twice", sku=entry["sku"], message=twice)
            prices[entry["sku"]] = entry["price"]
        admin = CatalogAdmin(_uow(conn, context), SystemClock(), max_price=_max_price(settings))
        with _known_skus():
            count = admin.set_prices(prices, by=context.by)
        return {"prices": count}

    return CommandHandler(apply, _notify(on_change, "prices"))


def promotions_handler(on_change: ChangeListener | None = None) -> CommandHandler:
    def apply(conn: sqlite3.Connection, body: dict[str, Any], context: CommandContext) -> Any:
        bodies: dict[str, dict[str, Any]] = {}
        for index, doc in enumerate(body["promotions"]):
            promo_id = doc.get("promo_id")
            if not isinstance(promo_id, str) or not promo_id:
                raise CommandRejectedError.of("promotions.missing_id", number=index + 1,
                    message=f"body.promotions[{index}].promo_id: missing")  # fmt: skip
            if promo_id in bodies:
                raise CommandRejectedError.of("promotions.twice", promo_id=promo_id)
            bodies[promo_id] = doc
        admin = CatalogAdmin(_uow(conn, context), SystemClock())
        return admin.set_promotions(body["mode"], bodies, list(body.get("remove", [])),
                                    by=context.by)  # fmt: skip

    return CommandHandler(apply, _notify(on_change, "promotions"))


def settings_handler(
    settings: AdminSettingsStore, on_change: ChangeListener | None = None
) -> CommandHandler:
    """``cmd/settings``: the values are checked by the code that uses them, journaled and
    written as the last step inside the command's transaction: if the file write fails
    the command is not recorded; if the commit failed after it, a redelivery writes the
    same values again."""

    def apply(conn: sqlite3.Connection, body: dict[str, Any], context: CommandContext) -> Any:
        admin = SettingsAdmin(settings, _uow(conn, context), SystemClock())
        stored = admin.set_many(dict(body["values"]), by=context.by, remote=True)
        return {"changed": sorted(stored)}

    return CommandHandler(apply, _notify(on_change, "settings"))


def payment_handler(on_change: ChangeListener | None = None) -> CommandHandler:
    """``cmd/payment``: a QRIS payment's outcome relayed by the fleet; the till's waiting
    payment sees it at its next look. An unknown order or another amount is refused."""
    from kiosk.payments.gateway import QrisStatus
    from kiosk.services.qris_payment import confirm_payment
    from kiosk.storage import qris_payments

    def apply(conn: sqlite3.Connection, body: dict[str, Any], context: CommandContext) -> Any:
        order_id = body["order_id"]
        row = qris_payments.get(conn, order_id)
        if row is None:
            unknown = f"no QRIS payment {order_id} on this till"
            raise CommandRejectedError.of("payment.unknown", order_id=order_id, message=unknown)
        if body["amount"] != row.amount:
            raise CommandRejectedError.of("payment.amount", order_id=order_id,
                                          confirmed=body["amount"], charged=row.amount)  # fmt: skip
        outcome = confirm_payment(conn, order_id, QrisStatus(body["status"]),
                                  source=context.by, at=utc_now_iso())  # fmt: skip
        return {"order_id": order_id, "outcome": outcome.value}

    return CommandHandler(apply, _notify(on_change, "payment"))


def _notify(on_change: ChangeListener | None, name: str) -> Callable[[dict[str, Any]], None] | None:
    if on_change is None:
        return None
    listener = on_change
    return lambda body: listener(name)


def builtin_handlers(
    on_change: ChangeListener | None = None, settings: SettingsStore | None = None
) -> dict[str, CommandHandler]:
    handlers = {
        "catalog": catalog_handler(on_change, settings),
        "catalog_undo": catalog_undo_handler(on_change),
        "prices": prices_handler(on_change, settings),
        "promotions": promotions_handler(on_change),
        "payment": payment_handler(on_change),
        "order": order_handler(on_change),
        "points": points_handler(),
    }
    if settings is not None:
        handlers["settings"] = settings_handler(settings, on_change)
    return handlers


def report_handler(store_id: str, device_id: str, today: Callable[[], str]) -> CommandHandler:
    """``cmd/report``: an X/Z (or sales) report of a business day comes back in the
    result's detail; ``stock`` queues a stock snapshot on the ``stock`` topic."""
    from kiosk.storage import reports, stock_and_alerts

    def apply(conn: sqlite3.Connection, body: dict[str, Any], context: CommandContext) -> Any:
        kind = body["kind"]
        if kind == "stock":
            at = utc_now_iso()
            count = stock_and_alerts.stock_snapshot(conn, store_id=store_id,
                                                    device_id=device_id, at=at)  # fmt: skip
            return {"kind": "stock", "skus": count}
        day = body.get("business_date") or today()
        if kind == "x" and day != today():
            raise CommandRejectedError.of("report.x_not_today")
        return {
            "kind": kind,
            "business_date": day,
            "report": reports.day_report(conn, day, device_id),
        }

    return CommandHandler(apply)
