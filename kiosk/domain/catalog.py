"""Products and the in-memory catalog the till scans against.

Lookups are dictionary hits on the canonical barcode key (``gtin.normalize``) so a scan
costs microseconds even with 100k products; the storage layer loads the catalog into
this object once and keeps it current with ``upsert``/``remove``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from kiosk.domain.bounds import (
    AMOUNT_CEILING,
    BoundsError,
    are_plain_texts,
    check_amount,
    check_text,
)
from kiosk.domain.errors import ShownError
from kiosk.domain.gtin import InvalidBarcode, normalize
from kiosk.domain.variable_barcodes import DEFAULT_RULES, VariableBarcodeRule, find_rule

MAX_AGE = 99  # an age limit in years; 0: none


class CatalogError(ValueError):
    """A product or catalog change that cannot be accepted; ``skus``: the unknown SKUs
    when that is why (a fleet command names them to the owner)."""

    def __init__(self, message: str, *, skus: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.skus = tuple(skus)


class UnknownBarcode(ShownError, LookupError):  # noqa: N818 (the name is the API)
    def __init__(self, barcode: str, detail: str = "", *, code: str = "barcode.unknown") -> None:
        self.barcode = barcode
        super().__init__(f"no product for barcode {barcode!r}" + (f" ({detail})" if detail else ""))
        self.code, self.params = code, {"code": barcode}


class InactiveProduct(ShownError, LookupError):  # noqa: N818 (the name is the API)
    def __init__(self, product: Product) -> None:
        self.product = product
        super().__init__(f"{product.name} ({product.sku}) is not for sale at the moment")
        self.code, self.params = "catalog.inactive", {"name": product.name}


@dataclass(frozen=True)
class Product:
    sku: str
    name: str
    price: int  # tax-inclusive rupiah per unit (per kg when sold_by_weight)
    barcodes: tuple[str, ...] = ()
    category: str = ""
    unit: str = "pcs"
    tax_class: str = "standard"
    tax_rate_percent: str | None = None  # None: the store's rate; "0": exempt
    age_restricted: int = 0  # minimum age of the buyer; 0: none
    active: bool = True
    sold_by_weight: bool = False
    plu: str = ""  # the item number scale labels (prefixes 20-29) carry; "" for none

    def __post_init__(self) -> None:
        if not self._within_bounds():  # the fast test; the slow one names the problem
            try:
                self._check_bounds()
            except BoundsError as err:
                raise CatalogError(err.message) from None
        if not self.sku or self.sku != self.sku.strip():
            raise CatalogError(f"product sku {self.sku!r} must be non-empty without spaces")
        if self.plu and not (self.plu.isascii() and self.plu.isdigit() and len(self.plu) <= 6):
            raise CatalogError(f"product {self.sku}: PLU {self.plu!r} must be 1-6 digits")
        if not isinstance(self.barcodes, tuple):
            raise CatalogError(f"product {self.sku}: barcodes must be a tuple")
        if self.tax_rate_percent is not None:
            try:
                rate = Decimal(self.tax_rate_percent)
            except (InvalidOperation, TypeError, ValueError):
                rate = Decimal(-1)
            if not rate.is_finite() or not 0 <= rate <= 100:
                raise CatalogError(
                    f"product {self.sku}: tax rate {self.tax_rate_percent!r} is not 0-100"
                )

    def _within_bounds(self) -> bool:
        rate = () if self.tax_rate_percent is None else (self.tax_rate_percent,)
        codes = self.barcodes if isinstance(self.barcodes, tuple) else ()
        return (
            type(self.price) is int
            and 0 <= self.price <= AMOUNT_CEILING
            and type(self.age_restricted) is int
            and 0 <= self.age_restricted <= MAX_AGE
            and are_plain_texts(
                (self.sku, self.name, self.category, self.unit, self.tax_class, *codes, *rate)
            )
            and bool(self.name.strip())
        )

    def _check_bounds(self) -> None:
        """Every way a product enters the till (import, fleet command, storage) passes
        here, so the bounds of ``kiosk.domain.bounds`` hold for the whole catalog."""
        check_text(self.sku, "product sku", required=False)
        where = f"product {self.sku}"
        check_text(self.name, f"{where}: name")
        check_text(self.category, f"{where}: category", required=False)
        check_text(self.unit, f"{where}: unit", required=False)
        check_text(self.tax_class, f"{where}: tax class", required=False)
        check_amount(self.price, f"{where}: price")
        _check_age(self.age_restricted, f"{where}: age limit")
        for code in self.barcodes if isinstance(self.barcodes, tuple) else ():
            check_text(code, f"{where}: barcode")
        if self.tax_rate_percent is not None:
            check_text(self.tax_rate_percent, f"{where}: tax rate")

    def barcode_keys(self) -> list[str]:
        keys = []
        for code in self.barcodes:
            try:
                keys.append(normalize(code, allow_internal=True))
            except InvalidBarcode as exc:
                raise InvalidBarcode.of(
                    "barcode.product",
                    code=code,
                    name=self.name,
                    message=f"product {self.sku}: {exc}",
                ) from None
        return keys


def _check_age(value: object, what: str) -> None:
    """An age limit is whole years, not rupiah: the money check would word it as such.
    Like the product's other refusals, for the operator's tools (CLI, logs) in English."""
    if type(value) is not int:
        raise CatalogError(f"{what}: must be an age in whole years from 0 to {MAX_AGE}")
    if not 0 <= value <= MAX_AGE:
        raise CatalogError(f"{what}: must be an age from 0 to {MAX_AGE} years, not {value}")


@dataclass(frozen=True)
class LookupResult:
    product: Product
    barcode: str  # the code as scanned (stripped)
    price_override: int | None = None  # price carried by a variable-price label
    weight_g: int | None = None  # weight carried by a variable-weight label


class Catalog:
    """All products by SKU, with a barcode index. Not thread-safe (one owner thread)."""

    def __init__(self, products: Iterable[Product] = ()) -> None:
        self._by_sku: dict[str, Product] = {}
        self._by_barcode: dict[str, str] = {}  # normalized key -> sku
        self._by_plu: dict[int, str] = {}  # scale-label item number -> sku
        for product in products:
            self.upsert(product)

    def __len__(self) -> int:
        return len(self._by_sku)

    def __iter__(self) -> Iterator[Product]:
        return iter(list(self._by_sku.values()))

    def upsert(self, product: Product) -> None:
        """Add or replace a product. A barcode owned by another SKU is refused
        (``CatalogError``) and nothing changes."""
        keys = product.barcode_keys()
        for key in keys:
            owner = self._by_barcode.get(key)
            if owner is not None and owner != product.sku:
                raise CatalogError(
                    f"product {product.sku}: barcode {key} already belongs to {owner}"
                )
        plu_owner = self._by_plu.get(int(product.plu)) if product.plu else None
        if plu_owner is not None and plu_owner != product.sku:
            raise CatalogError(f"product {product.sku}: PLU {product.plu} already belongs to "
                               f"{plu_owner}")  # fmt: skip
        self.remove(product.sku)
        self._by_sku[product.sku] = product
        for key in keys:
            self._by_barcode[key] = product.sku
        if product.plu:
            self._by_plu[int(product.plu)] = product.sku

    def remove(self, sku: str) -> Product | None:
        old = self._by_sku.pop(sku, None)
        if old is not None:
            for key in old.barcode_keys():
                if self._by_barcode.get(key) == sku:
                    del self._by_barcode[key]
            if old.plu and self._by_plu.get(int(old.plu)) == sku:
                del self._by_plu[int(old.plu)]
        return old

    def by_sku(self, sku: str) -> Product | None:
        return self._by_sku.get(sku)

    def by_barcode(self, code: str) -> Product | None:
        """The product with this barcode in any GTIN form; None when unknown or malformed."""
        try:
            key = normalize(code, allow_internal=True)
        except InvalidBarcode:
            return None
        sku = self._by_barcode.get(key)
        return None if sku is None else self._by_sku.get(sku)

    def search(self, text: str, limit: int = 20) -> list[Product]:
        """Case-insensitive substring match on name and SKU: exact SKU first, then names
        that start with the text, then the rest; alphabetical within each group."""
        needle = text.strip().casefold()
        if not needle or limit <= 0:
            return []
        ranked: list[tuple[int, str, str, Product]] = []
        for product in self._by_sku.values():
            name = product.name.casefold()
            sku = product.sku.casefold()
            if needle == sku:
                rank = 0
            elif name.startswith(needle):
                rank = 1
            elif needle in name or needle in sku:
                rank = 2
            else:
                continue
            ranked.append((rank, name, product.sku, product))
        ranked.sort(key=lambda r: r[:3])
        return [r[3] for r in ranked[:limit]]

    def categories(self) -> list[str]:
        return sorted({p.category for p in self._by_sku.values() if p.category})

    def lookup(
        self, code: str, rules: Sequence[VariableBarcodeRule] = DEFAULT_RULES
    ) -> LookupResult:
        """What a scan or a typed code means: a scale label (by ``rules``), then a
        barcode in any GTIN form, then a SKU.

        Raises ``InvalidBarcode`` (a misread: wrong check digit), ``UnknownBarcode`` or
        ``InactiveProduct``.
        """
        code = code.strip()
        if not code:
            raise UnknownBarcode(code, "empty code", code="barcode.empty")
        try:
            key = normalize(code, allow_internal=True)
        except InvalidBarcode:
            if self._by_sku.get(code) is None:
                raise
            key = code  # a numeric SKU that happens to look like a bad GTIN
        result = self._lookup_variable(code, key, rules)
        if result is None:
            sku = self._by_barcode.get(key)
            product = self._by_sku.get(sku) if sku is not None else self._by_sku.get(code)
            if product is None:
                raise UnknownBarcode(code)
            result = LookupResult(product, code)
        if not result.product.active:
            raise InactiveProduct(result.product)
        return result

    def _lookup_variable(
        self, code: str, key: str, rules: Sequence[VariableBarcodeRule]
    ) -> LookupResult | None:
        rule = find_rule(key, rules) if len(key) == 13 else None
        if rule is None:
            return None
        label = rule.decode(key)
        sku = self._by_barcode.get(label.template) or self._by_plu.get(int(label.item))
        product = self._by_sku.get(sku) if sku is not None else None
        if product is None:
            product = self._by_sku.get(label.item) or self._by_sku.get(
                label.item.lstrip("0") or "0"
            )
        if product is None:
            if key in self._by_barcode:
                return None  # an ordinary in-store code that happens to share the prefix
            raise UnknownBarcode(
                code,
                f"scale label for item {label.item}, not in the catalog",
                code="barcode.scale_unknown",
            )
        if rule.kind == "price":
            if label.value <= 0:
                raise InvalidBarcode.of(
                    "barcode.zero_price",
                    code=code,
                    message=f"{code}: price label with a zero price",
                )
            return LookupResult(product, code, price_override=label.value)
        if not product.sold_by_weight:
            raise InvalidBarcode.of(
                "barcode.not_weighed",
                code=code,
                name=product.name,
                message=f"{code}: weight label for {product.name} ({product.sku}), "
                "which is not sold by weight",
            )
        if label.value <= 0:
            raise InvalidBarcode.of(
                "barcode.zero_weight", code=code, message=f"{code}: weight label with zero weight"
            )
        return LookupResult(product, code, weight_g=label.value)
