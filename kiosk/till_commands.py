"""The fleet commands a running till answers itself, beside the built-in ones that change
its catalog, prices and settings (kiosk.telemetry.sync): reports of a business day, a
software update in the shop's window, and the lane's lock when the face can be locked.
Built by ``Kiosk.start_telemetry``."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from kiosk.services.business_day import business_date
from kiosk.services.checkout import CheckoutConfig
from kiosk.telemetry.command_handlers import report_handler
from kiosk.telemetry.command_types import CommandHandler, notify_only
from kiosk.telemetry.update_handler import update_handler


def till_handlers(
    data_dir: Path,
    config: CheckoutConfig,
    *,
    update_window: str,
    apply_due_update: Callable[[], bool],
    on_lock: Callable[[bool], None] | None,
) -> dict[str, CommandHandler]:
    zone = ZoneInfo(config.timezone)

    def today() -> str:
        return business_date(datetime.now(zone), config.timezone)

    handlers = {
        "report": report_handler(config.store_id, config.device_id, today),
        "update": update_handler(data_dir, update_window, apply_due_update),
    }
    if on_lock is not None:
        lock = on_lock
        handlers["lock"] = notify_only(lambda _body: lock(True))
        handlers["unlock"] = notify_only(lambda _body: lock(False))
    return handlers
