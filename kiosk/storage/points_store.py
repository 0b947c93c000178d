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
