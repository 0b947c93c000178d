"""The public web shop of each store (``/shop/{store}``): catalog with categories and
search, availability as words, a basket kept in the browser, checkout (name, WhatsApp,
pickup time or delivery address, QRIS now or pay at pickup) and the order's own page at
an unguessable address that follows its status live (server-sent events) and shows the
pickup QR once the store marks it ready. Plain HTML forms; the only script is the live
refresh, and without it the page reloads itself every 15 s."""

from __future__ import annotations

import asyncio
import io
import json
import secrets
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import parse_qs, quote, urlencode

import segno
import sqlalchemy as sa
from fastapi import FastAPI, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response, StreamingResponse
from fastapi.templating import Jinja2Templates

from fleet.services import commands
from fleet.shop import catalog, order_status, orders, payments, settings, web_basket
from fleet.shop.orders import OrderError
from fleet.web.i18n import pick_lang
from fleet.web.shop_i18n import SHOP_TEXTS, shop_translator
from kiosk.contract.orders import PICKUP_PREFIX
from kiosk.domain.money import format_rupiah
from kiosk.domain.sale import iso_utc

PAGE_SIZE = 48
COOKIE = "shop_basket"
LIVE_POLL_S = 1.0


async def _form(request: Request) -> dict[str, str]:
    """A posted form's fields (first value each), without python-multipart."""
    fields = parse_qs((await request.body()).decode("utf-8", "replace"))
    return {key: values[0] for key, values in fields.items() if values}


class ShopWeb:
    """The shop's pages over one engine, broker and acquirer; ``register`` adds them."""

    def __init__(
        self, engine: sa.Engine, publish: commands.Publish | None,
        acquirer: payments.ShopAcquirer | None, templates: Jinja2Templates,
        *, live_poll_s: float = LIVE_POLL_S,
    ) -> None:  # fmt: skip
        self.engine, self.publish, self.acquirer = engine, publish, acquirer
        self.templates, self.live_poll_s = templates, live_poll_s

    def register(self, app: FastAPI) -> None:
        for method, path, endpoint in (
            ("GET", "/shop/{store}", self.shop_page),
            ("POST", "/shop/{store}/basket", self.basket_change),
            ("GET", "/shop/{store}/basket", self.basket_page),
            ("POST", "/shop/{store}/checkout", self.checkout),
            ("GET", "/shop/{store}/orders/{token}", self.order_page),
            ("GET", "/shop/{store}/orders/{token}/qr.svg", self.order_qr),
            ("POST", "/shop/{store}/orders/{token}/simulate-pay", self.simulate_pay),
            ("GET", "/shop/{store}/orders/{token}/events", self.order_events),
        ):
            app.add_api_route(path, endpoint, methods=[method], include_in_schema=False)

    @staticmethod
    def lang_of(request: Request) -> str:
        return pick_lang(request.query_params.get("lang"), request.headers.get("accept-language"))

    def render(self, request: Request, name: str, store: str, **context: Any) -> HTMLResponse:
        lang = self.lang_of(request)
        with self.engine.connect() as conn:
            shop = settings.load(conn, store)
        basket = web_basket.read(request.cookies.get(COOKIE))
        return self.templates.TemplateResponse(request, name, {
            "t": shop_translator(lang), "lang": lang, "other_lang": "en" if lang == "id" else "id",
            "rp": lambda amount: format_rupiah(int(amount), lang), "store": store,
            "store_name": shop["name"] or store, "shop": shop, "count": sum(basket.values()),
            "base": f"/shop/{quote(store, safe='')}", **context,
        })  # fmt: skip

    def shop_page(self, request: Request, store: str, q: str = Query("", max_length=100),
                  category: str = Query("", max_length=200),
                  page: int = Query(1, ge=1, le=10_000)) -> HTMLResponse:  # fmt: skip
        now = orders.now_utc()
        with self.engine.connect() as conn:
            shop = settings.load(conn, store)
            found = catalog.products(conn, store, category=category, search=q.strip(),
                                     limit=PAGE_SIZE + 1,
                                     offset=(page - 1) * PAGE_SIZE)  # fmt: skip
            shown = found[:PAGE_SIZE]
            left = catalog.available(conn, store, [p.sku for p in shown])
            groups = catalog.categories(conn, store)
        few = int(shop["few_left"])
        items = [{"p": p, "state": catalog.availability_word(left.get(p.sku), few)}
                 for p in shown]  # fmt: skip
        more = len(found) > PAGE_SIZE
        lang = self.lang_of(request)
        next_url = "?" + urlencode({"q": q, "category": category, "page": page + 1, "lang": lang})
        return self.render(request, "shop.html", store, items=items, categories=groups, q=q,
                           category=category, open=settings.is_open(shop, now),
                           next_url=next_url if more else "")  # fmt: skip

    async def basket_change(self, request: Request, store: str) -> RedirectResponse:
        form = await _form(request)
        sku, mode = str(form.get("sku", ""))[:64], str(form.get("mode", "add"))
        try:
            qty = int(str(form.get("qty", "1")))
        except ValueError:
            qty = 1
        basket = web_basket.read(request.cookies.get(COOKIE))
        if sku:
            basket = web_basket.change(basket, sku, max(0, min(qty, 99)), add=mode == "add")
        back = str(form.get("back", ""))
        lang = quote(str(form.get("lang", "id")))
        target = back if back.startswith(f"/shop/{store}") else f"/shop/{quote(store)}?lang={lang}"
        answer = RedirectResponse(target, status_code=303)
        answer.set_cookie(COOKIE, web_basket.write(basket), max_age=7 * 24 * 3600,
                          httponly=True, samesite="lax")  # fmt: skip
        return answer

    def basket_page(self, request: Request, store: str, error: str = "",
                    skus: str = "") -> HTMLResponse:  # fmt: skip
        now = orders.now_utc()
        basket = web_basket.read(request.cookies.get(COOKIE))
        with self.engine.connect() as conn:
            priced = web_basket.priced(conn, store, basket, now)
            shop = settings.load(conn, store)
        t = shop_translator(self.lang_of(request))
        message = ""
        if error in {"unknown_product", "not_available"}:
            message = t(error, skus=skus[:300])
        elif error in SHOP_TEXTS:
            message = t(error)
        return self.render(request, "shop_basket.html", store, priced=priced,
                           open=settings.is_open(shop, now), error=message,
                           ref=secrets.token_urlsafe(12),
                           acquirer=self.acquirer is not None)  # fmt: skip

    async def checkout(self, request: Request, store: str) -> RedirectResponse:
        form = await _form(request)
        lang = quote(form.get("lang", "id"))
        basket = web_basket.read(request.cookies.get(COOKIE))
        back = f"/shop/{quote(store)}/basket?lang={lang}&error="
        try:
            placed = await run_in_threadpool(self._place, store, form, basket)
        except web_basket.FormError as err:
            return RedirectResponse(back + err.code, status_code=303)
        except OrderError as err:
            extra = "&skus=" + quote(",".join(err.skus)) if err.skus else ""
            return RedirectResponse(back + err.code + extra, status_code=303)
        answer = RedirectResponse(placed["order_url"] + f"?lang={lang}", status_code=303)
        answer.delete_cookie(COOKIE)
        return answer

    def _place(self, store: str, form: dict[str, str], basket: dict[str, int]) -> dict[str, Any]:
        now = orders.now_utc()
        with self.engine.connect() as conn:
            shop = settings.load(conn, store)
        request = web_basket.order_request(form, basket, shop, now)
        online = form.get("pay") == "qris"
        if online and (self.acquirer is None or not shop["pay_online"]):
            raise web_basket.FormError("payment_unavailable")
        if not online and not shop["pay_at_pickup"]:
            raise web_basket.FormError("payment_unavailable")
        status = "awaiting_payment" if online else "placed"
        placed = orders.place(self.engine, self.publish, store, request, now=now, status=status)
        if online and self.acquirer is not None and not placed["duplicate"]:
            payments.start(self.engine, self.acquirer, placed["order_id"], placed["total"])
        return placed

    def _order(self, store: str, token: str) -> dict[str, Any] | None:
        """The order by its token, after a look at its payment (and a retry of an order
        the broker did not take)."""
        now = orders.now_utc()
        with self.engine.connect() as conn:
            order = order_status.by_token(conn, store, token, now)
        if order is None:
            return None
        payment = order.get("payment") or {}
        unrefunded = (
            order["status"] == "cancelled" and order["prepaid"] and not payment.get("refund")
        )
        if unrefunded and self.acquirer is not None:  # before the refund loop comes round
            payments.refund_cancelled(self.engine, self.acquirer, iso_utc(now))
            with self.engine.connect() as conn:
                return order_status.by_token(conn, store, token, now)
        paid = payments.check(self.engine, self.acquirer, self.publish, order)
        if not paid and order["status"] == "placed" and not order["sent"]:
            try:
                orders.send(self.engine, self.publish, order["order_id"])
            except OrderError:
                return order  # kept unsent; the next look tries again
        elif not paid:
            return order
        with self.engine.connect() as conn:
            return order_status.by_token(conn, store, token, now)

    def order_page(self, request: Request, store: str, token: str) -> HTMLResponse:
        order = self._order(store, token)
        if order is None:
            return self.render(request, "shop_order.html", store, order=None)
        wa = "".join(ch for ch in order["store_whatsapp"] if ch.isdigit())
        text = quote(f"{order['order_id'][:8]} {order['customer']['name']}")
        return self.render(request, "shop_order.html", store, order=order,
                           simulated=bool(self.acquirer and self.acquirer.simulated),
                           whatsapp=f"https://wa.me/{wa}?text={text}" if wa else "")  # fmt: skip

    def order_qr(self, store: str, token: str, what: str = "pickup") -> Response:
        order = self._order(store, token)
        if order is None:
            return Response(status_code=404)
        if what == "pay" and order.get("payment") and order["status"] == "awaiting_payment":
            text = order["payment"]["qris"]
        elif what == "pickup" and order["status"] == "ready":
            text = PICKUP_PREFIX + order["order_id"]
        else:
            return Response(status_code=404)
        image = io.BytesIO()  # a standalone SVG (with its namespace), as an <img> needs
        segno.make(text, error="m").save(image, kind="svg", scale=6, border=2)
        return Response(image.getvalue(), media_type="image/svg+xml",
                        headers={"Cache-Control": "no-store"})  # fmt: skip

    async def simulate_pay(self, request: Request, store: str, token: str) -> RedirectResponse:
        order = await run_in_threadpool(self._order, store, token)
        lang = quote((await _form(request)).get("lang", "id"))
        acquirer = self.acquirer
        if order and isinstance(acquirer, payments.SimulatedAcquirer) and order.get("payment"):
            acquirer.pay(order["payment"]["reference"])
            await run_in_threadpool(self._order, store, token)
        return RedirectResponse(f"/shop/{quote(store)}/orders/{token}?lang={lang}",
                                status_code=303)  # fmt: skip

    async def order_events(self, request: Request, store: str, token: str,
                           limit: int = Query(0, ge=0)) -> StreamingResponse:  # fmt: skip
        """Server-sent events: the order's state whenever it changes."""

        async def stream() -> AsyncIterator[str]:
            sent, last = 0, ""
            yield "retry: 3000\n\n"
            while not await request.is_disconnected():
                order = await run_in_threadpool(self._order, store, token)
                keys = ("status", "short", "not_yet_received")
                text = json.dumps({k: order[k] for k in keys} if order else {}, sort_keys=True)
                if text != last:
                    last, sent = text, sent + 1
                    yield f"event: order\ndata: {text}\n\n"
                    if limit and sent >= limit:
                        return
                await asyncio.sleep(self.live_poll_s)

        return StreamingResponse(stream(), media_type="text/event-stream",
                                 headers={"Cache-Control": "no-cache"})  # fmt: skip
