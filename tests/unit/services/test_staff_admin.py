"""Staff administration through the unit of work, over a real ledger file: who may change
staff, each change with its journal record in one transaction, PIN changes and lock-outs."""

from __future__ import annotations

import json
from typing import Any

import pytest

from kiosk.services.changes import CLI
from kiosk.services.staff import (
    LOCKOUT_SECONDS,
    MAX_FAILED_ATTEMPTS,
    NotAllowedError,
    StaffError,
    StaffMember,
)
from kiosk.services.staff_admin import StaffAdmin
from kiosk.storage.ledger import SqliteLedger
from kiosk.storage.unit_of_work import SqliteUnitOfWork
from kiosk.testing.clock import SettableClock

KEY = bytes(range(32))


def journal(ledger: SqliteLedger) -> list[tuple[str, str, dict[str, Any]]]:
    rows = ledger.conn.execute("SELECT kind, ref, payload FROM journal ORDER BY seq").fetchall()
    return [(kind, ref, json.loads(payload)) for kind, ref, payload in rows]


@pytest.fixture
def clock() -> SettableClock:
    return SettableClock()


@pytest.fixture
def admin(ledger: SqliteLedger, clock: SettableClock) -> StaffAdmin:
    staff = StaffAdmin(SqliteUnitOfWork(ledger), clock, key=KEY)
    staff.add("Citra", "manager", "9999", "STAFF-9", by=CLI)
    staff.add("Budi", "supervisor", "2222", by=CLI)
    staff.add("Ani", "cashier", "1111", by=CLI)
    return staff


def member(admin: StaffAdmin, name: str) -> StaffMember:
    found = admin.service.get(name)
    assert found is not None
    return found


def test_each_change_is_journaled_with_who_made_it_and_never_a_pin_or_badge(
    admin: StaffAdmin, ledger: SqliteLedger
) -> None:
    manager = member(admin, "Citra")
    admin.add("Dewi", "cashier", "4826", "BADGE-7731", by=manager)
    admin.change_pin("Dewi", "5937", by=manager)
    admin.disable("Dewi", by=CLI)
    records = journal(ledger)
    assert [(kind, ref, p["by"]) for kind, ref, p in records[3:]] == [
        ("staff_add", "Dewi", "Citra"),
        ("staff_pin", "Dewi", "Citra"),
        ("staff_disable", "Dewi", CLI),
    ]
    assert records[3][2] == {"by": "Citra", "name": "Dewi", "role": "cashier", "badge": True}
    text = json.dumps(records)
    assert not any(secret in text for secret in ("4826", "5937", "BADGE-7731"))
    assert admin.service.get("Dewi") == StaffMember("Dewi", "Dewi", "cashier", "BADGE-7731",
                                                    active=False)  # fmt: skip


@pytest.mark.parametrize("role_of", ["Ani", "Budi"])
def test_only_a_manager_or_the_cli_may_change_staff(
    admin: StaffAdmin, ledger: SqliteLedger, role_of: str
) -> None:
    actor = member(admin, role_of)
    before = journal(ledger)
    with pytest.raises(NotAllowedError, match="may not staff_admin; needs manager"):
        admin.add("Eko", "manager", "7777", by=actor)
    with pytest.raises(NotAllowedError):
        admin.disable("Citra", by=actor)
    with pytest.raises(NotAllowedError):
        admin.change_pin("Citra", "7777", by=actor)
    with pytest.raises(NotAllowedError):
        admin.unlock(by=actor)
    with pytest.raises(NotAllowedError, match="'fleet' may not change staff"):
        admin.add("Eko", "manager", "7777", by="fleet")
    assert admin.service.get("Eko") is None
    assert admin.service.login_pin("9999").name == "Citra"  # her PIN is unchanged
    assert journal(ledger) == before


def test_a_manager_disabled_since_signing_in_may_not_change_staff(admin: StaffAdmin) -> None:
    citra = member(admin, "Citra")  # signed in on a screen, then disabled from the CLI
    admin.disable("Citra", by=CLI)
    with pytest.raises(NotAllowedError, match="not active"):
        admin.add("Eko", "cashier", "7777", by=citra)
    assert admin.service.get("Eko") is None


def test_a_refused_change_writes_nothing(admin: StaffAdmin, ledger: SqliteLedger) -> None:
    before = journal(ledger)
    for call, message in [
        (lambda: admin.add("Eko", "cashier", "1111", by=CLI), "already in use"),
        (lambda: admin.add("Ani", "manager", "4321", by=CLI), "already enrolled"),
        (lambda: admin.add("Eko", "owner", "4321", by=CLI), "unknown role"),
        (lambda: admin.add("  ", "cashier", "4321", by=CLI), "needs a name"),
        (lambda: admin.change_pin("Ani", "2222", by=CLI), "already in use"),
        (lambda: admin.change_pin("Nobody", "4321", by=CLI), "no staff member"),
        (lambda: admin.disable("Nobody", by=CLI), "no staff member"),
        (lambda: admin.disable("Citra", by=member(admin, "Citra")), "cannot disable yourself"),
    ]:
        with pytest.raises(StaffError, match=message):
            call()
    assert [m.name for m in admin.members()] == ["Ani", "Budi", "Citra"]
    assert admin.service.login_pin("1111").name == "Ani"
    assert journal(ledger) == before


def test_the_staff_row_and_its_journal_record_commit_together(
    admin: StaffAdmin, ledger: SqliteLedger, monkeypatch: pytest.MonkeyPatch
) -> None:
    def journal_fails(*_args: Any) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(admin.uow, "journal", journal_fails)
    with pytest.raises(OSError):
        admin.add("Eko", "cashier", "7777", by=CLI)
    with pytest.raises(OSError):
        admin.change_pin("Ani", "7777", by=CLI)
    assert admin.service.get("Eko") is None
    assert admin.service.login_pin("1111").name == "Ani"  # the old PIN still works


def test_a_new_pin_replaces_the_old_one(admin: StaffAdmin) -> None:
    admin.change_pin("Ani", "4321", by=CLI)
    assert admin.service.login_pin("4321").name == "Ani"
    with pytest.raises(StaffError, match="wrong PIN"):
        admin.service.login_pin("1111")
    assert member(admin, "Ani").role == "cashier" and member(admin, "Ani").active


def test_a_member_changes_their_own_pin_with_the_current_one(admin: StaffAdmin) -> None:
    ani = member(admin, "Ani")
    with pytest.raises(StaffError, match="current PIN"):
        admin.change_pin("Ani", "4321", by=ani)
    with pytest.raises(StaffError, match="wrong PIN"):
        admin.change_pin("Ani", "4321", by=ani, current_pin="2222")  # Budi's: not hers
    admin.change_pin("Ani", "4321", by=ani, current_pin="1111")
    assert admin.service.login_pin("4321").name == "Ani"
    with pytest.raises(NotAllowedError):  # her own only: a cashier sets nobody else's
        admin.change_pin("Budi", "4321", by=ani, current_pin="4321")


def test_wrong_current_pins_count_towards_the_lockout(
    admin: StaffAdmin, ledger: SqliteLedger, clock: SettableClock
) -> None:
    ani = member(admin, "Ani")
    for _ in range(MAX_FAILED_ATTEMPTS):
        with pytest.raises(StaffError, match="wrong PIN"):
            admin.change_pin("Ani", "4321", by=ani, current_pin="8080")
    assert admin.lockout().seconds_left == LOCKOUT_SECONDS
    # the count was stored, not rolled back with the refused change: a restart sees it
    reopened = StaffAdmin(SqliteUnitOfWork(ledger), clock, key=KEY)
    with pytest.raises(StaffError, match="too many wrong PINs"):
        reopened.change_pin("Ani", "4321", by=ani, current_pin="1111")


def test_a_manager_lifts_a_lockout_and_it_is_journaled(
    admin: StaffAdmin, ledger: SqliteLedger, clock: SettableClock
) -> None:
    for _ in range(MAX_FAILED_ATTEMPTS):
        with pytest.raises(StaffError):
            admin.service.login_pin("8080")
    clock.advance(15)
    assert admin.lockout().seconds_left == LOCKOUT_SECONDS - 15
    with pytest.raises(StaffError, match="too many wrong PINs"):
        admin.service.login_pin("1111")
    was = admin.unlock(by=member(admin, "Citra"))
    assert was.seconds_left == LOCKOUT_SECONDS - 15
    assert admin.lockout().seconds_left == 0
    assert admin.service.login_pin("1111").name == "Ani"
    kind, _ref, payload = journal(ledger)[-1]
    assert (kind, payload) == ("staff_unlock", {"by": "Citra", "seconds_left": 45})
