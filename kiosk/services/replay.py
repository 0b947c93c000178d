"""Replay: drive the real checkout from a script of JSON lines.

The contract other issues, tests and outside checks build on. Every completed sale is
handed to ``on_sale`` only after ``CheckoutService.complete`` returned, i.e. after it is
durable. A bad step raises ``ReplayError`` naming the script line; the open basket is
left uncommitted.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import Any

from kiosk.domain.bounds import AMOUNT_CEILING, BoundsError, check_text, load_json
from kiosk.domain.sale import CompletedSale
from kiosk.payments.simulated import SimulatedGateway
from kiosk.ports import CardResult, Scan
from kiosk.services.business_day import closed_past
from kiosk.services.checkout import CheckoutService
from kiosk.services.qris_payment import QrisPaymentService
from kiosk.services.replay_books import BOOK_STEPS, BookSteps
from kiosk.services.replay_loyalty import LOYALTY_STEPS, LoyaltySteps
from kiosk.services.replay_orders import ORDER_STEPS, OrderSteps
from kiosk.services.replay_stock import STOCK_STEPS, StockSteps
from kiosk.services.staff import NotAllowedError

KeyDecoder = Callable[[list[Any]], list[Scan]]
CardPayment = Callable[[int, str], CardResult]
SaleSink = Callable[[CompletedSale], None]
MAX_STEP_BYTES = 64 * 1024  # one script line; the longest real step is a few hundred bytes
PAY_OUTCOMES = ("approved", "declined", "timeout", "expired")
STEP_NAMES = ("scan", "sku", "qty", "void", "discount", "pay", "suspend", "resume", "keys", "at",
              *BOOK_STEPS, *STOCK_STEPS, *LOYALTY_STEPS, *ORDER_STEPS)  # fmt: skip


class ReplayClock:
    """Real time until a script's ``{"at": ...}`` step sets it (forward only: a closed
    past, see ``business_day.closed_past``); from then on it runs like a clock set to
    that time, so the till's clock guard does not take it for a clock left behind."""

    def __init__(self, monotonic: Callable[[], float] = time.monotonic) -> None:
        self.at: datetime | None = None
        self._monotonic = monotonic
        self._set_at = 0.0

    def set(self, at: datetime) -> None:
        self.at, self._set_at = at, self._monotonic()

    def now(self) -> datetime:
        if self.at is None:
            return datetime.now().astimezone()
        return self.at + timedelta(seconds=self._monotonic() - self._set_at)


class ReplayError(Exception):
    def __init__(self, script: str, line_no: int, message: str) -> None:
        super().__init__(f"{script}:{line_no}: {message}")
        self.line_no = line_no
        self.message = message
        self.not_allowed = False  # a step the logged-in role may not do (or no login)


class Replayer:
    def __init__(
        self,
        checkout: CheckoutService,
        *,
        on_sale: SaleSink,
        decode_keys: KeyDecoder | None = None,
        card_payment: CardPayment | None = None,
        set_time: Callable[[datetime], None] | None = None,
        log: Callable[[str], None] = lambda _msg: None,
        books: BookSteps | None = None,
        stock: StockSteps | None = None,
        qris: QrisPaymentService | None = None,
        loyalty: LoyaltySteps | None = None,
        card_outcome: Callable[[str], None] | None = None,
        orders: OrderSteps | None = None,
    ) -> None:
        self.checkout = checkout
        self.books = books
        self.stock = stock
        self.qris = qris
        self.loyalty = loyalty
        self.orders = orders
        self.card_outcome = card_outcome
        self.on_sale = on_sale
        self.decode_keys = decode_keys
        self.card_payment = card_payment
        self.set_time = set_time
        self.log = log
        self.sales = 0
        self._qris_count = 0

    def run(self, lines: Iterable[str], script: str = "<script>") -> int:
        """Play every step; return the number of completed sales."""
        for line_no, raw in enumerate(lines, start=1):
            text = raw.strip()
            if not text or text.startswith("#"):
                continue
            try:
                step = load_json(text, "", max_bytes=MAX_STEP_BYTES)
            except BoundsError as err:
                raise ReplayError(script, line_no, err.message) from None
            try:
                self.step(step)
            except ReplayError:
                raise
            except Exception as err:  # domain and service errors carry a clear message
                message = getattr(err, "message", None) or str(err) or type(err).__name__
                refused = ReplayError(script, line_no, message)
                refused.not_allowed = isinstance(err, NotAllowedError)
                raise refused from err
        if not self.checkout.basket.is_empty:
            self.log("script ended with an open basket; it was not committed")
        return self.sales

    def step(self, step: Any) -> None:
        if isinstance(step, dict) and "sku" in step and set(step) <= {"sku", "qty"}:
            # {"sku": "...", "qty": n} is the one step with two keys.
            self.checkout.add_sku(_text(step["sku"], "sku"), _positive(step.get("qty", 1), "qty"))
            return
        if not isinstance(step, dict) or len(step) != 1:
            keys = ", ".join(STEP_NAMES)
            raise ValueError(f"a step is an object with exactly one of: {keys}")
        ((name, value),) = step.items()
        if name in BOOK_STEPS:
            if self.books is None:
                raise ValueError(f"{name}: the store's books are not available here")
            self.books.run(name, value)
            return
        if name in STOCK_STEPS:
            if self.stock is None:
                raise ValueError(f"{name}: stock receiving is not available here")
            self.stock.run(name, value)
            return
        if name in LOYALTY_STEPS:
            if self.loyalty is None:
                raise ValueError(f"{name}: loyalty is not available here")
            self.loyalty.run(name, value)
            self._complete_if_paid()  # points may settle a sale
            return
        if name in ORDER_STEPS:
            if self.orders is None:
                raise ValueError(f"{name}: online orders are not available here")
            self.orders.run(name, value)
            self._complete_if_paid()  # a prepaid order is paid by its online tender
            return
        handler = getattr(self, f"_step_{name}", None)
        if name not in STEP_NAMES or handler is None:
            raise ValueError(f"unknown step {name!r}; expected one of {', '.join(STEP_NAMES)}")
        handler(value)

    # -- steps --------------------------------------------------------------------
    def _step_scan(self, value: Any) -> None:
        self.checkout.scan(_text(value, "scan"))

    def _step_qty(self, value: Any) -> None:
        self.checkout.set_last_qty(_positive(value, "qty"))

    def _step_void(self, value: Any) -> None:
        self.checkout.void_line(_positive(value, "void"))

    def _step_discount(self, value: Any) -> None:
        if not isinstance(value, dict):
            raise ValueError('discount needs {"line": n, "percent": p} or {"order": true, ...}')
        percent = value.get("percent")
        amount = value.get("amount")
        if (percent is None) == (amount is None):
            raise ValueError("discount needs exactly one of percent or amount")
        pct = None if percent is None else str(percent)
        amt = None if amount is None else _non_negative(amount, "amount")
        if value.get("order") is True:
            self.checkout.discount_order(percent=pct, amount=amt)
        elif "line" in value:
            self.checkout.discount_line(_positive(value["line"], "line"), percent=pct, amount=amt)
        else:
            raise ValueError('discount needs "line": n or "order": true')

    def _step_pay(self, value: Any) -> None:
        if not isinstance(value, dict) or "method" not in value:
            raise ValueError('pay needs {"method": "cash"|"card"|"qris", "amount": a}')
        method = value["method"]
        outcome = value.get("outcome", "approved")
        if outcome not in PAY_OUTCOMES:
            raise ValueError(f"outcome must be one of {', '.join(PAY_OUTCOMES)}, got {outcome!r}")
        due = self.checkout.start_payment().remaining
        # No ceiling here: the tender's own limits name the bound that was crossed.
        amount = _whole(value.get("amount", due), "amount", 1, ceiling=None)
        order_id = ""
        if method == "cash":
            self.checkout.pay_cash(amount)
        elif method == "card":
            if not self._pay_card(amount, outcome):
                return
        elif method == "qris" and self.qris is not None and "reference" not in value:
            order_id = self._pay_qris(self.qris, amount, outcome)
            if not order_id:
                return
        elif method == "qris":
            given = value.get("reference")
            reference = (
                f"QRIS-{self.checkout.basket.basket_id[:12]}"
                if given is None
                else check_text(given, "reference")
            )
            self.checkout.pay_qris(amount, reference=reference)
        else:
            raise ValueError(f"unknown payment method {method!r}; use cash, card or qris")
        self._complete_if_paid(order_id)

    def _complete_if_paid(self, order_id: str = "") -> None:
        tenders = self.checkout.tenders
        if tenders is not None and tenders.is_complete:
            # With loyalty, the points a member spends and earns are written with the sale.
            sale = self.loyalty.complete() if self.loyalty else self.checkout.complete()
            if order_id and self.qris is not None:
                self.qris.applied(order_id, sale.sale_id)
            self.sales += 1
            self.on_sale(sale)

    def _pay_qris(self, service: QrisPaymentService, amount: int, outcome: str) -> str:
        """Through the (simulated) gateway: the order id when paid and taken as a tender,
        '' when it was declined, expired or not answered (the basket stays open)."""
        gateway = service.gateway
        if isinstance(gateway, SimulatedGateway):
            gateway.outcome = outcome
        self._qris_count += 1
        order_id = f"QR-{self.checkout.basket.basket_id[:12]}-{self._qris_count}"
        charge = service.begin(order_id, amount)
        row = service.wait(order_id, timeout_s=charge.expires_in_s)
        if row.state != "paid":
            self.log(
                f"qris payment {order_id} {row.state}; the basket stays open for another tender"
            )
            return ""
        self.checkout.pay_qris(amount, reference=order_id)
        return order_id

    def _pay_card(self, amount: int, outcome: str) -> bool:
        """True when the terminal approved and the tender is taken; a decline is said on
        stderr and leaves the basket open for another tender."""
        reference = self.checkout.basket.basket_id[:12]
        if self.card_payment is None:
            raise ValueError("no card terminal is configured")
        if self.card_outcome is not None:
            self.card_outcome(outcome)
        elif outcome != "approved":
            raise ValueError("the card terminal's outcome can only be chosen when simulated")
        result = self.card_payment(amount, reference)
        if result.outcome == "declined":
            reason = result.message or result.response_code
            self.log(f"card declined ({reason}); the basket stays open for another tender")
            return False
        if result.outcome != "approved":
            raise ValueError(f"card {result.outcome}: {result.message or result.response_code}")
        self.checkout.pay_card(
            amount,
            reference=result.rrn,
            approval_code=result.approval_code,
            masked_pan=result.masked_pan,
            terminal_id=result.terminal_id,
        )
        return True

    def _step_suspend(self, value: Any) -> None:
        label = value if isinstance(value, str) else ""
        basket_id = self.checkout.suspend(label)
        self.log(f"suspended basket {basket_id}")

    def _step_resume(self, value: Any) -> None:
        self.checkout.resume(_text(value, "resume"))

    def _step_keys(self, value: Any) -> None:
        if self.decode_keys is None:
            raise ValueError("key events cannot be decoded here (no scanner decoder)")
        if not isinstance(value, list):
            raise ValueError('keys needs a list like [["KEY_1", 1], ["KEY_1", 0, 4]]')
        for scan in self.decode_keys(value):
            self.checkout.scan(scan)

    def _step_at(self, value: Any) -> None:
        if self.set_time is None:
            raise ValueError("this replay runs on the real clock")
        moment = datetime.fromisoformat(_text(value, "at"))
        if moment.tzinfo is None:
            raise ValueError("at needs a time with a UTC offset, e.g. 2026-11-27T10:00:00+07:00")
        # A closed day names its Z; otherwise the past is closed by the clock itself.
        refusal = self.books.closed_refusal(moment) if self.books is not None else ""
        now = self.checkout.clock.now()
        refusal = refusal or closed_past(moment, now, self.checkout.config.timezone)
        if refusal:
            raise ValueError(f"at {value}: {refusal}")
        self.set_time(moment)


def _text(value: Any, name: str) -> str:
    """A non-empty string of printable characters within the field bound."""
    return check_text(value, name)


def _positive(value: Any, name: str) -> int:
    return _whole(value, name, 1)


def _non_negative(value: Any, name: str) -> int:
    return _whole(value, name, 0)


def _whole(value: Any, name: str, low: int, ceiling: int | None = AMOUNT_CEILING) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < low:
        shown = "a very large negative number" if _huge(value) else repr(value)[:40]
        raise ValueError(f"{name} must be a whole number of at least {low}, got {shown}")
    if ceiling is not None and value > ceiling:
        raise ValueError(f"{name} is too large (more than {ceiling:,})")
    return value


def _huge(value: Any) -> bool:
    return isinstance(value, int) and value.bit_length() > 64
