"""The catalog as it was before each change, so an import or a fleet snapshot that went
wrong is one command away from undone (``kiosk catalog undo``, ``cmd/catalog_undo``).

A version is the whole product list (inactive products included), zlib-compressed JSON:
about 15 bytes a product. Only the newest ``KEEP`` versions are kept.
"""

from __future__ import annotations

import dataclasses
import json
import sqlite3
import zlib

from kiosk.domain.catalog import Product
from kiosk.ports import CatalogVersion
from kiosk.storage import catalog_store
from kiosk.storage.db import transaction

KEEP = 5


def save(conn: sqlite3.Connection, reason: str, by: str, at: str, keep: int = KEEP) -> int:
    """Keep the current catalog as a version (joins the caller's transaction); returns
    its id. Older versions beyond ``keep`` are dropped."""
    products = catalog_store.load_products(conn)
    body = zlib.compress(
        json.dumps([dataclasses.asdict(p) for p in products], separators=(",", ":")).encode()
    )
    with transaction(conn):
        cursor = conn.execute(
            "INSERT INTO catalog_versions(created_at, reason, by, products, body)"
            " VALUES (?, ?, ?, ?, ?)",
            (at, reason, by, len(products), body),
        )
        version_id = int(cursor.lastrowid or 0)
        conn.execute("DELETE FROM catalog_versions WHERE version_id <= ?", (version_id - keep,))
    return version_id


def versions(conn: sqlite3.Connection) -> list[CatalogVersion]:
    """Kept versions, newest first."""
    rows = conn.execute(
        "SELECT version_id, created_at, reason, by, products FROM catalog_versions"
        " ORDER BY version_id DESC"
    ).fetchall()
    return [CatalogVersion(int(r[0]), r[1], r[2], r[3], int(r[4])) for r in rows]


def take_latest(conn: sqlite3.Connection) -> tuple[CatalogVersion, list[Product]] | None:
    """Remove the newest version and return it with its products (joins the caller's
    transaction, so a failed restore keeps it); None when no version is kept."""
    with transaction(conn):
        row = conn.execute(
            "SELECT version_id, created_at, reason, by, products, body FROM catalog_versions"
            " ORDER BY version_id DESC LIMIT 1"
        ).fetchone()
        if row is None:
            return None
        conn.execute("DELETE FROM catalog_versions WHERE version_id = ?", (row[0],))
    docs = json.loads(zlib.decompress(row[5]))
    products = [Product(**{**doc, "barcodes": tuple(doc["barcodes"])}) for doc in docs]
    return CatalogVersion(int(row[0]), row[1], row[2], row[3], int(row[4])), products
