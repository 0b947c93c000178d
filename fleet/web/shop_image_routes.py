"""Product pictures: the owner's products page (each product with its picture and an
upload form, behind the dashboard's sign-in; owners and managers may upload) and the
pictures themselves, public like the shop (``/shop/{store}/images/{sha256}.{ext}``).

The upload is a plain ``multipart/form-data`` form, read with the standard library's
MIME parser (the fleet has no form-upload library); a body beyond the size limit is
refused before it is read whole."""

from __future__ import annotations

from email.parser import BytesParser
from email.policy import HTTP
from typing import Any
from urllib.parse import quote

import sqlalchemy as sa
from fastapi import FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from fleet.services.users import COMMANDING_ROLES, AccessDenied
from fleet.shop import catalog, images
from fleet.shop.images import ImageError
from fleet.web.auth import StorePage, check_form_csrf
from fleet.web.shop_i18n import SHOP_TEXTS
from fleet.web.shop_owner_routes import Page

FORM_SLACK = 64_000  # the form's other fields and MIME headers beside the picture


class TooBigError(Exception):
    pass


async def read_capped(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise TooBigError
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise TooBigError
        chunks.append(chunk)
    return b"".join(chunks)


def form_parts(body: bytes, content_type: str) -> dict[str, tuple[str, bytes]]:
    """A ``multipart/form-data`` body -> {field: (file name, bytes)}; {} for another kind."""
    if not content_type.lower().startswith("multipart/form-data"):
        return {}
    head = f"Content-Type: {content_type}\r\n\r\n".encode("latin-1", "replace")
    message: Any = BytesParser(policy=HTTP).parsebytes(head + body)
    parts: dict[str, tuple[str, bytes]] = {}
    if not message.is_multipart():
        return parts
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if isinstance(name, str):
            parts[name] = (part.get_filename() or "", part.get_payload(decode=True) or b"")
    return parts


def add_image_routes(app: FastAPI, engine: sa.Engine, page: Page) -> None:
    @app.get("/shop/{store}/images/{name}", include_in_schema=False)
    def picture(store: str, name: str) -> Response:
        with engine.connect() as conn:
            found = images.load(conn, store, name)
        if found is None:
            return Response(status_code=404)
        return Response(found.data, media_type=found.content_type, headers={
            "Cache-Control": "public, max-age=31536000, immutable",
            "X-Content-Type-Options": "nosniff"})  # fmt: skip

    @app.get("/stores/{store}/products", response_class=HTMLResponse, include_in_schema=False)
    def products_page(request: Request, access: StorePage, store: str, error: str = "",
                      done: str = "") -> HTMLResponse:  # fmt: skip
        with engine.connect() as conn:
            listed = catalog.products(conn, store)
        return page(request, "shop_owner_products.html", store=store, products=listed,
                    sw=SHOP_TEXTS, error=error if error in SHOP_TEXTS else "", done=done,
                    may_upload=access.role in COMMANDING_ROLES,
                    max_mb=images.MAX_BYTES // 1_000_000)  # fmt: skip

    @app.post("/stores/{store}/products/{sku}/image", include_in_schema=False)
    async def upload(request: Request, store: str, sku: str,
                     access: StorePage) -> RedirectResponse:  # fmt: skip
        # The language rides in the address: a body too big is not read for its fields.
        lang = "en" if request.query_params.get("lang") == "en" else "id"
        target = f"/stores/{quote(store, safe='')}/products?lang="
        try:
            body = await read_capped(request, images.MAX_BYTES + FORM_SLACK)
        except TooBigError:
            return RedirectResponse(f"{target}{lang}&error=image_too_big", status_code=303)
        parts = form_parts(body, request.headers.get("content-type", ""))
        fields = {k: [v.decode("utf-8", "replace")] for k, (f, v) in parts.items() if not f}
        check_form_csrf(request, engine, fields)
        try:
            if access.role not in COMMANDING_ROLES:
                raise AccessDenied("a viewer cannot change the catalog")
            data = parts.get("image", ("", b""))[1]
            await run_in_threadpool(_save, store, sku, data)
        except ImageError as err:
            return RedirectResponse(f"{target}{lang}&error={err.code}", status_code=303)
        except AccessDenied:
            return RedirectResponse(f"{target}{lang}&error=refused", status_code=303)
        return RedirectResponse(f"{target}{lang}&done={quote(sku)}", status_code=303)

    def _save(store: str, sku: str, data: bytes) -> None:
        with engine.begin() as conn:
            images.save(conn, store, sku, data)
