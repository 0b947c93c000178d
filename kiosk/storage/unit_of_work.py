"""``kiosk.ports.UnitOfWork`` over the ledger's SQLite file: the catalog, stock, members,
books and staff repositories, the journal and alerts, all on one connection, so a service's
change commits as one transaction (or joins a fleet command's, already open)."""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from contextlib import AbstractContextManager
from typing import Any

from kiosk.domain.catalog import Product
from kiosk.domain.sale import CompletedSale
from kiosk.ports import CatalogVersion
from kiosk.storage import (
    books,
    catalog_store,
    catalog_versions,
    provider_refunds,
    qris_payments,
    stock,
    stock_costs,
)
from kiosk.storage.db import canonical_json, transaction
from kiosk.storage.ledger import SqliteLedger
from kiosk.storage.members_store import MembersStore
from kiosk.storage.staff_store import StaffStore


class SqliteCatalog:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def get(self, sku: str) -> Product | None:
        return catalog_store.get_product(self.conn, sku)

    def upsert(self, products: list[Product]) -> int:
        return catalog_store.upsert_many(self.conn, products)

    def replace_all(self, products: list[Product]) -> int:
        return catalog_store.replace_all(self.conn, products)

    def deactivate(self, skus: list[str]) -> int:
        return catalog_store.deactivate(self.conn, skus)

    def set_prices(self, prices: Mapping[str, int]) -> int:
        return catalog_store.set_prices(self.conn, prices)

    def put_promotion(self, promo_id: str, body: Mapping[str, Any]) -> None:
        catalog_store.put_promotion(self.conn, promo_id, body)

    def replace_promotions(self, bodies: Mapping[str, Mapping[str, Any]]) -> int:
        return catalog_store.replace_promotions(self.conn, bodies)

    def set_promotion_active(self, promo_id: str, active: bool) -> None:
        catalog_store.set_promotion_active(self.conn, promo_id, active)

    def save_version(self, reason: str, by: str, at: str) -> int:
        return catalog_versions.save(self.conn, reason, by, at)

    def restore_latest_version(self, at: str) -> CatalogVersion | None:
        return catalog_versions.restore_latest(self.conn, at)

    def skus_on_sale(self) -> set[str]:
        return catalog_store.skus_on_sale(self.conn)


class SqliteStock:
    def __init__(self, ledger: SqliteLedger) -> None:
        self.ledger = ledger

    def adjust(
        self, changes: list[tuple[str, int]], reason: str, ref: str, at: str
    ) -> dict[str, int]:
        return self.ledger.adjust_stock(changes, reason, ref, at)

    def snapshot(self, at: str) -> int:
        return self.ledger.stock_snapshot(at)

    def receive(
        self, sku: str, qty: int, unit_cost: int, *, supplier: str, by: str, at: str
    ) -> tuple[int, int]:
        with transaction(self.ledger.conn) as conn:
            before = stock.level(conn, sku)
            level = self.adjust([(sku, qty)], "received", supplier, at)[sku]
            cost = stock_costs.record_receipt(conn, sku, qty, unit_cost, supplier, by, at, before)
        return level, cost

    def levels(self) -> dict[str, int]:
        return stock_costs.levels(self.ledger.conn)

    def costs(self) -> dict[str, int]:
        return stock_costs.costs(self.ledger.conn)

    def units_sold_since(self, business_date: str) -> dict[str, int]:
        return stock_costs.units_sold_since(self.ledger.conn, business_date)


class SqliteBooks:
    """``kiosk.ports.BooksRepository`` over the ledger (its connection and device)."""

    def __init__(self, ledger: SqliteLedger) -> None:
        self.ledger = ledger
        self.conn = ledger.conn

    @property
    def device_id(self) -> str:
        return self.ledger.device_id

    def open_shift(self) -> dict[str, Any] | None:
        return books.open_shift(self.conn, self.device_id)

    def get_shift(self, shift_id: str | None) -> dict[str, Any] | None:
        return books.get_shift(self.conn, self.device_id, shift_id)

    def insert_shift(self, shift_id: str, cashier: str, at: str, float_amount: int) -> None:
        books.insert_shift(self.conn, shift_id, self.device_id, cashier, at, float_amount)

    def close_shift(self, shift_id: str, at: str, counted: int) -> None:
        books.close_shift(self.conn, shift_id, at, counted)

    def add_cash_move(
        self, shift_id: str, direction: str, amount: int, reason: str, at: str
    ) -> None:
        books.add_cash_move(self.conn, shift_id, direction, amount, reason, at)

    def shift_cash(self, shift: dict[str, Any]) -> dict[str, int]:
        return books.shift_cash(self.conn, shift)

    def last_close(self) -> dict[str, Any] | None:
        return books.last_close(self.conn, self.device_id)

    def open_day(self, calendar_day: str) -> str:
        return books.open_day(self.conn, self.device_id, calendar_day)

    def insert_close(self, day: str, at: str, by: str) -> int:
        return books.insert_close(self.conn, self.device_id, day, at, by)

    def sale_by_receipt(self, receipt_no: int) -> CompletedSale | None:
        return self.ledger.get_sale_by_receipt(receipt_no)

    def refunds_of_sale(self, sale_id: str) -> list[dict[str, Any]]:
        return books.refunds_of_sale(self.conn, sale_id)

    def insert_refund(self, body: dict[str, Any]) -> None:
        books.insert_refund(self.conn, body, canonical_json(body))

    def restock(self, sku: str, delta: int, ref: str, at: str) -> None:
        stock.apply_move(self.conn, sku, delta, "refund", ref, at)

    def qris_payment(self, order_id: str) -> dict[str, Any] | None:
        row = qris_payments.get(self.conn, order_id)
        return None if row is None else dict(vars(row))

    def provider_call(  # noqa: PLR0917 (mirrors the row)
        self, call_id: str, sale_id: str, index: int, method: str, amount: int, at: str,
        detail: dict[str, Any],
    ) -> None:  # fmt: skip
        provider_refunds.begin(self.conn, call_id, sale_id, index, method, amount, at, detail)

    def provider_answer(self, call_id: str, state: str, detail: dict[str, Any], at: str) -> None:
        provider_refunds.finish(self.conn, call_id, state, detail, at)

    def provider_unapplied(self, sale_id: str) -> list[dict[str, Any]]:
        return provider_refunds.unapplied(self.conn, sale_id)

    def provider_apply(self, call_ids: list[str], refund_id: str, at: str) -> None:
        provider_refunds.apply(self.conn, call_ids, refund_id, at)

    def provider_blocked(self) -> list[dict[str, Any]]:
        return provider_refunds.blocked(self.conn)

    def provider_get(self, call_id: str) -> dict[str, Any] | None:
        return provider_refunds.get(self.conn, call_id)

    def day_figures(self, day: str) -> dict[str, Any]:
        return books.z_report(self.conn, day, self.device_id)

    def insert_no_sale(self, day: str, shift_id: str | None, reason: str, by: str, at: str) -> None:
        books.insert_no_sale(self.conn, self.device_id, day, shift_id, reason, by, at)

    def publish_event(self, kind: str, ref: str, payload: dict[str, Any], at: str) -> None:
        self.ledger.record_event(kind, ref, payload, at, publish=True)


class SqliteUnitOfWork:
    """Implements ``kiosk.ports.UnitOfWork``. Build it over the ledger the caller owns
    (the CLI's, the app's) or, for a fleet command, over the command's connection with
    ``over(conn, store_id, device_id)``."""

    def __init__(self, ledger: SqliteLedger) -> None:
        self.ledger = ledger
        self._catalog = SqliteCatalog(ledger.conn)
        self._stock = SqliteStock(ledger)
        self._members = MembersStore(ledger.conn)
        self._books = SqliteBooks(ledger)
        self._staff: StaffStore | None = None

    @classmethod
    def over(cls, conn: sqlite3.Connection, store_id: str, device_id: str) -> SqliteUnitOfWork:
        return cls(SqliteLedger(conn, device_id, store_id=store_id))

    @property
    def catalog(self) -> SqliteCatalog:
        return self._catalog

    @property
    def stock(self) -> SqliteStock:
        return self._stock

    @property
    def members(self) -> MembersStore:
        return self._members

    @property
    def books(self) -> SqliteBooks:
        return self._books

    @property
    def staff(self) -> StaffStore:
        if self._staff is None:  # built on first need: most changes never touch staff
            self._staff = StaffStore(self.ledger.conn)
        return self._staff

    def transaction(self) -> AbstractContextManager[object]:
        return self.ledger.transaction()

    def journal(self, kind: str, ref: str, payload: dict[str, Any], at: str) -> None:
        # Kept on the device's chain; the fleet hears of the effects (stock changes) alone.
        self.ledger.record_event(kind, ref, payload, at, publish=False)

    def raise_alert(
        self, kind: str, message: str, at: str, *, severity: str = "warning",
        detail: dict[str, Any] | None = None,
    ) -> str:  # fmt: skip
        return self.ledger.raise_alert(kind, message, at, severity=severity, detail=detail)
