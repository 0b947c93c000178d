"""Adding or changing loyalty members (demo data, a member list from the fleet)."""

from __future__ import annotations

from collections.abc import Sequence

from kiosk.domain.loyalty import Member
from kiosk.ports import Clock, UnitOfWork
from kiosk.services.business_day import utc_stamp


class MembersAdmin:
    def __init__(self, uow: UnitOfWork, clock: Clock) -> None:
        self.uow = uow
        self.clock = clock

    def upsert(self, members: Sequence[Member], *, by: str) -> int:
        """Add or replace members all-or-nothing (a phone or card of another member is
        refused by the store); journaled with who and how many."""
        batch = list(members)
        at = utc_stamp(self.clock)
        with self.uow.transaction():
            count = self.uow.members.upsert_many(batch)
            ids = sorted(m.member_id for m in batch)
            self.uow.journal("members_change", "", {"by": by, "members": count,
                                                    "ids": ids[:100]}, at)  # fmt: skip
        return count
