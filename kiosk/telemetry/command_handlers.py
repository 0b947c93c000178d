"""Built-in command handlers: catalog, prices and promotions change the ledger; settings
changes the settings file. Each runs inside the command's SQLite transaction (see
kiosk.telemetry.commands), so a refusal anywhere in a batch changes nothing.

``on_change(name)`` runs after the commit so the app can reload what it keeps in memory
(the till's Catalog, the promotion engine, settings-driven screens).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Any, Protocol, runtime_checkable

from kiosk.contract.messages import utc_now_iso
from kiosk.domain.catalog import CatalogError, Product
from kiosk.domain.promotions import PromotionError, parse_promotion
from kiosk.storage import catalog_store
from kiosk.telemetry.command_types import CommandHandler, CommandRejectedError

ChangeListener = Callable[[str], None]
# Identity settings are bound to the broker ACL and the ledger: never changed remotely.
REMOTE_FORBIDDEN_SETTINGS = frozenset({"store_id", "device_id"})


def _refuse_on_domain_errors(
    apply: Callable[[sqlite3.Connection, dict[str, Any]], dict[str, Any]],
) -> Callable[[sqlite3.Connection, dict[str, Any]], dict[str, Any]]:
    def guarded(conn: sqlite3.Connection, body: dict[str, Any]) -> dict[str, Any]:
        try:
            return apply(conn, body)
        except (CatalogError, PromotionError, KeyError, ValueError) as exc:
            message = exc.args[0] if isinstance(exc, KeyError) and exc.args else str(exc)
            raise CommandRejectedError(str(message)) from exc

    return guarded


def _product(doc: dict[str, Any]) -> Product:
    fields = dict(doc)
    fields["barcodes"] = tuple(fields.get("barcodes", ()))
    return Product(**fields)


def apply_catalog(conn: sqlite3.Connection, body: dict[str, Any]) -> dict[str, Any]:
    products = [_product(p) for p in body["products"]]
    remove = list(body.get("remove", []))
    if body["mode"] == "snapshot":
        if remove:
            raise CommandRejectedError("remove is only allowed with mode 'delta'")
        return {"products": catalog_store.replace_all(conn, products), "removed": 0}
    upserted = catalog_store.upsert_many(conn, products) if products else 0
    removed = catalog_store.deactivate(conn, remove) if remove else 0
    return {"products": upserted, "removed": removed}


def apply_prices(conn: sqlite3.Connection, body: dict[str, Any]) -> dict[str, Any]:
    prices: dict[str, int] = {}
    for entry in body["prices"]:
        if entry["sku"] in prices:
            raise CommandRejectedError(f"sku {entry['sku']} appears twice in prices")
        prices[entry["sku"]] = entry["price"]
    return {"prices": catalog_store.set_prices(conn, prices)}


def apply_promotions(conn: sqlite3.Connection, body: dict[str, Any]) -> dict[str, Any]:
    bodies: dict[str, dict[str, Any]] = {}
    for index, doc in enumerate(body["promotions"]):
        promo_id = doc.get("promo_id")
        if not isinstance(promo_id, str) or not promo_id:
            raise CommandRejectedError(f"body.promotions[{index}].promo_id: missing")
        if promo_id in bodies:
            raise CommandRejectedError(f"promotion {promo_id} appears twice")
        parse_promotion(doc)  # the domain's rules; raises PromotionError naming the field
        bodies[promo_id] = doc
    remove = list(body.get("remove", []))
    if body["mode"] == "snapshot":
        if remove:
            raise CommandRejectedError("remove is only allowed with mode 'delta'")
        return {"promotions": catalog_store.replace_promotions(conn, bodies), "removed": 0}
    for promo_id, doc in bodies.items():
        catalog_store.put_promotion(conn, promo_id, doc)
    for promo_id in remove:
        catalog_store.set_promotion_active(conn, promo_id, False)
    return {"promotions": len(bodies), "removed": len(remove)}


@runtime_checkable
class SettingsStore(Protocol):
    def set_many(self, changes: dict[str, Any]) -> dict[str, Any]: ...


def settings_handler(
    settings: SettingsStore, on_change: ChangeListener | None = None
) -> CommandHandler:
    """Write the values (all-or-nothing, validated by the settings module) as the last
    step inside the command's transaction: if the file write fails the command is not
    recorded; if the commit failed after it, a redelivery writes the same values again."""

    def apply(conn: sqlite3.Connection, body: dict[str, Any]) -> dict[str, Any]:
        values = dict(body["values"])
        forbidden = sorted(REMOTE_FORBIDDEN_SETTINGS & set(values))
        if forbidden:
            raise CommandRejectedError(f"setting(s) {forbidden} cannot be changed remotely")
        if not values:
            raise CommandRejectedError("body.values: no settings given")
        try:
            stored = settings.set_many(values)
        except ValueError as exc:  # SettingsError names the key and what it accepts
            raise CommandRejectedError(str(exc)) from exc
        return {"changed": sorted(stored)}

    return CommandHandler(apply, _notify(on_change, "settings"))


def _notify(on_change: ChangeListener | None, name: str) -> Callable[[dict[str, Any]], None] | None:
    if on_change is None:
        return None
    listener = on_change
    return lambda body: listener(name)


def builtin_handlers(on_change: ChangeListener | None = None) -> dict[str, CommandHandler]:
    return {
        "catalog": CommandHandler(
            _refuse_on_domain_errors(apply_catalog), _notify(on_change, "catalog")
        ),
        "prices": CommandHandler(
            _refuse_on_domain_errors(apply_prices), _notify(on_change, "prices")
        ),
        "promotions": CommandHandler(
            _refuse_on_domain_errors(apply_promotions), _notify(on_change, "promotions")
        ),
    }


def report_handler(store_id: str, device_id: str, today: Callable[[], str]) -> CommandHandler:
    """``cmd/report``: an X/Z (or sales) report of a business day comes back in the
    result's detail; ``stock`` queues a stock snapshot on the ``stock`` topic."""
    from kiosk.storage import reports, stock_and_alerts

    def apply(conn: sqlite3.Connection, body: dict[str, Any]) -> dict[str, Any]:
        kind = body["kind"]
        if kind == "stock":
            at = utc_now_iso()
            count = stock_and_alerts.stock_snapshot(conn, store_id=store_id, device_id=device_id,
                                                  at=at)  # fmt: skip
            return {"kind": "stock", "skus": count}
        day = body.get("business_date") or today()
        if kind == "x" and day != today():
            raise CommandRejectedError("an X report is for today so far; ask for z with a date")
        return {
            "kind": kind,
            "business_date": day,
            "report": reports.day_report(conn, day, device_id),
        }

    return CommandHandler(apply)
