"""The services that change a till's state outside a sale, over one unit of work: what
the CLI, the fleet's commands and the back-office screens call (bootstrap builds it)."""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.domain.bounds import DEFAULT_LIMITS
from kiosk.ports import Clock, UnitOfWork
from kiosk.services.catalog_admin import CatalogAdmin
from kiosk.services.members_admin import MembersAdmin
from kiosk.services.settings_admin import SettingsAdmin, SettingsStore
from kiosk.services.stock_admin import StockAdmin


@dataclass(frozen=True)
class AdminServices:
    catalog: CatalogAdmin
    stock: StockAdmin
    settings: SettingsAdmin
    members: MembersAdmin


def admin_services(
    uow: UnitOfWork, settings: SettingsStore, clock: Clock, *, max_removal_percent: int,
    max_price: int = DEFAULT_LIMITS.max_price,
) -> AdminServices:  # fmt: skip
    return AdminServices(
        catalog=CatalogAdmin(
            uow, clock, max_removal_percent=max_removal_percent, max_price=max_price
        ),
        stock=StockAdmin(uow, clock),
        settings=SettingsAdmin(settings, uow, clock),
        members=MembersAdmin(uow, clock),
    )
