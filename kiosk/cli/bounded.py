"""Argument types for ``kiosk`` subcommands that hold typed numbers to the till's bounds
(ASCII digits, a range), so argparse refuses ``١٢`` or ``10**30`` with a usage message."""

from __future__ import annotations

import argparse
from collections.abc import Callable

from kiosk.domain.bounds import BoundsError, parse_whole


def whole_number(what: str, *, minimum: int, maximum: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        try:
            return parse_whole(text, what, minimum=minimum, maximum=maximum)
        except BoundsError as err:
            raise argparse.ArgumentTypeError(err.reason) from None

    parse.__name__ = what  # argparse names the type in its messages
    return parse
