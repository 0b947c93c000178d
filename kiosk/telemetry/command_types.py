"""What a command handler is: ``apply`` inside the command's transaction, then an
optional ``after_commit`` step. The processor (kiosk.telemetry.commands) runs them; the
built-in handlers (kiosk.telemetry.command_handlers) and the app's own are written to it."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from kiosk.contract.refusals import GENERIC, english, refusal
from kiosk.services.changes import fleet


class CommandRejectedError(Exception):
    """Raised by a handler: the command is well-formed but cannot be applied (unknown
    sku, bad promotion rule, ...). Everything it did is rolled back. ``errors`` are the
    English for the logs; ``refusals`` the code (kiosk.contract.refusals) and parameters
    of each, which the fleet words in its page's language. Make one with
    ``CommandRejectedError.of(code, **params)``; one made from text alone is
    ``command.refused``."""

    def __init__(
        self, errors: list[str] | str, *, code: str = GENERIC,
        params: Mapping[str, object] | None = None,
    ) -> None:  # fmt: skip
        self.errors = [errors] if isinstance(errors, str) else list(errors)
        self.refusals = [refusal(code, params) for _ in self.errors]
        super().__init__("; ".join(self.errors))

    @classmethod
    def of(cls, code: str, /, *, message: str = "", **params: object) -> CommandRejectedError:
        """The refusal ``code`` with its parameters; ``message`` overrides the English."""
        return cls(message or english(code, params), code=code, params=params)


@dataclass(frozen=True)
class CommandContext:
    """Which command is being applied, on which device: handlers journal ``by``."""

    name: str
    command_id: str
    store_id: str
    device_id: str

    @property
    def by(self) -> str:
        """The actor recorded in the journal for what this command changes."""
        return fleet(self.command_id)


ApplyFn = Callable[[sqlite3.Connection, dict[str, Any], CommandContext], Mapping[str, Any] | None]


@dataclass(frozen=True)
class CommandHandler:
    """``apply(conn, body, context)`` runs inside the command's transaction and returns
    details for the result (or None); ``after_commit(body)`` does what is outside SQLite
    (lock the lane on screen, queue a report) once the commit happened."""

    apply: ApplyFn
    after_commit: Callable[[dict[str, Any]], None] | None = None


def notify_only(callback: Callable[[dict[str, Any]], None]) -> CommandHandler:
    """A handler with no ledger effect (lock/unlock, report): the command id is still
    recorded, so a repeat does not run ``callback`` twice."""
    return CommandHandler(apply=lambda conn, body, context: None, after_commit=callback)
