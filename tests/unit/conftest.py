"""Fixtures shared by the unit tests: real pieces over a SQLite ledger in tmp_path (the
demo-like catalog, the real checkout, staff, members and self-checkout services). No Kivy.
Plain helpers (products, the devices' side, an approved card) are in tests/unit/pieces.py."""

from __future__ import annotations

import pytest

from kiosk.domain.catalog import Catalog, Product
from kiosk.services.checkout import CheckoutConfig, CheckoutService
from kiosk.services.demo_data import demo_members
from kiosk.services.members import MemberService
from kiosk.services.self_checkout import Limits, SelfCheckoutService
from kiosk.services.staff import StaffService, ensure_demo_staff
from kiosk.storage.ledger import SqliteLedger
from kiosk.storage.members_store import MembersStore
from kiosk.storage.staff_store import StaffStore
from kiosk.testing.clock import SettableClock
from tests.unit.pieces import PRODUCTS, Effects, Lights, ean


@pytest.fixture
def device_id() -> str:
    """The unit tests' till (tests/conftest.py's ``ledger`` is opened for it)."""
    return "kiosk-1"


@pytest.fixture
def catalog() -> Catalog:
    return Catalog(
        [
            Product(p.sku, p.name, p.price, barcodes=tuple(ean(b) for b in p.barcodes),
                    category=p.category, age_restricted=p.age_restricted, active=p.active)
            for p in PRODUCTS
        ]
    )  # fmt: skip


@pytest.fixture
def checkout(ledger: SqliteLedger, catalog: Catalog) -> CheckoutService:
    return CheckoutService(catalog=catalog, ledger=ledger, clock=SettableClock(),
                           config=CheckoutConfig("store-1", "kiosk-1", mode="self-checkout"))  # fmt: skip


@pytest.fixture
def staff(ledger: SqliteLedger) -> StaffService:
    svc = StaffService(StaffStore(ledger.conn), key=b"k" * 32, now=lambda: 0.0)
    ensure_demo_staff(svc)
    return svc


@pytest.fixture
def lights() -> Lights:
    return Lights()


@pytest.fixture
def lane(checkout: CheckoutService, staff: StaffService, lights: Lights) -> SelfCheckoutService:
    return SelfCheckoutService(checkout, staff, limits=Limits(10, 100_000), lights=lights)


@pytest.fixture
def members(ledger: SqliteLedger) -> MemberService:
    store = MembersStore(ledger.conn)
    store.upsert_many(demo_members())
    return MemberService(store)


@pytest.fixture
def effects() -> Effects:
    return Effects()
