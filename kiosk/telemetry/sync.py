"""Entry points for the CLI (`kiosk sync`, `kiosk outbox`) and for bootstrap."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from kiosk.storage import outbox
from kiosk.storage.db import open_db
from kiosk.storage.disk_space import DEFAULT_MIN_FREE_MB, MB
from kiosk.telemetry.command_handlers import SettingsStore
from kiosk.telemetry.command_types import CommandHandler
from kiosk.telemetry.commands import CommandProcessor
from kiosk.telemetry.drain import OutboxDrain
from kiosk.telemetry.drain_session import DrainStats
from kiosk.telemetry.health import DeviceStatusProvider, HealthCollector
from kiosk.telemetry.mqtt_config import MqttConfig, SettingsLike, config_from_settings


def _config(settings: SettingsLike | dict[str, Any] | MqttConfig, version: str) -> MqttConfig:
    if isinstance(settings, MqttConfig):
        return settings.with_changes(version=version) if version else settings
    return config_from_settings(settings, version=version)


def sync_once(
    db_path: str | Path,
    settings: SettingsLike | dict[str, Any] | MqttConfig,
    *,
    timeout: float = 300.0,
    version: str = "",
) -> int:
    """Publish every row unsent now, wait for the broker's PUBACKs, return how many were
    marked sent. Uses its own client id (``{client_id}-sync``) and no will, so it does
    not kick a running kiosk's connection off the broker. Raises ``OSError`` (e.g.
    ``ConnectionRefusedError``, ``TimeoutError``) when the broker cannot be reached."""
    config = _config(settings, version)
    drain = OutboxDrain(
        db_path, config, announce=False, persistent_session=False,
        client_id=f"{config.effective_client_id}-sync",
    )  # fmt: skip
    return drain.run_until_empty(timeout=timeout)


def outbox_summary(db_path: str | Path, *, now: datetime | None = None) -> dict[str, Any]:
    """``{"depth", "oldest_created_at", "oldest_age_s", "sent", "last_sent_at"}``."""
    conn = open_db(db_path)
    try:
        depth, oldest = outbox.depth(conn)
        sent, last_sent = outbox.delivered(conn)
    finally:
        conn.close()
    age = None
    if oldest is not None:
        moment = now or datetime.now(UTC)
        age = max(0, int((moment - datetime.fromisoformat(oldest)).total_seconds()))
    return {"depth": depth, "oldest_created_at": oldest, "oldest_age_s": age,
            "sent": int(sent), "last_sent_at": last_sent}  # fmt: skip


@dataclass
class TelemetryHandle:
    """What bootstrap keeps: ``stop()`` on shutdown; ``drain.stats`` for the UI."""

    drain: OutboxDrain
    commands: CommandProcessor

    def stop(self, timeout: float = 5.0) -> None:
        self.drain.stop(timeout)


def start_telemetry(
    db_path: str | Path,
    settings: SettingsLike | dict[str, Any] | MqttConfig,
    device_status_provider: DeviceStatusProvider | None = None,
    *,
    version: str = "",
    handlers: dict[str, CommandHandler] | None = None,
    lane_locked: Callable[[], bool] | None = None,
    on_change: Callable[[str], None] | None = None,
) -> TelemetryHandle:
    """Start the drain thread: outbox, birth/will, health every interval, commands in.

    Catalog, prices and promotions are applied to the ledger by built-in handlers; when
    ``settings`` is the device's settings (kiosk.storage.settings.Settings) the settings
    command writes it. ``handlers`` plug in the app's side: lock, unlock, report (see
    ``commands.notify_only``). ``on_change(name)`` runs after a command changed something,
    on the drain thread: hand it to the UI thread, do not touch widgets from it.
    """
    config = _config(settings, version)
    device_settings = settings if isinstance(settings, SettingsStore) else None
    health = HealthCollector(
        config.store_id, config.device_id, config.version, device_status_provider,
        lane_locked=lane_locked, disk_path=Path(db_path).parent,
        min_free_bytes=_min_free_bytes(settings),
    )  # fmt: skip
    commands = CommandProcessor(config, handlers=handlers, on_change=on_change,
                                settings=device_settings)  # fmt: skip
    drain = OutboxDrain(db_path, config, health=health, commands=commands)
    health.link = lambda: link_doc(drain.stats)
    drain.start()
    return TelemetryHandle(drain, commands)


def _min_free_bytes(settings: SettingsLike | dict[str, Any] | MqttConfig) -> int:
    """The ``disk.min_free_mb`` setting in bytes (its default for a bare MQTT config)."""
    value = None if isinstance(settings, MqttConfig) else settings.get("disk.min_free_mb")
    return int(value or DEFAULT_MIN_FREE_MB) * MB


def link_doc(stats: DrainStats) -> dict[str, Any]:
    """The drain's counters for the health document (``detail.link``)."""
    return {"sessions": stats.sessions, "published": stats.published, "acked": stats.acked,
            "invalid": stats.invalid, "last_error": stats.last_error[:300]}  # fmt: skip
