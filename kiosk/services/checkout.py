"""Checkout: the one use case every face of the till drives (counter, self-checkout, replay).

It owns the open basket and its payment, prices through the domain, and hands a finished
sale to the ledger in one durable write. Only after ``complete`` returns may the caller
open the drawer, print, or say thank you. Runs on one thread; no locks.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any
from zoneinfo import ZoneInfo

from kiosk.domain.basket import Basket, BasketLine
from kiosk.domain.bounds import DEFAULT_LIMITS, Limits
from kiosk.domain.catalog import Catalog, LookupResult, Product
from kiosk.domain.checkout_result import complete_sale, voided_lines_of
from kiosk.domain.errors import ShownError
from kiosk.domain.pricing import PricedBasket, TaxConfig, price_basket
from kiosk.domain.promotions import Promotion
from kiosk.domain.record_ids import RANDOM_BITS, time_ordered_id
from kiosk.domain.sale import CompletedSale, TenderRecord
from kiosk.domain.tenders import TenderSession
from kiosk.domain.variable_barcodes import VariableBarcodeRule
from kiosk.ports import Clock, Scan, StoreLedger
from kiosk.services.business_day import business_date, utc_stamp
from kiosk.services.open_basket import OpenBasketStore


class CheckoutError(ShownError):
    """A request the checkout cannot carry out."""


# The shop's limits (``limits.*``): their codes in kiosk.domain.error_codes.
PRICE_OVER_LIMIT = "checkout.price_limit"
LINE_OVER_LIMIT = "checkout.line_limit"
SALE_OVER_LIMIT = "checkout.sale_limit"
CASH_OVER_LIMIT = "checkout.cash_limit"
LIMIT_CODES = (PRICE_OVER_LIMIT, LINE_OVER_LIMIT, SALE_OVER_LIMIT, CASH_OVER_LIMIT)


# limits.max_qty: more of one item on a line than this is refused where it is typed or
# scanned (the self-checkout asks staff instead, and passes their approval on).
QTY_OVER_LIMIT = "Quantity {qty} is above this till's limit of {limit} per item"


class QuantityLimitError(CheckoutError):
    """A line would hold more of one item than ``limits.max_qty``; nothing changed."""

    def __init__(self, qty: int, limit: int) -> None:
        super().__init__(QTY_OVER_LIMIT.format(qty=qty, limit=limit))
        self.qty = qty
        self.limit = limit
        self.code, self.params = "checkout.qty_limit", {"qty": qty, "limit": limit}


@dataclass(frozen=True)
class CheckoutConfig:
    store_id: str
    device_id: str
    timezone: str = "Asia/Jakarta"
    tax: TaxConfig = field(default_factory=TaxConfig)
    cash_rounding_step: int = 0
    variable_rules: tuple[VariableBarcodeRule, ...] = ()
    mode: str = "counter"
    limits: Limits = DEFAULT_LIMITS
    max_qty: int | None = None  # limits.max_qty, per line (None: the basket's own bound)
    max_cancel_amount: int = 200_000  # a cashier cancels a sale up to this alone


@dataclass(frozen=True)
class ScanResult:
    line: BasketLine
    product: Product
    lookup: LookupResult


def new_id() -> str:
    """A basket's and its sale's id: time first, so a sale's rows land together."""
    return time_ordered_id(time.time_ns() // 1_000_000, secrets.randbits(RANDOM_BITS))


class CheckoutService:
    def __init__(
        self,
        *,
        catalog: Catalog,
        ledger: StoreLedger,
        clock: Clock,
        config: CheckoutConfig,
        promotions: Sequence[Promotion] = (),
        ids: Callable[[], str] = new_id,
        keeper: OpenBasketStore | None = None,
    ) -> None:
        self.catalog = catalog
        self.ledger = ledger
        self.clock = clock
        self.config = config
        self.promotions: list[Promotion] = list(promotions)
        self._ids = ids
        self.keeper = keeper  # the open basket on disk, written after every change
        self._zone = ZoneInfo(config.timezone)
        self.cashier = ""
        self.basket = Basket(ids())
        self._tenders: TenderSession | None = None
        self._priced: PricedBasket | None = None

    # -- basket -------------------------------------------------------------------
    def lookup(self, code: str | Scan) -> LookupResult:
        """Find what a scan means without touching the basket (raises domain errors)."""
        text = code.data if isinstance(code, Scan) else code
        return self.catalog.lookup(text.strip(), self.config.variable_rules)

    def qty_after(self, found: LookupResult, qty: int = 1) -> int:
        """How many the line would hold once ``found`` x ``qty`` is added: a plain item
        scanned again joins its line (as ``Basket.add`` does)."""
        if found.price_override is None and found.weight_g is None:
            for line in reversed(self.basket.lines):
                if line.is_plain and line.product == found.product:
                    return line.qty + qty
        return qty

    def add(self, found: LookupResult, qty: int = 1, *, approved: bool = False) -> ScanResult:
        """``approved``: staff allowed a quantity above ``max_qty`` (the self-checkout)."""
        self._require_open_basket()
        if not approved:
            self._check_qty(self.qty_after(found, qty), weighed=found.weight_g is not None)
        count = len(self.basket.lines)
        line = self.basket.add(
            found.product,
            qty,
            barcode=found.barcode,
            price_override=found.price_override,
            weight_g=found.weight_g,
        )
        if line.line_no > count:
            self._within_limits(line, undo=self.basket.lines.pop)
        else:
            self._within_limits(line, undo=lambda: setattr(line, "qty", line.qty - qty))
        self._changed()
        return ScanResult(line, found.product, found)

    def add_weighed(self, found: LookupResult, grams: int) -> ScanResult:
        """A product sold by weight, with the grams the till's scale read for it."""
        return self.add(replace(found, weight_g=grams, price_override=None))

    def scan(self, code: str | Scan, qty: int = 1) -> ScanResult:
        return self.add(self.lookup(code), qty)

    def add_sku(self, sku: str, qty: int = 1) -> ScanResult:
        product = self.catalog.by_sku(sku)
        if product is None:
            raise CheckoutError.of(
                "catalog.no_such_item", sku=sku, message=f"no product with SKU {sku!r}"
            )
        return self.add(
            LookupResult(product=product, barcode="", price_override=None, weight_g=None), qty
        )

    def set_qty(self, line_no: int, qty: int, *, approved: bool = False) -> None:
        self._require_open_basket()
        if not approved:
            self._check_qty(qty, weighed=self.basket.line(line_no).weight_g is not None)
        old = self.basket.line(line_no).qty
        line = self.basket.set_qty(line_no, qty)
        self._within_limits(line, undo=lambda: setattr(line, "qty", old))
        self._changed()

    def set_last_qty(self, qty: int) -> None:
        self._require_open_basket()
        last = next((ln for ln in reversed(self.basket.lines) if not ln.voided), None)
        if last is None:
            self.basket.set_last_qty(qty)  # raises: the basket is empty
            return
        self.set_qty(last.line_no, qty)

    def void_line(self, line_no: int, *, staff: str = "") -> None:
        self._require_open_basket()
        line = self.basket.void(line_no)
        self._changed()
        self.ledger.record_event(
            "void",
            self.basket.basket_id,
            {"line_no": line_no, "sku": line.product.sku, "qty": line.qty, "staff": staff},
            utc_stamp(self.clock),
        )  # published: the fleet's copy of the chain has no gap (contract: books.Void)

    def override_price(self, line_no: int, price: int, *, staff: str) -> None:
        """A staff price change on one line, journaled with who made it and the old price
        (the role check is the caller's: ``StaffService.require(member, "price_override")``)."""
        self._require_open_basket()
        before = self.basket.line(line_no)
        old, old_override = before.unit_price, before.price_override
        line = self.basket.override_price(line_no, price)
        self._within_limits(line, undo=lambda: setattr(line, "price_override", old_override))
        self._changed()
        self.ledger.record_event(
            "price_override",
            self.basket.basket_id,
            {"line_no": line_no, "sku": line.product.sku, "old": old, "new": price, "staff": staff},
            utc_stamp(self.clock),
        )

    def discount_line(
        self, line_no: int, *, percent: str | None = None, amount: int | None = None
    ) -> None:
        self._require_open_basket()
        self.basket.set_line_discount(line_no, percent=percent, amount=amount)
        self._changed()

    def discount_order(self, *, percent: str | None = None, amount: int | None = None) -> None:
        self._require_open_basket()
        self.basket.set_order_discount(percent=percent, amount=amount)
        self._changed()

    def set_member(self, member_id: str) -> None:
        self.basket.member_id = member_id
        self._changed()

    def priced(self) -> PricedBasket:
        if self._priced is None:
            # Promotion windows are store-local ("Friday 17:00-19:00").
            at = self.clock.now().astimezone(self._zone)
            promotions = () if self.basket.order else self.promotions  # priced when ordered
            self._priced = price_basket(self.basket, promotions, at, self.config.tax)
        return self._priced

    # -- suspend / resume / abandon ---------------------------------------------------
    def suspend(self, label: str = "") -> str:
        self._require_open_basket()
        if self.basket.is_empty:
            raise CheckoutError.of("checkout.nothing_to_park")
        basket_id = self.basket.basket_id
        self.ledger.suspend_basket(basket_id, self.basket.to_dict(), label, utc_stamp(self.clock))
        self._new_basket()
        return basket_id

    def find_suspended(self, ref: str) -> str:
        """A parked basket by its id, its label, or a unique prefix of its id."""
        parked = self.ledger.list_suspended()
        for match in (
            [p for p in parked if p["basket_id"] == ref],
            [p for p in parked if p["label"] == ref],
            [p for p in parked if p["basket_id"].startswith(ref)],
        ):
            if len(match) == 1:
                return match[0]["basket_id"]
            if len(match) > 1:
                raise CheckoutError.of("checkout.park_ambiguous", ref=ref, count=len(match))
        raise CheckoutError.of(
            "checkout.no_parked", ref=ref, message=f"no suspended basket {ref!r}"
        )

    def resume(self, ref: str) -> None:
        """Take back a parked basket (by id, label or id prefix)."""
        if not self.basket.is_empty or self._tenders is not None:
            raise CheckoutError.of(
                "checkout.finish_first",
                message="finish or suspend the open basket before resuming another",
            )
        payload = self.ledger.resume_basket(self.find_suspended(ref))
        self.reopen(Basket.from_dict(payload))

    def reopen(self, basket: Basket) -> None:
        """Carry on with ``basket`` (parked, or left open when the till last stopped)."""
        if not self.basket.is_empty or self._tenders is not None:
            raise CheckoutError.of(
                "checkout.finish_first",
                message="finish or suspend the open basket before resuming another",
            )
        self.basket = basket
        self._changed()

    def abandon(self, reason: str, *, event: str = "abandoned", **who: str) -> None:
        """Clear an unfinished basket, journaled so the fleet sees walk-aways (``event``
        "sale_cancelled": staff cancelled it, ``who`` names them; see sale_cancel)."""
        if not self.basket.is_empty:
            basket, total = self.basket.to_dict(), self.priced().total
            payload = {"reason": reason, "basket": basket, "total": total, **who}
            self.ledger.record_event(event, self.basket.basket_id, payload, utc_stamp(self.clock))
        self._new_basket()

    # -- payment ------------------------------------------------------------------
    @property
    def tenders(self) -> TenderSession | None:
        return self._tenders

    def start_payment(self) -> TenderSession:
        if self._tenders is None:
            priced = self.priced()
            if not priced.lines:
                raise CheckoutError.of("checkout.empty")
            self._tenders = TenderSession(
                priced.total,
                cash_rounding_step=self.config.cash_rounding_step,
                limits=self.config.limits,
            )
        return self._tenders

    def pay_cash(self, given: int) -> TenderRecord:
        session = self.start_payment()
        limit = self.config.limits.max_cash_tendered
        if isinstance(given, int) and given > limit:
            raise CheckoutError.of(CASH_OVER_LIMIT, limit=limit)
        return session.add_cash(given)

    def pay_card(self, amount: int, **details: Any) -> TenderRecord:
        return self.start_payment().add_card(amount, **details)

    def pay_qris(self, amount: int, *, reference: str) -> TenderRecord:
        return self.start_payment().add_qris(amount, reference=reference)

    def pay_points(self, points: int, value: int) -> TenderRecord:
        """Loyalty points as a tender (``LoyaltyService.redeem`` checks the member may)."""
        return self.start_payment().add_points(points, value)

    def cancel_payment(self) -> None:
        """Back to the basket; only while no money was taken (points tendered go back to
        the member: they are booked only with the sale)."""
        if self._tenders is not None and any(t.method != "points" for t in self._tenders.records()):
            raise CheckoutError.of("checkout.tender_taken")
        self._tenders = None

    def complete(self) -> CompletedSale:
        """Write the sale durably; on return it is committed with its receipt number."""
        tenders = self.start_payment()
        if not tenders.is_complete:
            raise CheckoutError.of(
                "checkout.still_due",
                due=tenders.remaining,
                message=f"still due: {tenders.remaining}",
            )
        now = self.clock.now()
        sale_id = self._ids()
        if self.keeper is not None:  # noted first: a crash after the commit cannot resell it
            self.keeper.keep(self.basket, sale_id)
        sale = complete_sale(
            self.priced(),
            tenders,
            sale_id=sale_id,
            store_id=self.config.store_id,
            device_id=self.config.device_id,
            business_date=business_date(now, self.config.timezone),
            created_at=utc_stamp(self.clock, now),
            cashier=self.cashier,
            member_id=self.basket.member_id,
            mode=self.config.mode,
            voided_lines=voided_lines_of(self.basket),
        )
        if self.basket.order:  # the channel and order id go with the sale to the reports
            sale = replace(sale, extra={**sale.extra, **self.basket.order})
        committed = self.ledger.commit_sale(sale)
        self._new_basket()
        return committed

    # -- internals ----------------------------------------------------------------
    def _within_limits(self, line: BasketLine, *, undo: Callable[[], object]) -> None:
        """The shop's maxima (``limits.*``) for a line just changed; beyond them the change
        is undone and refused, so the basket is as it was and a sale's totals stay far
        inside what the ledger and reports can add up."""
        limits = self.config.limits
        for amount, limit, code in (
            (line.unit_price, limits.max_price, PRICE_OVER_LIMIT),
            (line.gross, limits.max_line_total, LINE_OVER_LIMIT),
            (self.basket.gross, limits.max_sale_total, SALE_OVER_LIMIT),
        ):
            if amount > limit:
                undo()
                self._changed()
                raise CheckoutError.of(code, limit=limit)

    def _check_qty(self, qty: int, *, weighed: bool) -> None:
        limit = self.config.max_qty
        if limit is not None and not weighed and isinstance(qty, int) and qty > limit:
            raise QuantityLimitError(qty, limit)

    def _require_open_basket(self) -> None:
        if self._tenders is not None and self._tenders.records():
            raise CheckoutError.of(
                "checkout.payment_started",
                message="payment has started; the basket can no longer change",
            )
        self._tenders = None

    def _changed(self) -> None:
        self._priced = None
        if self.keeper is not None:
            self.keeper.keep(self.basket)

    def _new_basket(self) -> None:
        if self.keeper is not None:
            self.keeper.drop(self.basket.basket_id)
        self.basket = Basket(self._ids())
        self._tenders = None
        self._priced = None
