"""The catalog as it was before each change, so an import or a fleet snapshot that went
wrong is one command away from undone (``kiosk catalog undo``, ``cmd/catalog_undo``).

A version is the stored rows themselves (products with their barcodes, inactive ones
included) as zlib-compressed JSON: about 14 bytes a product, and no products are built,
so keeping one inside a fleet command's transaction stays short (measured on the dev
machine under load: 9,283 products kept in ~120 ms, put back in ~250 ms; building them
as Products took ~1 s). Only the newest ``KEEP`` versions are kept.
"""

from __future__ import annotations

import json
import sqlite3
import zlib

from kiosk.ports import CatalogVersion
from kiosk.storage.catalog_store import COLUMNS
from kiosk.storage.db import transaction

KEEP = 5


def save(conn: sqlite3.Connection, reason: str, by: str, at: str, keep: int = KEEP) -> int:
    """Keep the current catalog as a version (joins the caller's transaction); returns
    its id. Older versions beyond ``keep`` are dropped."""
    with transaction(conn):
        products = [tuple(r) for r in conn.execute(f"SELECT {COLUMNS} FROM products")]
        barcodes = [tuple(r) for r in conn.execute("SELECT barcode, sku FROM barcodes"
                                                   " ORDER BY rowid")]  # fmt: skip
        text = json.dumps([products, barcodes], separators=(",", ":")).encode()
        body = zlib.compress(text, 1)  # level 1: as small here, a fifth of the time
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


def restore_latest(conn: sqlite3.Connection, at: str) -> CatalogVersion | None:
    """Put the newest version back as the catalog and drop it, in one transaction (the
    caller's if open); None when no version is kept."""
    with transaction(conn):
        row = conn.execute(
            "SELECT version_id, created_at, reason, by, products, body FROM catalog_versions"
            " ORDER BY version_id DESC LIMIT 1"
        ).fetchone()
        if row is None:
            return None
        products, barcodes = json.loads(zlib.decompress(row[5]))
        conn.execute("DELETE FROM catalog_versions WHERE version_id = ?", (row[0],))
        conn.execute("DELETE FROM barcodes")
        conn.execute("DELETE FROM products")
        width = len(COLUMNS.split(","))
        conn.executemany(
            f"INSERT INTO products({COLUMNS}, updated_at) VALUES ({', '.join('?' * (width + 1))})",
            # a version kept before a column was added lacks it: its default ('' PLU)
            [(*product, *[""] * (width - len(product)), at) for product in products],
        )
        conn.executemany("INSERT INTO barcodes(barcode, sku) VALUES (?, ?)", barcodes)
    return CatalogVersion(int(row[0]), row[1], row[2], row[3], int(row[4]))
