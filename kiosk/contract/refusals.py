"""Why a kiosk refused a command, in a form a reader words in its own language.

A result's ``errors`` are the kiosk's English (for logs and older fleets); beside them
``refusals`` carries one ``{"code", "params"}`` per error, in the same order. The codes
are ``REFUSALS`` below (their English is what the kiosk logs and what docs/messages.md
lists); a refusal a service at the till raised may also carry a till code of
``kiosk.domain.error_codes``. A reader that does not know a code says the command was
refused, without the kiosk's English. Codes are stable: fleets word them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from kiosk.domain.error_codes import word

GENERIC = "command.refused"  # no code of its own (a plain ValueError, an older handler)
INTERNAL = "command.internal"
CODE_PATTERN = r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$"
MAX_PARAMS = 20
MAX_PARAM_CHARS = 200

REFUSALS: dict[str, str] = {
    # -- the command as it arrived (kiosk.telemetry.commands) --------------------------
    "command.too_large": "the command is {size} bytes; this kiosk takes at most {limit}",
    "command.unreadable": "the command is not UTF-8 JSON",
    "command.unknown": "this kiosk's software does not know cmd/{command}",
    "command.version": "this kiosk does not read version {version} of the command",
    "command.schema": "{field} is missing or not valid",
    "command.no_handler": "this device does not take cmd/{command}",
    "command.id_reused": (
        "command_id {command_id} was already used at {applied_at} for another command"
        " (cmd/{name}); nothing was applied"
    ),
    GENERIC: "the kiosk refused the command",
    INTERNAL: "the kiosk failed while applying the command ({error}); nothing was applied",
    # -- catalog, prices, promotions --------------------------------------------------
    "change.remove_in_snapshot": "remove is only allowed with mode 'delta'",
    "catalog.unknown_sku": "unknown sku(s) {skus} ({count} in all); nothing was changed",
    "catalog.sku_twice": "sku {sku} appears twice; nothing was changed",
    "catalog.bad_product": "product {sku} is not valid; nothing was changed",
    "catalog.price_limit": "the price of {sku} ({price}) is above the limit of {limit}",
    "catalog.mass_removal": (
        "this would take {removed} of the {on_sale} products on sale off sale ({percent}%,"
        " more than {limit}%); nothing was changed"
    ),
    "catalog.nothing_to_undo": "no earlier catalog is kept: nothing to undo",
    "promotions.missing_id": "promotion number {number} has no promo_id",
    "promotions.twice": "promotion {promo_id} appears twice",
    "promotions.invalid": "promotion {promo_id} is not valid",
    "promotions.unknown": "promotion {promo_id} is not on this kiosk; nothing was changed",
    # -- settings, payments, reports, updates -------------------------------------------
    "settings.none": "no settings given",
    "settings.not_remote": "setting(s) {keys} cannot be changed remotely",
    "settings.invalid": "the value of setting {key} is not usable; nothing was changed",
    "payment.unknown": "no QRIS payment {order_id} on this kiosk",
    "payment.amount": "payment {order_id}: {confirmed} confirmed, {charged} charged",
    "report.x_not_today": "an X report is for today so far; ask for z with a date",
    "update.no_key": "this kiosk has no release key: it cannot trust any release",
    "update.window": "the kiosk's update.window setting is not usable",
}


def english(code: str, params: Mapping[str, object]) -> str:
    """The kiosk's log wording of ``code`` (the code itself when it is not listed)."""
    template = REFUSALS.get(code)
    return word(template, params) if template else code


def _param(value: object) -> object:
    if value is None or isinstance(value, bool | int | float):
        return value
    return str(value)[:MAX_PARAM_CHARS]


def refusal(code: object, params: Mapping[str, object] | None = None) -> dict[str, Any]:
    """One entry of ``refusals``; never raises (a result must always go out): a code
    that is not one becomes ``command.refused``, parameters are clipped scalars."""
    valid = isinstance(code, str) and len(code) <= 64 and re.match(CODE_PATTERN, code)
    items = list((params or {}).items())[:MAX_PARAMS]
    return {"code": code if valid else GENERIC,
            "params": {str(key)[:64]: _param(value) for key, value in items}}  # fmt: skip
