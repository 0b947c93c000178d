"""The base of every refusal a person at the till may read."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Self

from kiosk.domain.error_codes import english


class ShownError(Exception):
    """A request refused for a reason the cashier or customer can act on; ``message`` is
    safe to show (no stack trace, no internals). ``code`` names it in
    kiosk.domain.error_codes and ``params`` fill its words; a screen says it from those in
    its own language (``message`` is the English, for the CLI and the logs). A refusal only an
    operator reads (catalog and settings changes) may name a code of
    kiosk.contract.refusals instead, which the fleet words."""

    code: str = ""
    params: Mapping[str, object] = {}

    def __init__(
        self, message: str, *, msgid: str = "", amounts: Mapping[str, int] | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        # Older refusals: ``msgid`` is the English text with ``{name}`` fields, ``amounts``
        # the rupiah that fill them (formatted per language).
        self.msgid = msgid
        self.amounts: dict[str, int] = dict(amounts or {})

    @classmethod
    def of(cls, code: str, /, *, message: str = "", **params: object) -> Self:
        """The refusal ``code`` with its parameters; its ``message`` is the English
        wording, or ``message`` where the CLI and the logs need more than the screen."""
        error = cls.__new__(cls)
        ShownError.__init__(error, message or english(code, params))
        error.code, error.params = code, dict(params)
        return error
