"""Staff service over the real SQLite staff store."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.services.staff import (
    LOCKOUT_SECONDS,
    MAX_FAILED_ATTEMPTS,
    PinNeededError,
    StaffError,
    StaffService,
    ensure_demo_staff,
    role_allows,
    scrypt_digest,
)
from kiosk.storage.staff_store import StaffStore
from kiosk.testing.clock import SettableClock

KEY = bytes(range(32))


def staff_service(path: Path, clock: SettableClock | None = None, key: bytes = KEY) -> StaffService:
    return StaffService(StaffStore(path), key=key, now=clock or SettableClock())


@pytest.fixture
def service(tmp_path: Path) -> StaffService:
    svc = staff_service(tmp_path / "ledger.sqlite")
    ensure_demo_staff(svc)
    return svc


def test_pin_login_finds_the_member(service: StaffService) -> None:
    assert service.login_pin("2222").name == "Budi"
    with pytest.raises(StaffError, match="wrong PIN"):
        service.login_pin("1234")


def test_pins_are_salted_hashes_never_plain(tmp_path: Path) -> None:
    store = StaffStore(tmp_path / "l.sqlite")
    svc = StaffService(store, key=KEY, now=SettableClock())
    svc.enroll("a", "A", "cashier", "4321")
    svc.enroll("b", "B", "cashier", "5678")
    rows = store.all()
    # No column holds the PIN; the hash is a keyed 32-byte digest with its scrypt cost.
    # (A substring check would flake: a random hex digest contains "4321" now and then.)
    assert all(v not in ("4321", "5678") for r in rows for v in r.values())
    for row in rows:
        scheme, cost, digest = row["pin_hash"].split("$")
        assert (scheme, cost, len(bytes.fromhex(digest))) == ("k1", str(2**14), 32)
        # the bare scrypt digest of the right PIN is not what is stored: the key is needed
        plain = scrypt_digest("4321" if row["staff_id"] == "a" else "5678",
                              bytes.fromhex(row["pin_salt"])).hex()  # fmt: skip
        assert plain != digest
    assert rows[0]["pin_salt"] != rows[1]["pin_salt"]
    # survives reopening the file
    again = staff_service(tmp_path / "l.sqlite")
    assert again.login_pin("5678").staff_id == "b"


def test_duplicate_pin_and_badge_are_refused(service: StaffService) -> None:
    with pytest.raises(StaffError, match="already in use"):
        service.enroll("x", "X", "cashier", "1111")
    with pytest.raises(StaffError, match="badge") as refused:
        service.enroll("x", "X", "cashier", "3333", badge="STAFF-0001")
    assert "STAFF-0001" not in str(refused.value)  # a badge code is a credential
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
    svc = staff_service(tmp_path / "l.sqlite", clock)
    svc.enroll("a", "A", "cashier", "4321")
    for _ in range(MAX_FAILED_ATTEMPTS):
        with pytest.raises(StaffError, match="wrong PIN"):
            svc.login_pin("0000")
    with pytest.raises(StaffError, match="too many"):
        svc.login_pin("4321")
    clock.advance(LOCKOUT_SECONDS + 1)
    assert svc.login_pin("4321").name == "A"


def test_lockout_survives_a_restart_and_grows(tmp_path: Path) -> None:
    clock = SettableClock()
    svc = staff_service(tmp_path / "l.sqlite", clock)
    svc.enroll("a", "A", "cashier", "4321")
    for _ in range(MAX_FAILED_ATTEMPTS - 1):
        with pytest.raises(StaffError, match="wrong PIN"):
            svc.login_pin("0000")
    # a restart neither forgets the failed attempts nor lifts the lock-out
    restarted = staff_service(tmp_path / "l.sqlite", clock)
    with pytest.raises(StaffError, match="wrong PIN"):
        restarted.login_pin("0000")
    again = staff_service(tmp_path / "l.sqlite", clock)
    with pytest.raises(StaffError, match="wait 60 s"):
        again.login_pin("4321")
    # the next run of wrong PINs locks for twice as long
    clock.advance(LOCKOUT_SECONDS + 1)
    for _ in range(MAX_FAILED_ATTEMPTS):
        with pytest.raises(StaffError, match="wrong PIN"):
            again.login_pin("0000")
    clock.advance(LOCKOUT_SECONDS + 1)
    with pytest.raises(StaffError, match="too many"):
        staff_service(tmp_path / "l.sqlite", clock).login_pin("4321")
    # a clock set far back cannot stretch the lock beyond its own length
    clock.advance(-10 * 365 * 86400)
    with pytest.raises(StaffError, match="wait 120 s"):
        again.login_pin("4321")
    clock.advance(2 * LOCKOUT_SECONDS + 1)
    assert again.login_pin("4321").name == "A"
    # a good PIN resets the count: the next lock-out is back to one minute
    for _ in range(MAX_FAILED_ATTEMPTS):
        with pytest.raises(StaffError, match="wrong PIN"):
            again.login_pin("0000")
    with pytest.raises(StaffError, match="wait 60 s"):
        again.login_pin("4321")


def test_a_cashier_badge_alone_signs_in_a_supervisor_badge_needs_the_pin(
    service: StaffService,
) -> None:
    assert service.login_badge("STAFF-0001").name == "Ani"  # cashier
    for badge, pin in (("STAFF-0002", "2222"), ("STAFF-0009", "9999")):
        with pytest.raises(PinNeededError) as asked:
            service.login_badge(badge)
        assert asked.value.member.staff_id in ("s1", "m1")
        with pytest.raises(StaffError, match="wrong PIN"):
            service.login_badge(badge, "1111")  # another member's PIN does not do
        assert service.login_badge(badge, pin).role in ("supervisor", "manager")
    with pytest.raises(StaffError, match="unknown staff badge"):
        service.login_badge("8991234567890", "2222")


def test_badge_pins_count_towards_the_lockout(service: StaffService) -> None:
    for _ in range(MAX_FAILED_ATTEMPTS):
        with pytest.raises(StaffError, match="wrong PIN"):
            service.login_badge("STAFF-0009", "0000")
    with pytest.raises(StaffError, match="too many"):
        service.login_badge("STAFF-0009", "9999")
    with pytest.raises(StaffError, match="too many"):
        service.login_pin("9999")


def test_old_unkeyed_hashes_are_keyed_on_start(tmp_path: Path) -> None:
    store = StaffStore(tmp_path / "l.sqlite")
    salt = bytes(16)
    legacy = scrypt_digest("4321", salt).hex()  # what the till stored before the key
    store.save({"staff_id": "a", "name": "A", "role": "manager", "pin_hash": legacy,
                "pin_salt": salt.hex(), "badge": "B-1"})  # fmt: skip
    svc = StaffService(store, key=KEY, now=SettableClock())
    stored = store.get("a")
    assert stored is not None and stored["pin_hash"].startswith("k1$")
    assert legacy not in stored["pin_hash"]  # the crackable hash is gone from the ledger
    assert svc.login_pin("4321").staff_id == "a"
    assert staff_service(tmp_path / "l.sqlite").login_badge("B-1", "4321").staff_id == "a"


def test_a_different_key_is_named_not_silently_wrong(tmp_path: Path) -> None:
    staff_service(tmp_path / "l.sqlite").enroll("a", "A", "cashier", "4321")
    other = staff_service(tmp_path / "l.sqlite", key=b"x" * 32)
    with pytest.raises(StaffError, match="secret.key") as refused:
        other.login_pin("4321")
    assert "4321" not in str(refused.value)
    assert staff_service(tmp_path / "l.sqlite").login_pin("4321").staff_id == "a"
