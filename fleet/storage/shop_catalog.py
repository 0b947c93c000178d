"""The web shop's copy of a store's catalog and promotions, kept in step with what the
fleet sends the whole store.

``record_command`` runs in the transaction that records a store-wide ``cmd/catalog``,
``cmd/prices`` or ``cmd/promotions``. A change made at one kiosk only, or a
``catalog_undo``, is not followed: the fleet cannot know its outcome before the result.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa

from fleet.storage import repository
from fleet.storage.shop_schema import shop_products, shop_promotions
from kiosk.contract.messages import utc_now_iso

FOLLOWED = ("catalog", "prices", "promotions")
# What a kiosk's product has beyond the shop's columns, kept as JSON for ``fleet push``
# (the fields of the contract's product; a PLU has none there, so the fleet keeps none).
KIOSK_FIELDS = ("barcodes", "unit", "tax_class", "tax_rate_percent", "age_restricted",
                "sold_by_weight")  # fmt: skip


def kiosk_fields_of(product: Mapping[str, Any]) -> str:
    """The ``kiosk_fields`` column of a product of a ``cmd/catalog`` body."""
    return json.dumps({k: product[k] for k in KIOSK_FIELDS if k in product}, sort_keys=True)


def record_command(conn: sa.Connection, store_id: str, name: str, body: Mapping[str, Any]) -> None:
    """Follow a store-wide catalog, prices or promotions command the fleet sends."""
    at = utc_now_iso()
    p = shop_products
    if name == "catalog":
        if body["mode"] == "snapshot":
            conn.execute(sa.update(p).where(p.c.store_id == store_id).values(active=False))
        for product in body["products"]:
            row = {"store_id": store_id, "sku": product["sku"], "name": product["name"],
                   "price": product["price"], "category": product.get("category", ""),
                   "active": bool(product.get("active", True)), "updated_at": at,
                   "kiosk_fields": kiosk_fields_of(product)}  # fmt: skip
            if "image" in product:  # a command without pictures keeps the shop's
                row["image_url"] = product["image"]
            repository.upsert(conn, p, row, ("store_id", "sku"))
        for sku in body.get("remove", []):
            conn.execute(
                sa.update(p).where(p.c.store_id == store_id, p.c.sku == sku).values(active=False)
            )
    elif name == "prices":
        for entry in body["prices"]:
            conn.execute(
                sa.update(p)
                .where(p.c.store_id == store_id, p.c.sku == entry["sku"])
                .values(price=entry["price"], updated_at=at)
            )
    elif name == "promotions":
        q = shop_promotions
        if body["mode"] == "snapshot":
            conn.execute(sa.delete(q).where(q.c.store_id == store_id))
        for promo in body["promotions"]:
            row = {"store_id": store_id, "promo_id": str(promo.get("promo_id", "")),
                   "body": json.dumps(promo, sort_keys=True)}  # fmt: skip
            repository.upsert(conn, q, row, ("store_id", "promo_id"))
        for promo_id in body.get("remove", []):
            conn.execute(sa.delete(q).where(q.c.store_id == store_id, q.c.promo_id == promo_id))
