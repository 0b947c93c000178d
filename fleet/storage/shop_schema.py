"""The tables of the online shop and the orders API (migration 0004_shop), beside the
ingest's in ``schema`` (same metadata).

``shop_products`` and ``shop_promotions`` are the store's catalog as the fleet last sent
it store-wide (``cmd/catalog``, ``cmd/prices``, ``cmd/promotions``): the server prices
orders from them, never from a request. ``api_keys`` hold only a SHA-256 of each key.
"""

from __future__ import annotations

import sqlalchemy as sa

from fleet.storage.schema import metadata

api_keys = sa.Table(
    "api_keys",
    metadata,
    sa.Column("key_id", sa.String(32), primary_key=True),
    sa.Column("store_id", sa.String(64), nullable=False),
    sa.Column("key_hash", sa.String(64), nullable=False),
    sa.Column("label", sa.String(100), nullable=False, server_default=""),
    sa.Column("created_at", sa.String(40), nullable=False),
    sa.Column("revoked", sa.Boolean, nullable=False, server_default=sa.false()),
    # A connector's key for one channel only ("" for a key of the whole store).
    sa.Column("channel", sa.String(32), nullable=False, server_default=""),
)

shop_products = sa.Table(
    "shop_products",
    metadata,
    sa.Column("store_id", sa.String(64), primary_key=True),
    sa.Column("sku", sa.String(64), primary_key=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("price", sa.BigInteger, nullable=False),
    sa.Column("category", sa.String(200), nullable=False, server_default=""),
    sa.Column("active", sa.Boolean, nullable=False),
    sa.Column("image_url", sa.String(500), nullable=False, server_default=""),
    sa.Column("updated_at", sa.String(40), nullable=False),
    # barcodes, unit, tax rate, ... as JSON (migration 0007): what ``fleet push`` sends
    sa.Column("kiosk_fields", sa.Text, nullable=False, server_default="{}"),
    sa.Index("shop_products_by_store_category", "store_id", "category", "name"),
)

# Pictures the owner uploaded (migration 0009), by SHA-256: fleet.shop.images.
shop_images = sa.Table(
    "shop_images",
    metadata,
    sa.Column("store_id", sa.String(64), primary_key=True),
    sa.Column("digest", sa.String(64), primary_key=True),
    sa.Column("content_type", sa.String(32), nullable=False),
    sa.Column("data", sa.LargeBinary, nullable=False),
    sa.Column("created_at", sa.String(40), nullable=False),
)

shop_promotions = sa.Table(
    "shop_promotions",
    metadata,
    sa.Column("store_id", sa.String(64), primary_key=True),
    sa.Column("promo_id", sa.String(64), primary_key=True),
    sa.Column("body", sa.Text, nullable=False),
)

shop_settings = sa.Table(
    "shop_settings",
    metadata,
    sa.Column("store_id", sa.String(64), primary_key=True),
    sa.Column("body", sa.Text, nullable=False),
    sa.Column("updated_at", sa.String(40), nullable=False),
)

orders = sa.Table(
    "orders",
    metadata,
    sa.Column("order_id", sa.String(64), primary_key=True),
    sa.Column("store_id", sa.String(64), nullable=False),
    sa.Column("channel", sa.String(32), nullable=False),
    sa.Column("external_id", sa.String(200), nullable=False),
    sa.Column("request_hash", sa.String(64), nullable=False),
    sa.Column("token", sa.String(64), nullable=False, unique=True),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("status_at", sa.String(40), nullable=False),
    sa.Column("reason", sa.String(200), nullable=False, server_default=""),
    sa.Column("short", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("sent", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("prepaid", sa.Boolean, nullable=False),
    sa.Column("total", sa.BigInteger, nullable=False),
    sa.Column("sale_id", sa.String(64), nullable=False, server_default=""),
    sa.Column("received_by", sa.String(64), nullable=False, server_default=""),
    sa.Column("created_at", sa.String(40), nullable=False),
    sa.Column("body", sa.Text, nullable=False),
    sa.UniqueConstraint("store_id", "channel", "external_id", name="orders_by_caller_id"),
    sa.Index("orders_by_store_status", "store_id", "status"),
)
