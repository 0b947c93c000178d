"""Each store's catalog in the fleet: imported from the kiosk's own catalog files (CSV or
JSON, ``fleet catalog import``) or learned from the store-wide commands the fleet sends,
and turned back into ``cmd/catalog``, ``cmd/prices`` and ``cmd/promotions`` bodies for
``fleet push``.

The catalog is the web shop's (``shop_products`` and ``shop_promotions``), not a copy:
what the shop sells and what the kiosks are sent are one list. The kiosk's fields the
shop has no column for (barcodes, unit, tax rate, ...) are kept as JSON beside it; a
PLU is not: the contract's product has no field for it.

An import is all-or-nothing: every problem is reported as ``file:line: field: message``
(the kiosk's own parser, ``kiosk.contract.catalog_file``) before anything is written.
Like ``kiosk catalog import`` it adds or replaces the file's products and leaves the
others as they are.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from fleet.storage import repository, schema
from fleet.storage.shop_schema import shop_products, shop_promotions
from kiosk.contract.catalog_file import CatalogFileError, FieldProblem, parse_catalog
from kiosk.contract.messages import utc_now_iso
from kiosk.domain.bounds import BoundsError, load_json
from kiosk.domain.catalog import Product
from kiosk.domain.promotions import PromotionError, parse_promotion


class NoCatalogError(ValueError):
    """There is nothing of this kind stored for the store to push."""


@dataclass(frozen=True)
class Imported:
    products: int
    promotions: int


def parse_file(
    text: str, filename: str, images: dict[str, str] | None = None
) -> tuple[list[Product], list[dict[str, Any]]]:
    """The products and promotions of a catalog file, or CatalogFileError naming every
    problem. A JSON object may carry ``"promotions": [...]`` beside (or without)
    ``"products"``; each promotion is checked as a kiosk checks ``cmd/promotions``.
    ``images`` receives the products' pictures (the optional ``image`` column)."""
    problems: list[FieldProblem] = []
    products: list[Product] = []
    promotions: list[dict[str, Any]] = []
    data = _json_object(text)
    if data is None or "products" in data or "promotions" not in data:
        try:
            products = parse_catalog(text, filename, images=images)
        except CatalogFileError as err:
            problems += err.problems
    if data is not None and "promotions" in data:
        promotions = _promotions(data["promotions"], filename, problems)
    if problems:
        raise CatalogFileError(problems)
    return products, promotions


def _json_object(text: str) -> dict[str, Any] | None:
    stripped = text.lstrip("\ufeff").lstrip()
    if not stripped.startswith("{"):
        return None
    try:
        data = load_json(stripped, "")
    except BoundsError:
        return None  # parse_catalog reports it with its line
    return data if isinstance(data, dict) else None


def _promotions(items: Any, filename: str, problems: list[FieldProblem]) -> list[dict[str, Any]]:
    """Checked promotions; their ``line`` is the promotion's number in the list, as a
    JSON product's is."""
    if not isinstance(items, list):
        problems.append(FieldProblem(filename, 1, "promotions", "must be a list"))
        return []
    seen: set[str] = set()
    for number, item in enumerate(items, start=1):
        try:
            promo = parse_promotion(item)
        except PromotionError as err:
            problems.append(FieldProblem(filename, number, "promotions", str(err)))
            continue
        if promo.promo_id in seen:
            duplicate = f"duplicate promo_id {promo.promo_id!r}"
            problems.append(FieldProblem(filename, number, "promotions", duplicate))
        seen.add(promo.promo_id)
    return list(items)


def store_file(
    conn: sa.Connection, store_id: str, products: list[Product],
    promotions: list[dict[str, Any]], images: dict[str, str] | None = None,
) -> Imported:  # fmt: skip
    """Add or replace these products and promotions of the store, in the caller's
    transaction. A product's picture changes only where ``images`` names one (a file
    without pictures keeps the ones the store has, uploaded or not)."""
    if not store_id or "/" in store_id or "+" in store_id or "#" in store_id:
        raise ValueError(f"not a store id: {store_id!r}")
    at = utc_now_iso()
    for product in products:
        row = {"store_id": store_id, "sku": product.sku, "name": product.name,
               "price": product.price, "category": product.category,
               "active": product.active, "updated_at": at,
               "kiosk_fields": json.dumps(_kiosk_fields(product), sort_keys=True)}  # fmt: skip
        if images and product.sku in images:
            row["image_url"] = images[product.sku]
        repository.upsert(conn, shop_products, row, ("store_id", "sku"))
    for promo in promotions:
        row = {"store_id": store_id, "promo_id": str(promo["promo_id"]),
               "body": json.dumps(promo, sort_keys=True)}  # fmt: skip
        repository.upsert(conn, shop_promotions, row, ("store_id", "promo_id"))
    return Imported(len(products), len(promotions))


def _kiosk_fields(product: Product) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "barcodes": list(product.barcodes), "unit": product.unit,
        "tax_class": product.tax_class, "age_restricted": product.age_restricted,
        "sold_by_weight": product.sold_by_weight,
    }  # fmt: skip
    if product.tax_rate_percent is not None:
        fields["tax_rate_percent"] = product.tax_rate_percent
    return fields


def store_ids(conn: sa.Connection) -> list[str]:
    """Every store the fleet knows: by a catalog, promotions or a kiosk."""
    found = sa.union(sa.select(shop_products.c.store_id), sa.select(shop_promotions.c.store_id),
                     sa.select(schema.devices.c.store_id))  # fmt: skip
    return sorted(conn.execute(found).scalars())


# -- what ``fleet push`` sends ------------------------------------------------------------


def catalog_body(
    conn: sa.Connection, store_id: str, *, allow_mass_removal: bool = False
) -> dict[str, Any]:
    """A snapshot of the store's whole catalog (products off sale included, as such)."""
    p = shop_products
    rows = conn.execute(sa.select(p).where(p.c.store_id == store_id).order_by(p.c.sku)).all()
    if not rows:
        raise NoCatalogError(
            f"the fleet holds no catalog for store {store_id}: fleet catalog import first"
        )
    products = []
    for row in rows:
        extra = json.loads(row.kiosk_fields)
        picture = {"image": row.image_url} if row.image_url else {}
        products.append({"sku": row.sku, "name": row.name, "price": int(row.price),
                         "category": row.category, "active": bool(row.active),
                         **extra, **picture})  # fmt: skip
    body: dict[str, Any] = {"mode": "snapshot", "products": products}
    if allow_mass_removal:
        body["allow_mass_removal"] = True
    return body


def prices_body(conn: sa.Connection, store_id: str) -> dict[str, Any]:
    """Every product on sale at its fleet price (a kiosk refuses a batch with an sku it
    does not know: push the catalog first)."""
    p = shop_products
    query = (sa.select(p.c.sku, p.c.price).where(p.c.store_id == store_id, p.c.active.is_(True))
             .order_by(p.c.sku))  # fmt: skip
    prices = [{"sku": sku, "price": int(price)} for sku, price in conn.execute(query)]
    if not prices:
        raise NoCatalogError(f"the fleet holds no products on sale for store {store_id}")
    return {"prices": prices}


def promotions_body(conn: sa.Connection, store_id: str) -> dict[str, Any]:
    """A snapshot of the store's promotions: the kiosks end up with exactly these (none,
    when the fleet holds none)."""
    q = shop_promotions
    rows = conn.execute(sa.select(q.c.body).where(q.c.store_id == store_id).order_by(q.c.promo_id))
    return {"mode": "snapshot", "promotions": [json.loads(body) for body in rows.scalars()]}
