"""The base of every refusal a person at the till may read."""

from __future__ import annotations


class ShownError(Exception):
    """A request refused for a reason the cashier or customer can act on; ``message`` is
    safe to show (no stack trace, no internals)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
