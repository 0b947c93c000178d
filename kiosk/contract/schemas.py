"""Which model validates which message, by kind and version, and the checks both sides
run: the kiosk before it publishes or applies a command, the fleet when it ingests.

Every document has an integer ``schema`` (its version); a reader refuses versions it does
not know. Inbound commands are strict (unknown fields are errors, so a typo never
silently does nothing); ``detail``/``extra`` maps are the free-form places. Errors are
plain strings naming the path, e.g. ``body.prices[3].price: expected an integer >= 0,
got -5`` (``kiosk.contract.errors``). Adding a message kind or a version is one model in
``documents``/``commands`` and one entry below; docs/messages.md follows from them.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from kiosk.contract import commands, documents, orders
from kiosk.contract.errors import MAX_ERRORS, SchemaError, describe
from kiosk.contract.fields import Document
from kiosk.contract.refusals import refusal

__all__ = ["MAX_ERRORS", "SchemaError"]

# kiosk -> fleet, by outbox/topic name and schema version.
MESSAGES: dict[str, dict[int, type[Document]]] = {
    "sale": {1: documents.Sale},
    "status": {1: documents.Status},
    "health": {1: documents.Health},
    "alert": {1: documents.Alert},
    "stock": {1: documents.Stock},
    "event": {1: documents.Event},
    "order": {1: orders.OrderStatus},
}
# fleet -> kiosk: the body of ``cmd/{name}``, inside ``commands.Envelope``.
COMMANDS: dict[str, type[Document]] = {
    "catalog": commands.Catalog,
    "catalog_undo": commands.CatalogUndo,
    "prices": commands.Prices,
    "promotions": commands.Promotions,
    "settings": commands.Settings,
    "lock": commands.Lock,
    "unlock": commands.Unlock,
    "report": commands.Report,
    "payment": commands.Payment,
    "order": orders.Order,
    "update": commands.Update,
    "points": commands.PointsConfirm,
}
RESULT_VERSIONS: dict[int, type[Document]] = {1: commands.Result}
ENVELOPE_VERSIONS: dict[int, type[Document]] = {1: commands.Envelope}
ID_FIELDS = {"sale": "sale_id", "alert": "alert_id", "stock": "stock_id", "order": "status_id"}


def _check(model: type[Document], doc: Any, prefix: str = "") -> list[str]:
    try:
        validated = model.model_validate(doc)
    except ValidationError as exc:
        return describe(exc.errors(), prefix)
    return validated.cross_checks()


def _version_of(doc: Any) -> Any:
    return doc.get("schema", 1) if isinstance(doc, dict) else 1


def _model_for(
    versions: Mapping[int, type[Document]], what: str, doc: Any
) -> tuple[type[Document] | None, str]:
    """The model of ``doc``'s version, or None and the error naming a version not read."""
    version = _version_of(doc)
    model = versions.get(version) if isinstance(version, int) else None
    if model is None or isinstance(version, bool):
        known = ", ".join(map(str, sorted(versions)))
        return None, f"schema: version {version!r} of {what} is not supported ({known})"
    return model, ""


def _versioned(versions: Mapping[int, type[Document]], what: str, doc: Any) -> list[str]:
    """The model of ``doc``'s version validates it; an unknown version is refused."""
    model, error = _model_for(versions, what, doc)
    return [error] if model is None else _check(model, doc)


def validate(kind: str, doc: Any) -> list[str]:
    """Errors of a kiosk -> fleet document (``sale``, ``status``, ``health``, ...)."""
    versions = MESSAGES.get(kind)
    if versions is None:
        return [f"unknown message kind {kind!r}"]
    return _versioned(versions, kind, doc)


def quick_check(kind: str, text: str) -> list[str]:
    """What the drain checks per row at full speed: a JSON object of a known kind and
    schema version, carrying its id. The builders validated fully when the row was
    written; the fleet validates fully when it arrives."""
    versions = MESSAGES.get(kind)
    if versions is None:
        return [f"unknown message kind {kind!r}"]
    try:
        doc = json.loads(text)
    except ValueError as exc:
        return [f"not JSON: {exc}"]
    if not isinstance(doc, dict):
        return ["expected a JSON object"]
    version = doc.get("schema")
    if isinstance(version, bool) or version not in versions:
        known = ", ".join(map(str, sorted(versions)))
        return [f"schema: version {version!r} of {kind} is not supported ({known})"]
    id_field = ID_FIELDS.get(kind)
    if id_field and not (isinstance(doc.get(id_field), str) and doc[id_field]):
        return [f"{id_field}: missing"]
    return []


@dataclass(frozen=True)
class CommandCheck:
    """What is wrong with a command document: the errors for people and logs, and one
    coded refusal each (``kiosk.contract.refusals``) for the fleet to word."""

    errors: list[str]
    refusals: list[dict[str, Any]]


def check_command(name: str, doc: Any) -> CommandCheck:
    """Checks a fleet -> kiosk command document addressed to ``cmd/{name}``."""
    body = COMMANDS.get(name)
    if body is None:
        return CommandCheck([f"unknown command {name!r}; known: {sorted(COMMANDS)}"],
                            [refusal("command.unknown", {"command": name})])  # fmt: skip
    model, error = _model_for(ENVELOPE_VERSIONS, f"cmd/{name}", doc)
    if model is None:
        version = f"{_version_of(doc)!r}"
        return CommandCheck([error], [refusal("command.version", {"version": version})])
    errors = _check(model, doc) or _check(body, doc["body"], "body")
    # Each error is "path: problem" (kiosk.contract.errors): the path names the field.
    fields = [refusal("command.schema", {"field": line.partition(": ")[0]}) for line in errors]
    return CommandCheck(errors, fields)


def validate_command(name: str, doc: Any) -> list[str]:
    """Errors of a fleet -> kiosk command document addressed to ``cmd/{name}``."""
    return check_command(name, doc).errors


def validate_result(doc: Any) -> list[str]:
    """Errors of a ``cmd/{name}/result`` document (the fleet reads these)."""
    return _versioned(RESULT_VERSIONS, "result", doc)


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
