"""Builders for the documents of docs/messages.md; each validates what it builds.

Producers (services, the health timer, the fleet's command sender) call these instead of
writing dicts by hand, so a field typo fails at the source rather than at the fleet.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from kiosk.contract.refusals import GENERIC, refusal
from kiosk.contract.schemas import SchemaError, encode, require, validate_command
from kiosk.domain.sale import iso_utc


def utc_now_iso() -> str:
    return iso_utc(datetime.now(UTC))


@dataclass(frozen=True)
class OutboxMessage:
    """What goes into one outbox row: ``outbox.enqueue(conn, m.topic, m.message_id,
    m.payload, created_at)`` inside the transaction of the fact it reports."""

    topic: str
    message_id: str
    payload: str


def sale_payload(body: str, seq: int, record_hash: str, prev_hash: str) -> str:
    """The ``sale`` message: the sale's journal payload (canonical JSON text) with the link
    of its journal record appended as a last key, ``journal``: ``seq``, ``hash``,
    ``prev_hash``. Everything before that key is byte for byte what the record hashed,
    so the fleet can recompute the hash and see a gap or a fork in a device's chain.
    Appending costs a few microseconds; re-encoding the sale would cost ~50 us per commit."""
    if not body.endswith("}") or body == "{}":
        raise ValueError("a sale message is built from a non-empty JSON object")
    link = encode({"hash": record_hash, "prev_hash": prev_hash, "seq": seq})
    return f'{body[:-1]},"journal":{link}}}'


def event_message(
    device_id: str,
    kind: str,
    ref: str,
    payload: Mapping[str, Any],
    at: str,
    *,
    seq: int,
    record_hash: str,
    prev_hash: str,
) -> OutboxMessage:
    """An ``event`` for journal record ``seq`` (its link included), validated."""
    link = {"seq": seq, "hash": record_hash, "prev_hash": prev_hash}
    doc = {"schema": 1, "at": at, "kind": kind, "ref": ref, "device_id": device_id,
           "seq": seq, "payload": dict(payload), "journal": link}  # fmt: skip
    return OutboxMessage("event", f"{device_id}:journal:{seq}", encode(require("event", doc)))


def status_doc(
    store_id: str, device_id: str, state: str, *, at: str = "", version: str = "", reason: str = ""
) -> dict[str, Any]:
    doc: dict[str, Any] = {"schema": 1, "state": state, "store_id": store_id,
                           "device_id": device_id}  # fmt: skip
    for key, value in (("at", at), ("version", version), ("reason", reason)):
        if value:
            doc[key] = value
    return require("status", doc)


def alert_message(
    store_id: str,
    device_id: str,
    kind: str,
    message: str,
    at: str,
    *,
    severity: str = "warning",
    detail: Mapping[str, Any] | None = None,
    alert_id: str = "",
    cleared: bool = False,
) -> OutboxMessage:
    """An ``alert`` (help requested, paper out, drawer left open, low stock, journal verify
    failure, ...). ``cleared=True`` reports that the condition ended."""
    alert_id = alert_id or uuid.uuid4().hex
    doc = {"schema": 1, "alert_id": alert_id, "at": at, "store_id": store_id,
           "device_id": device_id, "kind": kind, "severity": severity, "message": message,
           "detail": dict(detail or {}), "cleared": cleared}  # fmt: skip
    return OutboxMessage("alert", alert_id, encode(require("alert", doc)))


def stock_message(
    store_id: str,
    device_id: str,
    kind: str,
    items: Iterable[Mapping[str, Any]],
    at: str,
    *,
    stock_id: str = "",
) -> OutboxMessage:
    """``kind="change"``: items carry ``sku``, new ``qty``, ``delta``, ``reason``, ``ref``;
    ``kind="snapshot"``: every stocked sku with its ``qty``."""
    stock_id = stock_id or uuid.uuid4().hex
    doc = {"schema": 1, "stock_id": stock_id, "at": at, "store_id": store_id,
           "device_id": device_id, "kind": kind, "items": [dict(i) for i in items]}  # fmt: skip
    return OutboxMessage("stock", stock_id, encode(require("stock", doc)))


def result_doc(
    store_id: str,
    device_id: str,
    name: str,
    command_id: str,
    at: str,
    *,
    errors: list[str] | None = None,
    refusals: Sequence[Mapping[str, Any]] | None = None,
    duplicate: bool = False,
    detail: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """A command's result. ``refusals``: one ``{"code", "params"}`` per error
    (kiosk.contract.refusals); missing ones are ``command.refused``. An accepted command's
    result carries none, so it reads as before on a fleet that does not know the field."""
    # A result must always go out, even one describing a garbage command: clip, don't raise.
    clipped = [e[:2000] for e in errors or []]
    doc = {"schema": 1, "command_id": command_id[:64], "name": name[:200],
           "ok": not clipped, "duplicate": duplicate, "errors": clipped, "at": at,
           "store_id": store_id, "device_id": device_id, "detail": dict(detail or {})}  # fmt: skip
    if clipped:
        given = [refusal(r.get("code"), r.get("params")) for r in refusals or []]
        doc["refusals"] = (given + [refusal(GENERIC)] * len(clipped))[: len(clipped)]
    return doc


def command_doc(
    name: str,
    body: Mapping[str, Any],
    *,
    command_id: str = "",
    issued_at: str = "",
    issued_by: str = "",
) -> dict[str, Any]:
    """A command for ``pos/v1/{store}/{device|all}/cmd/{name}`` (the fleet's side)."""
    doc: dict[str, Any] = {"schema": 1, "command_id": command_id or uuid.uuid4().hex,
                           "body": dict(body)}  # fmt: skip
    if issued_at:
        doc["issued_at"] = issued_at
    if issued_by:
        doc["issued_by"] = issued_by
    errors = validate_command(name, doc)
    if errors:
        raise SchemaError(f"cmd/{name}", errors)
    return doc


def order_status_message(
    store_id: str,
    device_id: str,
    order_id: str,
    status: str,
    at: str,
    *,
    reason: str = "",
    sale_id: str = "",
    short_skus: Iterable[str] = (),
) -> OutboxMessage:
    """An ``order`` message: a kiosk's change to an online order (kiosk.contract.orders)."""
    status_id = uuid.uuid4().hex
    doc = {"schema": 1, "status_id": status_id, "order_id": order_id, "store_id": store_id,
           "device_id": device_id, "status": status, "at": at, "reason": reason,
           "sale_id": sale_id, "short_skus": list(short_skus)}  # fmt: skip
    return OutboxMessage("order", status_id, encode(require("order", doc)))
