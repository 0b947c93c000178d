"""Products, barcodes and promotions in the ledger database.

The till loads everything once (``load_products`` -> ``kiosk.domain.catalog.Catalog``)
and scans against memory; these functions persist changes pushed by the fleet. Every
change is one transaction: a bad product anywhere in a batch changes nothing.

Barcodes are stored as given (so a product reads back exactly as written). Conflicts
between GTIN forms of one code (UPC-A vs EAN-13) are caught by the domain ``Catalog``,
which ``replace_all`` and ``upsert_many`` build from the batch before writing.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

from kiosk.domain.bounds import BoundsError, check_amount
from kiosk.domain.catalog import Catalog, CatalogError, Product
from kiosk.domain.sale import iso_utc
from kiosk.storage.db import canonical_json, transaction

log = logging.getLogger(__name__)

COLUMNS = (
    "sku, name, price, category, unit, tax_class, tax_rate_percent, age_restricted,"
    " active, sold_by_weight, plu"
)


def _now() -> str:
    return iso_utc(datetime.now(UTC))


def _product(row: sqlite3.Row | tuple[Any, ...], barcodes: tuple[str, ...]) -> Product:
    sku, name, price, category, unit, tax_class, rate, age, active, by_weight, plu = tuple(row)
    return Product(
        sku=sku, name=name, price=int(price), barcodes=barcodes, category=category,
        unit=unit, tax_class=tax_class, tax_rate_percent=rate, age_restricted=int(age),
        active=bool(active), sold_by_weight=bool(by_weight), plu=plu,
    )  # fmt: skip


def load_products(conn: sqlite3.Connection, *, active_only: bool = False) -> list[Product]:
    """Every product (or only active ones), ordered by SKU, barcodes in stored order."""
    codes: dict[str, list[str]] = {}
    for sku, barcode in conn.execute("SELECT sku, barcode FROM barcodes ORDER BY rowid"):
        codes.setdefault(sku, []).append(barcode)
    where = " WHERE active = 1" if active_only else ""
    products = []
    for row in conn.execute(f"SELECT {COLUMNS} FROM products{where} ORDER BY sku"):
        try:
            products.append(_product(row, tuple(codes.get(row[0], ()))))
        except (CatalogError, TypeError, ValueError) as err:
            # Stored before the bounds existed (a price of 2^63-1, a NUL in a name):
            # left out, so the till still starts and sells everything else.
            log.warning("product %r left out of the catalog: %s", row[0], err)
    return products


def skus_on_sale(conn: sqlite3.Connection) -> set[str]:
    """The SKUs of active products (cheap: no products are built)."""
    return {str(row[0]) for row in conn.execute("SELECT sku FROM products WHERE active = 1")}


def get_product(conn: sqlite3.Connection, sku: str) -> Product | None:
    row = conn.execute(f"SELECT {COLUMNS} FROM products WHERE sku = ?", (sku,)).fetchone()
    if row is None:
        return None
    codes = conn.execute("SELECT barcode FROM barcodes WHERE sku = ? ORDER BY rowid", (sku,))
    return _product(row, tuple(r[0] for r in codes))


def _check_batch(products: list[Product]) -> None:
    seen: set[str] = set()
    for product in products:
        if not isinstance(product, Product):
            raise CatalogError(f"expected a Product, got {type(product).__name__}")
        if product.sku in seen:
            raise CatalogError(f"product {product.sku} appears twice in the batch")
        seen.add(product.sku)
    Catalog(products)  # the domain's rules: valid barcodes, one owner per barcode


def _write(conn: sqlite3.Connection, products: list[Product], updated_at: str) -> None:
    conn.executemany(
        f"INSERT INTO products({COLUMNS}, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)"
        " ON CONFLICT(sku) DO UPDATE SET name=excluded.name, price=excluded.price,"
        " category=excluded.category, unit=excluded.unit, tax_class=excluded.tax_class,"
        " tax_rate_percent=excluded.tax_rate_percent, age_restricted=excluded.age_restricted,"
        " active=excluded.active, sold_by_weight=excluded.sold_by_weight, plu=excluded.plu,"
        " updated_at=excluded.updated_at",
        [
            (
                p.sku,
                p.name,
                p.price,
                p.category,
                p.unit,
                p.tax_class,
                p.tax_rate_percent,
                p.age_restricted,
                int(p.active),
                int(p.sold_by_weight),
                p.plu,
                updated_at,
            )
            for p in products
        ],
    )
    conn.executemany("DELETE FROM barcodes WHERE sku = ?", [(p.sku,) for p in products])
    for product in products:
        for code in product.barcodes:
            owner = conn.execute("SELECT sku FROM barcodes WHERE barcode = ?", (code,)).fetchone()
            if owner is not None:
                raise CatalogError(
                    f"product {product.sku}: barcode {code} already belongs to {owner[0]}"
                )
            conn.execute("INSERT INTO barcodes(barcode, sku) VALUES (?, ?)", (code, product.sku))


def replace_all(
    conn: sqlite3.Connection, products: Iterable[Product], updated_at: str | None = None
) -> int:
    """Make the stored catalog exactly ``products`` (all-or-nothing); returns the count."""
    batch = list(products)
    _check_batch(batch)
    with transaction(conn):
        conn.execute("DELETE FROM barcodes")
        conn.execute("DELETE FROM products")
        _write(conn, batch, updated_at or _now())
    return len(batch)


def upsert_many(
    conn: sqlite3.Connection, products: Iterable[Product], updated_at: str | None = None
) -> int:
    """Add or replace these products (their barcode lists replace the stored ones)."""
    batch = list(products)
    _check_batch(batch)
    with transaction(conn):
        _write(conn, batch, updated_at or _now())
    return len(batch)


def _require_known(conn: sqlite3.Connection, skus: list[str]) -> None:
    unknown = [
        s
        for s in skus
        if conn.execute("SELECT 1 FROM products WHERE sku = ?", (s,)).fetchone() is None
    ]
    if unknown:
        raise CatalogError(
            f"unknown sku(s): {', '.join(unknown)}; nothing was changed", skus=unknown
        )


def set_prices(
    conn: sqlite3.Connection, prices: Mapping[str, int], updated_at: str | None = None
) -> int:
    """New tax-inclusive prices by SKU, all-or-nothing; unknown SKUs or bad prices raise."""
    for sku, price in prices.items():
        try:  # the bound every Product is held to (a fleet cmd/prices comes this way)
            check_amount(price, f"price of {sku}")
        except BoundsError as err:
            raise CatalogError(err.message) from None
    stamp = updated_at or _now()
    with transaction(conn):
        _require_known(conn, list(prices))
        conn.executemany(
            "UPDATE products SET price = ?, updated_at = ? WHERE sku = ?",
            [(price, stamp, sku) for sku, price in prices.items()],
        )
    return len(prices)


def deactivate(conn: sqlite3.Connection, skus: Iterable[str], updated_at: str | None = None) -> int:
    """Take products off sale (kept for history and reports); unknown SKUs raise."""
    sku_list = list(skus)
    stamp = updated_at or _now()
    with transaction(conn):
        _require_known(conn, sku_list)
        conn.executemany(
            "UPDATE products SET active = 0, updated_at = ? WHERE sku = ?",
            [(stamp, sku) for sku in sku_list],
        )
    return len(sku_list)


# -- promotions (JSON bodies; the domain's pricing module interprets them) ------------------


def put_promotion(
    conn: sqlite3.Connection, promo_id: str, body: Mapping[str, Any], active: bool = True
) -> None:
    if not promo_id:
        raise ValueError("promotion needs an id")
    with transaction(conn):
        conn.execute(
            "INSERT INTO promotions(promo_id, body, active) VALUES (?, ?, ?)"
            " ON CONFLICT(promo_id) DO UPDATE SET body = excluded.body, active = excluded.active",
            (promo_id, canonical_json(dict(body)), int(active)),
        )


def replace_promotions(conn: sqlite3.Connection, bodies: Mapping[str, Mapping[str, Any]]) -> int:
    """Make the stored promotions exactly ``bodies`` (all active), in one transaction."""
    rows = [(pid, canonical_json(dict(body))) for pid, body in bodies.items()]
    if any(not pid for pid, _ in rows):
        raise ValueError("every promotion needs an id")
    with transaction(conn):
        conn.execute("DELETE FROM promotions")
        conn.executemany("INSERT INTO promotions(promo_id, body, active) VALUES (?, ?, 1)", rows)
    return len(rows)


def get_promotion(conn: sqlite3.Connection, promo_id: str) -> dict[str, Any] | None:
    row = conn.execute("SELECT body FROM promotions WHERE promo_id = ?", (promo_id,)).fetchone()
    return dict(json.loads(row[0])) if row else None


def list_promotions(
    conn: sqlite3.Connection, *, active_only: bool = True
) -> dict[str, dict[str, Any]]:
    """Promotion bodies by id, ordered by id."""
    where = " WHERE active = 1" if active_only else ""
    rows = conn.execute(f"SELECT promo_id, body FROM promotions{where} ORDER BY promo_id")
    return {pid: dict(json.loads(body)) for pid, body in rows}


def set_promotion_active(conn: sqlite3.Connection, promo_id: str, active: bool) -> None:
    with transaction(conn):
        cursor = conn.execute(
            "UPDATE promotions SET active = ? WHERE promo_id = ?", (int(active), promo_id)
        )
        if cursor.rowcount != 1:
            raise KeyError(f"no promotion {promo_id!r}")
