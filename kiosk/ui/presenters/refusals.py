"""The one function that says any refusal or device failure in the screen's language:
from its code (kiosk.domain.error_codes), never from its English message."""

from __future__ import annotations

from kiosk.domain.error_codes import DEVICE_TERMS, ERROR_TEXTS, Term, word
from kiosk.domain.errors import ShownError
from kiosk.ports import CardResult, DeviceError
from kiosk.ui.i18n import Language


def N_(message: str) -> str:  # noqa: N802 (gettext's name for "translated later")
    return message


# kiosk.services.loyalty.NO_MEMBER (a test keeps them equal) and the points keypad's prompt.
POINTS_TEXTS = (
    N_("Put a member on the sale before paying with points"),
    N_("Type the number of points first"),
)

# Said when an error has no code the screen knows (a bug, not a refusal): never its
# English text, which may name internals.
UNEXPECTED = N_("That did not work; try again or call a member of staff")


def shown_text(error: Exception, lang: Language) -> str:
    """What the screen says for ``error``, in ``lang``."""
    if isinstance(error, DeviceError):
        template = ERROR_TEXTS.get(error.code, ERROR_TEXTS["device.failed"])
        device = Term(DEVICE_TERMS.get(error.kind, DEVICE_TERMS[""]))
        return word(lang._(template), {"device": device}, translate=lang._)
    if isinstance(error, ShownError) and error.code in ERROR_TEXTS:
        return coded_text(error.code, error.params, lang)
    if isinstance(error, ShownError) and error.msgid:
        amounts = {name: lang.money(value) for name, value in error.amounts.items()}
        return lang._(error.msgid).format(**amounts)
    return lang._(UNEXPECTED)


def coded_text(code: str, params: object, lang: Language) -> str:
    """The words of ``code`` with ``params`` (a mapping) in ``lang``."""
    values = dict(params) if isinstance(params, dict) else {}
    return word(lang._(ERROR_TEXTS[code]), values, money=lang.money, translate=lang._)


# ISO 8583 response codes the terminal passes on from the bank, by what the payer can do.
_CARD_CODES = {
    "51": "card.funds",
    "54": "card.expired",
    "33": "card.expired",
    "55": "card.pin",
    "75": "card.pin_tries",
    "38": "card.pin_tries",
    "61": "card.limit",
    "65": "card.limit",
    "14": "card.invalid",
    "57": "card.invalid",
    "62": "card.invalid",
    "91": "card.issuer",
    "96": "card.issuer",
    "68": "card.issuer",
}


def card_refusal(result: CardResult, lang: Language) -> str:
    """Why a card payment did not go through and what to do, in ``lang``: from the
    outcome and the bank's response code, never the terminal's own (English) text."""
    if result.outcome == "declined":
        code = _CARD_CODES.get(result.response_code, "card.declined")
    elif result.outcome == "cancelled":
        code = "card.cancelled"
    elif result.outcome == "unknown":  # a frame not read or not ours is refused, never applied
        code = {"garbled": "card.garbled", "unexpected": "card.unexpected"}.get(
            result.problem, "card.unknown"
        )
    else:
        code = "card.terminal"
    return coded_text(code, {}, lang)
