"""Loyalty points moves in the ledger's SQLite file (``kiosk.services.loyalty.PointsBook``)."""

from __future__ import annotations

import sqlite3
from typing import Any

from kiosk.storage.db import transaction


class PointsStore:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def add(  # noqa: PLR0917 (mirrors the points_moves row)
        self, member_id: str, sale_id: str, kind: str, points: int, spend: int, at: str
    ) -> None:
        with transaction(self.conn):
            self.conn.execute(
                "INSERT INTO points_moves(member_id, sale_id, kind, points, spend, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (member_id, sale_id, kind, points, spend, at),
            )

    def balance(self, member_id: str) -> int:
        row = self.conn.execute(
            "SELECT COALESCE(SUM(points), 0) FROM points_moves WHERE member_id = ?", (member_id,)
        ).fetchone()
        return int(row[0])

    def spend_since(self, member_id: str, since: str) -> int:
        row = self.conn.execute(
            "SELECT COALESCE(SUM(spend), 0) FROM points_moves"
            " WHERE member_id = ? AND created_at >= ?",
            (member_id, since),
        ).fetchone()
        return int(row[0])

    def moves(self, member_id: str) -> list[tuple[str, int, str]]:
        """(kind, points, created_at) of every move of a member, oldest first."""
        rows = self.conn.execute(
            "SELECT kind, points, created_at FROM points_moves WHERE member_id = ? ORDER BY id",
            (member_id,),
        )
        return [(str(r[0]), int(r[1]), str(r[2])) for r in rows]

    def of_sale(self, sale_id: str, kind: str) -> tuple[int, int]:
        """(points, spend) booked against one sale under ``kind``."""
        row = self.conn.execute(
            "SELECT COALESCE(SUM(points), 0), COALESCE(SUM(spend), 0) FROM points_moves"
            " WHERE sale_id = ? AND kind = ?",
            (sale_id, kind),
        ).fetchone()
        return int(row[0]), int(row[1])

    def members(self) -> list[dict[str, Any]]:
        """Every member with the points balance, by member id."""
        rows = self.conn.execute(
            "SELECT m.member_id, m.phone, m.name, COALESCE(SUM(p.points), 0) FROM members m"
            " LEFT JOIN points_moves p ON p.member_id = m.member_id"
            " GROUP BY m.member_id ORDER BY m.member_id"
        )
        return [{"member_id": str(r[0]), "phone": str(r[1]), "name": str(r[2]),
                 "points": int(r[3])} for r in rows]  # fmt: skip

    # -- the fleet's confirmations (cmd/points) --------------------------------------

    def confirmed(self, member_id: str) -> tuple[int, int] | None:
        """(balance, seen_seq) the fleet last confirmed for the member, or None."""
        row = self.conn.execute(
            "SELECT balance, seen_seq FROM points_confirmed WHERE member_id = ?", (member_id,)
        ).fetchone()
        return None if row is None else (int(row[0]), int(row[1]))

    def spent_after(self, member_id: str, seq: int) -> int:
        """Points this till took off the member (redeemed, reversed, expired) in journal
        records after ``seq``: what the fleet's balance cannot have counted yet."""
        row = self.conn.execute(
            "SELECT COALESCE(SUM(-json_extract(payload, '$.points')), 0) FROM journal"
            " WHERE kind = 'points' AND seq > ? AND json_extract(payload, '$.member_id') = ?"
            " AND json_extract(payload, '$.points') < 0",
            (seq, member_id),
        ).fetchone()
        return int(row[0])

    def confirm(
        self, member_id: str, balance: int, seen_seq: int, as_of: str, command_id: str
    ) -> bool:
        """Keep a confirmation unless a newer one is kept already; whether it was kept.
        Runs in the caller's transaction (the command's)."""
        cursor = self.conn.execute(
            "INSERT INTO points_confirmed(member_id, balance, seen_seq, as_of, command_id)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT(member_id) DO UPDATE SET"
            " balance = excluded.balance, seen_seq = excluded.seen_seq,"
            " as_of = excluded.as_of, command_id = excluded.command_id"
            " WHERE excluded.as_of >= points_confirmed.as_of",
            (member_id, balance, seen_seq, as_of, command_id),
        )
        return cursor.rowcount == 1
