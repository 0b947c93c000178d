"""`kiosk staff`: enrol, list, disable; a short or already used PIN is refused and
nothing changes; every change is journaled with "cli"."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from kiosk.cli.staff import staff_service
from kiosk.services.staff import MAX_FAILED_ATTEMPTS, StaffError
from kiosk.storage.ledger import SqliteLedger
from kiosk.testing.cli import kiosk


def journal_kinds(data: Path) -> list[str]:
    with sqlite3.connect(data / "ledger.sqlite") as conn:
        return [str(r[0]) for r in conn.execute("SELECT kind FROM journal ORDER BY seq")]


def test_staff_add_list_disable(tmp_path: Path) -> None:
    data = tmp_path / "dev"
    added = kiosk(data, "staff", "add", "Ani", "--role", "cashier", "--pin", "1234",
                  "--badge", "STAFF-1")  # fmt: skip
    assert added.returncode == 0, added.stderr
    assert (
        kiosk(data, "staff", "add", "Budi", "--role", "supervisor", "--pin", "5678").returncode == 0
    )
    assert kiosk(data, "staff", "disable", "Ani").returncode == 0
    listed = kiosk(data, "staff", "list", "--json")
    assert listed.returncode == 0, listed.stderr
    assert json.loads(listed.stdout) == [
        {"name": "Ani", "role": "cashier", "badge": "STAFF-1", "active": False},
        {"name": "Budi", "role": "supervisor", "badge": "", "active": True},
    ]
    assert "1234" not in listed.stdout
    assert journal_kinds(data) == ["staff_add", "staff_add", "staff_disable"]


def test_a_short_or_used_pin_is_refused_and_nothing_changes(tmp_path: Path) -> None:
    data = tmp_path / "dev"
    assert kiosk(data, "staff", "add", "Ani", "--role", "cashier", "--pin", "1234").returncode == 0
    short = kiosk(data, "staff", "add", "Budi", "--role", "cashier", "--pin", "12")
    assert (short.returncode, short.stderr) == (2, "kiosk: a PIN is 4 to 8 digits\n")
    used = kiosk(data, "staff", "add", "Citra", "--role", "manager", "--pin", "1234")
    assert (used.returncode, used.stderr) == (
        2,
        "kiosk: that PIN is already in use; choose another\n",
    )
    twice = kiosk(data, "staff", "add", "Ani", "--role", "manager", "--pin", "4321")
    assert twice.returncode == 2 and "already enrolled" in twice.stderr
    unknown = kiosk(data, "staff", "disable", "Nobody")
    assert unknown.returncode == 2 and "no staff member" in unknown.stderr
    assert [m["name"] for m in json.loads(kiosk(data, "staff", "list", "--json").stdout)] == ["Ani"]
    assert journal_kinds(data) == ["staff_add"]


def test_the_journal_never_holds_a_badge_code(tmp_path: Path) -> None:
    from kiosk.cli import main

    assert main(["--data-dir", str(tmp_path), "staff", "add", "Sari", "--role", "cashier",
                 "--pin", "4826", "--badge", "BADGE-7731"]) == 0  # fmt: skip
    ledger = tmp_path / "ledger.sqlite"
    conn = sqlite3.connect(ledger)
    try:
        payloads = conn.execute("SELECT payload FROM journal").fetchall()
    finally:
        conn.close()
    assert payloads and not any("BADGE-7731" in str(p) for p in payloads)


def test_a_pin_is_changed_and_a_lockout_lifted_from_the_cli(tmp_path: Path) -> None:
    data = tmp_path / "dev"
    assert kiosk(data, "staff", "add", "Ani", "--role", "cashier", "--pin", "1234").returncode == 0
    changed = kiosk(data, "staff", "pin", "Ani", "--pin", "5678")
    assert (changed.returncode, changed.stdout) == (0, "Ani: PIN changed\n")
    no_pin = kiosk(data, "staff", "pin", "Ani")
    assert (no_pin.returncode, no_pin.stderr) == (
        2,
        "kiosk: usage: kiosk staff pin NAME --pin NEW_PIN\n",
    )
    ledger = SqliteLedger(data / "ledger.sqlite", "kiosk-1")
    try:
        staff = staff_service(data, ledger)
        assert staff.login_pin("5678").name == "Ani"
        for _ in range(MAX_FAILED_ATTEMPTS):  # the old PIN no longer opens, and locks
            with pytest.raises(StaffError, match="wrong PIN"):
                staff.login_pin("1234")
    finally:
        ledger.close()
    listed = kiosk(data, "staff", "list")
    assert "PIN login locked for" in listed.stdout, listed.stdout
    unlocked = kiosk(data, "staff", "unlock")
    assert unlocked.returncode == 0 and "PIN login unlocked" in unlocked.stdout
    assert "locked" not in kiosk(data, "staff", "list").stdout
    again = kiosk(data, "staff", "unlock")
    assert again.stdout == "PIN login was not locked\n"
    assert journal_kinds(data) == ["staff_add", "staff_pin", "staff_unlock", "staff_unlock"]
