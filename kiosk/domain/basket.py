"""The basket being rung up: lines, voids, quantity changes and manual discounts.

Line numbers are 1-based and never reused: a voided line stays in ``lines`` flagged
``voided`` (the journal and the attendant see what was taken off) and keeps its number.
Prices are not computed here beyond a line's gross; ``pricing.price_basket`` does the rest.

Suspend/resume (``to_dict``/``from_dict``) stores each line's product *by value*: a
resumed basket charges what the customer was shown when it was suspended, even if the
catalog changed in between.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

from kiosk.domain.catalog import Catalog, Product
from kiosk.domain.errors import ShownError
from kiosk.domain.money import percent_of, round_half_up

MAX_QTY = 9999  # a fat-fingered quantity is refused, not rung up
BASKET_SCHEMA = 1


class BasketError(ShownError, ValueError):
    """An operation on the basket that cannot be done; the message says why."""


def normalize_percent(percent: str, what: str = "discount") -> str:
    """``"10.0"`` -> ``"10"``; a percent must be a decimal string in (0, 100]."""
    try:
        value = Decimal(str(percent).strip())
    except InvalidOperation:
        raise BasketError.of(
            "basket.percent_not_number",
            percent=str(percent),
            message=f"{what} percent {percent!r} is not a number",
        ) from None
    if not value.is_finite() or not 0 < value <= 100:
        raise BasketError.of(
            "basket.percent_range",
            message=f"{what} percent must be more than 0 and at most 100, got {percent}",
        )
    return format(value.normalize(), "f")


def _check_amount(amount: int, what: str, unit: str = "rupiah amount") -> int:
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        raise BasketError.of(
            "basket.weight_range"
            if what == "weight"
            else "basket.new_price"
            if what == "price"
            else "basket.amount_range",
            message=f"{what} must be a whole {unit} above 0, got {amount!r}",
        )
    return amount


def _check_qty(qty: int) -> int:
    if isinstance(qty, bool) or not isinstance(qty, int) or not 1 <= qty <= MAX_QTY:
        raise BasketError.of(
            "basket.qty_range",
            max=MAX_QTY,
            message=f"quantity must be a whole number from 1 to {MAX_QTY}, got {qty!r}",
        )
    return qty


@dataclass(frozen=True)
class OrderDiscount:
    percent: str | None = None
    amount: int | None = None

    def of(self, base: int) -> int:
        """The discount on ``base`` rupiah, never more than ``base``."""
        if self.percent is not None:
            return min(base, percent_of(base, self.percent))
        return min(base, self.amount or 0)


@dataclass
class BasketLine:
    line_no: int
    product: Product
    qty: int = 1
    barcode: str = ""
    price_override: int | None = None  # a price label or a staff price change, per unit
    weight_g: int | None = None  # weighed items: qty is 1 and the price is per kg
    voided: bool = False
    discount_percent: str | None = None
    discount_amount: int | None = None

    @property
    def unit_price(self) -> int:
        return self.product.price if self.price_override is None else self.price_override

    @property
    def gross(self) -> int:
        if self.price_override is not None:
            return self.price_override * self.qty
        if self.weight_g is not None:
            return round_half_up(Fraction(self.product.price * self.weight_g, 1000)) * self.qty
        return self.product.price * self.qty

    @property
    def line_discount(self) -> int:
        """The manual line discount in rupiah, capped at the line's gross."""
        return OrderDiscount(self.discount_percent, self.discount_amount).of(self.gross)

    @property
    def is_plain(self) -> bool:
        return not (
            self.voided
            or self.price_override is not None
            or self.weight_g is not None
            or self.discount_percent is not None
            or self.discount_amount is not None
        )

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["product"]["barcodes"] = list(self.product.barcodes)
        return data


class Basket:
    def __init__(self, basket_id: str) -> None:
        self.basket_id = basket_id
        self.lines: list[BasketLine] = []
        self.member_id = ""
        self.order_discount: OrderDiscount | None = None
        # An online order being collected: {"order_id", "channel"}; its lines carry the
        # ordered prices, so no promotion applies again.
        self.order: dict[str, str] | None = None

    def __repr__(self) -> str:
        return f"Basket({self.basket_id!r}, {len(self.active_lines())} active lines)"

    # -- adding and changing lines ------------------------------------------------------

    def add(
        self,
        product: Product,
        qty: int = 1,
        *,
        barcode: str = "",
        price_override: int | None = None,
        weight_g: int | None = None,
    ) -> BasketLine:
        """Ring up a product. Scanning the same plain product again raises the quantity of
        its line instead of adding one; weighed, price-labelled and discounted lines are
        always their own line."""
        _check_qty(qty)
        if price_override is not None and (
            isinstance(price_override, bool)
            or not isinstance(price_override, int)
            or price_override < 0
        ):
            raise BasketError.of(
                "basket.price_range",
                message=f"price must be whole rupiah >= 0, got {price_override!r}",
            )
        if weight_g is not None:
            _check_amount(weight_g, "weight", "number of grams")
            if qty != 1:
                raise BasketError.of(
                    "basket.weighed_qty",
                    message="a weighed item is rung up once with its weight, not a quantity",
                )
        elif product.sold_by_weight and price_override is None:
            raise BasketError.of(
                "basket.sold_by_weight",
                name=product.name,
                message=f"{product.name} is sold by weight: weigh it or scan its label",
            )
        if price_override is None and weight_g is None:
            for line in reversed(self.lines):
                if line.is_plain and line.product == product:
                    _check_qty(line.qty + qty)
                    line.qty += qty
                    return line
        line = BasketLine(len(self.lines) + 1, product, qty, barcode, price_override, weight_g)
        self.lines.append(line)
        return line

    def line(self, line_no: int) -> BasketLine:
        """The line with this number; a voided line is an error (nothing to change)."""
        if isinstance(line_no, bool) or not isinstance(line_no, int):
            raise BasketError.of(
                "basket.line_not_number",
                message=f"line number must be a whole number, got {line_no!r}",
            )
        if not 1 <= line_no <= len(self.lines):
            count = len(self.lines)
            raise BasketError.of(
                "basket.no_line",
                line=line_no,
                count=count,
                message=f"line {line_no} does not exist; the basket has {count} "
                + ("line" if count == 1 else "lines"),
            )
        found = self.lines[line_no - 1]
        if found.voided:
            raise BasketError.of(
                "basket.line_voided", line=line_no, message=f"line {line_no} is voided"
            )
        return found

    def set_qty(self, line_no: int, qty: int) -> BasketLine:
        line = self.line(line_no)
        _check_qty(qty)
        if line.weight_g is not None:
            raise BasketError.of(
                "basket.line_weighed",
                line=line_no,
                message=f"line {line_no} is weighed; void it and weigh again",
            )
        line.qty = qty
        return line

    def set_last_qty(self, qty: int) -> BasketLine:
        """Change the quantity of the most recent line still in the basket ("x3")."""
        for line in reversed(self.lines):
            if not line.voided:
                return self.set_qty(line.line_no, qty)
        raise BasketError.of(
            "basket.empty_scan_first", message="the basket is empty; scan an item first"
        )

    def void(self, line_no: int) -> BasketLine:
        line = self.line(line_no)
        line.voided = True
        return line

    def override_price(self, line_no: int, price: int) -> BasketLine:
        """Staff set a different unit price (a damaged box, a shelf label that was wrong)."""
        line = self.line(line_no)
        if line.weight_g is not None:
            raise BasketError.of(
                "basket.weighed_price",
                line=line_no,
                message=f"line {line_no} is weighed; its price comes from the scale",
            )
        line.price_override = _check_amount(price, "price")
        return line

    def set_line_discount(
        self, line_no: int, *, percent: str | None = None, amount: int | None = None
    ) -> BasketLine:
        """A manual discount on one line: a percent or an amount (per line, not per unit);
        neither clears it."""
        line = self.line(line_no)
        percent, amount = self._discount_args(percent, amount, f"line {line_no}")
        line.discount_percent, line.discount_amount = percent, amount
        return line

    def set_order_discount(self, *, percent: str | None = None, amount: int | None = None) -> None:
        """A discount on the whole order: a percent or an amount; neither clears it."""
        percent, amount = self._discount_args(percent, amount, "order")
        self.order_discount = (
            None if percent is None and amount is None else OrderDiscount(percent, amount)
        )

    @staticmethod
    def _discount_args(
        percent: str | None, amount: int | None, what: str
    ) -> tuple[str | None, int | None]:
        if percent is not None and amount is not None:
            raise BasketError.of(
                "basket.discount_both",
                message=f"{what} discount: give a percent or an amount, not both",
            )
        if percent is not None:
            return normalize_percent(percent, f"{what} discount"), None
        if amount is not None:
            return None, _check_amount(amount, f"{what} discount")
        return None, None

    # -- reading ------------------------------------------------------------------------

    def active_lines(self) -> list[BasketLine]:
        return [line for line in self.lines if not line.voided]

    def voided_lines(self) -> list[BasketLine]:
        return [line for line in self.lines if line.voided]

    @property
    def is_empty(self) -> bool:
        return not self.active_lines()

    @property
    def item_count(self) -> int:
        """Units in the basket; a weighed line counts as one item."""
        return sum(line.qty for line in self.active_lines())

    @property
    def gross(self) -> int:
        return sum(line.gross for line in self.active_lines())

    # -- suspend / resume ---------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        od = self.order_discount
        return {
            "schema": BASKET_SCHEMA,
            "basket_id": self.basket_id,
            "member_id": self.member_id,
            "order_discount": None if od is None else asdict(od),
            "lines": [line.to_dict() for line in self.lines],
            **({"order": dict(self.order)} if self.order else {}),
        }

    @classmethod
    def from_dict(
        cls,
        data: Mapping[str, Any],
        catalog_or_resolver: Catalog | Callable[[str], Product | None] | None = None,
    ) -> Basket:
        """Rebuild a suspended basket. Products come from the stored snapshot; the
        catalog (or a ``sku -> Product`` resolver) is consulted only for a line stored
        with just a ``sku`` and no product snapshot."""
        try:
            basket = cls(str(data["basket_id"]))
            basket.member_id = str(data.get("member_id", ""))
            if data.get("order"):
                basket.order = {str(k): str(v) for k, v in data["order"].items()}
            for n, raw in enumerate(data["lines"], start=1):
                product = _product_of(raw, catalog_or_resolver)
                line = BasketLine(
                    line_no=n,
                    product=product,
                    qty=_check_qty(raw.get("qty", 1)),
                    barcode=str(raw.get("barcode", "")),
                    price_override=raw.get("price_override"),
                    weight_g=raw.get("weight_g"),
                    voided=bool(raw.get("voided", False)),
                    discount_percent=raw.get("discount_percent"),
                    discount_amount=raw.get("discount_amount"),
                )
                if raw.get("line_no", n) != n:
                    raise BasketError.of(
                        "basket.stored_line",
                        line=n,
                        message=f"line {n} is stored as number {raw.get('line_no')}",
                    )
                basket.lines.append(line)
            od = data.get("order_discount")
            if od:
                basket.set_order_discount(percent=od.get("percent"), amount=od.get("amount"))
        except (KeyError, TypeError, AttributeError) as exc:
            raise BasketError.of(
                "basket.stored_malformed", message=f"suspended basket is malformed: {exc!r}"
            ) from None
        return basket


def _product_of(
    raw: Mapping[str, Any],
    resolver: Catalog | Callable[[str], Product | None] | None,
) -> Product:
    snapshot = raw.get("product")
    if snapshot is not None:
        return Product(**{**snapshot, "barcodes": tuple(snapshot.get("barcodes", ()))})
    sku = str(raw["sku"])
    found = (
        resolver.by_sku(sku)
        if isinstance(resolver, Catalog)
        else (resolver(sku) if resolver is not None else None)
    )
    if found is None:
        raise BasketError.of(
            "basket.stored_product",
            message=f"suspended line for sku {sku} has no product and it is not in the catalog",
        )
    return found
