from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.domain.loyalty import Member, MemberError, normalize_phone
from kiosk.services.members import MemberService
from kiosk.storage.ledger import SqliteLedger
from kiosk.storage.members_store import MembersStore


@pytest.fixture
def members(tmp_path: Path) -> Iterator[MemberService]:
    ledger = SqliteLedger(tmp_path / "l.sqlite", "k1")
    store = MembersStore(ledger.conn)
    store.upsert_many([Member("M1", "Siti", "081234567890", "MBR000001"),
                       Member("M2", "Agus", "081398765432", "", active=False)])  # fmt: skip
    yield MemberService(store)
    ledger.close()


@pytest.mark.parametrize(
    "typed", ["081234567890", "+62 812-3456-7890", "6281234567890", "0812 3456 7890"]
)
def test_phone_forms_normalise(typed: str) -> None:
    assert normalize_phone(typed) == "081234567890"


@pytest.mark.parametrize("typed", ["1234", "0212345678", "08123", "hello"])
def test_not_a_mobile_number(typed: str) -> None:
    with pytest.raises(MemberError, match="not a mobile number"):
        normalize_phone(typed)


def test_identify_by_card_or_phone(members: MemberService) -> None:
    assert members.identify("MBR000001").name == "Siti"
    assert members.identify("+62 812 3456 7890").member_id == "M1"
    with pytest.raises(MemberError, match="no member with phone 081111111111"):
        members.identify("081111111111")
    with pytest.raises(MemberError, match="no member with card XYZ"):
        members.identify("XYZ")
    with pytest.raises(MemberError, match="not active"):
        members.identify("081398765432")


def test_a_phone_cannot_belong_to_two_members(members: MemberService) -> None:
    store = members.directory
    assert isinstance(store, MembersStore)
    with pytest.raises(Exception, match="UNIQUE"):
        store.upsert_many([Member("M3", "Other", "081234567890")])
    assert store.by_phone("081234567890") == Member("M1", "Siti", "081234567890", "MBR000001")
