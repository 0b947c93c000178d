"""Versioned JSON payloads of docs/messages.md and a small stdlib validator for them.

Both sides use this module: the kiosk before it publishes or applies a command, the fleet
when it ingests. Every document has an integer ``schema`` (its version); a reader refuses
versions it does not know. Inbound commands are strict (unknown fields are errors, so a
typo never silently does nothing); ``detail``/``extra`` maps are the free-form places.
Errors are plain strings naming the path, e.g. ``body.prices[3].price: expected an
integer >= 0, got -5``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

MAX_ERRORS = 20  # a result lists at most this many problems


class SchemaError(ValueError):
    def __init__(self, kind: str, errors: list[str]) -> None:
        super().__init__(f"invalid {kind} payload: " + "; ".join(errors))
        self.errors = errors


# --- specs -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Str:
    min_len: int = 0
    max_len: int = 1000
    choices: frozenset[str] | None = None
    fmt: str = ""  # "datetime" (ISO 8601) or "date" (YYYY-MM-DD)
    nullable: bool = False


@dataclass(frozen=True)
class Int:
    min: int | None = None
    max: int | None = None
    nullable: bool = False


@dataclass(frozen=True)
class Num:
    nullable: bool = False


@dataclass(frozen=True)
class Bool:
    nullable: bool = False


@dataclass(frozen=True)
class List:
    items: Spec
    min_items: int = 0
    max_items: int = 10_000
    nullable: bool = False


@dataclass(frozen=True)
class Obj:
    required: Mapping[str, Spec] = field(default_factory=dict)
    optional: Mapping[str, Spec] = field(default_factory=dict)
    extra: bool = False  # allow unknown keys
    nullable: bool = False


@dataclass(frozen=True)
class Map:
    """A free-form JSON object whose values are scalars, lists or objects."""

    max_keys: int = 200
    scalars_only: bool = False
    nullable: bool = False


Spec = Str | Int | Num | Bool | List | Obj | Map


def _type_name(value: Any) -> str:
    names = {bool: "a boolean", int: "an integer", float: "a number", str: "a string",
             list: "a list", tuple: "a list", dict: "an object", type(None): "null"}  # fmt: skip
    return names.get(type(value), "?")


def check(spec: Spec, value: Any, path: str, errors: list[str]) -> None:
    """Append to ``errors`` what is wrong with ``value`` at ``path``."""
    if len(errors) >= MAX_ERRORS:
        return
    if value is None:
        if not spec.nullable:
            errors.append(f"{path}: required value is null")
        return
    if isinstance(spec, Str):
        _check_str(spec, value, path, errors)
    elif isinstance(spec, Bool):
        if not isinstance(value, bool):
            errors.append(f"{path}: expected a boolean, got {_type_name(value)}")
    elif isinstance(spec, Int):
        if not isinstance(value, int) or isinstance(value, bool):
            errors.append(f"{path}: expected an integer, got {_type_name(value)}")
        elif spec.min is not None and value < spec.min:
            errors.append(f"{path}: expected an integer >= {spec.min}, got {value}")
        elif spec.max is not None and value > spec.max:
            errors.append(f"{path}: expected an integer <= {spec.max}, got {value}")
    elif isinstance(spec, Num):
        if not isinstance(value, int | float) or isinstance(value, bool):
            errors.append(f"{path}: expected a number, got {_type_name(value)}")
    elif isinstance(spec, List):
        _check_list(spec, value, path, errors)
    elif isinstance(spec, Obj):
        _check_obj(spec, value, path, errors)
    else:
        _check_map(spec, value, path, errors)


def _check_str(spec: Str, value: Any, path: str, errors: list[str]) -> None:
    if not isinstance(value, str):
        errors.append(f"{path}: expected a string, got {_type_name(value)}")
    elif not spec.min_len <= len(value) <= spec.max_len:
        errors.append(f"{path}: length {len(value)} is outside {spec.min_len}..{spec.max_len}")
    elif spec.choices is not None and value not in spec.choices:
        errors.append(f"{path}: {value!r} is not one of {sorted(spec.choices)}")
    elif spec.fmt == "datetime" and not _parses(datetime.fromisoformat, value):
        errors.append(f"{path}: {value!r} is not an ISO 8601 date-time")
    elif spec.fmt == "date" and not _parses(date.fromisoformat, value):
        errors.append(f"{path}: {value!r} is not a YYYY-MM-DD date")


def _parses(parser: Any, value: str) -> bool:
    try:
        parser(value)
    except ValueError:
        return False
    return True


def _check_list(spec: List, value: Any, path: str, errors: list[str]) -> None:
    if not isinstance(value, list | tuple):  # tuples: documents from dataclasses.asdict
        errors.append(f"{path}: expected a list, got {_type_name(value)}")
        return
    if not spec.min_items <= len(value) <= spec.max_items:
        errors.append(f"{path}: {len(value)} items is outside {spec.min_items}..{spec.max_items}")
        return
    for index, item in enumerate(value):
        check(spec.items, item, f"{path}[{index}]", errors)


def _check_obj(spec: Obj, value: Any, path: str, errors: list[str]) -> None:
    if not isinstance(value, dict):
        errors.append(f"{path}: expected an object, got {_type_name(value)}")
        return
    prefix = f"{path}." if path else ""
    for key, sub in spec.required.items():
        if key not in value:
            errors.append(f"{prefix}{key}: missing")
        else:
            check(sub, value[key], prefix + key, errors)
    for key, sub in spec.optional.items():
        if key in value:
            check(sub, value[key], prefix + key, errors)
    if not spec.extra:
        unknown = sorted(set(value) - set(spec.required) - set(spec.optional))
        if unknown:
            errors.append(f"{path or 'document'}: unknown field(s) {unknown}")


def _check_map(spec: Map, value: Any, path: str, errors: list[str]) -> None:
    if not isinstance(value, dict):
        errors.append(f"{path}: expected an object, got {_type_name(value)}")
    elif len(value) > spec.max_keys:
        errors.append(f"{path}: {len(value)} keys is more than {spec.max_keys}")
    elif spec.scalars_only:
        for key, item in value.items():
            if isinstance(item, dict | list | tuple):
                errors.append(f"{path}.{key}: expected a string, number, boolean or null")


# --- message schemas (version 1) --------------------------------------------------------

ID = Str(min_len=1, max_len=64)
NAME = Str(max_len=200)
AT = Str(fmt="datetime", max_len=40)
MONEY = Int(min=-(10**13), max=10**13)
DETAIL = Map()
HASH = Str(min_len=64, max_len=64)  # SHA-256 hex of a journal record

SALE_LINE = Obj(
    required={"line_no": Int(min=1), "sku": ID, "name": NAME, "qty": Int(min=-100_000),
              "unit_price": MONEY, "gross": MONEY, "discount": MONEY, "amount": MONEY,
              "tax_rate_percent": Str(min_len=1, max_len=8)},
    optional={"barcode": Str(max_len=64), "category": NAME, "weight_g": Int(nullable=True),
              "promotions": List(ID, max_items=50)},
)  # fmt: skip
SALE = Obj(
    required={"schema": Int(min=1, max=1), "sale_id": ID, "store_id": ID, "device_id": ID,
              "business_date": Str(fmt="date"), "created_at": AT,
              "lines": List(SALE_LINE, min_items=1, max_items=1000),
              "taxes": List(Obj(required={"rate_percent": Str(min_len=1, max_len=8),
                                          "taxable": MONEY, "dpp": MONEY, "ppn": MONEY})),
              "tenders": List(Obj(required={"method": Str(choices=frozenset(
                                                {"cash", "card", "qris"})), "amount": MONEY},
                                  optional={"given": Int(nullable=True), "reference": NAME,
                                            "approval_code": NAME, "masked_pan": NAME,
                                            "terminal_id": NAME})),
              "total": MONEY, "discount_total": MONEY},
    optional={"cash_rounding": Int(max=0), "change": Int(min=0), "receipt_no": Int(min=0),
              "journal": Obj(required={"seq": Int(min=1), "hash": HASH, "prev_hash": HASH}),
              "cashier": NAME, "member_id": NAME, "payable": MONEY, "extra": DETAIL,
              "mode": Str(choices=frozenset({"counter", "self-checkout", "replay"}))},
)  # fmt: skip
STATUS = Obj(
    required={"schema": Int(min=1, max=1), "state": Str(choices=frozenset({"online", "offline"})),
              "store_id": ID, "device_id": ID},
    optional={"at": AT, "version": NAME, "reason": NAME},
)  # fmt: skip
DEVICE = Obj(
    required={"kind": NAME, "name": NAME,
              "state": Str(choices=frozenset({"offline", "idle", "busy", "error"}))},
    optional={"reason": NAME, "detail": DETAIL},
)  # fmt: skip
HEALTH = Obj(
    required={"schema": Int(min=1, max=1), "at": AT, "store_id": ID, "device_id": ID,
              "version": NAME, "uptime_s": Int(min=0), "devices": List(DEVICE, max_items=64),
              "outbox": Obj(required={"depth": Int(min=0),
                                      "oldest_created_at": Str(fmt="datetime", nullable=True),
                                      "oldest_age_s": Int(min=0, nullable=True)}),
              "disk_free_bytes": Int(min=0, nullable=True),
              "cpu_temp_c": Num(nullable=True)},
    optional={"disk_total_bytes": Int(min=0, nullable=True), "lane_locked": Bool(),
              "detail": DETAIL},
)  # fmt: skip
ALERT_KINDS = frozenset({
    "help_requested", "paper_out", "paper_low", "drawer_left_open", "low_stock",
    "journal_verify_failed", "device_error", "other",
})  # fmt: skip
ALERT = Obj(
    required={"schema": Int(min=1, max=1), "alert_id": ID, "at": AT, "store_id": ID,
              "device_id": ID, "kind": Str(choices=ALERT_KINDS),
              "severity": Str(choices=frozenset({"info", "warning", "critical"})),
              "message": Str(max_len=500)},
    optional={"detail": DETAIL, "cleared": Bool()},
)  # fmt: skip
STOCK_ITEM = Obj(required={"sku": ID, "qty": Int()},
                 optional={"delta": Int(), "reason": NAME, "ref": NAME})  # fmt: skip
STOCK = Obj(
    required={"schema": Int(min=1, max=1), "stock_id": ID, "at": AT, "store_id": ID,
              "device_id": ID, "kind": Str(choices=frozenset({"change", "snapshot"})),
              "items": List(STOCK_ITEM, max_items=200_000)},
)  # fmt: skip
EVENT = Obj(required={"schema": Int(min=1, max=1), "at": AT, "kind": NAME}, extra=True)

MESSAGES: dict[str, Obj] = {
    "sale": SALE, "status": STATUS, "health": HEALTH, "alert": ALERT, "stock": STOCK,
    "event": EVENT,
}  # fmt: skip

# --- commands ----------------------------------------------------------------------------

PRODUCT = Obj(
    required={"sku": ID, "name": Str(min_len=1, max_len=200), "price": Int(min=0, max=10**12)},
    optional={"barcodes": List(Str(min_len=1, max_len=64), max_items=50), "category": NAME,
              "unit": Str(max_len=16), "tax_class": Str(max_len=32),
              "tax_rate_percent": Str(min_len=1, max_len=8, nullable=True),
              "age_restricted": Int(min=0, max=99), "active": Bool(), "sold_by_weight": Bool()},
)  # fmt: skip
MODE = Str(choices=frozenset({"snapshot", "delta"}))
COMMAND_BODIES: dict[str, Obj] = {
    "catalog": Obj(required={"mode": MODE, "products": List(PRODUCT, max_items=200_000)},
                   optional={"remove": List(ID, max_items=200_000)}),
    "prices": Obj(required={"prices": List(Obj(required={"sku": ID, "price": Int(min=0)}),
                                           min_items=1, max_items=200_000)}),
    "promotions": Obj(required={"mode": MODE, "promotions": List(Map(), max_items=5_000)},
                      optional={"remove": List(ID, max_items=5_000)}),
    "settings": Obj(required={"values": Map(scalars_only=True)}),
    "lock": Obj(optional={"reason": Str(max_len=200), "message": Str(max_len=200)}),
    "unlock": Obj(optional={"reason": Str(max_len=200)}),
    "report": Obj(required={"kind": Str(choices=frozenset({"x", "z", "sales", "stock"}))},
                  optional={"business_date": Str(fmt="date")}),
}  # fmt: skip
COMMAND_ENVELOPE = Obj(
    required={"schema": Int(min=1, max=1), "command_id": ID, "body": Obj(extra=True)},
    optional={"issued_at": AT, "issued_by": NAME},
)  # fmt: skip
RESULT = Obj(
    required={"schema": Int(min=1, max=1), "command_id": Str(max_len=64), "name": NAME,
              "ok": Bool(), "duplicate": Bool(), "errors": List(Str(max_len=2000)), "at": AT,
              "store_id": ID, "device_id": ID},
    optional={"detail": DETAIL},
)  # fmt: skip


def validate(kind: str, doc: Any) -> list[str]:
    """Errors of a kiosk -> fleet document (``sale``, ``status``, ``health``, ...)."""
    spec = MESSAGES.get(kind)
    if spec is None:
        return [f"unknown message kind {kind!r}"]
    errors: list[str] = []
    if isinstance(doc, dict) and doc.get("schema") not in (None, 1):
        return [f"schema: version {doc.get('schema')!r} of {kind} is not supported (1)"]
    check(spec, doc, "", errors)
    if not errors and kind == "sale":
        errors += _sale_sums(doc)
    return errors


def _sale_sums(doc: dict[str, Any]) -> list[str]:
    errors = []
    if doc["total"] != sum(line["amount"] for line in doc["lines"]):
        errors.append("total: is not the sum of the line amounts")
    if doc["discount_total"] != sum(line["discount"] for line in doc["lines"]):
        errors.append("discount_total: is not the sum of the line discounts")
    return errors


ID_FIELDS = {"sale": "sale_id", "alert": "alert_id", "stock": "stock_id"}


def quick_check(kind: str, text: str) -> list[str]:
    """What the drain checks per row at full speed: a JSON object of a known kind and
    schema version, carrying its id. The builders validated fully when the row was
    written; the fleet validates fully when it arrives."""
    if kind not in MESSAGES:
        return [f"unknown message kind {kind!r}"]
    try:
        doc = json.loads(text)
    except ValueError as exc:
        return [f"not JSON: {exc}"]
    if not isinstance(doc, dict):
        return ["expected a JSON object"]
    if doc.get("schema") != 1:
        return [f"schema: version {doc.get('schema')!r} of {kind} is not supported (1)"]
    id_field = ID_FIELDS.get(kind)
    if id_field and not (isinstance(doc.get(id_field), str) and doc[id_field]):
        return [f"{id_field}: missing"]
    return []


def validate_command(name: str, doc: Any) -> list[str]:
    """Errors of a fleet -> kiosk command document addressed to ``cmd/{name}``."""
    body_spec = COMMAND_BODIES.get(name)
    if body_spec is None:
        return [f"unknown command {name!r}; known: {sorted(COMMAND_BODIES)}"]
    errors: list[str] = []
    if isinstance(doc, dict) and doc.get("schema") not in (None, 1):
        return [f"schema: version {doc.get('schema')!r} of cmd/{name} is not supported (1)"]
    check(COMMAND_ENVELOPE, doc, "", errors)
    if not errors:
        check(body_spec, doc["body"], "body", errors)
    return errors


def validate_result(doc: Any) -> list[str]:
    """Errors of a ``cmd/{name}/result`` document (the fleet reads these)."""
    errors: list[str] = []
    check(RESULT, doc, "", errors)
    return errors


def decode(payload: bytes, limit: int) -> tuple[Any, list[str]]:
    """Bytes -> JSON value, refusing oversized or non-UTF-8/non-JSON input."""
    if len(payload) > limit:
        return None, [f"payload is {len(payload)} bytes; the limit is {limit}"]
    try:
        return json.loads(payload.decode("utf-8")), []
    except UnicodeDecodeError as exc:
        return None, [f"payload is not UTF-8: {exc.reason} at byte {exc.start}"]
    except json.JSONDecodeError as exc:
        return None, [f"payload is not JSON: {exc.msg} at line {exc.lineno} col {exc.colno}"]
    except RecursionError:
        return None, ["payload is nested too deeply"]


def encode(doc: Mapping[str, Any]) -> str:
    """The canonical JSON we publish: sorted keys, no whitespace, UTF-8 text."""
    return json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def require(kind: str, doc: dict[str, Any]) -> dict[str, Any]:
    """Return ``doc`` if valid, else raise ``SchemaError`` (used by the builders)."""
    errors = validate(kind, doc)
    if errors:
        raise SchemaError(kind, errors)
    return doc
