"""The words for what the till warns about (``Kiosk.till_warnings()``), for each face.

The self-checkout's note is short and addressed to staff: a customer reading it should
not think their payment is at risk, an attendant passing by should know to act. The
counter's banner is for the cashier: what is wrong and what to do. Unknown conditions
are left out rather than shown as an internal name.
"""

from __future__ import annotations

from collections.abc import Sequence

from kiosk.ui.i18n import Language


def _short(kind: str, lang: Language) -> str:
    if kind == "clock_not_synchronised":
        return lang._("clock not synchronised")
    if kind == "disk_low":
        return lang._("storage almost full")
    return ""


def _full(kind: str, lang: Language) -> str:
    if kind == "clock_not_synchronised":
        return lang._("The clock is not synchronised: sales keep the last known time. "
                      "Check the network.")  # fmt: skip
    if kind == "disk_low":
        return lang._("Storage almost full: tell the manager before sales stop.")
    return ""


def staff_note(kinds: Sequence[str], lang: Language) -> str:
    """The self-checkout's discreet line, or "" when all is well."""
    problems = [text for kind in kinds if (text := _short(kind, lang))]
    if not problems:
        return ""
    return lang._("For staff: {problems}").format(problems=" · ".join(problems))


def counter_banner(kinds: Sequence[str], lang: Language) -> str:
    """The counter's banner, or "" when all is well."""
    return "  ".join(text for kind in kinds if (text := _full(kind, lang)))
