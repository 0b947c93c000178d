"""Refusals that carry their own msgid (the till's limits, from the checkout): their
texts for the catalogs, and the one function that says any refusal in the screen's
language."""

from __future__ import annotations

from kiosk.domain.errors import ShownError
from kiosk.domain.points import PointsError
from kiosk.services.checkout import QuantityLimitError
from kiosk.ui.i18n import Language


def N_(message: str) -> str:  # noqa: N802 (gettext's name for "translated later")
    return message


# The same texts as kiosk.services.checkout.LIMIT_MESSAGES (a test keeps them equal).
LIMIT_TEXTS = (
    N_("The price is above this till's limit of {limit}"),
    N_("This line would come to more than this till's limit of {limit}"),
    N_("The sale would come to more than this till's limit of {limit}"),
    N_("Cash given is above this till's limit of {limit}"),
)


# kiosk.services.loyalty.NO_MEMBER and the points a sale may take (a test keeps them equal).
POINTS_TEXTS = (
    N_("Put a member on the sale before paying with points"),
    N_("Type the number of points first"),
)
POINTS_LIMIT = N_("At most {points} points can be used on this sale")


# kiosk.services.checkout.QuantityLimitError, short enough for the message bar at 800 px
# (the cashier has just typed the quantity it refuses).
QTY_LIMIT = N_("Quantity limit: {limit} per item")


def shown_text(error: Exception, lang: Language) -> str:
    """What the screen says for ``error``: its msgid translated with rupiah in the
    screen's format when it has one, else its message."""
    if isinstance(error, PointsError) and error.limit is not None:
        return lang._(POINTS_LIMIT).format(points=error.limit)
    if isinstance(error, QuantityLimitError):
        return lang._(QTY_LIMIT).format(limit=error.limit)
    if isinstance(error, ShownError) and error.msgid:
        amounts = {name: lang.money(value) for name, value in error.amounts.items()}
        return lang._(error.msgid).format(**amounts)
    message = getattr(error, "message", None)
    text = str(message) if message else str(error.args[0] if error.args else error)
    return (
        lang._(text) if text else text
    )  # a device's message is a msgid; anything else stays as it is


# The same texts as kiosk.services.weighing.WEIGH_MESSAGES and drivers.scale's
# SCALE_MESSAGES (the scale's DeviceError messages); a test keeps them equal.
WEIGH_TEXTS = (
    N_("This till has no scale; scan the item's scale label instead"),
    N_("Nothing on the scale yet; put the item on it"),
    N_("The weight is still moving; wait a moment and weigh again"),
    N_("Too light to sell by weight; put more on the scale"),
)
SCALE_TEXTS = (
    N_("The scale is not answering; check its cable and power"),
    N_("The scale's answer could not be read; try again"),
    N_("Too heavy for the scale; weigh it in parts"),
    N_("The scale reads below zero; empty it and press zero"),
    N_("Use the scale's own zero and tare keys"),
)
