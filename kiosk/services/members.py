"""Member lookup at the till: a scanned member card or a typed phone number."""

from __future__ import annotations

from typing import Protocol

from kiosk.domain.loyalty import Member, MemberError, normalize_phone


class MemberDirectory(Protocol):
    def by_card(self, card: str) -> Member | None: ...
    def by_phone(self, phone: str) -> Member | None: ...


class MemberService:
    def __init__(self, directory: MemberDirectory) -> None:
        self.directory = directory

    def identify(self, text: str) -> Member:
        """The active member behind a card barcode or a phone number; ``MemberError``
        (with a message for the customer or cashier) when there is none."""
        code = text.strip()
        if not code:
            raise MemberError.of("member.scan_or_type")
        member = self.directory.by_card(code)
        if member is None:
            try:
                phone = normalize_phone(code)
            except MemberError:
                raise MemberError.of(
                    "member.no_card", message=f"no member with card {code}"
                ) from None
            member = self.directory.by_phone(phone)
            if member is None:
                raise MemberError.of(
                    "member.no_phone", phone=phone, message=f"no member with phone {phone}"
                )
        if not member.active:
            raise MemberError.of(
                "member.inactive",
                name=member.name,
                message=f"membership of {member.name} is not active",
            )
        return member
