"""``cmd/update``: the fleet asks this kiosk to move to a release it serves.

The command only schedules (``kiosk.appliance.fleet_update``): it is refused when the
kiosk has no release key (it could trust no release) or its update window is unusable;
otherwise the pending update is written, the result says ``scheduled``, and after the
commit a thread downloads and verifies the release. The agent applies it in the window.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kiosk.appliance import fleet_update
from kiosk.appliance.update import release_key
from kiosk.domain.update_window import parse_window
from kiosk.telemetry.command_types import CommandContext, CommandHandler, CommandRejectedError

log = logging.getLogger(__name__)


def update_handler(data_dir: Path, window: str, apply_due: Callable[[], bool]) -> CommandHandler:
    """``apply_due()`` applies a ready update if the window is open now (the agent also
    calls it every minute, for a window that opens later)."""

    def apply(conn: sqlite3.Connection, body: dict[str, Any], context: CommandContext) -> Any:
        if not release_key(data_dir).exists():
            raise CommandRejectedError.of("update.no_key", message=(
                "this kiosk has no release key (provision it with a setup code that "
                "carries one): it cannot trust any release"))  # fmt: skip
        try:
            parse_window(window)
        except ValueError as error:
            raise CommandRejectedError.of("update.window", message=f"update.window: {error}",
                                          window=window) from None  # fmt: skip
        pending = fleet_update.PendingUpdate.from_body(body, context.command_id)
        fleet_update.write_pending(data_dir, pending)
        return {"version": pending.version, "state": pending.state, "window": window}

    def after_commit(body: dict[str, Any]) -> None:
        threading.Thread(target=_prepare, name="release-fetch", daemon=True).start()

    def _prepare() -> None:
        try:
            fleet_update.prepare(data_dir)
            apply_due()
        except Exception:  # a thread's failure must not pass unseen
            log.exception("update: preparing or applying the release failed")
        pending = fleet_update.read_pending(data_dir)
        if pending is not None:
            log.warning("update: %s %s %s", pending.version, pending.state, pending.reason)

    return CommandHandler(apply, after_commit)
