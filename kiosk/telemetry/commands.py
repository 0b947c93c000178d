"""Inbound commands: ``pos/v1/{store}/{device|all}/cmd/{name}`` -> validate -> apply in
one SQLite transaction -> result on ``pos/v1/{store}/{device}/cmd/{name}/result``.

A command is applied at most once: its ``command_id`` is recorded in
``applied_commands`` with a fingerprint of its name and body, in the same transaction as
its effect. A repeat gets the stored result back with ``duplicate: true``; the same id
with another name or body is refused with a reason (the first command stays applied).
Anything oversized, not JSON, out of schema or refused by its handler rolls back and
changes nothing.
"""

from __future__ import annotations

import hashlib
import json
import logging
import sqlite3
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from kiosk.contract.messages import result_doc, utc_now_iso
from kiosk.contract.refusals import GENERIC, INTERNAL, refusal
from kiosk.contract.schemas import check_command, decode, encode
from kiosk.contract.topics import command_name
from kiosk.domain.errors import ShownError
from kiosk.storage.db import canonical_json, transaction
from kiosk.telemetry.command_handlers import SettingsStore, builtin_handlers
from kiosk.telemetry.command_types import CommandContext, CommandHandler, CommandRejectedError
from kiosk.telemetry.mqtt_config import MqttConfig

log = logging.getLogger(__name__)


Refusals = list[dict[str, Any]]


def _reason(exc: Exception) -> str:
    """A domain refusal's message (KeyError would show it in quotes)."""
    return str(exc.args[0]) if isinstance(exc, KeyError) and exc.args else str(exc)


def _refusals_of(exc: Exception) -> tuple[list[str], Refusals]:
    """(errors, refusals) of a handler's refusal: its own codes, a ShownError's code and
    parameters, else ``command.refused``."""
    if isinstance(exc, CommandRejectedError):
        return exc.errors, exc.refusals
    if isinstance(exc, ShownError) and exc.code:
        return [_reason(exc)], [refusal(exc.code, exc.params)]
    return [_reason(exc)], [refusal(GENERIC)]


def command_fingerprint(name: str, body: dict[str, Any]) -> str:
    """What a command id is bound to: the command's name and its body."""
    return hashlib.sha256(f"{name}\n{canonical_json(body)}".encode()).hexdigest()


@dataclass(frozen=True)
class CommandOutcome:
    name: str
    command_id: str
    ok: bool
    duplicate: bool
    errors: tuple[str, ...]
    result_topic: str
    result_payload: str


class CommandProcessor:
    def __init__(
        self,
        config: MqttConfig,
        *,
        handlers: Mapping[str, CommandHandler] | None = None,
        max_bytes: int | None = None,
        builtins: bool = True,
        on_change: Callable[[str], None] | None = None,
        settings: SettingsStore | None = None,
    ) -> None:
        """``settings``: the device's settings, for ``cmd/settings`` and the catalog's
        removal limit (without them there is no settings command)."""
        self.config = config
        self.topics = config.topics
        self.max_bytes = max_bytes if max_bytes is not None else config.command_max_bytes
        self.handlers: dict[str, CommandHandler] = {}
        if builtins:
            self.handlers.update(builtin_handlers(on_change, settings))
        self.handlers.update(handlers or {})
        self.last: CommandOutcome | None = None

    def register(self, name: str, handler: CommandHandler) -> None:
        self.handlers[name] = handler

    def filters(self) -> tuple[str, ...]:
        return self.topics.command_filters

    def handle(self, conn: sqlite3.Connection, topic: str, payload: bytes) -> tuple[str, str]:
        outcome = self.process(conn, topic, payload)
        return outcome.result_topic, outcome.result_payload

    def process(self, conn: sqlite3.Connection, topic: str, payload: bytes) -> CommandOutcome:
        name = command_name(topic) or "unknown"
        doc, errors = decode(payload, self.max_bytes)
        command_id = ""
        if isinstance(doc, dict) and isinstance(doc.get("command_id"), str):
            command_id = doc["command_id"][:64]
        if errors:
            too_large = len(payload) > self.max_bytes
            refusals = [refusal("command.too_large", {"size": len(payload),
                                                      "limit": self.max_bytes})
                        if too_large else refusal("command.unreadable")]  # fmt: skip
        else:
            check = check_command(name, doc)
            errors, refusals = check.errors, check.refusals
        if not errors and name not in self.handlers:
            errors = [f"this device has no handler for cmd/{name}"]
            refusals = [refusal("command.no_handler", {"command": name})]
        if errors:
            log.warning("telemetry: rejected cmd/%s %s: %s", name, command_id, "; ".join(errors))
            return self._refused(name, command_id, utc_now_iso(), errors, refusals)
        return self._apply(conn, name, command_id, doc["body"])

    def _apply(
        self, conn: sqlite3.Connection, name: str, command_id: str, body: dict[str, Any]
    ) -> CommandOutcome:
        handler = self.handlers[name]
        at = utc_now_iso()
        context = CommandContext(name, command_id, self.config.store_id, self.config.device_id)
        fingerprint = command_fingerprint(name, body)
        try:
            with transaction(conn):
                stored = conn.execute(
                    "SELECT name, fingerprint, applied_at, result FROM applied_commands"
                    " WHERE command_id = ?",
                    (command_id,),
                ).fetchone()
                if stored is not None:
                    return self._repeat(name, command_id, fingerprint, stored, at)
                detail = handler.apply(conn, body, context) or {}
                result = result_doc(self.config.store_id, self.config.device_id, name,
                                    command_id, at, detail=detail)  # fmt: skip
                conn.execute(
                    "INSERT INTO applied_commands(command_id, name, applied_at, result,"
                    " fingerprint) VALUES (?, ?, ?, ?, ?)",
                    (command_id, name, at, encode(result), fingerprint),
                )
        except (CommandRejectedError, ShownError, ValueError, KeyError) as exc:
            log.warning("telemetry: cmd/%s %s refused: %s", name, command_id, exc)
            return self._refused(name, command_id, at, *_refusals_of(exc))
        except Exception as exc:
            log.exception("telemetry: cmd/%s %s failed", name, command_id)
            failure = f"internal error while applying: {type(exc).__name__}"
            internal = refusal(INTERNAL, {"error": type(exc).__name__})
            return self._refused(name, command_id, at, [failure], [internal])
        if handler.after_commit is not None:
            try:
                handler.after_commit(body)
            except Exception as exc:  # committed already: say so rather than pretend
                log.exception("telemetry: cmd/%s %s after-commit step failed", name, command_id)
                result["detail"] = {**result["detail"], "after_commit_error": repr(exc)[:200]}
        return self._outcome(name, command_id, result)

    def _repeat(
        self, name: str, command_id: str, fingerprint: str, stored: Any, at: str
    ) -> CommandOutcome:
        """The same command again (a redelivery): its first result, marked duplicate. The
        same id on another command or body: refused, the first one stays applied."""
        stored_name, stored_fingerprint, applied_at, result = stored
        if stored_name == name and stored_fingerprint in (fingerprint, None):
            previous = json.loads(result)
            previous["duplicate"] = True
            return self._outcome(name, command_id, previous)
        what = "another body" if stored_name == name else f"cmd/{stored_name}"
        reused = refusal(
            "command.id_reused",
            {"command_id": command_id, "applied_at": applied_at, "name": stored_name},
        )
        return self._refused(name, command_id, at, [
            f"command_id {command_id} was already used at {applied_at} for {what}; "
            "nothing was applied: send this command with a new command_id"], [reused])  # fmt: skip

    def _refused(
        self, name: str, command_id: str, at: str, errors: list[str], refusals: Refusals
    ) -> CommandOutcome:
        return self._outcome(name, command_id, result_doc(
            self.config.store_id, self.config.device_id, name, command_id, at,
            errors=errors, refusals=refusals))  # fmt: skip

    def _outcome(self, name: str, command_id: str, result: dict[str, Any]) -> CommandOutcome:
        outcome = CommandOutcome(
            name=name, command_id=command_id, ok=bool(result["ok"]),
            duplicate=bool(result.get("duplicate")), errors=tuple(result["errors"]),
            result_topic=self.topics.command_result(name), result_payload=encode(result),
        )  # fmt: skip
        self.last = outcome
        return outcome
