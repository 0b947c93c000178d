"""Loyalty members: who they are and how a till recognises them (card or phone)."""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.domain.errors import ShownError


class MemberError(ShownError, ValueError):
    """A member could not be identified."""


@dataclass(frozen=True)
class Member:
    member_id: str
    name: str
    phone: str = ""  # normalised, 08...
    card: str = ""
    active: bool = True


def normalize_phone(text: str) -> str:
    """An Indonesian mobile number in its local form: ``+62 812-3456-789``, ``62812…`` and
    ``0812…`` all become ``0812…``. Raises ``MemberError`` for anything else."""
    digits = "".join(ch for ch in text if ch.isdigit())
    if text.strip().startswith("+") or digits.startswith("62"):
        digits = "0" + digits[2:] if digits.startswith("62") else digits
    if not (digits.startswith("08") and 10 <= len(digits) <= 13):
        raise MemberError.of(
            "member.phone",
            text=text,
            message=f"{text!r} is not a mobile number like 0812 3456 789",
        )
    return digits
