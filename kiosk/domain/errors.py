"""The base of every refusal a person at the till may read."""

from __future__ import annotations

from collections.abc import Mapping


class ShownError(Exception):
    """A request refused for a reason the cashier or customer can act on; ``message`` is
    safe to show (no stack trace, no internals)."""

    def __init__(
        self, message: str, *, msgid: str = "", amounts: Mapping[str, int] | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        # For a screen in another language: ``msgid`` is the English text with
        # ``{name}`` fields, ``amounts`` the rupiah that fill them (formatted per language).
        self.msgid = msgid
        self.amounts: dict[str, int] = dict(amounts or {})
