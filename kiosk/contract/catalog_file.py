"""Catalog files in and out: CSV (header row) and JSON, all-or-nothing.

The kiosk (``kiosk catalog import``) and the fleet (``fleet catalog import``) read the
same files, so the format lives in the contract (the fleet may import only the contract
and the domain); ``kiosk.services.catalog_import`` re-exports it.

Parsing collects every problem with its file, line and field before anything is written,
so a shop owner fixes the file once instead of once per error. Every field passes the
bounds of ``kiosk.domain.bounds``: prices within the shop's ``limits.max_price``, text
where text is due, no control characters, no field, file or nesting beyond its bound.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from kiosk.contract.fields import image_problem
from kiosk.domain.bounds import (
    DEFAULT_LIMITS,
    MAX_FIELD_CHARS,
    BoundsError,
    Limits,
    check_size,
    check_text,
    load_json,
    parse_amount,
)
from kiosk.domain.catalog import MAX_AGE, CatalogError, Product
from kiosk.domain.gtin import InvalidBarcode, normalize

REQUIRED = ("sku", "barcode", "name", "price", "category")
OPTIONAL = ("tax_rate_percent", "age_restricted", "active", "unit", "sold_by_weight", "plu")
EXPORT_COLUMNS = (*REQUIRED, *OPTIONAL)
# An optional ``image`` column (the web shop's picture: an https:// address or a path on
# the fleet) is checked everywhere and kept only by the fleet: the till shows none.
_TRUE = {"1", "true", "yes", "y", "ya"}
_FALSE = {"0", "false", "no", "n", "tidak", ""}


@dataclass(frozen=True)
class FieldProblem:
    file: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}"
        return (
            f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"
        )


class CatalogFileError(Exception):
    def __init__(self, problems: list[FieldProblem]) -> None:
        self.problems = problems
        shown = "\n".join(str(p) for p in problems[:50])
        more = f"\n... and {len(problems) - 50} more" if len(problems) > 50 else ""
        super().__init__(f"{len(problems)} problem(s), nothing imported:\n{shown}{more}")


Bad = Callable[[str, str], None]


def parse_catalog(
    text: str, filename: str, limits: Limits = DEFAULT_LIMITS,
    images: dict[str, str] | None = None,
) -> list[Product]:  # fmt: skip
    """CSV or JSON (by extension, or by a leading ``[``/``{``) -> products, or raise.
    ``images`` (when given) receives each product's ``image`` that is not empty."""
    try:
        check_size(len(text.encode("utf-8", "surrogatepass")), "the file")
    except BoundsError as err:
        raise CatalogFileError([FieldProblem(filename, 1, "", err.message)]) from None
    stripped = text.lstrip("\ufeff").lstrip()
    if filename.lower().endswith(".json") or stripped[:1] in "[{":
        rows = _json_rows(stripped, filename)
    else:
        rows = _csv_rows(stripped, filename)
    return _products(rows, filename, limits, {} if images is None else images)


def _csv_rows(text: str, filename: str) -> list[tuple[int, dict[str, Any]]]:
    reader = csv.DictReader(io.StringIO(text))
    try:
        return _read_csv(reader, filename)
    except csv.Error as err:  # a field over the csv module's own limit, a stray quote
        where = reader.line_num + 1  # the record that could not be read
        raise CatalogFileError(
            [FieldProblem(filename, where, "", f"not readable as CSV: {_csv_reason(err)}")]
        ) from None


def _csv_reason(err: csv.Error) -> str:
    text = str(err)
    if "field larger than field limit" in text:
        return f"a field is far longer than {MAX_FIELD_CHARS} characters"
    return text


def _read_csv(reader: csv.DictReader[str], filename: str) -> list[tuple[int, dict[str, Any]]]:
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise CatalogFileError(
            [FieldProblem(filename, 1, "", f"header lacks column(s): {', '.join(missing)}")]
        )
    reader.fieldnames = header
    rows = []
    for row in reader:
        if None in row:
            rows.append((reader.line_num, {"__extra__": row[None]}))
            continue
        if not any((v or "").strip() for v in row.values()):
            continue
        rows.append((reader.line_num, {k: (v or "").strip() for k, v in row.items()}))
    return rows


def _json_rows(text: str, filename: str) -> list[tuple[int, dict[str, Any]]]:
    try:
        data = load_json(text, "")
    except BoundsError as err:
        line = err.line or 1
        raise CatalogFileError([FieldProblem(filename, line, "", err.message)]) from None
    items = data.get("products") if isinstance(data, dict) else data
    if not isinstance(items, list):
        raise CatalogFileError(
            [FieldProblem(filename, 1, "", 'expected a list of products or {"products": [...]}')]
        )
    rows: list[tuple[int, dict[str, Any]]] = []
    for index, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            rows.append((index, {"__extra__": item}))
        else:
            rows.append((index, {str(k).lower(): v for k, v in item.items()}))
    return rows


def _products(
    rows: Iterable[tuple[int, dict[str, Any]]], filename: str, limits: Limits,
    images: dict[str, str],
) -> list[Product]:  # fmt: skip
    problems: list[FieldProblem] = []
    products: dict[str, Product] = {}
    barcode_owner: dict[str, str] = {}
    for line, row in rows:

        def bad(field: str, message: str, line: int = line) -> None:
            problems.append(FieldProblem(filename, line, field, message))

        if "__extra__" in row:
            bad("", "row is not a product (wrong number of columns or not an object)")
            continue
        product = _product(row, bad, limits)
        image = _image(row.get("image"), bad)
        if product is None or image is None:
            continue
        if product.sku in products:
            bad("sku", f"duplicate SKU {product.sku!r}")
            continue
        for code in product.barcodes:
            if code in barcode_owner:
                bad("barcode", f"barcode {code} is also on SKU {barcode_owner[code]!r}")
            barcode_owner[code] = product.sku
        products[product.sku] = product
        if image:
            images[product.sku] = image
    if problems:
        raise CatalogFileError(problems)
    if not products:
        raise CatalogFileError([FieldProblem(filename, 1, "", "the file holds no products")])
    return list(products.values())


def _product(row: dict[str, Any], bad: Bad, limits: Limits) -> Product | None:
    ok = True

    def text(field: str, required: bool = True, *, code: bool = False) -> str:
        nonlocal ok
        value = row.get(field)
        if value is None or (code and isinstance(value, int) and not isinstance(value, bool)):
            value = "" if value is None else str(value)  # a JSON number as a SKU is fine
        try:
            return check_text(value, "", required=required)
        except BoundsError as err:
            bad(field, err.reason)
            ok = False
            return ""

    sku, name = text("sku", code=True), text("name")
    category = text("category", required=False)
    if not category and "category" not in row:
        bad("category", "is missing")
        ok = False
    barcodes = _barcodes(row.get("barcode", ""), bad)
    ok = ok and barcodes is not None
    unit = text("unit", required=False)
    price = _price(row.get("price"), bad, limits)
    tax_rate = _rate(row.get("tax_rate_percent"), bad)
    age = _int(row.get("age_restricted"), "age_restricted", bad, true_means=18)
    active = _bool(row.get("active"), "active", bad, default=True)
    by_weight = _bool(row.get("sold_by_weight"), "sold_by_weight", bad, default=False)
    if not ok or price is None or age is None or active is None or by_weight is None:
        return None
    if tax_rate is False:
        return None
    try:
        return Product(
            sku=sku,
            name=name,
            price=price,
            barcodes=tuple(barcodes or ()),
            category=category,
            unit=unit or ("kg" if by_weight else "pcs"),
            tax_rate_percent=tax_rate if isinstance(tax_rate, str) else None,
            age_restricted=age,
            active=active,
            sold_by_weight=by_weight,
            plu=str(row.get("plu") or "").strip(),
        )
    except CatalogError as err:  # e.g. a SKU with inner spaces the checks above allow
        bad("", str(err))
        return None


def _image(value: Any, bad: Bad) -> str | None:
    """The product's picture ("" for none); None when it is not one."""
    if value is None:
        return ""
    if not isinstance(value, str):
        bad("image", "must be an https:// address or a path on the fleet starting with /")
        return None
    problem = image_problem(value.strip())
    if problem:
        bad("image", problem)
        return None
    return value.strip()


def _barcodes(raw_codes: Any, bad: Bad) -> list[str] | None:
    """``a|b`` in CSV; a JSON string, number or list of them. None when one is bad."""
    barcodes: list[str] = []
    ok = True
    for raw in raw_codes if isinstance(raw_codes, list) else [raw_codes]:
        number = isinstance(raw, int) and not isinstance(raw, bool)
        try:
            joined = check_text(
                str(raw) if number else "" if raw is None else raw, "", required=False
            )
        except BoundsError as err:
            bad("barcode", err.reason)
            ok = False
            continue
        for code in (c.strip() for c in joined.split("|")):
            if not code:
                continue
            try:
                barcodes.append(normalize(code))
            except InvalidBarcode as err:
                bad("barcode", f"{code}: {err}")
                ok = False
    return barcodes if ok else None


def _price(value: Any, bad: Bad, limits: Limits) -> int | None:
    if value is None or value == "":
        bad("price", "is empty")
        return None
    try:
        return parse_amount(value, "", limits.max_price)
    except BoundsError as err:
        bad("price", err.reason)
        return None


def _rate(value: Any, bad: Bad) -> str | bool | None:
    if value is None or str(value).strip() == "":
        return None
    try:
        rate = Decimal(str(value).strip())
    except InvalidOperation:
        bad("tax_rate_percent", f"{value!r} is not a number")
        return False
    if not rate.is_finite() or not 0 <= rate <= 100:
        bad("tax_rate_percent", "must be between 0 and 100")
        return False
    return format(rate.normalize(), "f")


def _int(value: Any, field: str, bad: Bad, *, true_means: int) -> int | None:
    text = "" if value is None else str(value).strip().lower()
    if text in _FALSE:
        return 0
    if text in _TRUE:
        return true_means
    if text.isdigit() and int(text) <= MAX_AGE:
        return int(text)
    bad(field, f"{value!r} is not an age from 0 to {MAX_AGE} years (or yes/no)")
    return None


def _bool(value: Any, field: str, bad: Bad, *, default: bool) -> bool | None:
    if isinstance(value, bool):
        return value
    text = "" if value is None else str(value).strip().lower()
    if text == "":
        return default
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    bad(field, f"{value!r} is not yes/no")
    return None


def export_csv(products: Iterable[Product]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(EXPORT_COLUMNS)
    for p in sorted(products, key=lambda p: p.sku):
        writer.writerow(
            [
                p.sku,
                "|".join(p.barcodes),
                p.name,
                p.price,
                p.category,
                p.tax_rate_percent or "",
                p.age_restricted,
                "true" if p.active else "false",
                p.unit,
                "true" if p.sold_by_weight else "false",
                p.plu,
            ]
        )
    return out.getvalue()
