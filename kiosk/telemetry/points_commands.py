"""``cmd/points``: the fleet's confirmed loyalty balances (kiosk.contract.commands
.PointsConfirm). Each member's balance is kept with the journal seq of this till's last
points move the fleet counted, so the till can spend offline what was confirmed less
what it took off since (kiosk.services.loyalty). An older confirmation is ignored."""

from __future__ import annotations

import sqlite3
from typing import Any

from kiosk.storage.points_store import PointsStore
from kiosk.telemetry.command_types import CommandContext, CommandHandler


def points_handler() -> CommandHandler:
    def apply(conn: sqlite3.Connection, body: dict[str, Any], context: CommandContext) -> Any:
        store = PointsStore(conn)
        kept = 0
        for entry in body["balances"]:
            seen = int(entry.get("seen", {}).get(context.device_id, 0))
            kept += store.confirm(entry["member_id"], int(entry["balance"]), seen,
                                  body["as_of"], context.command_id)  # fmt: skip
        return {"members": kept, "older": len(body["balances"]) - kept}

    return CommandHandler(apply)
