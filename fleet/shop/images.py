"""Product pictures the owner uploads for the web shop: a JPEG, PNG or WebP (known by its
first bytes, not by its name or the browser's word) of at most ``MAX_BYTES``, kept in the
fleet's database by its SHA-256 (table ``shop_images``) and served at
``/shop/{store}/images/{sha256}.{ext}``. The address changes with the picture, so a
browser may keep it for good. The product's ``image_url`` then points there; a picture
elsewhere is given as an https address in the catalog file's ``image`` column instead."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

import sqlalchemy as sa

from fleet.storage import repository
from fleet.storage.shop_schema import shop_images, shop_products
from kiosk.contract.messages import utc_now_iso

MAX_BYTES = 2_000_000
TYPES = {"jpg": "image/jpeg", "png": "image/png", "webp": "image/webp"}
NAME = re.compile(r"^([0-9a-f]{64})\.(jpg|png|webp)$")


class ImageError(ValueError):
    """Why an upload is refused; ``code`` is a key of the shop's texts (id/en)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Picture:
    data: bytes
    content_type: str


def kind_of(data: bytes) -> str | None:
    """``jpg``, ``png`` or ``webp`` by the file's signature; None for anything else (an
    SVG, which may carry script, included)."""
    if data.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    return None


def address(store_id: str, digest: str, kind: str) -> str:
    return f"/shop/{store_id}/images/{digest}.{kind}"


def save(conn: sa.Connection, store_id: str, sku: str, data: bytes) -> str:
    """Keep ``data`` as the picture of the store's product ``sku``; its address."""
    p = shop_products
    known = conn.execute(sa.select(p.c.sku).where(p.c.store_id == store_id, p.c.sku == sku)).first()
    if known is None:
        raise ImageError("unknown_product_image", f"store {store_id} has no product {sku}")
    if not data:
        raise ImageError("image_missing", "choose a picture to upload")
    if len(data) > MAX_BYTES:
        raise ImageError("image_too_big", f"the picture is over {MAX_BYTES // 1_000_000} MB")
    kind = kind_of(data)
    if kind is None:
        raise ImageError("image_not_a_picture", "the file is not a JPEG, PNG or WebP picture")
    digest = hashlib.sha256(data).hexdigest()
    row = {"store_id": store_id, "digest": digest, "content_type": TYPES[kind], "data": data,
           "created_at": utc_now_iso()}  # fmt: skip
    repository.upsert(conn, shop_images, row, ("store_id", "digest"))
    url = address(store_id, digest, kind)
    conn.execute(sa.update(p).where(p.c.store_id == store_id, p.c.sku == sku)
                 .values(image_url=url))  # fmt: skip
    return url


def load(conn: sa.Connection, store_id: str, name: str) -> Picture | None:
    """The picture served under ``name`` (``{sha256}.{ext}``), or None."""
    found = NAME.match(name)
    if found is None:
        return None
    i = shop_images
    row = conn.execute(sa.select(i.c.data, i.c.content_type).where(
        i.c.store_id == store_id, i.c.digest == found.group(1))).first()  # fmt: skip
    if row is None or row.content_type != TYPES[found.group(2)]:
        return None
    return Picture(bytes(row.data), row.content_type)
