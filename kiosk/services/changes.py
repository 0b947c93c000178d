"""What every state-changing service shares: who asked, and the refusal it raises."""

from __future__ import annotations

from typing import Self

from kiosk.contract.refusals import english
from kiosk.domain.errors import ShownError

CLI = "cli"  # a change made with a `kiosk ...` command on the device itself


def fleet(command_id: str) -> str:
    """The actor of a change the fleet commanded: the command id traces it back."""
    return f"fleet:{command_id}" if command_id else "fleet"


class ChangeRefusedError(ShownError):
    """A change refused before anything was written; the message says why and how to
    ask for it anyway where that is allowed. Its codes are kiosk.contract.refusals codes
    (the fleet words them), so without a ``message`` the English is the contract's."""

    @classmethod
    def of(cls, code: str, /, *, message: str = "", **params: object) -> Self:
        return super().of(code, message=message or english(code, params), **params)
