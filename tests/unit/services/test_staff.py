"""Staff service over the real SQLite staff store."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.services.staff import (
    LOCKOUT_SECONDS,
    MAX_FAILED_ATTEMPTS,
    StaffError,
    StaffService,
    ensure_demo_staff,
    role_allows,
)
from kiosk.storage.staff_store import StaffStore
from kiosk.testing.clock import SettableClock


@pytest.fixture
def service(tmp_path: Path) -> StaffService:
    svc = StaffService(StaffStore(tmp_path / "ledger.sqlite"), monotonic=SettableClock())
    ensure_demo_staff(svc)
    return svc


def test_pin_login_finds_the_member(service: StaffService) -> None:
    assert service.login_pin("2222").name == "Budi"
    with pytest.raises(StaffError, match="wrong PIN"):
        service.login_pin("1234")


def test_pins_are_salted_hashes_never_plain(tmp_path: Path) -> None:
    store = StaffStore(tmp_path / "l.sqlite")
    svc = StaffService(store, monotonic=SettableClock())
    svc.enroll("a", "A", "cashier", "4321")
    svc.enroll("b", "B", "cashier", "5678")
    rows = store.all()
    # No column holds the PIN; the hash is a 32-byte scrypt digest. (A substring check
    # would flake: a random hex digest contains "4321" now and then.)
    assert all(v not in ("4321", "5678") for r in rows for v in r.values())
    assert all(len(bytes.fromhex(r["pin_hash"])) == 32 for r in rows)
    assert rows[0]["pin_salt"] != rows[1]["pin_salt"]
    # survives reopening the file
    again = StaffService(StaffStore(tmp_path / "l.sqlite"), monotonic=SettableClock())
    assert again.login_pin("5678").staff_id == "b"


def test_duplicate_pin_and_badge_are_refused(service: StaffService) -> None:
    with pytest.raises(StaffError, match="already in use"):
        service.enroll("x", "X", "cashier", "1111")
    with pytest.raises(StaffError, match="badge"):
        service.enroll("x", "X", "cashier", "3333", badge="STAFF-0001")
    with pytest.raises(StaffError, match="4 to 8 digits"):
        service.enroll("x", "X", "cashier", "12")
    with pytest.raises(StaffError, match="unknown role"):
        service.enroll("x", "X", "owner", "3333")


def test_badge_lookup(service: StaffService) -> None:
    member = service.by_badge("STAFF-0009")
    assert member is not None and member.role == "manager"
    assert service.by_badge("8991234567890") is None


def test_roles_gate_actions(service: StaffService) -> None:
    cashier = service.login_pin("1111")
    supervisor = service.login_pin("2222")
    assert StaffService.require(cashier, "void") is cashier
    with pytest.raises(StaffError, match="needs supervisor"):
        StaffService.require(cashier, "discount")
    assert StaffService.require(supervisor, "price_override") is supervisor
    with pytest.raises(StaffError, match="login"):
        StaffService.require(None, "void")
    assert role_allows("manager", "no_sale") and not role_allows("cashier", "no_sale")
    with pytest.raises(StaffError, match="unknown action"):
        role_allows("manager", "fly")


def test_lockout_after_repeated_wrong_pins(tmp_path: Path) -> None:
    clock = SettableClock()
    svc = StaffService(StaffStore(tmp_path / "l.sqlite"), monotonic=clock)
    svc.enroll("a", "A", "cashier", "4321")
    for _ in range(MAX_FAILED_ATTEMPTS):
        with pytest.raises(StaffError, match="wrong PIN"):
            svc.login_pin("0000")
    with pytest.raises(StaffError, match="too many"):
        svc.login_pin("4321")
    clock.advance(LOCKOUT_SECONDS + 1)
    assert svc.login_pin("4321").name == "A"
