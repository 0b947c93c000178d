"""The services a till runs outside a sale, each over the device's ledger: admin
(catalog, stock, settings, members), staff administration, loyalty; and the alert for a
setting its feature cannot use. Built by bootstrap (and importable from it)."""

from __future__ import annotations

from pathlib import Path

from kiosk.domain.sale import iso_utc
from kiosk.ports import Clock, SystemClock
from kiosk.services.admin import AdminServices, admin_services
from kiosk.services.loyalty import LoyaltyService, loyalty_rules
from kiosk.services.staff_admin import StaffAdmin
from kiosk.storage.ledger import SqliteLedger
from kiosk.storage.members_store import MembersStore
from kiosk.storage.points_store import PointsStore
from kiosk.storage.private_files import key_path, load_or_create_key
from kiosk.storage.settings import Settings
from kiosk.storage.unit_of_work import SqliteUnitOfWork


def report_unusable_settings(settings: Settings, ledger: SqliteLedger, clock: Clock) -> None:
    """A stored setting its feature cannot use was replaced by its default when the
    settings were opened: tell the fleet (an alert each start until it is fixed)."""
    for key, reason in settings.problems.items():
        ledger.raise_alert(
            "setting_unusable", f"setting {key} is not usable, its default applies: {reason}"[:500],
            iso_utc(clock.now()), detail={"key": key},
        )  # fmt: skip


def admin(ledger: SqliteLedger, settings: Settings, clock: Clock | None = None) -> AdminServices:
    """The services that change the till's state outside a sale, over this ledger."""
    limit = settings.get("catalog.max_removal_percent")
    return admin_services(SqliteUnitOfWork(ledger), settings, clock or SystemClock(),
                          max_removal_percent=limit,
                          max_price=settings.get("limits.max_price"))  # fmt: skip


def staff_admin(data_dir: Path, ledger: SqliteLedger, clock: Clock | None = None) -> StaffAdmin:
    """Enrolling, disabling, PIN changes and lock-outs, over this ledger (the PIN key
    beside it; ``SecretKeyError`` when that file is unusable)."""
    key = load_or_create_key(key_path(data_dir))
    return StaffAdmin(SqliteUnitOfWork(ledger), clock or SystemClock(), key=key)


def loyalty(ledger: SqliteLedger, settings: Settings, clock: Clock) -> LoyaltyService:
    """Loyalty over this device's ledger with the shop's rules (``loyalty.*``): the one
    path every face completes a member's sale through."""
    return LoyaltyService(SqliteUnitOfWork(ledger), clock, PointsStore(ledger.conn),
                          MembersStore(ledger.conn), loyalty_rules(settings.get))  # fmt: skip
