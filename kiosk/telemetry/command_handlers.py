"""Built-in command handlers that change the ledger: catalog, prices, promotions."""

from __future__ import annotations

from kiosk.telemetry.commands import CommandHandler


def builtin_handlers() -> dict[str, CommandHandler]:
    return {}
