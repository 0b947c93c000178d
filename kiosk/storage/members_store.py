"""Loyalty members in the ledger's SQLite file (the port of kiosk.services.members)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from datetime import UTC, datetime

from kiosk.domain.loyalty import Member
from kiosk.domain.sale import iso_utc
from kiosk.storage.db import transaction

_COLUMNS = "member_id, name, phone, card, active"


class MembersStore:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def by_card(self, card: str) -> Member | None:
        return self._one("SELECT " + _COLUMNS + " FROM members WHERE card = ?", card)

    def by_phone(self, phone: str) -> Member | None:
        return self._one("SELECT " + _COLUMNS + " FROM members WHERE phone = ?", phone)

    def upsert_many(self, members: Iterable[Member]) -> int:
        """All-or-nothing; a phone or card already used by another member is refused."""
        now = iso_utc(datetime.now(UTC))
        rows = [(m.member_id, m.name, m.phone, m.card, int(m.active), now) for m in members]
        with transaction(self.conn):
            self.conn.executemany(
                "INSERT INTO members(member_id, name, phone, card, active, updated_at)"
                " VALUES (?,?,?,?,?,?) ON CONFLICT(member_id) DO UPDATE SET name=excluded.name,"
                " phone=excluded.phone, card=excluded.card, active=excluded.active,"
                " updated_at=excluded.updated_at",
                rows,
            )
        return len(rows)

    def _one(self, sql: str, value: str) -> Member | None:
        row = self.conn.execute(sql, (value,)).fetchone()
        if row is None:
            return None
        return Member(str(row[0]), str(row[1]), str(row[2]), str(row[3]), bool(row[4]))
