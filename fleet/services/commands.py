"""Commands out: the fleet asks one kiosk or a whole store to change something.

A command is built and checked with ``kiosk.contract.messages.command_doc`` (a bad body
is refused here, before anything is recorded or sent), recorded in ``commands``, then
published at QoS 1 on ``pos/v1/{store}/{device|all}/cmd/{name}``. Each kiosk answers on
its own ``.../cmd/{name}/result``; ingest stores the answers in ``command_results``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

import paho.mqtt.client as mqtt
import sqlalchemy as sa
from paho.mqtt.enums import CallbackAPIVersion

from fleet.services.users import Access
from fleet.storage import schema, shop_catalog
from kiosk.contract import topics
from kiosk.contract.messages import command_doc, utc_now_iso

Publish = Callable[[str, bytes], None]
ALL = "all"  # the whole store
PUBLISH_TIMEOUT_S = 10


class CommandError(Exception):
    """The command cannot be sent; the message says why (for the page and the API)."""


class MqttPublisher:
    """One MQTT connection for the commands the dashboard sends."""

    def __init__(self, host: str, port: int, *, protocol: str = "5", username: str = "",
                 password: str = "") -> None:  # fmt: skip
        version = mqtt.MQTTv5 if protocol == "5" else mqtt.MQTTv311
        self.client = mqtt.Client(CallbackAPIVersion.VERSION2, protocol=version)
        if username:
            self.client.username_pw_set(username, password or None)
        self.client.connect_async(host, port)
        self.client.loop_start()

    def __call__(self, topic: str, payload: bytes) -> None:
        info = self.client.publish(topic, payload, qos=1)
        try:
            info.wait_for_publish(PUBLISH_TIMEOUT_S)
        except (RuntimeError, ValueError) as err:
            raise CommandError(f"the broker did not take the command: {err}") from err
        if not info.is_published():
            raise CommandError("the broker did not take the command in time")

    def close(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()


def send(
    engine: sa.Engine, publish: Publish, name: str, body: Mapping[str, Any], *,
    store_id: str, device_id: str, by: Access,
) -> dict[str, Any]:  # fmt: skip
    """Check, record and publish one command from ``by`` (who must be allowed to command
    the store: AccessDenied otherwise); its document (with ``command_id``)."""
    by.check_command(store_id)
    issued_by = by.user
    if not store_id or not device_id or "/" in store_id + device_id or "+" in store_id + device_id:
        raise CommandError("a store and a kiosk (or all) are needed, without / or +")
    try:
        doc = command_doc(name, body, issued_at=utc_now_iso(), issued_by=issued_by)
    except ValueError as err:  # SchemaError, an unknown name
        raise CommandError(str(err)) from err
    with engine.begin() as conn:
        conn.execute(sa.insert(schema.commands).values(
            command_id=doc["command_id"], store_id=store_id, device_id=device_id, name=name,
            body=json.dumps(doc["body"], sort_keys=True), issued_at=doc["issued_at"],
            issued_by=issued_by,
        ))  # fmt: skip
        if device_id == ALL and name in shop_catalog.FOLLOWED:  # the web shop sells from it
            shop_catalog.record_command(conn, store_id, name, doc["body"])
    publish(topics.command(store_id, device_id, name), json.dumps(doc).encode())
    return doc


def recent(
    conn: sa.Connection, store_id: str, limit: int = 20, *, access: Access | None = None
) -> list[dict[str, Any]]:
    """The store's latest commands, newest first, each with the results so far."""
    if access is not None:
        access.check_store(store_id)
    c, r = schema.commands, schema.command_results
    rows = conn.execute(
        sa.select(c).where(c.c.store_id == store_id).order_by(c.c.issued_at.desc()).limit(limit)
    ).all()
    ids = [row.command_id for row in rows]
    results: dict[str, list[dict[str, Any]]] = {}
    query = sa.select(r).where(r.c.command_id.in_(ids)).order_by(r.c.device_id)
    for res in conn.execute(query) if ids else []:
        answer = json.loads(res.body)
        results.setdefault(res.command_id, []).append(
            {"device_id": res.device_id, "ok": bool(res.ok), "at": res.at,
             "errors": answer.get("errors", []),
             # coded, for a reader to word (kiosk.contract.refusals); absent from old kiosks
             "refusals": answer.get("refusals", [])}
        )  # fmt: skip
    return [
        {"command_id": row.command_id, "device_id": row.device_id, "name": row.name,
         "body": json.loads(row.body), "issued_at": row.issued_at, "issued_by": row.issued_by,
         "results": results.get(row.command_id, [])}
        for row in rows
    ]  # fmt: skip
